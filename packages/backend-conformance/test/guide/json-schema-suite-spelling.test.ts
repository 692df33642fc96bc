import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runJsonSchemaSuite } from '../../src/differential/index.js';
import { createMapHarness } from './map-harness.js';

// A later suite than the one core vendors may correct its spelling "evalation": the runner's
// one group known to keep an extra (P-91) is found under either name. A suite of that one file,
// its group renamed; the folders the runner reads are there, empty.
const vendored = new URL(
  '../../../core/test/fixtures/json-schema-test-suite/draft2020-12/unevaluatedProperties.json',
  import.meta.url,
);
const root = mkdtempSync(join(tmpdir(), 'macaron-suite-spelling-'));
for (const dir of ['draft2020-12/optional/format', 'draft4'])
  mkdirSync(join(root, dir), { recursive: true });
const text = readFileSync(vendored, 'utf8');
if (!text.includes('"dynamic evalation inside nested refs"'))
  throw new Error('the vendored suite no longer spells the group "evalation"');
writeFileSync(
  join(root, 'draft2020-12/unevaluatedProperties.json'),
  text.replace('"dynamic evalation inside nested refs"', '"dynamic evaluation inside nested refs"'),
);

afterAll(() => rmSync(root, { recursive: true, force: true }));

runJsonSchemaSuite('a suite spelling the P-91 group "evaluation"', () => createMapHarness(), {
  suiteRoot: root,
});
