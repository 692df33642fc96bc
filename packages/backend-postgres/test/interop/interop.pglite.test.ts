import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';
import { describeInterop } from './describe-interop.js';

const engine = usePGliteEngine();

describeInterop('PGlite', {
  backend: () => createPostgresBackend({ pglite: engine().database }),
  sql: () => engine().sql,
});
