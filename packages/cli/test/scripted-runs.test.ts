import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, type MacaronRun, runMacaron, temporaryFolder } from './macaron-process.js';
import { brokenPersistSpec, profilesSpec } from './sample-specs.js';

// The CLI as npm scripts, Makefiles and CI jobs run it: from a shell, output redirected, its
// options from variables that may be unset.
const folder = temporaryFolder({
  'profiles.yaml': profilesSpec,
  'broken.yaml': brokenPersistSpec,
  'sub/.keep': '',
});
afterAll(() => folder.remove());

/** One line on stderr and nothing that looks like a stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

/** Runs `script` in `sh -c`, where "$@" is the binary with `args` (after a `ulimit`, in a pipe). */
function runInShell(script: string, args: readonly string[]): Promise<MacaronRun> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', script, 'sh', process.execPath, binPath, ...args],
      { cwd: folder.path, timeout: 50_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the binary with its stdout on the file `path` (a device such as /dev/full). */
function runWithStdout(path: string, args: readonly string[]): Promise<MacaronRun> {
  const stdout = openSync(path, 'w');
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: folder.path,
    stdio: ['ignore', stdout, 'pipe'],
  });
  closeSync(stdout);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: '', stderr })),
  );
}

/** Runs the binary in the test folder as `user` (a uid and gid), or as this user when none is given. */
function runAs(user: { uid?: number; gid?: number }, args: readonly string[]): Promise<MacaronRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binPath, ...args],
      // NODE_V8_COVERAGE empty (Node gives a child the parent's when its env has none): the
      // coverage run's folder is root's, and another user's process would say on stderr that
      // it cannot write its coverage there.
      { cwd: folder.path, timeout: 50_000, env: { ...process.env, NODE_V8_COVERAGE: '' }, ...user },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const writers = [
  ['generate', 'api.generated.ts'],
  ['compile', 'api.json'],
  ['tables export', 'tables.json'],
] as const;

