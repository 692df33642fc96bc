import { type ConformanceOptions, conformanceGroups } from '@macaron/backend-conformance';
import { describe } from 'vitest';
import { createPostgresBackend, postgresCapabilities } from '../src/index.js';
import { usePGliteEngine } from './engines/pglite-engine.js';
import { createRawSqlAccess } from './raw-sql-access.js';

const options: ConformanceOptions = {
  capabilities: postgresCapabilities,
  // PGlite runs every statement of the 16 writers one after another, in this process: P-85 at
  // full size (16 x 50 cycles) took 56 s of a 60 s bound on a 2-core machine shared with
  // other test runs. A bound on hangs, not a speed check.
  timeoutMs: 240_000,
};

// The whole suite is one file's work for about five minutes on PGlite, which runs in the
// test's own thread: two files, each with half of the groups and its own PGlite, run side by
// side on two workers. Halves of the list, so that a group added to it runs in one of them.
const half = Math.ceil(conformanceGroups.length / 2);

/** Registers the first or the second half of the conformance groups, on a PGlite of the file's own. */
export function runConformanceOnPGlite(part: 'first' | 'second'): void {
  const engine = usePGliteEngine();
  const factory = () => ({
    backend: createPostgresBackend({ pglite: engine().database }),
    raw: createRawSqlAccess(engine().sql),
  });
  const groups =
    part === 'first' ? conformanceGroups.slice(0, half) : conformanceGroups.slice(half);
  describe('postgres on PGlite', () => {
    for (const group of groups) group(factory, options);
  });
}
