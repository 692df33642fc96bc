import { describe, expect, it } from 'vitest';
import { HandlerBindingError } from '../errors/http-errors.js';
import type { SpecOperation } from '../spec/spec-operations.js';
import { bindHandlers } from './bind-handlers.js';

function operation(
  method: string,
  path: string,
  names: Partial<SpecOperation> = {},
): SpecOperation {
  return {
    method,
    path,
    pointer: '',
    operationId: undefined,
    bindServer: undefined,
    parameters: [],
    body: undefined,
    responses: new Map(),
    auth: 'none',
    security: undefined,
    unservable: [],
    notBound: false,
    decorators: [],
    ...names,
  };
}

describe('bindHandlers', () => {
  const operations = [
    operation('get', '/a', { operationId: 'getA' }),
    operation('get', '/b', { bindServer: 'server.api.b' }),
    operation('get', '/c', { bindServer: 'server.api.b' }),
    operation('post', '/d'),
  ];
  const handle = () => undefined;

  it('binds by operationId, x-bind-server (shared by several operations) and METHOD /path', () => {
    const bound = bindHandlers(operations, {
      getA: handle,
      'server.api.b': handle,
      'POST /d': handle,
    });
    expect(bound.map(({ name }) => name)).toEqual([
      'getA',
      'server.api.b',
      'server.api.b',
      'POST /d',
    ]);
  });

  it('binds one handler by a name that is both the operationId and the x-bind-server', () => {
    const same = [operation('get', '/ping', { operationId: 'ping', bindServer: 'ping' })];
    expect(bindHandlers(same, { ping: handle }).map(({ name }) => name)).toEqual(['ping']);
  });

  it('names every operation without a handler and every handler without an operation', () => {
    let thrown: unknown;
    try {
      bindHandlers(operations, { getA: handle, getB: handle, 'GET /e': handle });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HandlerBindingError);
    const error = thrown as HandlerBindingError;
    expect(error.code).toBe('HANDLER_BINDING');
    expect(error.missing).toEqual([
      'GET /b (x-bind-server server.api.b)',
      'GET /c (x-bind-server server.api.b)',
      'POST /d',
    ]);
    expect(error.unknown).toEqual(['getB', 'GET /e']);
  });

  it('refuses an operation given two handlers, and handlers that are not functions', () => {
    const handlers = { getA: handle, 'GET /a': handle, 'server.api.b': 'nope', 'POST /d': handle };
    expect(() => bindHandlers(operations, handlers as never)).toThrow(HandlerBindingError);
    expect(() => bindHandlers(operations, handlers as never)).toThrow(/getA and GET \/a/);
    expect(() => bindHandlers(operations, handlers as never)).toThrow(
      /not functions:\n {2}- server\.api\.b/,
    );
  });
});
