import { runBackendConformance } from '@macaron/backend-conformance';
import type pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresBackend, postgresCapabilities } from '../src/index.js';
import { type PgBouncer, pgbouncerAtLeast, startPgBouncer } from './engines/pgbouncer.js';
import { useServerEngine } from './engines/server-engine.js';
import { createRawSqlAccess } from './raw-sql-access.js';

/*
 * The conformance suite through PgBouncer 1.21+ in transaction pooling with
 * max_prepared_statements (scripts/pgbouncer/build.sh builds 1.24.1). Some two minutes more
 * than on the server alone, so run on demand: MACARON_PGBOUNCER_CONFORMANCE=1, with
 * MACARON_PGBOUNCER_SETTINGS='{"pool_mode":"session"}' (JSON) for other settings.
 */
const pgbouncer = pgbouncerAtLeast([1, 21]);
const wanted = process.env.MACARON_PGBOUNCER_CONFORMANCE === '1';
const settings: Record<string, string | number> = {
  pool_mode: 'transaction',
  max_prepared_statements: 100,
  default_pool_size: 5,
  ...JSON.parse(process.env.MACARON_PGBOUNCER_SETTINGS ?? '{}'),
};

if (wanted && pgbouncer !== '') {
  const engine = useServerEngine();
  let bouncer: PgBouncer;
  let pool: pg.Pool;
  beforeAll(async () => {
    bouncer = await startPgBouncer(pgbouncer, engine().server.connectionString, settings);
    // Within the session pooling's default_pool_size: clients beyond it would queue.
    pool = engine().openPool({ connectionString: bouncer.connectionString, max: 5 });
  });
  afterAll(() => bouncer?.stop());
  runBackendConformance(
    `postgres through PgBouncer ${JSON.stringify(settings)} on a PostgreSQL 17 server`,
    () => ({
      backend: createPostgresBackend({ pool }),
      raw: createRawSqlAccess(engine().sql),
    }),
    // A bound on hangs, as on the server alone.
    { capabilities: postgresCapabilities, timeoutMs: 240_000 },
  );
} else {
  describe.skip(`the conformance suite through PgBouncer 1.21+ (skipped: ${wanted ? 'no PgBouncer 1.21 or later found; scripts/pgbouncer/build.sh builds one' : 'some two minutes; set MACARON_PGBOUNCER_CONFORMANCE=1 to run it'})`, () => {
    it('passes', () => undefined);
  });
}