describe('macaron output files', () => {
  it.each(writers)(
    '%s leaves the previous %s whole when the new one cannot be written to the end',
    async (command, output) => {
      const previous = folder.write(`limited-${output}/${output}`, '// the previous output\n');
      // A file size limit of a kilobyte (or half): each output is longer, so its writing fails midway.
      const run = await runInShell('ulimit -f 1 && exec "$@"', [
        ...command.split(' '),
        'profiles.yaml',
        '-o',
        `limited-${output}/${output}`,
      ]);
      expect(run.code).toBe(1);
      expectOneLine(run.stderr);
      expect(run.stderr).toMatch(
        new RegExp(`^macaron: cannot write limited-${output}/${output}: EFBIG`),
      );
      expect(readFileSync(previous, 'utf8')).toBe('// the previous output\n');
      // Nothing of the failed run is left beside it.
      expect(readdirSync(folder.file(`limited-${output}`))).toEqual([output]);
    },
  );

  it('writes through a symlink to the file it names, keeping the link and the mode', async () => {
    const target = folder.write('real/api.generated.ts', 'old\n');
    chmodSync(target, 0o640);
    symlinkSync('../real/api.generated.ts', folder.file('sub/link.ts'));
    const run = await runMacaron(['generate', 'profiles.yaml', '-o', 'sub/link.ts'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    expect(lstatSync(folder.file('sub/link.ts')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(folder.file('sub/link.ts'))).toBe('../real/api.generated.ts');
    expect(readFileSync(target, 'utf8')).toContain('export function typed(');
    expect(statSync(target).mode & 0o777).toBe(0o640);
  });

  it('writes a file of two names (a hard link) in place: both hold the new text', async () => {
    const output = folder.write('linked/api.generated.ts', 'old\n');
    linkSync(output, folder.file('linked/copy.ts'));
    const run = await runMacaron(['generate', 'profiles.yaml', '-o', 'linked/api.generated.ts'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    expect(statSync(output).nlink).toBe(2);
    expect(readFileSync(folder.file('linked/copy.ts'), 'utf8')).toBe(readFileSync(output, 'utf8'));
    expect(readFileSync(output, 'utf8')).toContain('export function typed(');
  });

  // Root may give a file to another user: as `sudo macaron` or a CI container run as root
  // in a checkout of the user's.
  it.runIf(process.getuid?.() === 0)(
    'keeps the owner and group of a file of another user it replaces',
    async () => {
      const output = folder.write('owned/api.generated.ts', 'old\n');
      chownSync(output, 65_534, 65_534);
      chmodSync(output, 0o664);
      const run = await runMacaron(['generate', 'profiles.yaml', '-o', 'owned/api.generated.ts'], {
        cwd: folder.path,
      });
      expect(run.code).toBe(0);
      const written = statSync(output);
      expect([written.uid, written.gid, written.mode & 0o777]).toEqual([65_534, 65_534, 0o664]);
      expect(readFileSync(output, 'utf8')).toContain('export function typed(');
      expect(readdirSync(folder.file('owned'))).toEqual(['api.generated.ts']);
    },
  );

  it.runIf(process.platform !== 'win32')(
    'writes a file it may write in a folder it may not add to in place, and names the file when it cannot',
    async () => {
      // Run as another user when this one is root, whom no mode stops.
      const user = process.getuid?.() === 0 ? { uid: 65_534, gid: 65_534 } : {};
      const readOnly = folder.file('read-only');
      const output = folder.write('read-only/api.generated.ts', 'old\n');
      if (user.uid !== undefined) chownSync(output, user.uid, user.gid);
      chmodSync(folder.path, 0o755);
      chmodSync(readOnly, 0o555);
      try {
        const run = await runAs(user, [
          'generate',
          'profiles.yaml',
          '-o',
          'read-only/api.generated.ts',
        ]);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(readFileSync(output, 'utf8')).toContain('export function typed(');
        const refused = await runAs(user, ['generate', 'profiles.yaml', '-o', 'read-only/new.ts']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toBe(
          `macaron: cannot write read-only/new.ts: EACCES: permission denied, open '${folder.file('read-only/new.ts')}'\n`,
        );
        expect(readdirSync(readOnly)).toEqual(['api.generated.ts']);
      } finally {
        chmodSync(readOnly, 0o755);
        chmodSync(folder.path, 0o700);
      }
    },
  );

  it('writes an output whose name is as long as a name may be, new or replaced', async () => {
    const name = `${'n'.repeat(250)}.ts`;
    for (const round of ['new', 'replaced']) {
      const run = await runMacaron(['generate', 'profiles.yaml', '-o', `long/${name}`], {
        cwd: folder.path,
      });
      expect(run, round).toMatchObject({ code: 0, stderr: '' });
      expect(readdirSync(folder.file('long'))).toEqual([name]);
    }
  });

  it.runIf(process.platform !== 'win32')(
    'writes -o /dev/stdout on a file where the shell writes, between what comes before and after',
    async () => {
      const run = await runInShell(
        '{ echo before; "$@"; echo after; } > stdout.json && cat stdout.json',
        ['tables', 'export', 'profiles.yaml', '--format', 'json', '-o', '/dev/stdout'],
      );
      expect(run.code).toBe(0);
      const [first, ...rest] = run.stdout.split('\n');
      expect(first).toBe('before');
      expect(rest.at(-1)).toBe('');
      expect(rest.at(-2)).toBe('after');
      expect(JSON.parse(rest.slice(0, -2).join('\n')).tables.length).toBeGreaterThan(0);
    },
  );

  it('writes -o /dev/stdout into the pipe it is, a file it does not replace', async () => {
    const before = lstatSync('/dev/stdout');
    const run = await runInShell('"$@" | cat', [
      'tables',
      'export',
      'profiles.yaml',
      '--format',
      'json',
      '-o',
      '/dev/stdout',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).tables.length).toBeGreaterThan(0);
    expect(lstatSync('/dev/stdout').ino).toBe(before.ino);
  });

  it.runIf(process.platform === 'linux')(
    'writes -o /dev/stdout into the socket it is, as a Node.js parent gives it (no path opens one)',
    async () => {
      // execFile's stdout is a socket pair: opening /dev/stdout by its path fails with ENXIO.
      const run = await runMacaron(
        ['tables', 'export', 'profiles.yaml', '--format', 'json', '-o', '/dev/stdout'],
        { cwd: folder.path },
      );
      expect(run).toMatchObject({ code: 0, stderr: 'wrote /dev/stdout\n' });
      expect(JSON.parse(run.stdout).tables.length).toBeGreaterThan(0);
    },
  );

  it.runIf(process.platform === 'linux')(
    'writes a long -o /dev/stdout whole into a socket its reader empties slowly',
    async () => {
      // More than a socket's buffer holds, while the reader waits: the write waits, whole.
      const description = 'x'.repeat(3_000_000);
      folder.write(
        'long.yaml',
        profilesSpec.replace(/^info:\n/m, `info:\n  x-padding: ${description}\n`),
      );
      const child = spawn(
        process.execPath,
        [binPath, 'compile', 'long.yaml', '-o', '/dev/stdout'],
        { cwd: folder.path, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const closed = new Promise((resolve) => child.on('close', resolve));
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      // Nothing read from stdout for a while: its socket fills, and the writer must wait.
      child.stdout!.pause();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      let stdout = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stdout!.resume();
      const code = await closed;
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain(description);
    },
  );
});

describe('macaron options given an empty value (an unset variable in a script)', () => {
  it.each([
    [['generate', 'profiles.yaml', '-o', ''], '--output needs FILE'],
    [['compile', 'profiles.yaml', '--output='], '--output needs FILE'],
    [['tables', 'export', 'profiles.yaml', '-o', ''], '--output needs FILE'],
    [['lint', 'profiles.yaml', '--config', ''], '--config needs FILE'],
    [['lint', 'profiles.yaml', '--macaron-config', ''], '--macaron-config needs FILE'],
    [['lint', 'profiles.yaml', '--preset', ''], '--preset needs macaron|recommended'],
    [['tables', 'plan', 'profiles.yaml', '--region', ''], '--region needs REGION'],
    [['tables', 'plan', 'profiles.yaml', '--endpoint', ''], '--endpoint needs URL'],
    [['dynamodb-local', '--port', ''], '--port needs PORT'],
  ])('%j is wrong usage, exit 2, that writes nothing and starts nothing', async (args, message) => {
    const run = await runMacaron(args, { cwd: folder.path });
    expect(run.code).toBe(2);
    expectOneLine(run.stderr);
    expect(run.stderr).toMatch(new RegExp(`^macaron: ${message}, not an empty argument`));
    expect(run.stdout).toBe('');
  });

  it.each([
    [
      ['tables', 'export', 'profiles.yaml', '--prefix', '-dev'],
      '--prefix -dev: a value starting with - is given as --prefix=-dev; else --prefix is missing its value (see macaron tables export --help)',
    ],
    [
      ['generate', 'profiles.yaml', '-o', '-api.ts'],
      '-o -api.ts: a value starting with - is given as --output=-api.ts; else -o is missing its value (see macaron generate --help)',
    ],
  ])('%j says how to give a value starting with - (exit 2)', async (args, message) => {
    const run = await runMacaron(args, { cwd: folder.path });
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: `macaron: ${message}\n` });
  });

  it('takes a value starting with - given as --prefix=-dev', async () => {
    const run = await runMacaron(['tables', 'export', 'profiles.yaml', '--prefix=-dev'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"TableName": "-devprofiles"');
  });

  it('takes an empty --prefix, which means no prefix', async () => {
    const run = await runMacaron(['tables', 'export', 'profiles.yaml', '--prefix', ''], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"TableName": "profiles"');
  });

  it.each([' 8000', '0x1F40', '8e3', '8000.0'])(
    'dynamodb-local refuses --port %j, which is no decimal port number (exit 2)',
    async (port) => {
      const run = await runMacaron(['dynamodb-local', '--port', port], { cwd: folder.path });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `macaron: --port must be a port number (0 to 65535), not ${JSON.stringify(port)}\n`,
      );
    },
  );
});

describe('macaron output to stdout', () => {
  it.each([
    [['tables', 'export', 'profiles.yaml']],
    [['lint', 'profiles.yaml', '--format', 'json']],
  ])('%j on a full disk: one line and exit 1, never 0', async (args) => {
    const run = await runWithStdout('/dev/full', args);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'macaron: cannot write the output: ENOSPC: no space left on device, write\n',
    );
  });

  it('tables export gives the same bytes whatever the working directory and the spelling of the path', async () => {
    const runs = await Promise.all([
      runMacaron(['tables', 'export', 'profiles.yaml'], { cwd: folder.path }),
      runMacaron(['tables', 'export', './profiles.yaml'], { cwd: folder.path }),
      runMacaron(['tables', 'export', folder.file('profiles.yaml')], { cwd: folder.path }),
      runMacaron(['tables', 'export', '../profiles.yaml'], { cwd: folder.file('sub') }),
    ]);
    for (const run of runs) expect(run.code).toBe(0);
    expect(new Set(runs.map((run) => run.stdout)).size).toBe(1);
    expect(runs[0]!.stdout).toContain('"Description": "DynamoDB tables of profiles.yaml,');
  });

  it('colours as FORCE_COLOR asks off a terminal, and never with NO_COLOR', async () => {
    const forced = await runMacaron(['lint', 'broken.yaml'], {
      cwd: folder.path,
      env: { FORCE_COLOR: '1' },
    });
    expect(forced.stdout).toContain('\u001b[31merror\u001b[39m');
    for (const env of [{ FORCE_COLOR: '0' }, { FORCE_COLOR: '1', NO_COLOR: '1' }] as Record<
      string,
      string
    >[]) {
      const plain = await runMacaron(['lint', 'broken.yaml'], { cwd: folder.path, env });
      expect(plain.stdout, JSON.stringify(env)).toContain('error');
      expect(plain.stdout, JSON.stringify(env)).not.toContain('\u001b[');
    }
  });
});

describe('macaron and - (stdin, stdout)', () => {
  it.each([
    [['lint', '-'], 'macaron lint reads <spec...> from files, not - (stdin)'],
    [['lint', 'profiles.yaml', '-'], 'macaron lint reads <spec...> from files, not - (stdin)'],
    [['generate', '-', '-o', 'api.ts'], 'macaron generate reads <spec> from files, not - (stdin)'],
    [['generate', 'profiles.yaml', '-o', '-'], '--output takes a file, not - (stdin or stdout)'],
    [['compile', 'profiles.yaml', '-o', '-'], '--output takes a file, not - (stdin or stdout)'],
    [
      ['tables', 'export', 'profiles.yaml', '-o', '-'],
      '--output takes a file, not - (stdin or stdout)',
    ],
    [['lint', 'profiles.yaml', '--config', '-'], '--config takes a file, not - (stdin or stdout)'],
  ])('%j is wrong usage (exit 2), and writes no file named -', async (args, message) => {
    const run = await runMacaron(args, { cwd: folder.path });
    expect(run.code).toBe(2);
    expectOneLine(run.stderr);
    expect(run.stderr.startsWith(`macaron: ${message}: give a path (./- for a file named -)`)).toBe(
      true,
    );
    expect(existsSync(folder.file('-'))).toBe(false);
  });

  it.each([
    [['dynamodb-local', '-'], 'unexpected argument "-" (see macaron dynamodb-local --help)'],
    [
      ['generate', 'profiles.yaml', '-', '-o', 'api.ts'],
      'unexpected argument "-" (see macaron generate --help)',
    ],
  ])(
    '%j is an unexpected argument, as any word past those the command takes',
    async (args, message) => {
      const run = await runMacaron(args, { cwd: folder.path });
      expect(run).toMatchObject({ code: 2, stdout: '', stderr: `macaron: ${message}\n` });
    },
  );

  it('reads and writes a file named - given as ./-', async () => {
    folder.write('-', profilesSpec);
    const run = await runMacaron(['compile', './-', '-o', './-.json'], { cwd: folder.path });
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(folder.file('-.json'), 'utf8')).document.openapi).toBe('3.0.3');
    rmSync(folder.file('-'));
  });
});

describe('macaron tables in a CI job whose AWS variables are set but empty', () => {
  it('takes an empty AWS_REGION or AWS_ACCESS_KEY_ID as unset: a local endpoint gets its defaults', async () => {
    // Port 1 on this machine: refused at once, after the client was made and the request signed.
    const run = await runMacaron(
      ['tables', 'plan', 'profiles.yaml', '--endpoint', 'http://127.0.0.1:1'],
      { cwd: folder.path, env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_ACCESS_KEY_ID: '' } },
    );
    expect(run).toMatchObject({
      code: 1,
      stderr: 'macaron: cannot reach DynamoDB at http://127.0.0.1:1: connection refused\n',
    });
  });

  it('says AWS_REGION is empty when nothing else gives a region', async () => {
    const run = await runMacaron(['tables', 'plan', 'profiles.yaml'], {
      cwd: folder.path,
      env: {
        AWS_REGION: '',
        // No configuration file to find one in.
        AWS_CONFIG_FILE: folder.file('no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: folder.file('no-aws-credentials'),
      },
    });
    expect(run).toMatchObject({
      code: 1,
      stderr: 'macaron: no AWS region: AWS_REGION is set but empty: pass --region or set it\n',
    });
  });

  it('names the variable or option holding a region the SDK would refuse, before any request', async () => {
    for (const [argument, env, said] of [
      [[], { AWS_REGION: ' eu-west-1' }, 'AWS_REGION is " eu-west-1"'],
      [
        [],
        { AWS_REGION: '', AWS_DEFAULT_REGION: 'eu_west_1' },
        'AWS_DEFAULT_REGION is "eu_west_1"',
      ],
      [['--region', 'eu-west-1\n'], { AWS_REGION: 'eu-west-1' }, '--region is "eu-west-1\\n"'],
    ] as const) {
      const run = await runMacaron(
        ['tables', 'plan', 'profiles.yaml', '--endpoint', 'http://127.0.0.1:1', ...argument],
        { cwd: folder.path, env },
      );
      expect(run).toMatchObject({
        code: 1,
        stderr: `macaron: ${said}, not an AWS region (letters, digits and hyphens, as eu-west-1)\n`,
      });
    }
  });
});

describe('macaron dynamodb-local in a script', () => {
  it('prints the endpoint alone on stdout (its note on stderr), and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, [binPath, 'dynamodb-local', '--port', '0'], {
      cwd: folder.path,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Stopped once its first line is out: everything it prints at start is written by then
    // (before it turns to a signal), and read before 'close'.
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(stderr).toContain(`use --endpoint ${stdout.trim()}; Ctrl-C stops it`);
  });
});
