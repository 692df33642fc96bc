// A ts block with `file=src/NAME.ts` is the module of that file, so that later blocks can
// import it by name (the migration guide's handlers.ts, the authoring guide's map-backend.ts).
import { describe, expect, it } from 'vitest';
import { extractBlocks } from '../src/markdown-blocks.js';
import { typeScriptModules } from '../src/typescript-modules.js';

const modulesOf = (markdown: string) => typeScriptModules(extractBlocks('guide.md', markdown));

describe('a ts module', () => {
  it('is the file its first block names, else named after its line', () => {
    const markdown = [
      '<!-- readme-block: file=src/handlers.ts -->',
      '```ts',
      'export const handlers = {};',
      '```',
      '```ts',
      "import { handlers } from './handlers.js';",
      '```',
    ].join('\n');
    expect(modulesOf(markdown).map((module) => module.fileName)).toEqual([
      'handlers.ts',
      'readme-line-5.ts',
    ]);
  });

  it('refuses a file outside src/, where it would not be compiled or run', () => {
    const markdown = ['<!-- readme-block: file=lib/handlers.ts -->', '```ts', '```'].join('\n');
    expect(() => modulesOf(markdown)).toThrow("guide.md:2: a ts block's file must be src/NAME.ts");
  });
});
