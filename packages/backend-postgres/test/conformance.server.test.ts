import { runBackendConformance } from '@macaron/backend-conformance';
import { createPostgresBackend, postgresCapabilities } from '../src/index.js';
import { useServerEngine } from './engines/server-engine.js';
import { createRawSqlAccess } from './raw-sql-access.js';

const engine = useServerEngine();

runBackendConformance(
  'postgres on a PostgreSQL 17 server',
  () => ({
    backend: createPostgresBackend({ pool: engine().pool }),
    raw: createRawSqlAccess(engine().sql),
  }),
  { capabilities: postgresCapabilities, timeoutMs: 60_000 },
);
