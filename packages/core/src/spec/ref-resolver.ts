import type { BaseResolver, Config, Source } from '@redocly/openapi-core';
import { shownText } from '../errors/shown-name.js';
import { refFilePath } from './ref-file-path.js';
import { fileUrlPath, specFileBody } from './spec-file-body.js';

/**
 * redocly's resolver, reading the relative path of a `$ref` as the URI reference it is (see
 * `refFilePath`): redocly joins it to the file's folder as written, and a percent-encoded
 * name (`my%20models/user.yaml`) named no file. A `file:` URL is the local file it names
 * (redocly fetched it, and failed; see `fileUrlPath`). A file's text is read as `specFileBody`
 * tells: without a byte order mark, UTF-16 decoded.
 */
export function createRefResolver(
  redocly: { BaseResolver: typeof BaseResolver; Source: typeof Source },
  config: Config,
): BaseResolver {
  class PercentDecodingResolver extends redocly.BaseResolver {
    override resolveExternalRef(base: string | null, ref: string): string {
      const local = fileUrlPath(base, ref);
      if (local !== undefined) return local;
      // The root file (no base) is a path the user typed, not a reference: read as given.
      if (base === null || isUrl(ref) || isUrl(base)) return super.resolveExternalRef(base, ref);
      return refFilePath(base, ref);
    }

    override async loadExternalRef(absoluteRef: string): Promise<Source> {
      const host = remoteFileHost(absoluteRef);
      if (host !== undefined)
        throw new Error(
          `${shownText(absoluteRef)} names a file on another machine (host ${shownText(host)}): a file: URL is read on this machine only (file:///path, or file://localhost/path)`,
        );
      const source = await super.loadExternalRef(absoluteRef);
      if (isUrl(absoluteRef)) return source;
      const body = specFileBody(absoluteRef, source.body);
      return body === source.body ? source : new redocly.Source(absoluteRef, body, source.mimeType);
    }
  }
  return new PercentDecodingResolver(config.resolve);
}

// The host of a `file:` URL naming a file on another machine (redocly fetched it, and failed
// with "fetch failed"); undefined for any other reference. A Windows UNC path is such a URL
// there, and a local path: `fileUrlPath` made it one before this is asked.
function remoteFileHost(ref: string): string | undefined {
  if (!/^file:\/\//i.test(ref)) return undefined;
  try {
    const { hostname } = new URL(ref);
    return hostname === '' || hostname === 'localhost' ? undefined : hostname;
  } catch {
    return undefined;
  }
}

// What redocly reads as a URL rather than a file path.
function isUrl(ref: string): boolean {
  return /^(https?:\/\/|file:\/\/|data:)/.test(ref);
}
