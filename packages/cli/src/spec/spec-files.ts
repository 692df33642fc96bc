import { readSpecFileSync, refFilePath } from '@macaron/core';
import { parseYaml } from '@redocly/openapi-core';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

// The file part of each `$ref` in a parsed file that names another file (not a URL).
function referencedPaths(content: unknown): string[] {
  const paths: string[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown) => {
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    if (typeof node.$ref === 'string') {
      const path = node.$ref.split('#')[0]!;
      if (path !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(path)) paths.push(path);
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(content);
  return paths;
}

/**
 * The files a spec reads: the spec (an absolute path) and every file its `$ref`s name, at any
 * depth, as core finds them. A file that cannot be read or parsed is listed, not followed:
 * loading the spec says what is wrong with it.
 */
export function specFiles(specPath: string): string[] {
  const files = new Set<string>([specPath]);
  for (const file of files) {
    let content: unknown;
    try {
      content = parseYaml(readSpecFileSync(file));
    } catch {
      continue;
    }
    for (const path of referencedPaths(content)) files.add(refFilePath(file, path));
  }
  return [...files];
}
