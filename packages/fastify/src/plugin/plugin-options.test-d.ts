import type { MacaronError } from '@macaron/core';
import type { JWTPayload } from 'jose';
import { expectTypeOf, test } from 'vitest';
import type {
  ErrorFormatter,
  MacaronFastifyOptions,
  OperationContext,
  OperationHandler,
  OperationHandlers,
} from './plugin-options.js';

test('handlers that declare the types of their values fit the handler map', () => {
  const getProfile = ({ params }: OperationContext<{ profile_id: string }>) => params.profile_id;
  const create = async ({ body }: OperationContext<{}, {}, {}, { name: string }>) => body.name;
  const handlers: OperationHandlers = { getProfile, create, 'GET /ping': () => undefined };
  expectTypeOf(handlers).toExtend<Record<string, OperationHandler>>();
});

test('the context types its values and the claims', () => {
  type Context = OperationContext<
    { id: string },
    { limit: number },
    { 'X-Page': number },
    string[]
  >;
  expectTypeOf<Context['params']>().toEqualTypeOf<{ id: string }>();
  expectTypeOf<Context['query']>().toEqualTypeOf<{ limit: number }>();
  expectTypeOf<Context['headers']>().toEqualTypeOf<{ 'X-Page': number }>();
  expectTypeOf<Context['body']>().toEqualTypeOf<string[]>();
  expectTypeOf<Context['auth']>().toEqualTypeOf<JWTPayload | undefined>();
});

test('the error formatter gets a MacaronError and returns a status and a body', () => {
  expectTypeOf<Parameters<ErrorFormatter>[0]>().toEqualTypeOf<MacaronError>();
  expectTypeOf<ReturnType<ErrorFormatter>>().toEqualTypeOf<{ status: number; body: unknown }>();
  expectTypeOf<MacaronFastifyOptions['handlers']>().toEqualTypeOf<OperationHandlers>();
});

test('bigints in responses are strings or numbers', () => {
  expectTypeOf<MacaronFastifyOptions['bigintsInResponses']>().toEqualTypeOf<
    'string' | 'number' | undefined
  >();
});
