import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PartialInstall, partialInstall } from './partial-install.js';

// @macaron/cli installed without its peers @macaron/core and @macaron/backend-dynamodb: yarn 1
// installs no peers, npm leaves them out with --legacy-peer-deps. Every command needs core, so
// each says, in one line, what to install, rather than a stack trace (probe 304).
let install: PartialInstall;

beforeAll(() => {
  install = partialInstall('without-core', {
    spec: 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\n',
  });
});
afterAll(() => rmSync(install.path, { recursive: true, force: true }));

const run = (args: string[]) => install.run(args);

describe('the CLI without @macaron/core', () => {
  it.each([[['--help']], [['lint', 'spec.yaml']], [['generate', 'spec.yaml']]])(
    'macaron %j names the missing peer and how to install it, in one line',
    async (args) => {
      const failed = await run(args);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe(
        'macaron: @macaron/cli needs @macaron/core installed beside it (a peer dependency: npm install @macaron/core)\n',
      );
    },
  );
});
