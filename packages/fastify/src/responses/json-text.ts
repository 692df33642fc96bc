import { isBoxedValue } from '../validation/plain-values.js';
/**
 * The JSON text of a value as `JSON.stringify` writes it, except that a bigint is a JSON number
 * with its exact digits (`9007199254740993`), never through a double: `JSON.stringify` throws
 * on bigints (or follows a `BigInt.prototype.toJSON` an application added), and Node.js 20 has
 * no `JSON.rawJSON`. Undefined where `JSON.stringify` gives undefined (a function, a symbol).
 */
export function stringifyWithBigints(value: unknown): string | undefined {
  return write(value, '');
}

// Text JSON writes between quotes as it is: no quote, backslash, control character or surrogate.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters JSON escapes
const plainText = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function quote(text: string): string {
  return plainText.test(text) ? `"${text}"` : JSON.stringify(text);
}

function write(input: unknown, key: string | number): string | undefined {
  let value = input;
  if (typeof value === 'object' && value !== null) {
    const toJson = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') value = toJson.call(value, String(key));
  }
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'string':
      return quote(value);
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  // Boxed primitives are written as their value, as JSON.stringify does.
  if (isBoxedValue(value)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += write(value[index], index) ?? 'null';
    }
    return `${text}]`;
  }
  let text = '{';
  for (const name of Object.keys(value)) {
    const member = write((value as Record<string, unknown>)[name], name);
    if (member === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${quote(name)}:${member}`;
  }
  return `${text}}`;
}
