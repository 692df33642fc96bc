// Runs one README block's compiled module in a process of its own: the test passes when the
// module's top-level code completes. Servers and engines the block leaves running are ended
// by the exit. A block's fixed listening port (fastify's `listen({ port: 8080 })`) becomes a
// free one, so that a block cannot collide with a service running on this machine.
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnFreePort(...args) {
  if (typeof args[0] === 'object' && args[0] !== null && 'port' in args[0]) {
    args[0] = { ...args[0], port: 0 };
  } else if (typeof args[0] === 'number') {
    args[0] = 0;
  }
  return listen.apply(this, args);
};

await import(pathToFileURL(process.argv[2]).href);
process.exit(0);
