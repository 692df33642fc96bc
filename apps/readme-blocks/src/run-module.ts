import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { BlockFailure } from './block-failure.js';
import { localDynamoDbEnvironment } from './local-dynamodb.js';
import type { TypeScriptModule } from './typescript-modules.js';

const runner = new URL('./run-block.mjs', import.meta.url).pathname;
const timeoutMs = 100_000;

/**
 * The environment a reader's shell would give the blocks: the secrets and token settings the
 * examples read (placeholder values, of the documented lengths), and the AWS SDK's
 * Node.js-version notice turned off as the SDK documents, since it is noise and not the
 * block's output.
 */
export const blockEnvironment: NodeJS.ProcessEnv = {
  ...process.env,
  JWT_SECRET: 'readme-block-placeholder-jwt-secret-of-32-bytes',
  JWT_ISSUER: 'readme-block-issuer',
  JWT_AUDIENCE: 'readme-block-audience',
  CURSOR_KEY: 'readme-block-placeholder-cursor-key-of-32-chars',
  MACARON_CURSOR_KEY: 'readme-block-placeholder-cursor-key-of-32-chars',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Compiles the scratch project's TypeScript (the module and what it imports, such as a
 * generated api.generated.ts) to JavaScript with source maps, runs the module with Node.js in
 * the scratch project, and fails with the README line of the error's stack frame.
 */
export async function runModule(project: string, module: TypeScriptModule): Promise<void> {
  const sources = join(project, 'src');
  for (const file of readdirSync(sources).filter((name) => name.endsWith('.ts'))) {
    const output = ts.transpileModule(readFileSync(join(sources, file), 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        inlineSourceMap: true,
        inlineSources: true,
      },
    });
    writeFileSync(join(sources, file.replace(/\.ts$/, '.js')), output.outputText);
  }
  const script = join(sources, module.fileName.replace(/\.ts$/, '.js'));
  // A block that creates its own DynamoDB client reaches the harness's local engine.
  const usesDynamoDb = /@aws-sdk\/client-dynamodb|@macaron\/backend-dynamodb'/.test(module.source);
  const environment = usesDynamoDb
    ? { ...blockEnvironment, ...(await localDynamoDbEnvironment()) }
    : blockEnvironment;
  const { code, output } = await run(project, script, environment);
  if (code === 0) return;
  const frame = new RegExp(`${module.fileName.replace('.', '\\.')}:(\\d+)`).exec(output);
  const line = frame ? module.readmeLines[Number(frame[1]) - 1] : undefined;
  throw new BlockFailure(module.blocks[0]!, `fails when run:\n${output.trim()}`, line);
}

function run(
  cwd: string,
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', runner, script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n(killed: still running after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
