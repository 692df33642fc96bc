import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { describeInterop } from './describe-interop.js';

const engine = useServerEngine();

describeInterop('a PostgreSQL 17 server', {
  backend: () => createPostgresBackend({ pool: engine().pool }),
  sql: () => engine().sql,
});
