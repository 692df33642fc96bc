import { connect } from 'node:net';

/** An HTTP response as read from the socket. */
export interface RawResponse {
  /** Status code. */
  status: number;
  /** Headers, lower-cased names. */
  headers: Record<string, string>;
  /** The body as text. */
  text: string;
}

/**
 * Sends bytes as they are to a listening server and reads the response until the server
 * closes the connection: for requests that fetch would normalise or refuse to send (a
 * malformed `%`-escape, control characters, oversized headers, text that is not HTTP).
 */
export function rawRequest(baseUrl: string, request: string | Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no response within 10 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      // The server may reset the connection after answering a request it refused.
      if (chunks.length > 0) finish();
      else reject(error);
    });
    socket.on('close', finish);
    socket.write(request);
    let done = false;
    function finish(): void {
      if (done) return;
      done = true;
      const response = Buffer.concat(chunks).toString('utf8');
      const headerEnd = response.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        reject(new Error(`no HTTP response: ${JSON.stringify(response.slice(0, 200))}`));
        return;
      }
      const [statusLine = '', ...headerLines] = response.slice(0, headerEnd).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let text = response.slice(headerEnd + 4);
      const length = headers['content-length'];
      if (length !== undefined) text = Buffer.from(text).subarray(0, Number(length)).toString();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text });
    }
  });
}

/** A request of one line and `Connection: close`, with extra header lines and a body. */
export function httpRequest(
  method: string,
  target: string,
  options: { headers?: string[]; body?: string } = {},
): string {
  const body = options.body ?? '';
  const headers = [
    'Host: 127.0.0.1',
    'Connection: close',
    ...(options.body === undefined ? [] : [`Content-Length: ${Buffer.byteLength(body)}`]),
    ...(options.headers ?? []),
  ];
  return `${method} ${target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
}
