/**
 * Gives each class, as its own `name`, the key it is listed under: `{ ItemNotFoundError }`.
 * An application bundle minified without keepNames (esbuild's `--minify`, AWS CDK's
 * `minify: true`) renames classes, and an error's name (`new.target.name`: its log line, its
 * stack's first line) would read `Kt`; minifiers keep property keys. keepNames would keep the
 * names too, at the cost of a call for every function made at run time.
 */
export function keepClassNames(
  classes: Readonly<Record<string, abstract new (...args: never[]) => unknown>>,
): void {
  for (const [name, type] of Object.entries(classes)) {
    Object.defineProperty(type, 'name', { value: name, configurable: true });
  }
}
