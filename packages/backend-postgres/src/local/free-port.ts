import { createServer } from 'node:net';

/**
 * A port free now, below the ephemeral ranges (Linux's starts at 32768, BSD's and Windows'
 * at 49152): between this check and the server's bind, and while `restart()` has it stopped,
 * no port picked by the system for another listener or an outgoing connection can take it.
 * Another program that picks its own port (another start) can: the start then tries another.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
    if (attempt === 50) throw new Error('no free port between 20000 and 31999 on 127.0.0.1');
  }
}
