import { describe, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';
import { createRawSqlAccess } from '../raw-sql-access.js';
import { checkDifferentialProperty } from './differential-check.js';
import { type DifferentialTarget, differentialTimeoutMs } from './differential-model.js';

const engine = usePGliteEngine();

function pglite(): DifferentialTarget {
  const raw = createRawSqlAccess(engine().sql);
  return {
    backend: createPostgresBackend({ pglite: engine().database }),
    readRaw: (table, key) => raw.get(table, key),
  };
}

describe('differential: memory backend vs postgres on PGlite', () => {
  it(
    'random operation sequences give identical results, errors and stored items',
    async () => {
      // PostgreSQL has every behaviour the generator draws: transactions and UTF-8 string order included.
      await checkDifferentialProperty(
        'pglite',
        pglite,
        { transactions: true, stringOrdering: true },
        { runs: 25, seed: 20261130 },
      );
    },
    differentialTimeoutMs(process.env),
  );
});
