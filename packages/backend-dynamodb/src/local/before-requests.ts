import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Runs `prepare` on each request and its response before the server's own `request`
 * listeners (dynalite's) see them: the launcher's hooks into dynalite, which has none.
 */
export function beforeRequests(
  server: Server,
  prepare: (request: IncomingMessage, response: ServerResponse) => void,
): void {
  const handlers = server.listeners('request') as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    prepare(request, response);
    for (const handler of handlers) handler.call(server, request, response);
  });
}
