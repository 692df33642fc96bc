// Writes the API report of every entry point of every public package (packages/<name>/etc/
// <name>[-<subpath>].api.md) with API Extractor, from the built declarations. With --check it
// writes nothing and fails if a report differs from the API: a change to the public API then
// shows up in review as a change to a report (`pnpm api:update` rewrites them). Either way it
// fails when a type used by the public API is not exported by name (ae-forgotten-export): users
// could not name it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const check = process.argv.includes('--check');
const root = new URL('..', import.meta.url).pathname;

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((folder) => existsSync(join(folder, 'package.json')))
  .map((folder) => ({
    folder,
    manifest: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);

const temp = 'node_modules/.cache/api-report'; // where --check writes the API as it is
let failed = 0;
for (const { folder, manifest } of packages) {
  const unscoped = manifest.name.replace(/^@[^/]+\//, '');
  const entries = Object.entries(manifest.exports).filter(([, target]) => target?.types);
  const reportNames = entries.map(([subpath]) =>
    subpath === '.' ? unscoped : `${unscoped}-${subpath.slice(2)}`,
  );
  // A report whose entry point is gone.
  const etc = join(folder, 'etc');
  for (const file of existsSync(etc) ? readdirSync(etc) : []) {
    if (!file.endsWith('.api.md') || reportNames.includes(file.slice(0, -'.api.md'.length))) {
      continue;
    }
    if (check) {
      console.error(`${manifest.name}: etc/${file} reports no entry point (pnpm api:update)`);
      failed += 1;
    } else rmSync(join(etc, file));
  }
  for (const [index, [, target]] of entries.entries()) {
    const reportName = reportNames[index];
    if (!existsSync(join(folder, target.types))) {
      console.error(`${manifest.name}: ${target.types} is not built (pnpm build)`);
      failed += 1;
      continue;
    }
    if (!check) mkdirSync(etc, { recursive: true });
    const config = ExtractorConfig.prepare({
      configObjectFullPath: join(folder, 'api-extractor.json'), // only resolves paths: not read
      packageJsonFullPath: join(folder, 'package.json'),
      configObject: {
        projectFolder: folder,
        mainEntryPointFilePath: join(folder, target.types),
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              skipLibCheck: true, // the build checks the declarations; this is 10 times faster
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              types: ['node'],
              strict: true,
            },
            files: [join(folder, target.types)],
          },
        },
        newlineKind: 'lf',
        apiReport: {
          enabled: true,
          reportFileName: reportName,
          reportFolder: etc,
          // A type used by an export but not exported by name is reported too, so a change to
          // it shows up as a change to the API.
          includeForgottenExports: true,
          reportTempFolder: join(folder, temp),
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: 'error' } },
          // Findings (an exported type that is not exported by name, say) go into the report,
          // so they are reviewed with the API rather than failing the build.
          extractorMessageReporting: {
            default: { logLevel: 'warning', addToApiReportFile: true },
            // No release tags (@public, @beta) here: everything exported is public.
            'ae-missing-release-tag': { logLevel: 'none' },
            // A missing doc comment is not an API change.
            'ae-undocumented': { logLevel: 'none' },
            // A type the API uses must be exported by name, so that users can name it: an
            // error, listed below, not a note in the report.
            'ae-forgotten-export': { logLevel: 'error', addToApiReportFile: false },
          },
          // Doc comments follow TypeDoc's syntax, and `pnpm docs:api` checks them.
          tsdocMessageReporting: { default: { logLevel: 'none' } },
        },
      },
    });
    const forgotten = [];
    const result = Extractor.invoke(config, {
      localBuild: !check,
      messageCallback(message) {
        // Its notes (the TypeScript version) and its advice on a changed report are noise
        // here: the line printed below says what to do.
        if (message.logLevel === 'info' || message.messageId === 'console-api-report-not-copied') {
          message.handled = true;
        }
        if (message.messageId === 'ae-forgotten-export') {
          forgotten.push(message.formatMessageWithLocation(folder));
          message.handled = true;
        }
      },
    });
    const report = `packages/${folder.split('/').pop()}/etc/${reportName}.api.md`;
    const now = join(folder, temp, `${reportName}.api.md`);
    const entryPoint = `${manifest.name}${entries[index][0].slice(1)}`;
    for (const text of forgotten) console.error(`${entryPoint}: ${text}`);
    if (forgotten.length > 0) {
      console.error(
        `${entryPoint}: ${forgotten.length} type${forgotten.length > 1 ? 's' : ''} used by the public API but not exported (ae-forgotten-export): export ${forgotten.length > 1 ? 'them' : 'it'} from this entry point`,
      );
      failed += 1;
    }
    if (check && result.apiReportChanged && !sameButLineNumbers(join(root, report), now)) {
      spawnSync('diff', ['-u', join(root, report), now], { stdio: 'inherit' });
      console.error(`${report}: out of date, the public API changed (pnpm api:update)`);
      failed += 1;
    } else if (result.errorCount > forgotten.length) {
      console.error(
        `${report}: API Extractor failed (${result.errorCount - forgotten.length} errors)`,
      );
      failed += 1;
    } else {
      console.log(`${report}: ${result.apiReportChanged && !check ? 'updated' : 'up to date'}`);
    }
  }
}
process.exit(failed > 0 ? 1 : 0);

// The warnings at the end of a report give source positions (`// src/x.ts:36:31 - ...`): an
// edit above one moves it without changing the API.
function sameButLineNumbers(reported, current) {
  const strip = (file) =>
    existsSync(file)
      ? readFileSync(file, 'utf8').replace(/^(\/\/ \S+?):\d+:\d+ - /gm, '$1 - ')
      : '';
  return strip(reported) === strip(current);
}
