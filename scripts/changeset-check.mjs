// Fails when a published package changed since a base commit and no changeset added since then
// names it (`changeset status` alone only fails when there is no changeset at all).
//
// The base: the argument, when CI knows the target of a pull request (origin/main, say: its
// merge base with HEAD is used, so only the branch's own changes and changesets count). Else
// the last release tag (`changeset publish` tags `@macaron/<name>@<version>`): on main, every
// change since the last release must wait in a changeset for the next one. With no release yet,
// the first commit: everything is unreleased, so every package needs a changeset.
// A changeset made with `pnpm changeset --empty` says that the changes need no release.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const git = (...args) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim()
    .split('\n')[0];
function tryGit(...args) {
  try {
    return git(...args);
  } catch {
    return '';
  }
}

const base =
  process.argv[2] ||
  tryGit('describe', '--tags', '--abbrev=0', '--match', '@macaron/*@*') ||
  git('rev-list', '--max-parents=0', 'HEAD');
const since = git('merge-base', base, 'HEAD');
console.log(`changes since ${base} (${since.slice(0, 12)})`);

// changeset's own check, and the changesets added since the base with what they release.
const plan = join(root, 'node_modules/.cache/changeset-plan.json');
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
try {
  execFileSync(
    join(root, 'node_modules/.bin/changeset'),
    ['status', `--since=${since}`, `--output=${plan}`],
    { cwd: root, stdio: 'inherit' },
  );
} catch {
  process.exit(1); // it said why
}
const { changesets, releases } = JSON.parse(readFileSync(plan, 'utf8'));

// No package may be released at a higher bump than its changesets ask: changesets raises the
// dependents of a bumped peer dependency to a major when the new version leaves their peer
// range (`^0.1.0` does not take 0.2.0), which in 0.x would release them as 1.0.0.
const order = ['none', 'patch', 'minor', 'major'];
const asked = new Map();
for (const { releases: named } of changesets)
  for (const { name, type } of named)
    if (order.indexOf(type) > order.indexOf(asked.get(name) ?? 'none')) asked.set(name, type);
const raised = releases.filter(
  ({ name, type }) => order.indexOf(type) > order.indexOf(asked.get(name) ?? 'patch'),
);
if (raised.length > 0) {
  console.error(
    `released above what their changesets ask: ${raised
      .map(({ name, type, newVersion }) => `${name} (${type}, ${newVersion})`)
      .join(
        ', ',
      )}\nWiden the peer range on the bumped package, or add a changeset that asks for it.`,
  );
  process.exit(1);
}
const named = new Set(changesets.flatMap(({ releases }) => releases.map(({ name }) => name)));
const noRelease = changesets.some(({ releases }) => releases.length === 0);

// Tracked files that differ from the base, working tree included, as changeset sees them.
const changed = execFileSync('git', ['diff', '--name-only', '--no-relative', since], {
  cwd: root,
  encoding: 'utf8',
}).split('\n');
const missing = [];
for (const folder of readdirSync(join(root, 'packages'))) {
  const manifestFile = join(root, 'packages', folder, 'package.json');
  if (!existsSync(manifestFile)) continue;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (manifest.private || !changed.some((file) => file.startsWith(`packages/${folder}/`))) continue;
  if (!named.has(manifest.name)) missing.push(manifest.name);
}
if (missing.length > 0 && !noRelease) {
  console.error(
    `changed since ${base} with no changeset: ${missing.join(', ')}\n` +
      'Run `pnpm changeset` and describe the change for users (`--empty` if it needs no release).',
  );
  process.exit(1);
}
console.log(`changesets: ${changesets.length} since ${base}, naming every changed package`);
