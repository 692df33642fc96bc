import { describe, expect, it } from 'vitest';

// The published bundles (esbuild, without keepNames) must keep the names the code is written
// with: errors carry their class's name, and stack traces and `instanceof` messages show them.
describe('the built bundles', () => {
  it.each(['index', 'backend'])(
    'dist/%s.js exports every function and class under its own name',
    async (entry) => {
      const module = (await import(`../dist/${entry}.js`)) as Record<string, unknown>;
      const renamed = Object.entries(module)
        .filter(([, value]) => typeof value === 'function')
        .filter(([name, value]) => (value as { name: string }).name !== name)
        .map(([name, value]) => `${name} is named ${(value as { name: string }).name}`);
      expect(renamed).toEqual([]);
    },
  );
});
