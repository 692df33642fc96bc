import { fileUrlPath, refFilePath, specFileBody } from '@macaron/core';
import { BaseResolver, type Config, Source } from '@redocly/openapi-core';

// What redocly reads as a URL rather than a file path.
const url = /^(https?:\/\/|file:\/\/|data:)/;

/**
 * redocly's resolver, reading the relative path of a `$ref` as the URI reference it is, as
 * `loadApi` does (see `refFilePath`): `my%20models/user.yaml` is the file `my models/user.yaml`.
 * A `file:` URL is the local file it names; a file's text is read as `specFileBody` tells (no
 * byte order mark, whose character shifted every position redocly reports; UTF-16 decoded).
 */
export class SpecRefResolver extends BaseResolver {
  constructor(config: Config) {
    super(config.resolve);
  }

  override resolveExternalRef(base: string | null, ref: string): string {
    const local = fileUrlPath(base, ref);
    if (local !== undefined) return local;
    // The root file (no base) is a path the user typed, not a reference: read as given.
    if (base === null || url.test(ref) || url.test(base))
      return super.resolveExternalRef(base, ref);
    return refFilePath(base, ref);
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    const source = await super.loadExternalRef(absoluteRef);
    if (url.test(absoluteRef)) return source;
    const body = specFileBody(absoluteRef, source.body);
    return body === source.body ? source : new Source(absoluteRef, body, source.mimeType);
  }
}
