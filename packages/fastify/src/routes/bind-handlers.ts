import { HandlerBindingError } from '../errors/http-errors.js';
import type { OperationHandler, OperationHandlers } from '../plugin/plugin-options.js';
import type { SpecOperation } from '../spec/spec-operations.js';

/** An operation with the handler bound to it. */
export interface BoundOperation {
  /** The operation. */
  operation: SpecOperation;
  /** The name it was bound by. */
  name: string;
  /** Its handler. */
  handler: OperationHandler;
}

/** The names a handler can be given for an operation: operationId, x-bind-server, `METHOD /path`. */
export function handlerNames(operation: SpecOperation): string[] {
  const names = [operation.operationId, operation.bindServer, routeName(operation)];
  // One name given twice (an x-bind-server equal to the operationId) is one name.
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}

/** `GET /profiles/{id}`: how messages name an operation, and a handler name for any of them. */
export function routeName(operation: SpecOperation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

/**
 * Binds each operation to its handler. Throws one `HandlerBindingError` naming every
 * operation without a handler (or with two), and every handler that names no operation. An
 * operation PyMacaron would not bind (`x-no-bind-server`) is left out when no handler names it.
 */
export function bindHandlers(
  operations: readonly SpecOperation[],
  handlers: OperationHandlers,
): BoundOperation[] {
  const bound: BoundOperation[] = [];
  const missing: string[] = [];
  const twice: string[] = [];
  const known = new Set<string>();
  for (const operation of operations) {
    const names = handlerNames(operation);
    for (const name of names) known.add(name);
    const given = names.filter((name) => Object.hasOwn(handlers, name));
    if (given.length === 0) {
      if (!operation.notBound) missing.push(describe(operation));
    } else if (given.length > 1) twice.push(`${describe(operation)}: ${given.join(' and ')}`);
    else bound.push({ operation, name: given[0]!, handler: handlers[given[0]!]! });
  }
  const unknown = Object.keys(handlers).filter((name) => !known.has(name));
  const notFunctions = Object.keys(handlers).filter(
    (name) => known.has(name) && typeof handlers[name] !== 'function',
  );
  if (missing.length + twice.length + unknown.length + notFunctions.length === 0) return bound;
  const lines = [
    ...section('Operations without a handler', missing),
    ...section('Handlers that name no operation', unknown),
    ...section('Operations given two handlers', twice),
    ...section('Handlers that are not functions', notFunctions),
  ];
  throw new HandlerBindingError(
    `The handlers do not match the spec's operations:\n${lines.join('\n')}`,
    missing,
    unknown,
  );
}

function describe(operation: SpecOperation): string {
  const named = [
    operation.operationId === undefined ? undefined : `operationId ${operation.operationId}`,
    operation.bindServer === undefined ? undefined : `x-bind-server ${operation.bindServer}`,
  ].filter((part) => part !== undefined);
  return named.length === 0
    ? routeName(operation)
    : `${routeName(operation)} (${named.join(', ')})`;
}

function section(title: string, items: readonly string[]): string[] {
  return items.length === 0 ? [] : [`${title}:`, ...items.map((item) => `  - ${item}`)];
}
