import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './repository.js';

interface Manifest {
  name: string;
  private?: boolean;
  packageManager?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function manifests(): Manifest[] {
  const found: Manifest[] = [readManifest(join(repositoryRoot, 'package.json'))];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(repositoryRoot, group))) {
      const path = join(repositoryRoot, group, name, 'package.json');
      if (existsSync(path)) found.push(readManifest(path));
    }
  }
  return found;
}

function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The packages a README may tell users to install: the published ones, and their deps. */
export function installablePackages(): Set<string> {
  const names = new Set<string>();
  for (const manifest of manifests()) {
    if (!manifest.private) names.add(manifest.name);
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies'] as const) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        if (!name.startsWith('@macaron/')) names.add(name);
      }
    }
  }
  return names;
}

/** The pnpm version of the root package.json's packageManager field. */
export function pinnedPnpmVersion(): string {
  const packageManager = readManifest(join(repositoryRoot, 'package.json')).packageManager ?? '';
  return packageManager.replace(/^pnpm@/, '');
}
