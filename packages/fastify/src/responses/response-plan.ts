import type { Api, SchemaNode } from '@macaron/core';
import type { SpecResponse } from '../spec/spec-operations.js';

/** The declared responses of an operation, schemas normalised once. */
export interface ResponsePlan {
  /** The status for a handler's result: the one the handler set, else the spec's success status. */
  status(result: unknown, chosen: number | undefined): number;
  /**
   * The other 2xx statuses a result may go out as when the handler set none, in the spec's
   * order: for `undefined`, those declared without a body; else those with a body. The
   * generated handler types take the body of any 2xx response, so the adapter tries them.
   */
  alternatives(result: unknown, first: number): number[];
  /** The declared response for a status (exact, `2XX`-style range, or `default`). */
  response(status: number): PlannedResponse | undefined;
  /** The statuses the spec declares, as the spec writes them (`200`, `2XX`, `default`), for messages. */
  declared: readonly string[];
}

/** One declared response. */
export interface PlannedResponse {
  /** Its JSON body schema, undefined when it has no body. */
  schema: SchemaNode | undefined;
}

/**
 * Plans an operation's responses. A result goes out as 200, or as the single 2xx status the
 * spec declares (201, 202…); `undefined` goes out as 204 when the spec declares 204.
 */
export function createResponsePlan(
  api: Api,
  responses: ReadonlyMap<string, SpecResponse>,
): ResponsePlan {
  const planned = new Map<string, PlannedResponse>();
  for (const [status, response] of responses) {
    planned.set(status, {
      schema:
        response.schemaPointer === undefined ? undefined : api.schemaAt(response.schemaPointer),
    });
  }
  const successes = [...planned.keys()].filter((status) => /^2\d\d$/.test(status)).map(Number);
  return {
    declared: [...planned.keys()].map((status) => (status === 'DEFAULT' ? 'default' : status)),
    status(result, chosen) {
      if (chosen !== undefined) return chosen;
      if (result === undefined && successes.includes(204)) return 204;
      if (successes.includes(200)) return 200;
      const withBody = successes.filter((status) => status !== 204);
      if (withBody.length === 1) return withBody[0]!;
      return 200;
    },
    alternatives(result, first) {
      return successes.filter(
        (status) =>
          status !== first &&
          (result === undefined) === (planned.get(String(status))!.schema === undefined),
      );
    },
    response(status) {
      return (
        planned.get(String(status)) ??
        planned.get(`${String(status).charAt(0)}XX`) ??
        planned.get('DEFAULT')
      );
    },
  };
}
