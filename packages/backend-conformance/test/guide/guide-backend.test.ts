import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const guide = readFileSync(
  new URL('../../../../docs/backends/authoring.md', import.meta.url),
  'utf8',
);
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);

// The guide's code blocks are the files conformance.test.ts runs, byte for byte, so that every
// line the guide shows works as written.
describe('docs/backends/authoring.md', () => {
  for (const file of ['map-backend.ts', 'map-harness.ts', 'conformance.test.ts'])
    it(`shows ${file}, which this directory runs, unchanged`, () => {
      expect(blocks).toContain(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8'));
    });
});
