/**
 * What Macaron's middleware knows of one request it sent, found by the command's input
 * object (the same object at every step of the SDK's stack). Never kept in the handler
 * context: a client made with `cacheMiddleware: true` shares one context between every
 * call of a command class, and resolves the stack of the first command for all of them.
 */
export interface RequestState {
  /**
   * When an attempt fails after it may have been applied: `refuse` a retry (a write that
   * must not be applied twice), or `report` the outcome as unknown if the retries fail too
   * (a write the SDK may repeat); undefined for reads.
   */
  readonly ambiguity: 'refuse' | 'report' | undefined;
  /** An attempt failed after it may have been applied (for `report`). */
  ambiguousAttempt: boolean;
  /** The answer's JSON, kept when it holds an attribute named `__proto__`. */
  rawAnswer: Record<string, unknown> | undefined;
}

const states = new WeakMap<object, RequestState>();

/** Marks a command input as Macaron's own request, with how an ambiguous failure is handled. */
export function trackRequest(input: object, ambiguity: RequestState['ambiguity']): RequestState {
  const state: RequestState = { ambiguity, ambiguousAttempt: false, rawAnswer: undefined };
  states.set(input, state);
  return state;
}

/** The state of one of Macaron's requests; undefined for every other command on the client. */
export function requestState(input: unknown): RequestState | undefined {
  return typeof input === 'object' && input !== null ? states.get(input) : undefined;
}
