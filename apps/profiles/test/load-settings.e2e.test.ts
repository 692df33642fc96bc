import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../load/run-load.mjs', import.meta.url));

/** Runs the load script with `environment` added: its exit code and what it printed. */
function load(environment: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [script],
      { env: { ...process.env, ...environment }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number | null) : 0, output: stdout + stderr }),
    );
  });
}

describe('the load script refuses settings that would send no request', () => {
  for (const [name, value] of [
    ['LOAD_SECONDS', 'abc'],
    ['LOAD_SECONDS', '-5'],
    ['LOAD_CONNECTIONS', '0'],
    ['LOAD_PROFILES', '1.5'],
  ] as const) {
    it(`${name}=${value}: one line naming it, exit 1, no PASS`, async () => {
      const { code, output } = await load({ [name]: value });
      expect(code).toBe(1);
      expect(output.trim()).toBe(
        `load: ${name} must be a whole number above 0, not ${JSON.stringify(value)}`,
      );
    });
  }
});
