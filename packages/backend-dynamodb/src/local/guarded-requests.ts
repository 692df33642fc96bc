import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Makes a throw of dynalite's own request handling an answer, not the end of the process that
 * hosts the engine. dynalite reads a request in its `end` listener and throws there on some
 * inputs it does not expect (a batch naming a table `__proto__` beside another one: it
 * walks the prototype its own copy gave the request's tables). Thrown from an event listener,
 * that was an uncaught exception: the test run, or the service in development, was gone. Now
 * it is a 500 `InternalFailure`, as DynamoDB answers a fault of its own, which the SDK retries
 * and the backend reports as a `BackendError`.
 */
export function guardRequests(server: Server): void {
  const handlers = server.listeners('request') as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const on = request.on;
    request.on = function guardedOn(this: IncomingMessage, event, listener) {
      if (event !== 'end') return on.call(this, event, listener);
      return on.call(this, event, (...values: unknown[]) => {
        try {
          (listener as (...values: unknown[]) => void)(...values);
        } catch (error) {
          answerFailure(response, error);
        }
      });
    } as IncomingMessage['on'];
    for (const handler of handlers) handler.call(server, request, response);
  });
}

function answerFailure(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#InternalFailure',
    message: `The embedded engine (dynalite) failed on this request: ${error instanceof Error ? error.message : String(error)}`,
  });
  response.statusCode = 500;
  response.setHeader('Content-Type', 'application/x-amz-json-1.0');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}
