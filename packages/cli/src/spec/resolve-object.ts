import type { Api } from '@macaron/core';
import { fragmentTokens } from './fragment-tokens.js';
import { pointerToken } from './pointer-token.js';

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// An object of the bundled document, its local `$ref`s followed to the end, however many (as
// @macaron/fastify's `resolveObject` follows them), a loop ending where it starts over, with the
// pointer it is at.
export function resolveObject(
  api: Pick<Api, 'document'>,
  value: unknown,
  pointer: string,
): { value?: JsonObject; pointer: string } {
  let current = value;
  let at = pointer;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string' && !seen.has(at)) {
    seen.add(at);
    const ref = current.$ref as string;
    if (!ref.startsWith('#')) return { pointer: at };
    // Read as core and the bundler read it (see `fragmentTokens`).
    const tokens = fragmentTokens(ref.slice(1));
    at = tokens.map((token) => `/${pointerToken(token)}`).join('');
    current = tokens.reduce<unknown>(
      (node, token) =>
        isObject(node) || Array.isArray(node) ? (node as JsonObject)[token] : undefined,
      api.document,
    );
  }
  return isObject(current) ? { value: current, pointer: at } : { pointer: at };
}
