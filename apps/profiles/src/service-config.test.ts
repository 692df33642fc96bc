import { describe, expect, it } from 'vitest';
import { readServiceConfig } from './service-config.js';

const key = (letter: string) => letter.repeat(32);

describe('readServiceConfig: secrets and keys', () => {
  it('leaves the secret and the cursor key unset by default (generated per process)', () => {
    const config = readServiceConfig({});
    expect([config.jwtSecret, config.cursorKey, config.previousCursorKeys]).toEqual([
      undefined,
      undefined,
      [],
    ]);
  });

  it('counts JWT_SECRET in bytes, and never repeats it in the error', () => {
    expect(readServiceConfig({ JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toHaveLength(32);
    expect(readServiceConfig({ JWT_SECRET: 'é'.repeat(16) }).jwtSecret).toBe('é'.repeat(16));
    expect(() => readServiceConfig({ JWT_SECRET: 'é'.repeat(15) })).toThrow(
      'JWT_SECRET must be at least 32 bytes (it has 30)',
    );
    const short = 'hunter2-but-longer';
    const error = (() => {
      try {
        readServiceConfig({ JWT_SECRET: short });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/^JWT_SECRET must be/);
    expect(error?.message).not.toContain('hunter2');
    expect(() => readServiceConfig({ JWT_SECRET: '' })).toThrow(/JWT_SECRET/);
  });

  it('reads the cursor key and the previous keys, comma-separated and trimmed', () => {
    const config = readServiceConfig({
      MACARON_CURSOR_KEY: key('a'),
      MACARON_PREVIOUS_CURSOR_KEYS: ` ${key('b')} ,${key('c')},`,
    });
    expect([config.cursorKey, config.previousCursorKeys]).toEqual([key('a'), [key('b'), key('c')]]);
  });

  it('refuses short keys, naming the variable, and previous keys without a current one', () => {
    expect(() => readServiceConfig({ MACARON_CURSOR_KEY: 'short' })).toThrow(
      'MACARON_CURSOR_KEY must be at least 32 characters (it has 5)',
    );
    expect(() =>
      readServiceConfig({ MACARON_CURSOR_KEY: key('a'), MACARON_PREVIOUS_CURSOR_KEYS: 'short' }),
    ).toThrow('MACARON_PREVIOUS_CURSOR_KEYS (key 1) must be at least 32 characters');
    expect(() => readServiceConfig({ MACARON_PREVIOUS_CURSOR_KEYS: key('b') })).toThrow(
      'MACARON_PREVIOUS_CURSOR_KEYS needs MACARON_CURSOR_KEY',
    );
  });
});

describe('readServiceConfig: the PostgreSQL server', () => {
  it('names DATABASE_URL when it is no postgres URL, without repeating it (it may hold a password)', () => {
    const postgres = (url: string) =>
      readServiceConfig({ MACARON_BACKEND: 'postgres', DATABASE_URL: url });
    expect(postgres('postgres://u:p@127.0.0.1:5432/db').databaseUrl).toBe(
      'postgres://u:p@127.0.0.1:5432/db',
    );
    expect(postgres('postgresql://127.0.0.1/db').databaseUrl).toBe('postgresql://127.0.0.1/db');
    expect(postgres('socket:/var/run/postgresql?db=x').databaseUrl).toBe(
      'socket:/var/run/postgresql?db=x',
    );
    expect(() => postgres('notaurl-secret')).toThrow(/^DATABASE_URL must be a URL/);
    expect(() => postgres('notaurl-secret')).not.toThrow(/secret/);
    expect(() => postgres('mysql://u:secret@host/db')).toThrow(
      'DATABASE_URL must be a postgres://, postgresql:// or socket: URL, not mysql://…',
    );
    // Not read by the other backends (start-up says it is ignored).
    expect(readServiceConfig({ DATABASE_URL: 'notaurl' }).backend).toBe('dynamodb');
  });
});

describe('readServiceConfig: values named and quoted when refused', () => {
  it('reads an empty HOST or PORT (as every empty variable but the secrets) as unset', () => {
    const config = readServiceConfig({
      HOST: '',
      PORT: '',
      MACARON_BACKEND: '',
      JWT_ISSUER: '',
      JWT_AUDIENCE: '',
      LOG_LEVEL: '',
      MACARON_STOP_TIMEOUT_MS: '',
    });
    expect([
      config.host,
      config.port,
      config.backend,
      config.jwtIssuer,
      config.jwtAudience,
    ]).toEqual(['127.0.0.1', 8080, 'dynamodb', 'macaron-profiles', 'macaron-profiles']);
    expect([config.logLevel, config.stopTimeoutMs]).toEqual([undefined, 10_000]);
  });

  it('takes PORT only as a decimal integer from 0 to 65535', () => {
    expect(readServiceConfig({ PORT: '0' }).port).toBe(0);
    expect(readServiceConfig({ PORT: '65535' }).port).toBe(65535);
    for (const bad of ['1e4', '0x4718', '18184.0', ' 80', '-1', '65536', 'http']) {
      expect(() => readServiceConfig({ PORT: bad })).toThrow(
        `PORT must be a decimal integer from 0 to 65535, not ${JSON.stringify(bad)}`,
      );
    }
  });

  it('refuses a HOST with surrounding spaces', () => {
    expect(readServiceConfig({ HOST: '::1' }).host).toBe('::1');
    expect(() => readServiceConfig({ HOST: ' 127.0.0.1' })).toThrow(
      'HOST must have no surrounding spaces: " 127.0.0.1"',
    );
  });

  it('names LOG_LEVEL, MACARON_TABLE_PREFIX, MACARON_STOP_TIMEOUT_MS and MACARON_BACKEND', () => {
    expect(readServiceConfig({ LOG_LEVEL: 'info' }).logLevel).toBe('info');
    expect(() => readServiceConfig({ LOG_LEVEL: 'bogus' })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "bogus"',
    );
    expect(readServiceConfig({ MACARON_TABLE_PREFIX: 'dev-1.' }).tablePrefix).toBe('dev-1.');
    expect(() => readServiceConfig({ MACARON_TABLE_PREFIX: 'bad prefix!' })).toThrow(
      'MACARON_TABLE_PREFIX may hold only A-Z a-z 0-9 _ - . (as table names), not "bad prefix!"',
    );
    expect(readServiceConfig({ MACARON_STOP_TIMEOUT_MS: '250' }).stopTimeoutMs).toBe(250);
    // Past a timer's 2^31 - 1 ms, Node would fire it at once and cut every request in flight.
    expect(() => readServiceConfig({ MACARON_STOP_TIMEOUT_MS: '3000000000' })).toThrow(
      /^MACARON_STOP_TIMEOUT_MS must be a decimal integer from 0 to 2147483647, not "3000000000"$/,
    );
    expect(() => readServiceConfig({ MACARON_STOP_TIMEOUT_MS: '2s' })).toThrow(
      /^MACARON_STOP_TIMEOUT_MS must be a decimal integer .*, not "2s"$/,
    );
    expect(() => readServiceConfig({ MACARON_BACKEND: 'memory ' })).toThrow(
      'MACARON_BACKEND must be dynamodb, memory or postgres, not "memory "',
    );
  });

  it('takes DYNAMODB_ENDPOINT only as an http(s) URL or aws', () => {
    expect(readServiceConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }).dynamoDbEndpoint).toBe(
      'http://127.0.0.1:8000',
    );
    expect(readServiceConfig({ DYNAMODB_ENDPOINT: 'aws' }).useAws).toBe(true);
    expect(readServiceConfig({ DYNAMODB_ENDPOINT: '' }).dynamoDbEndpoint).toBeUndefined();
    for (const bad of ['not a url', '127.0.0.1:18300', 'http://127.0.0.1:99999', ' http://a:1']) {
      expect(() => readServiceConfig({ DYNAMODB_ENDPOINT: bad })).toThrow(
        `DYNAMODB_ENDPOINT must be an http:// or https:// URL (as http://127.0.0.1:8000) or aws, not ${JSON.stringify(bad)}`,
      );
    }
  });

  // The AWS SDK signs with the AWS credentials and never sends a URL's user or password: one
  // there is ignored, and would be echoed in the banner and in every start-up error.
  it('refuses a DynamoDB endpoint that holds a user or password, without repeating it', () => {
    const endpoints = {
      DYNAMODB_ENDPOINT: 'http://user:hunter2@127.0.0.1:8000',
      AWS_ENDPOINT_URL_DYNAMODB: 'https://user:hunter2@dynamodb.example',
      AWS_ENDPOINT_URL: 'https://hunter2@aws.example',
    };
    for (const [variable, url] of Object.entries(endpoints)) {
      const environment =
        variable === 'DYNAMODB_ENDPOINT'
          ? { DYNAMODB_ENDPOINT: url }
          : { DYNAMODB_ENDPOINT: 'aws', [variable]: url };
      expect(() => readServiceConfig(environment)).toThrow(
        `${variable} must hold no user or password: the AWS SDK never sends them (value not shown)`,
      );
      expect(() => readServiceConfig(environment)).not.toThrow(/hunter2/);
    }
    // Not read without DYNAMODB_ENDPOINT=aws, nor when the SDK is told to ignore them.
    expect(() => readServiceConfig({ AWS_ENDPOINT_URL: endpoints.AWS_ENDPOINT_URL })).not.toThrow();
    expect(() =>
      readServiceConfig({
        DYNAMODB_ENDPOINT: 'aws',
        AWS_ENDPOINT_URL: endpoints.AWS_ENDPOINT_URL,
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).not.toThrow();
  });

  it('refuses a DATABASE_URL with surrounding spaces, without repeating it', () => {
    expect(() =>
      readServiceConfig({ MACARON_BACKEND: 'postgres', DATABASE_URL: ' postgres://u:secret@h/db' }),
    ).toThrow(/^DATABASE_URL must have no surrounding spaces \(value not shown/);
    expect(() =>
      readServiceConfig({ MACARON_BACKEND: 'postgres', DATABASE_URL: 'postgres://u:secret@h/db ' }),
    ).not.toThrow(/secret/);
  });

  it('escapes line breaks and bidi controls in a refused value, so the line shows it as it is', () => {
    for (const [variable, value] of [
      ['PORT', '8\u202e0'],
      ['HOST', ' \u2066local'],
      ['LOG_LEVEL', 'info\u200f'],
      ['MACARON_TABLE_PREFIX', 'a\u2028b'],
      ['DYNAMODB_ENDPOINT', 'http://h\u202a/'],
    ] as const) {
      const message = (() => {
        try {
          readServiceConfig({ [variable]: value });
        } catch (caught) {
          return (caught as Error).message;
        }
      })();
      expect(message).toContain(variable);
      expect(message).not.toMatch(/[\u2028\u202a-\u202e\u200f\u2066]/u);
      expect(message).toMatch(/\\u(202e|2066|200f|2028|202a)/);
    }
  });
});
