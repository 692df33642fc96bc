import type { FastifyRequest } from 'fastify';
import { InvalidParameterError } from '../errors/http-errors.js';

const notJson = () =>
  new InvalidParameterError([{ pointer: '/body', keyword: 'json', message: 'is not valid JSON' }]);
const notUtf8 = () =>
  new InvalidParameterError([
    { pointer: '/body', keyword: 'json', message: 'is not valid UTF-8 (JSON text is UTF-8)' },
  ]);

// Fatal: bytes that are not UTF-8 are refused, never read as U+FFFD and stored so.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Fastify's content-type parser of JSON bodies. Property names are data: `JSON.parse` makes
 * `__proto__`, `constructor` and the like own properties of the object it builds (never its
 * prototype), so they reach validation as any other name, which the schema accepts or refuses.
 * Fastify's own parser refuses them with its own 400 body instead. An empty body is no body
 * (a client may send the JSON content type on a DELETE): where the operation needs one,
 * validation says `/body` is required.
 */
export function parseJsonBody(
  _request: FastifyRequest,
  raw: string | Buffer,
  done: (error: Error | null, body?: unknown) => void,
): void {
  let source: string;
  try {
    source = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    done(notUtf8());
    return;
  }
  if (source.trim() === '') {
    done(null, undefined);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(source);
  } catch {
    done(notJson());
    return;
  }
  done(null, body);
}
