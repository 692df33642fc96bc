import { InvalidRequestError } from '../errors/persistence-errors.js';
import { quotedName, shownJson } from '../errors/shown-name.js';

/** The names an options object may have, made once per kind of call (P-110). */
export type OptionNames = ReadonlySet<string>;

/** A frozen set of option names: made once, at module load, and only read per call. */
export function optionNames(...names: string[]): OptionNames {
  return Object.freeze(new Set(names));
}

/**
 * The first own key of `options` that is not in `known` and holds a value, or undefined.
 * A key holding `undefined` says nothing (spreads of optional settings leave such keys), so
 * it is let through. A for-in over a few keys against a set: no allocation on the hot path.
 */
export function unknownOption(options: object, known: OptionNames): string | undefined {
  for (const name in options)
    if (
      !known.has(name) &&
      Object.hasOwn(options, name) &&
      (options as Record<string, unknown>)[name] !== undefined
    )
      return name;
  return undefined;
}

/**
 * Refuses an options object with a key `known` does not have, before anything is read or
 * written: a misspelt `condition` would otherwise make a conditional write unconditional.
 * The error (`InvalidRequestError` for a call's options; configuration passes `TypeError`,
 * as `createDynamoDbBackend` throws) names the key and the keys accepted.
 */
export function checkOptionNames(
  options: object,
  known: OptionNames,
  where: string,
  error: new (message: string) => Error = InvalidRequestError,
): void {
  // From JavaScript, or from JSON, options may be null, a string or a list: refused as such,
  // not read as options (a string's characters would be unknown options, null a TypeError).
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new error(`${where} options must be an object, not ${shownJson(options)}`);
  const name = unknownOption(options, known);
  if (name === undefined) return;
  const accepted = known.size === 0 ? 'none' : [...known].join(', ');
  throw new error(`${where} has no option ${quotedName(name)} (options: ${accepted})`);
}
