import { refFilePath } from '@macaron/core';
import { BaseResolver, type Config } from '@redocly/openapi-core';

// What redocly reads as a URL rather than a file path.
const url = /^(https?:\/\/|file:\/\/|data:)/;

/**
 * redocly's resolver, reading the relative path of a `$ref` as the URI reference it is, as
 * `loadApi` does (see `refFilePath`): `my%20models/user.yaml` is the file `my models/user.yaml`.
 */
export class SpecRefResolver extends BaseResolver {
  constructor(config: Config) {
    super(config.resolve);
  }

  override resolveExternalRef(base: string | null, ref: string): string {
    // The root file (no base) is a path the user typed, not a reference: read as given.
    if (base === null || url.test(ref) || url.test(base))
      return super.resolveExternalRef(base, ref);
    return refFilePath(base, ref);
  }
}
