import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';
import { describeEdges } from './describe-edges.js';

const engine = usePGliteEngine();

describeEdges({
  backend: () => createPostgresBackend({ pglite: engine().database }),
  sql: () => engine().sql,
  deepLevels: 5000,
});
