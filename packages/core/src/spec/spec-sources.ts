import type { SpecProblem } from '../errors/spec-error.js';
import { appendPointer, parsePointer } from '../schema/json-pointer.js';

/** A place in one of the files of a spec. */
export interface SourcePlace {
  /** Absolute path of the file. */
  readonly file: string;
  /** JSON pointer within that file. */
  readonly pointer: string;
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null;

// $refs followed, one after the other, from a place that does not have the next token.
const maxHops = 32;

/**
 * Where the parts of a bundled document come from, for a spec in several files. redocly's
 * bundle keeps no source map, but it moves the objects of the other files into the bundled
 * document as they are: an object's identity tells its file and its pointer there.
 */
export class SpecSources {
  // Built on the first question: a spec that loads without problems never asks.
  private places: WeakMap<object, SourcePlace> | undefined;

  /**
   * `files`: the parsed content of each file other than the root, by absolute path, as
   * bundling read them.
   */
  constructor(
    private readonly document: JsonObject,
    private readonly rootFile: string,
    private readonly files: ReadonlyMap<string, unknown>,
  ) {}

  /** Where an object of the bundled document is written, when in a file other than the root. */
  placeOf(value: object): SourcePlace | undefined {
    this.places ??= this.mapPlaces();
    return this.places.get(value);
  }

  /**
   * A problem located in the file that holds the place it names: one about a schema of another
   * file names that file and the pointer within it, where loading found it at the bundled
   * component (`#/components/schemas/user`). Others are returned as they are.
   */
  locate(problem: SpecProblem): SpecProblem {
    if (problem.file !== undefined && problem.file !== this.rootFile) return problem;
    const place = this.placeAt(problem.pointer);
    return place ? { ...problem, file: place.file, pointer: place.pointer } : problem;
  }

  // The place of the deepest object along the pointer that another file holds, with the
  // rest of the pointer appended; $refs are followed where the next token is not beside them
  // (an alias `User: { $ref: … }` reports its schema's `x-persist` through it).
  private placeAt(pointer: string): SourcePlace | undefined {
    const tokens = parsePointer(pointer);
    let value: unknown = this.document;
    let found: { place: SourcePlace; at: number } | undefined;
    for (let at = 0; at <= tokens.length && isObject(value); at += 1) {
      const place = this.placeOf(value);
      if (place) found = { place, at };
      if (at === tokens.length) break;
      const token = tokens[at]!;
      let holder: unknown = value;
      for (let hops = 0; isObject(holder) && !Object.hasOwn(holder, token); hops += 1) {
        const ref = holder.$ref;
        if (hops >= maxHops || typeof ref !== 'string' || !ref.startsWith('#')) {
          holder = undefined;
          break;
        }
        holder = this.internal(ref);
        const through = isObject(holder) ? this.placeOf(holder) : undefined;
        if (through) found = { place: through, at };
      }
      value = isObject(holder) ? holder[token] : undefined;
    }
    if (!found || found.place.file === this.rootFile) return undefined;
    const pointerThere = tokens.slice(found.at).reduce(appendPointer, found.place.pointer);
    return { file: found.place.file, pointer: pointerThere };
  }

  // What an internal reference of the bundled document names.
  private internal(ref: string): unknown {
    let value: unknown = this.document;
    for (const token of parsePointer(ref)) {
      if (!isObject(value) || !Object.hasOwn(value, token)) return undefined;
      value = value[token];
    }
    return value;
  }

  private mapPlaces(): WeakMap<object, SourcePlace> {
    const places = new WeakMap<object, SourcePlace>();
    for (const [file, parsed] of this.files) {
      if (file === this.rootFile) continue;
      const pending: { value: unknown; pointer: string }[] = [{ value: parsed, pointer: '' }];
      for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
        const { value, pointer } = next;
        // The first place in the file wins: a YAML alias shares one object between two places,
        // and the anchor is written at the first. (Keys are pushed last first, so taken in order.)
        if (!isObject(value) || places.has(value)) continue;
        places.set(value, { file, pointer });
        const keys = Object.keys(value);
        for (let at = keys.length - 1; at >= 0; at -= 1)
          pending.push({
            value: (value as JsonObject)[keys[at]!],
            pointer: appendPointer(pointer, keys[at]!),
          });
      }
    }
    return places;
  }
}
