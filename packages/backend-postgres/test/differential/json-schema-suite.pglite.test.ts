import { runJsonSchemaSuite } from '@macaron/backend-conformance/differential';
import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';
import { createRawSqlAccess } from '../raw-sql-access.js';

const engine = usePGliteEngine();

runJsonSchemaSuite(
  'the JSON Schema Test Suite through PostgreSQL on PGlite',
  () => ({
    backend: createPostgresBackend({ pglite: engine().database }),
    raw: createRawSqlAccess(engine().sql),
  }),
  { suiteRoot: new URL('../../../core/test/fixtures/json-schema-test-suite/', import.meta.url) },
);
