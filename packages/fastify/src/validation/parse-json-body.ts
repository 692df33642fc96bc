import type { FastifyRequest } from 'fastify';
import { InvalidParameterError } from '../errors/http-errors.js';

const notJson = () =>
  new InvalidParameterError([{ pointer: '/body', keyword: 'json', message: 'is not valid JSON' }]);

/**
 * Fastify's content-type parser of JSON bodies. Property names are data: `JSON.parse` makes
 * `__proto__`, `constructor` and the like own properties of the object it builds (never its
 * prototype), so they reach validation as any other name, which the schema accepts or refuses.
 * Fastify's own parser refuses them with its own 400 body instead.
 */
export function parseJsonBody(
  _request: FastifyRequest,
  text: string | Buffer,
  done: (error: Error | null, body?: unknown) => void,
): void {
  const source = typeof text === 'string' ? text : text.toString('utf8');
  if (source.trim() === '') {
    done(notJson());
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
