import { keepClassNames } from './class-names.js';
import { MacaronError } from './macaron-error.js';

/**
 * An optional peer dependency is needed for what was asked and is not installed
 * (`@redocly/openapi-core` to load a spec that is not compiled, `dynamodb-toolbox` for
 * derived entities). The message names the package and the command that installs it.
 */
export class MissingDependencyError extends MacaronError {
  static override code = 'DEPENDENCY_MISSING';
  static override status = 500;
}

/**
 * Imports an optional peer, turning "module not found" into a MissingDependencyError
 * that says what needs it. Any other failure of the import is rethrown as is.
 */
export async function importOptionalPeer<T>(
  packageName: string,
  neededFor: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    return peerMissing(packageName, neededFor)(error);
  }
}

/**
 * The `.catch()` of an optional peer's `import()`:
 * `await import('pg').catch(peerMissing('pg', 'connectionString'))`. Written this way, the
 * import is one a bundler (esbuild) leaves unresolved when the peer is not installed, rather
 * than failing the application's build; at run time, "module not found" for that package is
 * a MissingDependencyError saying what needs it, and any other failure is rethrown as is.
 */
export function peerMissing(packageName: string, neededFor: string): (error: unknown) => never {
  return (error) => {
    if (!isModuleNotFound(error, packageName)) throw error;
    throw new MissingDependencyError(
      `${neededFor} needs ${packageName}, which is not installed: npm install ${packageName}`,
      { cause: error },
    );
  };
}

// Node (and Bun, in the same words) says which module it did not find first: `Cannot find
// module 'x'` (require, with the require stack after it) or `Cannot find package 'x' imported
// from …` (import); Deno, with the same code, `Could not find package 'x' from referrer …`.
// Only the package itself (or a path in it) is missing it: a module the package needs is not,
// though the package's name is in the stack (or in Deno's referrer).
const moduleNotFound = /^(?:Cannot find (?:module|package)|Could not find package) '([^']+)'/;

function isModuleNotFound(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const missing = moduleNotFound.exec(error.message)?.[1];
  return missing === packageName || missing?.startsWith(`${packageName}/`) === true;
}

// Names that no minifier changes (see `keepClassNames`).
keepClassNames({ MissingDependencyError });
