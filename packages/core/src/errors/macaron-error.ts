import { isBytes } from '../schema/builtin-values.js';
import { keepClassNames } from './class-names.js';

// Error identity survives two installed copies of core (two installs, or a test runner's module
// registry reset): an error carries, under a registry-wide symbol, the codes of every class it
// is an instance of, and classes match it by code, `instanceof` included.
const marker = Symbol.for('@macaron/core/MacaronError');
// A class that declares no code of its own (core's `ItemError`) is told by a name it holds under
// this registry-wide symbol instead, which its errors carry beside the codes. Written with '#',
// so that it never reads as a code.
const classNameMarker = Symbol.for('@macaron/core/MacaronError.class');

/** Options accepted by every Macaron error constructor. */
export interface MacaronErrorOptions {
  /** A message meant for the end user, as PyMacaron's `user_message`. */
  userMessage?: string | undefined;
  /** The underlying error, such as the storage engine's own. */
  cause?: unknown;
}

/** PyMacaron's JSON error shape, as sent over HTTP. */
export interface ErrorJson {
  /** Upper-case error code, e.g. `USER_NOT_FOUND`. */
  error: string;
  /** Developer-facing description. */
  error_description: string;
  /** End-user-facing message, when one was given. */
  user_message?: string;
  /** The HTTP status. */
  status: number;
}

/**
 * The base of every error Macaron throws. Subclasses override the static `code` and
 * `status`; instances may carry a user message and the original error as `cause`.
 */
export class MacaronError extends Error {
  /** The default upper-case code of this class. */
  static code = 'SERVER_ERROR';
  /** The default HTTP status of this class. */
  static status = 500;

  /** Upper-case code that callers and clients branch on. */
  readonly code: string;
  /** HTTP status that matches the error. */
  readonly status: number;
  /** Message meant for the end user. */
  readonly userMessage: string | undefined;
  declare readonly [marker]: readonly string[];

  constructor(message: string, options: MacaronErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const type = new.target as unknown as typeof MacaronError;
    this.name = new.target.name;
    this.code = type.code;
    this.status = type.status;
    this.userMessage = options.userMessage;
    Object.defineProperty(this, marker, { value: classCodes(type) });
  }

  /**
   * True when `value` is an error of this class or a subclass, even one thrown by another
   * installed copy of core: `MacaronError.isInstance` is true for every Macaron error,
   * `ConflictError.isInstance` only for conflicts (and errors of classes derived from it).
   */
  static isInstance<T extends abstract new (...args: never[]) => MacaronError>(
    this: T,
    value: unknown,
  ): value is InstanceType<T> {
    if (typeof value !== 'object' || value === null) return false;
    const codes = (value as { [marker]?: unknown })[marker];
    if (!Array.isArray(codes)) return false;
    // `this` is MacaronError itself when its parent is Error (a class body that named itself
    // here would be bundled as `class _MacaronError`, and `name` would say so).
    if (Object.getPrototypeOf(this) === Error) return true;
    // A class that declares no code of its own carries its parent's, which every error of the
    // parent (and of its other subclasses) carries too: its name under `classNameMarker` tells
    // its errors, or else only its prototype.
    if (!Object.hasOwn(this, 'code')) {
      const name = ownClassName(this);
      return name === undefined
        ? Function.prototype[Symbol.hasInstance].call(this, value)
        : codes.includes(name);
    }
    return codes.includes((this as unknown as typeof MacaronError).code);
  }

  /**
   * `instanceof` as `isInstance`: an error of this class or a subclass from this copy of core
   * or another one (Jest's `resetModules`, two installs), where the prototype chain alone would
   * tell only this copy's.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) || this.isInstance(value);
  }

  /** The error in PyMacaron's JSON shape. */
  toErrorJSON(): ErrorJson {
    const json: ErrorJson = {
      error: this.code,
      error_description: this.message,
      status: this.status,
    };
    if (this.userMessage !== undefined) json.user_message = this.userMessage;
    return json;
  }

  /**
   * The error as `JSON.stringify` writes it, for a log line: its `name`, `code`, `status`,
   * `message`, `userMessage` and its other own fields (`location`, `problems`, …), a bigint
   * (an int64 key or version) as a model's `toJSON()` writes it, a number where it is one
   * exactly and else its decimal digits, and bytes as base64. `JSON.stringify` throws on a
   * bigint, and a log call that throws loses the error it was logging. The `cause` and the
   * stack are left to the logger, which writes them as it writes any error's.
   */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      status: this.status,
      message: this.message,
      userMessage: this.userMessage,
    };
    for (const [name, value] of Object.entries(this)) if (!(name in fields)) fields[name] = value;
    return JSON.parse(JSON.stringify(fields, loggedValue)) as Record<string, unknown>;
  }
}
// A name that no minifier changes (see `keepClassNames`).
keepClassNames({ MacaronError });

// A value JSON cannot write as it is, as a model's `toJSON()` writes it (the replacer is given
// the value after its own `toJSON()`, a Buffer's included, and its holder as `this`).
function loggedValue(this: unknown, name: string, value: unknown): unknown {
  const given = (this as Record<string, unknown>)[name];
  if (isBytes(given)) return Buffer.from(given).toString('base64');
  if (typeof value !== 'bigint') return value;
  return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
}

/** What `defineError` needs to declare an application error. */
export interface ErrorDefinition {
  /** Upper-case code, e.g. `USER_NOT_FOUND`. */
  code: string;
  /** HTTP status, e.g. 404. */
  status: number;
  /** Class name shown in stack traces; defaults to the code in PascalCase. */
  name?: string;
}

/**
 * Declares an application error class, as PyMacaron's `add_error` did:
 * `const UserNotFound = defineError({ code: 'USER_NOT_FOUND', status: 404 })`.
 */
export function defineError(definition: ErrorDefinition): typeof MacaronError {
  if (!/^[A-Z][A-Z0-9_]*$/.test(definition.code)) {
    throw new TypeError(`Error code must be upper-case letters, digits and _: ${definition.code}`);
  }
  const name = definition.name ?? pascalCase(definition.code);
  const defined = class extends MacaronError {
    static override code = definition.code;
    static override status = definition.status;
  };
  Object.defineProperty(defined, 'name', { value: name });
  return defined;
}

/**
 * Names a Macaron error class that declares no code of its own, so that its errors are told from
 * its parent's by every installed copy of the package defining it (see `isInstance`): the name
 * must be the same in every copy and unique, such as `'@macaron/core#ItemError'`.
 */
export function nameErrorClass(
  type: abstract new (...args: never[]) => MacaronError,
  name: string,
): void {
  Object.defineProperty(type, classNameMarker, { value: name });
}

function ownClassName(type: object): string | undefined {
  if (!Object.hasOwn(type, classNameMarker)) return undefined;
  const name = (type as { [classNameMarker]?: unknown })[classNameMarker];
  return typeof name === 'string' ? name : undefined;
}

// The codes of a class (its own or inherited) and of every Macaron class it extends, and the
// names of those among them that declare no code (see `nameErrorClass`).
function classCodes(type: typeof MacaronError): readonly string[] {
  const codes: string[] = [type.code];
  for (
    let current: unknown = type;
    current !== MacaronError && typeof current === 'function';
    current = Object.getPrototypeOf(current)
  ) {
    if (Object.hasOwn(current, 'code')) codes.push((current as typeof MacaronError).code);
    else {
      const name = ownClassName(current);
      if (name !== undefined) codes.push(name);
    }
  }
  return codes;
}

function pascalCase(code: string): string {
  return `${code
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}Error`;
}
