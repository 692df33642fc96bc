import { runBackendConformance } from '@macaron/backend-conformance';
import { createPostgresBackend, postgresCapabilities } from '../src/index.js';
import { usePGliteEngine } from './engines/pglite-engine.js';
import { createRawSqlAccess } from './raw-sql-access.js';

const engine = usePGliteEngine();

runBackendConformance(
  'postgres on PGlite',
  () => ({
    backend: createPostgresBackend({ pglite: engine().database }),
    raw: createRawSqlAccess(engine().sql),
  }),
  { capabilities: postgresCapabilities, timeoutMs: 60_000 },
);
