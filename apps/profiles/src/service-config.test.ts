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
