import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBackendConformance } from '../../src/run-backend-conformance.js';
import { createMapBackend } from './map-backend.js';
import { createMapHarness } from './map-harness.js';

const guide = readFileSync(
  new URL('../../../../docs/backends/authoring.md', import.meta.url),
  'utf8',
);
const code = readFileSync(new URL('./map-backend.ts', import.meta.url), 'utf8');

describe('docs/backends/authoring.md', () => {
  it('shows the whole map backend this test runs, unchanged', () => {
    const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toContain(code);
  });
});

runBackendConformance('the guide’s map backend', () => createMapHarness(), {
  capabilities: createMapBackend().capabilities,
  contention: { writers: 16, cycles: 10 },
});
