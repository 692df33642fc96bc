import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import { appendPointer } from '../schema/json-pointer.js';
import type { SchemaNormalizer } from '../schema/normalize-schema.js';
import { ownProperty } from '../schema/own-property.js';
import type { SchemaNode } from '../schema/schema-node.js';

/** When the named schemas of a spec are normalised. */
export type Normalisation =
  /** All at once, so that loading reports every problem of the spec. */
  | 'all'
  /**
   * Each when first asked for: a spec compiled ahead of time was checked whole then, and a
   * service using 3 of its 200 schemas should not interpret the other 197 at start-up.
   */
  | 'when-used';

/**
 * The named schemas of a spec (`components/schemas`, Swagger's `definitions`) as normalised
 * nodes, in the spec's order.
 */
export class NamedSchemas {
  private readonly pointers = new Map<string, string>();
  private readonly raw: Record<string, unknown>;
  // Problems found in a named schema after the spec was analysed (a compiled spec edited by
  // hand): every later use throws them, as a broken node must not validate values silently.
  private lateProblems: SpecProblem[] | undefined;
  private analysed = false;

  constructor(
    private readonly normalizer: SchemaNormalizer,
    raw: Record<string, unknown> | undefined,
    private readonly schemasPointer: string,
    normalisation: Normalisation,
    private readonly place: (problem: SpecProblem) => SpecProblem = (problem) => problem,
  ) {
    this.raw = raw ?? {};
    for (const name of Object.keys(this.raw))
      this.pointers.set(name, appendPointer(schemasPointer, name));
    if (normalisation === 'all' || this.anyInheritsDiscriminator())
      for (const name of this.pointers.keys()) this.get(name);
  }

  /** Every name, in the spec's order. */
  names(): string[] {
    return [...this.pointers.keys()];
  }

  /** The schema as the document writes it. */
  rawSchema(name: string): unknown {
    return this.pointers.has(name) ? ownProperty(this.raw, name) : undefined;
  }

  /** The normalised schema of a name, undefined for a name the spec does not have. */
  get(name: string): SchemaNode | undefined {
    const pointer = this.pointers.get(name);
    if (pointer === undefined) return undefined;
    if (!this.analysed) return this.normalizer.atPointer(pointer, name);
    return this.normaliseLate(
      () => this.normalizer.atPointer(pointer, name),
      `Invalid schema ${name}`,
    );
  }

  /**
   * Runs a normalisation after the analysis (a schema first used, a parameter's schema) and
   * throws the problems it found. One in a named schema normalised by it can only be a
   * compiled spec edited by hand (loading checks them all, compiling too): that node is kept,
   * broken, for the next use to find, so from then on every schema first used throws. Others
   * (in inline schemas of paths, which loading does not check, and are normalised anew each
   * time) are thrown each time.
   */
  normaliseLate<T>(normalise: () => T, message: string): T {
    if (this.lateProblems) throw this.lateError();
    const before = this.normalizer.normalisedCount;
    const found = normalise();
    const problems = this.normalizer.problems.splice(0);
    if (problems.length === 0) return found;
    const named = this.normalizer
      .normalisedSince(before)
      .filter((pointer) => pointer.lastIndexOf('/') === this.schemasPointer.length);
    const inNamed = (pointer: string) =>
      named.some((start) => pointer === start || pointer.startsWith(`${start}/`));
    const placed = problems.map(this.place);
    if (problems.some((problem) => inNamed(problem.pointer))) {
      this.lateProblems = placed;
      throw this.lateError();
    }
    throw new SpecError(message, placed);
  }

  /** From now on, a problem found in a schema normalised later is thrown, not collected. */
  endAnalysis(): void {
    this.analysed = true;
  }

  private lateError(): SpecError {
    return new SpecError('The compiled spec has errors: compile it again', this.lateProblems!);
  }

  // A schema inheriting a discriminator through `allOf` (or a `$ref`) adds itself to the
  // parent's mapping when normalised: the mapping is whole, and in the order the spec gives,
  // only if every schema is normalised in that order.
  private anyInheritsDiscriminator(): boolean {
    for (const name of this.pointers.keys()) {
      const raw = ownProperty(this.raw, name);
      if (!isObject(raw)) continue;
      const members = Array.isArray(raw.allOf) ? raw.allOf : [];
      for (const member of [raw, ...members]) {
        const ref = isObject(member) ? member.$ref : undefined;
        if (typeof ref !== 'string' || !ref.startsWith('#')) continue;
        const parent = this.normalizer.rawAt(ref.slice(1));
        if (parent?.discriminator !== undefined) return true;
      }
    }
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
