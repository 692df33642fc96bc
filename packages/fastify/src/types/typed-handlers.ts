import type { FastifyReply } from 'fastify';
import type { OperationContext } from '../plugin/plugin-options.js';

/**
 * What `macaron generate` says of one operation: the types of its parameters by location,
 * its body (undefined when it takes none) and its responses by status.
 */
export interface OperationTypes {
  /** Path parameters by their name in the spec. */
  params: object;
  /** Query parameters the spec declares (defaulted ones always present). */
  query: object;
  /** Header parameters the spec declares, by their name in the spec. */
  headers: object;
  /** The JSON body; `undefined` when the operation takes none or it is optional and absent. */
  body: unknown;
  /** Response bodies by status as the spec writes it (`200`, `201`, `2XX`, `default`). */
  responses: object;
}

export type SuccessStatus<R> = {
  [S in keyof R]: S extends `2${string}` | 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226
    ? S
    : never;
}[keyof R];

/**
 * What a handler may return: the body of one of the operation's 2xx responses (a model object
 * fits its schema's type), `undefined` for a response without a body; anything when the spec
 * declares no 2xx response.
 */
export type HandlerResult<O extends OperationTypes> =
  // Distributed over a union: operations sharing a handler (one x-bind-server) each take
  // their own 2xx bodies, where `keyof` of the union would keep only the statuses all declare.
  O extends OperationTypes
    ? [SuccessStatus<O['responses']>] extends [never]
      ? unknown
      : O['responses'][SuccessStatus<O['responses']>]
    : never;

/**
 * A handler typed by its operation: typed `params`, `query`, `headers`, `body`, and a checked
 * result, or the reply it sent itself (`return reply.type('application/pdf').send(bytes)`).
 */
export type TypedHandler<O extends OperationTypes> = (
  context: OperationContext<O['params'], O['query'], O['headers'], O['body']>,
) => HandlerResult<O> | FastifyReply | Promise<HandlerResult<O> | FastifyReply>;

/** The handler map of a spec, typed by the operations `macaron generate` wrote. */
export type TypedHandlers<Operations extends Record<keyof Operations, OperationTypes>> = {
  [Name in keyof Operations]: TypedHandler<Operations[Name]>;
};
