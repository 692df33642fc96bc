import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * When the proxy cuts a connection, relative to the client's data that triggers it; or a
 * number of milliseconds it holds that data back before forwarding it, cutting nothing.
 */
export type Cut = 'before-forwarding' | 'after-forwarding' | number;

/**
 * A loopback TCP proxy in front of PostgreSQL that can cut connections: all at once, or the
 * one whose client sends a message containing a given text (the next time only).
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  private trap: { text: string; cut: Cut; sprung: () => void } | undefined;
  port = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** Cuts the connection whose client next sends `text`; resolves when it did. */
  cutWhenClientSends(text: string, cut: Cut): Promise<void> {
    return new Promise((resolve) => {
      this.trap = { text, cut, sprung: resolve };
    });
  }

  /** Cuts every open connection. */
  cutAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    let answering = true;
    // Once a trap springs after forwarding, the server's answer never reaches the client.
    upstream.on('data', (chunk: Buffer) => {
      if (answering) client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      const trap = this.trap;
      if (trap && chunk.includes(trap.text)) {
        this.trap = undefined;
        if (typeof trap.cut === 'number') {
          setTimeout(() => {
            upstream.write(chunk);
            trap.sprung();
          }, trap.cut);
        } else if (trap.cut === 'after-forwarding') {
          answering = false;
          // Let the server read the whole message before the connection goes.
          upstream.write(chunk, () =>
            setTimeout(() => {
              close();
              trap.sprung();
            }, 20),
          );
        } else {
          close();
          trap.sprung();
        }
        return;
      }
      upstream.write(chunk);
    });
  }
}
