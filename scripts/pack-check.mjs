// Packs every public package, checks each tarball with publint and arethetypeswrong, then
// installs all tarballs into a scratch project and imports every entry point, so a missing
// file or export fails here rather than for a user.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const work = join(root, '.pack-check');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'tarballs'), { recursive: true });

function run(command, args, cwd) {
  try {
    return execFileSync(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
  } catch (error) {
    console.error(`pack check failed: ${command} ${args.join(' ')}\n${error.stdout ?? ''}`);
    process.exit(1);
  }
}
const bin = (name) => join(root, 'node_modules', '.bin', name);

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((folder) => existsSync(join(folder, 'package.json')))
  .map((folder) => ({
    folder,
    manifest: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);

const tarballs = [];
for (const { folder, manifest } of packages) {
  const output = run(
    'pnpm',
    ['pack', '--pack-destination', join(work, 'tarballs'), '--json'],
    folder,
  );
  const tarball = JSON.parse(output).filename;
  tarballs.push({ manifest, tarball });
  console.log(`packed ${manifest.name} -> ${tarball}`);
  run(bin('publint'), ['run', tarball, '--strict'], root);
  console.log(`  publint: clean`);
  run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], root);
  console.log(`  arethetypeswrong: clean`);
}

// A scratch project that installs only the tarballs, as a user would.
const scratch = join(work, 'scratch');
mkdirSync(scratch, { recursive: true });
writeFileSync(
  join(scratch, 'package.json'),
  JSON.stringify(
    {
      name: 'macaron-pack-check',
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(
        tarballs.map(({ manifest, tarball }) => [manifest.name, `file:${tarball}`]),
      ),
    },
    null,
    2,
  ),
);
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], scratch);
const imports = [];
for (const { manifest } of tarballs) {
  for (const entry of Object.keys(manifest.exports ?? { '.': null })) {
    if (entry === './package.json') continue;
    imports.push(entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`);
  }
}
writeFileSync(
  join(scratch, 'check.mjs'),
  `${imports.map((specifier, index) => `import * as entry${index} from '${specifier}';`).join('\n')}
const entries = { ${imports.map((specifier, index) => `'${specifier}': entry${index}`).join(', ')} };
for (const [specifier, entry] of Object.entries(entries)) {
  if (Object.keys(entry).length === 0) throw new Error(specifier + ' exports nothing');
  console.log('  imported ' + specifier + ': ' + Object.keys(entry).length + ' exports');
}
`,
);
process.stdout.write(run('node', ['check.mjs'], scratch));
console.log(`pack check: ${tarballs.length} packages packed, checked and imported`);
