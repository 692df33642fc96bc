import type { IncomingHttpHeaders } from 'node:http';

/** Whether the request carries body bytes, as fastify tells it before reading them. */
export function carriesBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
