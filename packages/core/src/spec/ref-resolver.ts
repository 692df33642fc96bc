import type { BaseResolver, Config, Document, Source } from '@redocly/openapi-core';
import { shownText } from '../errors/shown-name.js';
import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import { refFilePath } from './ref-file-path.js';
import { boundedSpecFetch, type SpecFetchBounds } from './spec-fetch.js';
import { fileUrlPath } from './spec-file-body.js';
import { readSpecFile } from './spec-file-read.js';
import { checkSpecValues } from './spec-values.js';

/** redocly's resolver as Macaron reads a spec, with what it refused to read. */
export interface SpecRefResolver extends BaseResolver {
  /**
   * The problems of the files it read and refused to give redocly, at their place in the file:
   * values no JSON holds, aliases that repeat too much (see `checkSpecValues`). redocly reports
   * only that a `$ref` to such a file could not be followed: the loader reports these instead.
   */
  readonly refused: SpecProblem[];
  /**
   * The files it refused to read (see `readSpecFile`: a FIFO, a device, too large, not UTF-8):
   * redocly reports a `$ref` to one, but throws for the root file, which a linter reports here.
   */
  readonly unreadable: SpecProblem[];
}

/**
 * redocly's resolver, reading the relative path of a `$ref` as the URI reference it is (see
 * `refFilePath`): redocly joins it to the file's folder as written, and a percent-encoded
 * name (`my%20models/user.yaml`) named no file. A `file:` URL is the local file it names
 * (redocly fetched it, and failed; see `fileUrlPath`). A file is read as `readSpecFile` reads it
 * (a regular file, bounded, UTF-8 or UTF-16), a URL within `fetchBounds` (see
 * `boundedSpecFetch`), and what either holds is checked (see `checkSpecValues`) before redocly
 * walks it.
 */
export function createRefResolver(
  redocly: { BaseResolver: typeof BaseResolver; Source: typeof Source },
  config: Config,
  fetchBounds?: SpecFetchBounds,
): SpecRefResolver {
  return createRootResolver(redocly, config, fetchBounds);
}

/** A file's text, read before its resolver was made. */
export interface ReadFile {
  readonly file: string;
  readonly text: string;
}

/**
 * `createRefResolver`, given the root file's text when the loader has read it already (to see
 * whether it is a compiled spec): redocly takes it from there rather than from the disk again,
 * which also makes both see the same text.
 */
export function createRootResolver(
  redocly: { BaseResolver: typeof BaseResolver; Source: typeof Source },
  config: Config,
  fetchBounds?: SpecFetchBounds,
  root?: ReadFile,
): SpecRefResolver {
  const http = config.resolve.http;
  const resolveConfig = {
    ...config.resolve,
    http: {
      ...http,
      customFetch: boundedSpecFetch(fetchBounds, (http.customFetch as typeof fetch) ?? fetch),
    },
  };
  class PercentDecodingResolver extends redocly.BaseResolver implements SpecRefResolver {
    readonly refused: SpecProblem[] = [];
    readonly unreadable: SpecProblem[] = [];

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
      if (absoluteRef === root?.file) return new redocly.Source(absoluteRef, root.text);
      try {
        if (isUrl(absoluteRef)) return await super.loadExternalRef(absoluteRef);
        return new redocly.Source(absoluteRef, await readSpecFile(absoluteRef));
      } catch (error) {
        // Reported by redocly at the $ref that names the file (the root's, by the loader), with
        // what is wrong with it: a FIFO, a device, too large, a server that does not answer.
        const original = (error as { originalError?: unknown }).originalError ?? error;
        if (original instanceof SpecError) {
          this.unreadable.push(...original.problems);
          throw new Error(original.problems[0]!.message);
        }
        // As redocly says it: "ENOENT: no such file or directory '/path'", without the call.
        if (error instanceof Error && 'syscall' in error)
          error.message = error.message.replace(', open', '');
        throw error;
      }
    }

    override parseDocument(source: Source, isRoot?: boolean): Document {
      const document = super.parseDocument(source, isRoot);
      // A file redocly does not parse (not YAML or JSON by its name) is its text: nothing to check.
      if (typeof document.parsed === 'string' && document.parsed === source.body) return document;
      try {
        checkSpecValues(document.parsed, {
          file: source.absoluteRef,
        });
      } catch (error) {
        if (error instanceof SpecError) this.refused.push(...error.problems);
        throw error;
      }
      return document;
    }
  }
  return new PercentDecodingResolver(resolveConfig);
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
