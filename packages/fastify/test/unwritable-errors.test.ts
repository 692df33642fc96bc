import { Writable } from 'node:stream';
import { loadApi, MacaronError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { ErrorRequestInfo, OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// The errors answered as the plugin's own 500 ('frozen-json' keeps its status).
const kinds = [
  'json-throws',
  'json-bigint',
  'user-message-bigint',
  'code-number',
  'status-getter-throws',
  'trap-proxy',
  'revoked-proxy',
];

// A MacaronError of the application that its own JSON cannot be written from: the reply is
// still the plugin's 500 in PyMacaron's JSON, never fastify's default body, whose `message`
// would tell the client what went wrong inside the server.
const spec = {
  openapi: '3.1.0',
  info: { title: 'unwritable errors', version: '1' },
  paths: {
    '/fail/{kind}': {
      get: {
        operationId: 'fail',
        parameters: [
          {
            name: 'kind',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              enum: [...kinds, 'frozen-json'],
            },
          },
        ],
        responses: { '200': { description: 'never' } },
      },
    },
  },
};

const secret = 'db-password-hunter2';

class BalanceTooLowError extends MacaronError {
  static override code = 'BALANCE_TOO_LOW';
  static override status = 402;
  readonly missing = 10n;
  // The application adds a field JSON cannot write (a bigint).
  override toErrorJSON() {
    return { ...super.toErrorJSON(), missing: this.missing } as never;
  }
}

class BrokenJsonError extends MacaronError {
  static override code = 'BROKEN_JSON';
  static override status = 409;
  override toErrorJSON(): never {
    throw new Error(`lookup failed with ${secret}`);
  }
}

class NumberCodeError extends MacaronError {
  static override status = 400;
}
Object.defineProperty(NumberCodeError, 'code', { value: 42 });

// An application's error whose toErrorJSON returns one frozen object it keeps.
const frozenJson = Object.freeze({
  error: 'OUT_OF_STOCK',
  error_description: 'Out of stock',
  status: 409,
});
class OutOfStockError extends MacaronError {
  static override code = 'OUT_OF_STOCK';
  static override status = 409;
  override toErrorJSON() {
    return frozenJson;
  }
}

const handlers: OperationHandlers = {
  fail({ params }) {
    switch (params.kind) {
      case 'frozen-json':
        throw new OutOfStockError('Out of stock');
      case 'json-throws':
        throw new BrokenJsonError('broken');
      case 'json-bigint':
        throw new BalanceTooLowError('Your balance is too low');
      case 'user-message-bigint':
        throw new MacaronError('odd', { userMessage: 10n as never });
      case 'code-number':
        throw new NumberCodeError('a code that is no string');
      case 'status-getter-throws': {
        // Its status, read to answer it and by the logger, throws.
        const error = new MacaronError('a status that throws');
        Object.defineProperty(error, 'status', {
          get() {
            throw new Error(`status failed with ${secret}`);
          },
        });
        throw error;
      }
      case 'trap-proxy':
        // Not an Error: a value every read of which throws.
        throw new Proxy(
          {},
          {
            get() {
              throw new Error(`trap with ${secret}`);
            },
            getPrototypeOf() {
              throw new Error(`trap with ${secret}`);
            },
          },
        );
      default: {
        const revocable = Proxy.revocable({}, {});
        revocable.revoke();
        throw revocable.proxy;
      }
    }
  },
};

describe('an error whose JSON cannot be written', () => {
  for (const compat of [undefined, 'pymacaron'] as const) {
    it(`is answered SERVER_ERROR / 500 in PyMacaron's JSON, nothing of it sent (compat: ${compat})`, async () => {
      const reported: [MacaronError, ErrorRequestInfo][] = [];
      const logged: string[] = [];
      const stream = new Writable({
        write(chunk, _encoding, done) {
          logged.push(String(chunk));
          done();
        },
      });
      const { url } = await serve(
        {
          api: await loadApi(spec, compat ? { compat } : {}),
          handlers,
          onError: (error, info) => {
            reported.push([error, info]);
          },
          ...(compat ? { compat } : {}),
        },
        // A real logger: it reads the error it logs, which may throw too.
        { logger: { stream } },
      );
      for (const kind of kinds) {
        const response = await call(`${url}/fail/${kind}`);
        expect([kind, response.status, response.json?.error, response.json?.status]).toEqual([
          kind,
          500,
          'SERVER_ERROR',
          500,
        ]);
        expect(response.json.error_description).toBe('The server could not complete the request');
        expect(response.text).not.toContain(secret);
        expect(response.text).not.toContain('BigInt');
        if (compat) expect(typeof response.json.error_id).toBe('string');
        else
          expect(Object.keys(response.json).sort()).toEqual([
            'error',
            'error_description',
            'status',
          ]);
      }
      // onError gets each 500 answered, what the application threw as its cause.
      expect(reported.map(([error]) => error.code)).toEqual(kinds.map(() => 'SERVER_ERROR'));
      expect(reported.slice(0, 4).map(([error]) => (error.cause as Error).message)).toEqual([
        'broken',
        'Your balance is too low',
        'odd',
        'a code that is no string',
      ]);
      expect(logged.length).toBeGreaterThan(0);
    });
  }
});

describe('an error whose toErrorJSON returns a frozen object', () => {
  for (const compat of [undefined, 'pymacaron'] as const) {
    it(`is answered with it, its status its own (compat: ${compat})`, async () => {
      const { url } = await serve({
        api: await loadApi(spec, compat ? { compat } : {}),
        handlers,
        ...(compat ? { compat } : {}),
      });
      const response = await call(`${url}/fail/frozen-json`);
      expect([response.status, response.json?.error, response.json?.error_description]).toEqual([
        409,
        'OUT_OF_STOCK',
        'Out of stock',
      ]);
      if (compat) expect(response.json.user_message).toBe('Out of stock');
    });
  }
});
