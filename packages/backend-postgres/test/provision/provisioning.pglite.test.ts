import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';
import { describeIndexColumns } from './describe-index-columns.js';
import { describeProvisioning } from './describe-provisioning.js';

const engine = usePGliteEngine();
const pglite = {
  backend: () => createPostgresBackend({ pglite: engine().database }),
  sql: () => engine().sql,
};

describeIndexColumns('PGlite', pglite);
describeProvisioning('PGlite', pglite);
