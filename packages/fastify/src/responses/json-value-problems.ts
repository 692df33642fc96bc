import type { ValidationProblem } from '@macaron/core';
import { appendPointer } from '../spec/json-pointer.js';
import { maxProblems } from '../validation/max-problems.js';
import { isPlainRecord } from '../validation/plain-values.js';

/**
 * What JSON would not carry as it is in a serialised response the spec gives no schema: the
 * checks `validateValue` makes of a value under an empty schema (`schema: {}`) in a response,
 * with the same messages, save its 32-level limit (such a response is sent up to the depth it
 * is serialised to). NaN and the infinities (JSON.stringify writes null), an integer-valued
 * number from 2^53 to 1e21 written as another integer (`2 ** 60` as `1152921504606847000`),
 * a lone surrogate, an `undefined` or a hole in a list, and anything that is no JSON value (a
 * Date, a Map, a class instance, a function: retyped or dropped on the way).
 */
export function jsonValueProblems(json: unknown): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  walk(json, [], problems);
  return problems;
}

function walk(value: unknown, path: (string | number)[], problems: ValidationProblem[]): void {
  if (problems.length >= maxProblems) return;
  const problem = (message: string, keyword = 'type') =>
    problems.push({ pointer: pointerOf(path), keyword, message });
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) problem('holds a lone surrogate, which is not valid Unicode');
      return;
    case 'number':
      if (Number.isNaN(value)) problem('is NaN');
      else if (!Number.isFinite(value)) problem('is not finite');
      // From 1e21 JSON writes an exponent: the number it is, to every reader; below, only
      // digits that are its exact value (1e20) are.
      else if (
        Number.isInteger(value) &&
        !Number.isSafeInteger(value) &&
        Math.abs(value) < 1e21 &&
        BigInt(value).toString() !== String(value)
      )
        problem(
          'is an integer beyond 2^53 that a number cannot hold exactly; use a bigint (format int64)',
        );
      return;
    case 'boolean':
    case 'bigint':
      return;
    case 'object':
      break;
    default:
      problem('is not a JSON value');
      return;
  }
  if (value === null) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (problems.length >= maxProblems) return;
      path.push(index);
      if (value[index] === undefined) {
        problem(index in value ? 'is undefined' : 'is a hole');
        path.pop();
        // The first hole only, as validation: a list of holes costs nothing to make.
        if (!(index in value)) return;
        continue;
      }
      walk(value[index], path, problems);
      path.pop();
    }
    return;
  }
  if (!isPlainRecord(value)) {
    problem('is not a JSON value');
    return;
  }
  for (const name of Object.keys(value)) {
    const property = value[name];
    if (property === undefined) continue;
    path.push(name);
    if (name.isWellFormed()) walk(property, path, problems);
    else problem('is a name holding a lone surrogate, which is not valid Unicode', 'propertyNames');
    path.pop();
  }
}

// The pointer is built only for a problem: most responses have none.
function pointerOf(path: readonly (string | number)[]): string {
  return appendPointer('', ...path);
}
