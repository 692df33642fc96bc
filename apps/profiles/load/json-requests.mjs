// One JSON request to the profiles service over a keep-alive agent, as the load scripts send
// them (this app's load test and bench/'s heap profile): writes carry the bearer token.
import { request } from 'node:http';

/**
 * A `send(method, path, body)` for the service at `host`:`port`; it resolves to the reply's
 * status, its parsed body and the request's latency in ms.
 */
export function jsonRequests({ host, port, agent, token }) {
  return function send(method, path, body) {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const outgoing = request(
        {
          host,
          port,
          method,
          path,
          agent,
          headers: {
            ...(method === 'GET' ? {} : { authorization: `Bearer ${token}` }),
            ...(text === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }),
          },
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
            const raw = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: response.statusCode,
              latencyMs,
              body: raw ? JSON.parse(raw) : undefined,
            });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(text);
    });
  };
}
