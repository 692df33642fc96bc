import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { binPath, runMacaron, temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

const folder = temporaryFolder({ 'profiles.yaml': profilesSpec });
afterAll(() => folder.remove());

/** Starts `macaron dynamodb-local …args`; resolves with its first line (the endpoint). */
function startEngine(args: string[]) {
  const child = spawn(process.execPath, [binPath, 'dynamodb-local', ...args], {
    cwd: folder.path,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors += chunk;
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('\n')) resolve(output.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${errors}`)));
  });
  firstLine.catch(() => undefined); // awaited by the tests that expect a start
  return { child, firstLine, exited, stderr: () => errors };
}

describe('macaron dynamodb-local', () => {
  it('prints the endpoint that tables create takes, and stops on SIGTERM with exit 0', async () => {
    const engine = startEngine(['--port', '0']);
    const endpoint = await engine.firstLine;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const created = await runMacaron(
      ['tables', 'create', 'profiles.yaml', '--endpoint', endpoint],
      {
        cwd: folder.path,
      },
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created');
    engine.child.kill('SIGTERM');
    expect(await engine.exited).toBe(0);
  });

  it('listens on the port it is given, and names a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      blocker.close();
    });
    const taken = (blocker.address() as { port: number }).port;
    const refused = startEngine(['--port', String(taken)]);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toContain(`port ${taken} is in use`);
    blocker.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const engine = startEngine(['--port', String(taken)]);
    expect(await engine.firstLine).toBe(`http://127.0.0.1:${taken}`);
    engine.child.kill('SIGINT');
    expect(await engine.exited).toBe(0);
  });

  it('refuses a port that is not a number (usage, exit 2)', async () => {
    const run = await runMacaron(['dynamodb-local', '--port', 'http'], { cwd: folder.path });
    expect(run.code).toBe(2);
  });
});
