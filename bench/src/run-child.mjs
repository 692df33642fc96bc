// Runs one bench script in a fresh Node process and returns the object on its RESULT line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Spawns `node script argument`, fails on a non-zero exit or a missing RESULT line. */
export function runChild(script, argument, { timeoutMs = 300_000, nodeOptions = [] } = {}) {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--no-warnings', ...nodeOptions, path, ...(argument === undefined ? [] : [argument])],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let resultAt;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (resultAt === undefined && stdout.includes('RESULT ')) resultAt = performance.now();
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
      if (code !== 0 || !line) {
        reject(
          new Error(
            `${script} ${argument ?? ''} ended with ${signal ?? code}\n${stderr.slice(-4000)}`,
          ),
        );
        return;
      }
      resolve({
        ...JSON.parse(line.slice('RESULT '.length)),
        wallMs: { toResult: resultAt - started, toExit: performance.now() - started },
      });
    });
  });
}
