import { describe, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { createRawSqlAccess } from '../raw-sql-access.js';
import { checkDifferentialProperty } from './differential-check.js';
import { type DifferentialTarget, differentialTimeoutMs } from './differential-model.js';

const engine = useServerEngine();

function server(): DifferentialTarget {
  const raw = createRawSqlAccess(engine().sql);
  return {
    backend: createPostgresBackend({ pool: engine().pool }),
    readRaw: (table, key) => raw.get(table, key),
  };
}

describe('differential: memory backend vs postgres on a PostgreSQL 17 server', () => {
  it(
    'random operation sequences give identical results, errors and stored items',
    async () => {
      // PostgreSQL has every behaviour the generator draws: transactions and UTF-8 string order included.
      await checkDifferentialProperty(
        'server',
        server,
        { transactions: true, stringOrdering: true },
        { runs: 25, seed: 20261201 },
      );
    },
    differentialTimeoutMs(process.env),
  );
});
