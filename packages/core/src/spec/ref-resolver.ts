import type { BaseResolver, Config } from '@redocly/openapi-core';
import { refFilePath } from './ref-file-path.js';

/**
 * redocly's resolver, reading the relative path of a `$ref` as the URI reference it is (see
 * `refFilePath`): redocly joins it to the file's folder as written, and a percent-encoded
 * name (`my%20models/user.yaml`) named no file.
 */
export function createRefResolver(
  redocly: { BaseResolver: typeof BaseResolver },
  config: Config,
): BaseResolver {
  class PercentDecodingResolver extends redocly.BaseResolver {
    override resolveExternalRef(base: string | null, ref: string): string {
      // The root file (no base) is a path the user typed, not a reference: read as given.
      if (base === null || isUrl(ref) || isUrl(base)) return super.resolveExternalRef(base, ref);
      return refFilePath(base, ref);
    }
  }
  return new PercentDecodingResolver(config.resolve);
}

// What redocly reads as a URL rather than a file path.
function isUrl(ref: string): boolean {
  return /^(https?:\/\/|file:\/\/|data:)/.test(ref);
}
