import { runBackendDifferential } from '@macaron/backend-conformance/differential';
import { createMemoryBackend } from '@macaron/backend-memory';
import { createPostgresBackend, postgresCapabilities } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { createRawSqlAccess } from '../raw-sql-access.js';

const engine = useServerEngine();

runBackendDifferential(
  'differential: memory backend vs postgres on a PostgreSQL 17 server',
  () => ({
    backend: createPostgresBackend({ pool: engine().pool }),
    raw: createRawSqlAccess(engine().sql),
  }),
  {
    reference: () => ({ backend: createMemoryBackend() }),
    // PostgreSQL has every behaviour the generator draws (transactions and UTF-8 string order
    // included): no engine difference to declare.
    capabilities: postgresCapabilities,
    seed: 20261201,
  },
);
