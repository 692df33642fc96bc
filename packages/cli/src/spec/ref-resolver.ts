import {
  boundedSpecFetch,
  checkSpecValues,
  fileUrlPath,
  readSpecFile,
  refFilePath,
  SpecError,
  type SpecProblem,
} from '@macaron/core';
import { BaseResolver, type Config, type Document, Source } from '@redocly/openapi-core';

// What redocly reads as a URL rather than a file path.
const url = /^(https?:\/\/|file:\/\/|data:)/;

/**
 * redocly's resolver, reading the relative path of a `$ref` as the URI reference it is, as
 * `loadApi` does (see `refFilePath`): `my%20models/user.yaml` is the file `my models/user.yaml`.
 * A `file:` URL is the local file it names. A file is read as `readSpecFile` reads it (a
 * regular file, bounded, UTF-8 or UTF-16, no byte order mark, whose character shifted every
 * position redocly reports), a URL within `boundedSpecFetch`'s bounds, and what either holds
 * is checked (`checkSpecValues`: aliases that repeat too much, values no JSON has) before
 * redocly walks it, as `loadApi` does.
 */
export class SpecRefResolver extends BaseResolver {
  /** The problems of the files it refused to give redocly, at their place (see `checkSpecValues`). */
  readonly refused: SpecProblem[] = [];
  /**
   * The files it refused to read (see `readSpecFile`): redocly reports a `$ref` to one, but
   * throws for the root file.
   */
  readonly unreadable: SpecProblem[] = [];

  constructor(config: Config) {
    const http = config.resolve.http;
    super({
      ...config.resolve,
      http: {
        ...http,
        customFetch: boundedSpecFetch(undefined, (http.customFetch as typeof fetch) ?? fetch),
      },
    });
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
    try {
      if (url.test(absoluteRef)) return await super.loadExternalRef(absoluteRef);
      return new Source(absoluteRef, await readSpecFile(absoluteRef));
    } catch (error) {
      // Reported by redocly at the $ref that names the file, with what is wrong with it.
      const original = (error as { originalError?: unknown }).originalError ?? error;
      if (original instanceof SpecError) {
        this.unreadable.push(...original.problems);
        throw new Error(original.problems[0]!.message);
      }
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
