import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, packageDir, runMacaron, temporaryFolder } from './macaron-process.js';
import { brokenPersistSpec, profilesSpec } from './sample-specs.js';

// A spec whose names hold a line break and bidi controls (property names may hold anything).
const hostileNamesSpec = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'hostile names', version: '1' },
  paths: {},
  components: {
    schemas: {
      'Th\u202eing\nY': {
        type: 'object',
        properties: { 'id\u202eevil\nX': { type: 'string' }, label: { type: 'string' } },
        'x-persist': {
          table: 'things',
          key: 'id\u202eevil\nX',
          indexes: { byLabel: { key: 'label', sort: 'no\u2066pe' } },
        },
      },
    },
  },
});

// A spec with a thousand lint errors: more lines than a pipe holds.
const manyProblemsSpec = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'many problems', version: '1' },
  paths: {},
  components: {
    schemas: Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [
        `Thing${i}`,
        {
          type: 'object',
          properties: { id: { type: 'string' } },
          'x-persist': { table: `things${i}`, key: 'id' },
        },
      ]),
    ),
  },
});

const folder = temporaryFolder({
  'many-problems.json': manyProblemsSpec,
  'profiles.yaml': profilesSpec,
  'broken.yaml': brokenPersistSpec,
  'hostile-names.json': hostileNamesSpec,
});
afterAll(() => folder.remove());

const commands = [
  'lint',
  'generate',
  'compile',
  'tables plan',
  'tables create',
  'tables delete',
  'tables export',
];

