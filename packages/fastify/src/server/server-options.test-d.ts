import Fastify from 'fastify';
import { expectTypeOf, test } from 'vitest';
import { macaronServerOptions } from './server-options.js';

test('the options fit every server fastify makes: HTTP/1, HTTPS, HTTP/2', () => {
  const key = '';
  const cert = '';
  const plain = Fastify({ ...macaronServerOptions(), logger: true });
  const h2c = Fastify({ ...macaronServerOptions(), http2: true });
  const secure = Fastify({ ...macaronServerOptions(), https: { key, cert } });
  const h2 = Fastify({ ...macaronServerOptions(), http2: true, https: { key, cert } });
  for (const app of [plain, h2c, secure, h2]) expectTypeOf(app.close).toBeFunction();
});
