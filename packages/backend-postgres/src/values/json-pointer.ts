/** One step of a JSON pointer (RFC 6901): `~` as `~0`, `/` as `~1`. */
export function pointerStep(name: string | number): string {
  const text = String(name);
  return text.includes('~') || text.includes('/')
    ? text.replaceAll('~', '~0').replaceAll('/', '~1')
    : text;
}

/**
 * The steps of a JSON pointer to a value inside an item (RFC 6901), unescaped; undefined for
 * text that is not one: empty (the item itself), not starting with `/`, or with a `~` not
 * followed by `0` or `1`. Read leniently, another client's wrong pointer would name some other
 * value, and be written back as that value's pointer.
 */
export function pointerSteps(pointer: string): string[] | undefined {
  if (!pointer.startsWith('/')) return undefined;
  const steps = pointer.slice(1).split('/');
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (!step.includes('~')) continue;
    if (/~(?![01])/.test(step)) return undefined;
    steps[index] = step.replaceAll('~1', '/').replaceAll('~0', '~');
  }
  return steps;
}
