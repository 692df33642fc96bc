/** One step of a JSON pointer (RFC 6901): `~` as `~0`, `/` as `~1`. */
export function pointerStep(name: string | number): string {
  const text = String(name);
  return text.includes('~') || text.includes('/')
    ? text.replaceAll('~', '~0').replaceAll('/', '~1')
    : text;
}

/** The steps of a JSON pointer, unescaped; `''` is the whole document. */
export function pointerSteps(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((step) => step.replaceAll('~1', '/').replaceAll('~0', '~'));
}
