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
  private trap:
    | { text: string; cut: Cut; left: number; passing: number; sprung: () => void }
    | undefined;
  /** How many messages the last trap set has met so far. */
  met = 0;
  port = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /**
   * Cuts the connection whose client next sends `text` (the next `times` such connections, a
   * request and the one it runs again on), once `passing` such messages have gone through
   * untouched; resolves when the last cut was made.
   */
  cutWhenClientSends(text: string, cut: Cut, times = 1, passing = 0): Promise<void> {
    this.met = 0;
    return new Promise((resolve) => {
      let left = times;
      this.trap = {
        text,
        cut,
        left: times,
        passing,
        sprung: () => {
          left -= 1;
          if (left === 0) resolve();
        },
      };
    });
  }

  /** Forgets a trap that has not sprung (a test that failed before its request reached it). */
  disarm(): void {
    this.trap = undefined;
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
      if (trap && chunk.includes(trap.text) && trap.passing > 0) trap.passing -= 1;
      else if (trap && chunk.includes(trap.text)) {
        this.met += 1;
        trap.left -= 1;
        if (trap.left === 0) this.trap = undefined;
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
