import { InvalidRequestError } from '../errors/persistence-errors.js';
import { parsePointer } from '../schema/json-pointer.js';

/**
 * The tokens of a pointer `schemaAt` is given, or an `InvalidRequestError` for one that cannot
 * name a schema: text that is no JSON pointer (`components/schemas/A` read as `/schemas/A`
 * before), the document itself, and the places of an OpenAPI document that only hold other
 * objects (`/info`, `/components/schemas`, a path item). Such an object, read as a schema,
 * allowed any value: a mistyped pointer turned validation off.
 */
export function schemaPointerTokens(pointer: string): string[] {
  if (typeof pointer !== 'string' || !(pointer.startsWith('/') || pointer.startsWith('#/')))
    throw new InvalidRequestError(
      `A schema's place is a JSON pointer starting with / or #/, not ${JSON.stringify(pointer)}`,
    );
  const tokens = parsePointer(pointer);
  const container =
    tokens.length === 1 ||
    (tokens.length === 2 && (tokens[0] === 'components' || tokens[0] === 'paths'));
  if (container)
    throw new InvalidRequestError(`The spec holds no schema at ${pointer}, only other objects`);
  return tokens;
}
