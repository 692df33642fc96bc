/** A name as one token of a JSON pointer (RFC 6901): `~` as `~0`, `/` as `~1`. */
export function pointerToken(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}