/** One line on stderr and nothing that looks like a stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('macaron', () => {
  it('lists the commands with --help', async () => {
    const run = await runMacaron(['--help'], { cwd: folder.path });
    expect(run.code).toBe(0);
    for (const command of commands) expect(run.stdout).toContain(`  ${command} `);
  });

  it.each(commands)('%s --help shows its usage and options', async (command) => {
    const run = await runMacaron([...command.split(' '), '--help'], { cwd: folder.path });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    // lint takes several specs (a PyMacaron project has one an API).
    const spec = command === 'lint' ? '<spec\\.\\.\\.>' : '<spec>';
    expect(run.stdout).toMatch(new RegExp(`^Usage: macaron ${command} ${spec} \\[options\\]\\n`));
    expect(run.stdout).toContain('-h, --help');
  });

  it('tables --help lists the tables commands', async () => {
    const run = await runMacaron(['tables', '--help'], { cwd: folder.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('macaron tables <plan|create|delete|export>');
  });

  it('prints its version', async () => {
    const run = await runMacaron(['--version'], { cwd: folder.path });
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    expect(run.stdout).toBe(`${manifest.version}\n`);
  });

  it('exits 2 without a command, with the main help on stdout', async () => {
    const run = await runMacaron([], { cwd: folder.path });
    expect(run).toMatchObject({ code: 2, stderr: '' });
    expect(run.stdout).toMatch(/^Usage: macaron <command> \[options\]\n/);
  });

  it('exits 2 with one line for wrong usage', async () => {
    for (const args of [
      ['frobnicate'],
      ['lint'],
      ['lint', 'profiles.yaml', '--colour'],
      ['lint', 'profiles.yaml', '--format', 'xml'],
      ['generate', 'profiles.yaml'],
      ['tables', 'drop', 'profiles.yaml'],
      ['tables', 'plan', 'profiles.yaml', '--endpoint', 'not a url'],
    ]) {
      const run = await runMacaron(args, { cwd: folder.path });
      expect(run.code, args.join(' ')).toBe(2);
      expectOneLine(run.stderr);
      expect(run.stderr).toMatch(/^macaron: /);
    }
  });

  it.each(commands)('%s: a missing spec file is one line and exit 1', async (command) => {
    const output =
      command === 'generate' ? ['-o', 'out.ts'] : command === 'compile' ? ['-o', 'out.json'] : [];
    const run = await runMacaron([...command.split(' '), 'missing.yaml', ...output], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('macaron: cannot read missing.yaml: no such file\n');
  });

  it('a failure whose message holds a line break is still one line on stderr', async () => {
    const run = await runMacaron(['lint', 'profiles.yaml', '--macaron-config', 'no\nfile.json'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr);
  });

  it('a path with a line break is named whole, quoted: the spec, --macaron-config, --config', async () => {
    for (const [args, shown] of [
      [['lint', 'miss\ning.yaml'], '"miss\\ning.yaml"'],
      [['lint', 'profiles.yaml', '--macaron-config', 'no\nfile.json'], '"no\\nfile.json"'],
      [['lint', 'profiles.yaml', '--config', 'no\nredocly.yaml'], '"no\\nredocly.yaml"'],
    ] as const) {
      const run = await runMacaron([...args], { cwd: folder.path });
      expect(run.stderr).toBe(`macaron: cannot read ${shown}: no such file\n`);
    }
  });

  it('a broken spec is one line naming the first problem, and exit 1', async () => {
    for (const args of [
      ['generate', 'broken.yaml', '-o', 'types.ts'],
      ['compile', 'broken.yaml', '-o', 'api.json'],
      ['tables', 'export', 'broken.yaml'],
    ]) {
      const run = await runMacaron(args, { cwd: folder.path });
      expect(run.code, args.join(' ')).toBe(1);
      expectOneLine(run.stderr);
      expect(run.stderr).toMatch(
        /^macaron: broken\.yaml has errors: broken\.yaml#\/components\/schemas\/Profile\/x-persist\/key \(Profile\) key property "profile_id" must be required \(and 2 more: run macaron lint broken\.yaml\)\n$/,
      );
    }
  });

  it('a --prefix table names cannot hold is one line naming the option, a usage error (exit 2)', async () => {
    const run = await runMacaron(['tables', 'export', 'profiles.yaml', '--prefix', 'bad prefix;'], {
      cwd: folder.path,
    });
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expectOneLine(run.stderr);
    expect(run.stderr).toMatch(/^macaron: --prefix may hold only A-Z a-z 0-9 _ - \./);
  });

  it('escapes bidi controls and line breaks of the arguments it quotes in a failure', async () => {
    for (const args of [
      ['no\u202epe'],
      ['tables', 'no\u2066pe'],
      ['tables', 'export', 'profiles.yaml', '--prefix', 'a\u202eb'],
      ['tables', 'export', 'profiles.yaml', '--format', 'sq\u200fl'],
      ['generate', 'profiles.yaml', 'extra\u2028'],
      ['lint', 'profiles.yaml', '--bo\u202egus'],
    ]) {
      const run = await runMacaron(args, { cwd: folder.path });
      expect(run.code, args.join(' ')).toBe(2);
      expectOneLine(run.stderr);
      expect(run.stderr, args.join(' ')).not.toMatch(/[\u200f\u2028\u202e\u2066]/u);
      expect(run.stderr, args.join(' ')).toMatch(/\\u(202e|2066|200f|2028)/);
    }
  });

  it("escapes the line breaks and bidi controls of the spec's names in its problems", async () => {
    const unsafe = /[\n\u202e\u2066]/u;
    const lint = await runMacaron(['lint', 'hostile-names.json'], { cwd: folder.path });
    expect(lint.code).toBe(1);
    const lines = lint.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringContaining('error key property "id\\u202eevil\\nX" must be required'),
      expect.stringContaining('error "no\\u2066pe" is not a property of the schema'),
      'hostile-names.json: 2 errors, 0 warnings',
    ]);
    for (const line of lines) expect(line).not.toMatch(unsafe);
    for (const args of [
      ['generate', 'hostile-names.json', '-o', 'hostile.generated.ts'],
      ['tables', 'export', 'hostile-names.json'],
    ]) {
      const run = await runMacaron(args, { cwd: folder.path });
      expect(run.code, args.join(' ')).toBe(1);
      expectOneLine(run.stderr);
      expect(run.stderr.trimEnd()).not.toMatch(unsafe);
      // The whole problem, not the line cut at the schema's line break.
      expect(run.stderr).toBe(
        'macaron: hostile-names.json has errors: hostile-names.json#/components/schemas/Th\\u202eing\\u000aY/x-persist/key (Th\\u202eing\\u000aY) key property "id\\u202eevil\\nX" must be required (and 1 more: run macaron lint hostile-names.json)\n',
      );
    }
  });

  it('stops quietly when the reader of its output goes away (macaron lint spec | head -1)', async () => {
    const child = spawn(process.execPath, [binPath, 'lint', 'many-problems.json'], {
      cwd: folder.path,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // The first line read, the reader closes its end, as head does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    // The command's own exit code: the spec has errors.
    expect(code).toBe(1);
  });

  it('writes no colours when the output is not a terminal', async () => {
    const run = await runMacaron(['lint', 'broken.yaml'], { cwd: folder.path });
    expect(run.stdout).toContain('error');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('refuses to delete tables without --yes unless the endpoint is local', async () => {
    const run = await runMacaron(['tables', 'delete', 'profiles.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'macaron: tables delete removes the tables and all their data: pass --yes to confirm\n',
    );
  });
});
