import { quotedName, shownName } from '../errors/shown-name.js';
import type { SpecProblem } from '../errors/spec-error.js';
import {
  exactSpecNumber,
  exactSpecValue,
  InexactSpecNumber,
  inexactProblem,
  specValueAt,
} from '../spec/exact-spec-numbers.js';
import { compilePattern } from '../spec/schema-pattern.js';
import { equivalentBound, rememberWrittenBound } from './decimal-bound.js';
import { allowsAnyExtra } from './evaluation-plan.js';
import { appendPointer, parsePointer } from './json-pointer.js';
import { keywordShapeProblems } from './keyword-shapes.js';
import { isOpenApi32OrLater } from './openapi-version.js';
import { ownProperty, setOwnProperty } from './own-property.js';
import type { SchemaNode, SchemaType } from './schema-node.js';
import { wrappedSchema } from './wrapped-schema.js';
import { yaml11EnumProblems, yaml11Reading } from './yaml-1-1-scalars.js';

/** The spec dialects Macaron reads. */
export type Dialect = 'swagger2' | 'oas3.0' | 'oas3.1';

const knownTypes = new Set<SchemaType>([
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'null',
]);

type RawSchema = Record<string, unknown>;

/** The most schemas filled one inside the other: far more than specs nest, far less than the stack holds. */
const maxNesting = 500;

/**
 * Past this many schemas filled one inside the other, a schema that a property, an item or
 * another part of a value refers to is filled after the one being filled rather than inside
 * it: a large spec whose schemas refer to each other (a walk from one schema through a
 * thousand others) is then no deeper than its inline nesting. Schemas that apply to the same
 * value (`allOf`, a `$ref` alias) are filled inside, and `maxNesting` bounds their chain: each
 * link is a level of recursion when a value is validated.
 */
const deferRefsFrom = 100;

/**
 * Turns the schemas of a bundled document into `SchemaNode`s, resolving internal `$ref`s.
 * One instance per document: nodes are memoised by pointer, so cycles resolve to the
 * same node and each schema is normalised once.
 */
export class SchemaNormalizer {
  private readonly nodes = new Map<string, SchemaNode>();
  // Pointers asked for that name no schema (their nodes are placeholders).
  private readonly unresolved = new Set<string>();
  readonly problems: SpecProblem[] = [];
  // Schemas being filled now, one inside the other (through $refs and inline subschemas).
  private nesting = 0;
  // Schemas reached by $ref deep in a fill, filled once the outermost fill is done.
  private readonly deferred: { node: SchemaNode; raw: RawSchema; pointer: string }[] = [];
  // The schemas registered as variants during the outermost fill: registered again once all
  // are filled, for a parent whose discriminator was not read yet when its variant registered
  // (a variant reached from inside its parent's own fill, or a parent deferred).
  private readonly registered: SchemaNode[] = [];

  /**
   * `selectorNames`: the name a discriminator selects a named schema by, where it is not the
   * schema's own (a component bundling named after its file, `cat`, which the spec calls `Cat`).
   * `declaredSelectors`: the schemas among them that declare their value themselves
   * (`x-ms-discriminator-value`), which two schemas of one discriminator may declare alike.
   */
  constructor(
    private readonly document: Record<string, unknown>,
    private readonly dialect: Dialect,
    private readonly selectorNames: ReadonlyMap<string, string> = new Map(),
    private readonly declaredSelectors: ReadonlySet<string> = new Set(),
  ) {}

  // The values each discriminator's mapping lists explicitly (they come before any name).
  private readonly explicitValues = new WeakMap<Record<string, SchemaNode>, Set<string>>();
  // The schemas each discriminator's mapping selects, as `mapTo` adds them: whether it lists one
  // is asked for every variant, and a parent of thousands of variants (Microsoft Graph's entity)
  // would otherwise read its whole mapping each time, quadratic in its variants.
  private readonly mappedSchemas = new WeakMap<Record<string, SchemaNode>, Set<SchemaNode>>();

  private mapTo(mapping: Record<string, SchemaNode>, value: string, node: SchemaNode): void {
    setOwnProperty(mapping, value, node);
    let mapped = this.mappedSchemas.get(mapping);
    if (!mapped) this.mappedSchemas.set(mapping, (mapped = new Set()));
    mapped.add(node);
  }

  // Whether a value of the mapping selects the schema (each is set once, by mapTo).
  private maps(mapping: Record<string, SchemaNode>, node: SchemaNode): boolean {
    return this.mappedSchemas.get(mapping)?.has(node) ?? false;
  }
  // The problems of two schemas selected by one value, each reported once.
  private readonly reportedSelectors = new Set<string>();

  /**
   * `mapping[name] ??= node`, for a variant (or the parent) selected by its name or the value it
   * declares: a value another schema is already selected by, not through the mapping, leaves
   * one of the two unreachable, a problem of the spec when either declared it.
   */
  private selectByName(
    parent: SchemaNode,
    mapping: Record<string, SchemaNode>,
    name: string,
    node: SchemaNode,
    report = true,
  ): void {
    const existing = ownProperty(mapping, name);
    if (existing === undefined) {
      this.mapTo(mapping, name, node);
      return;
    }
    // An alias (`Kitty: { $ref: Cat }`) is selected by its target's value: it is that schema.
    if (
      !report ||
      existing === node ||
      this.explicitValues.get(mapping)?.has(name) ||
      isAliasOf(existing, node) ||
      isAliasOf(node, existing)
    )
      return;
    const declared = [existing.name, node.name].filter(
      (schema): schema is string => schema !== undefined && this.declaredSelectors.has(schema),
    );
    if (declared.length === 0) return;
    const key = JSON.stringify([parent.pointer, name, existing.pointer, node.pointer]);
    if (this.reportedSelectors.has(key)) return;
    this.reportedSelectors.add(key);
    this.problems.push({
      pointer: appendPointer(parent.pointer, 'discriminator'),
      message: `${shownName(existing.name ?? existing.pointer)} and ${shownName(node.name ?? node.pointer)} are both selected by the discriminator value ${quotedName(name)} (${declared.map(shownName).join(' and ')} ${declared.length === 1 ? 'declares' : 'declare'} it with x-ms-discriminator-value or x-discriminator-value): give each its own value, or map the value in discriminator.mapping`,
    });
  }

  // The name a discriminator selects a named schema by.
  private selectorName(node: SchemaNode): string | undefined {
    return node.name === undefined ? undefined : (this.selectorNames.get(node.name) ?? node.name);
  }

  /** How many schemas were normalised at their pointer so far (see `normalisedSince`). */
  get normalisedCount(): number {
    return this.nodes.size;
  }

  /** The pointers of the schemas normalised after the first `count`. */
  normalisedSince(count: number): string[] {
    return [...this.nodes.keys()].slice(count);
  }

  /**
   * The node for the schema at a pointer of the document; `ofPart`: it is the schema of a part
   * of a value (a property, an item), not of the value itself.
   */
  atPointer(pointer: string, name?: string, ofPart = false): SchemaNode {
    const existing = this.nodes.get(pointer);
    if (existing) return existing;
    const raw = this.schemaAt(pointer);
    const node: SchemaNode = { properties: {}, required: [], pointer };
    if (name !== undefined) node.name = name;
    this.nodes.set(pointer, node);
    if (raw === undefined) {
      this.unresolved.add(pointer);
      this.problems.push({ pointer, message: 'unresolved $ref' });
      return node;
    }
    if (typeof raw === 'boolean') {
      // OpenAPI 3.1's schemas are JSON Schema's, where `true` and `false` are schemas too.
      if (this.dialect !== 'oas3.1')
        this.problems.push({ pointer, message: 'a schema must be an object' });
      else if (!raw) node.not = { properties: {}, required: [], pointer };
      return node;
    }
    if (ofPart && this.nesting >= deferRefsFrom) {
      this.deferred.push({ node, raw, pointer });
      return node;
    }
    this.fill(node, raw, pointer);
    this.register(node);
    this.fillDeferred();
    return node;
  }

  private register(node: SchemaNode): void {
    this.registerAsVariant(node);
    this.registered.push(node);
  }

  // At the outermost fill: the deferred schemas, each with a fresh nesting budget, then the
  // variants registered again, their parents all filled now.
  private fillDeferred(): void {
    if (this.nesting > 0) return;
    for (let next = this.deferred.pop(); next !== undefined; next = this.deferred.pop()) {
      this.fill(next.node, next.raw, next.pointer);
      this.register(next.node);
    }
    for (const node of this.registered.splice(0)) this.registerAsVariant(node);
  }

  /** Normalises an inline schema found at `pointer` (`ofPart`: see `atPointer`). */
  inline(raw: unknown, pointer: string, ofPart = false): SchemaNode {
    if (
      isObject(raw) &&
      typeof raw.$ref === 'string' &&
      (this.dialect !== 'oas3.1' || Object.keys(raw).length === 1)
    ) {
      return this.reference(raw.$ref, pointer, ofPart);
    }
    const node: SchemaNode = { properties: {}, required: [], pointer };
    if (raw === true || raw === undefined) return node;
    if (raw === false) {
      node.not = { properties: {}, required: [], pointer };
      return node;
    }
    if (!isObject(raw)) {
      // `not: off` was false to PyMacaron's YAML 1.1 (a schema in 3.1, where it is likelier).
      this.problems.push({
        pointer,
        message: `a schema must be an object, true or false${yaml11Reading(raw, 'boolean')}`,
      });
      return node;
    }
    this.fill(node, raw, pointer);
    this.fillDeferred();
    return node;
  }

  // `written`: where the reference's text is (a `$ref`, or a discriminator's mapping value).
  private reference(
    ref: string,
    pointer: string,
    ofPart = false,
    written = appendPointer(pointer, '$ref'),
  ): SchemaNode {
    // A fragment that is no JSON pointer names an `$anchor` (`#code`), which is not resolved;
    // `#` alone is the document, no schema. Either would read as "anything", checking nothing.
    if (ref.startsWith('#') && !ref.startsWith('#/')) {
      this.problems.push({
        pointer: written,
        message:
          ref === '#'
            ? 'a $ref to the whole document (#) is no schema'
            : `a $ref to an anchor (${ref}) is not supported: refer to the schema by its JSON pointer (#/components/schemas/…)`,
      });
      return { properties: {}, required: [], pointer };
    }
    if (!ref.startsWith('#')) {
      this.problems.push({
        pointer: written,
        message: `unresolved external $ref ${ref}`,
      });
      return { properties: {}, required: [], pointer };
    }
    // The fragment is percent-encoded (`#/paths/~1things~1%7Bid%7D/…`): the node is known by
    // its plain JSON pointer.
    const tokens = parsePointer(ref);
    const target = ref.includes('%')
      ? tokens.reduce<string>((pointer, token) => appendPointer(pointer, token), '')
      : ref.slice(1);
    // A schema referred to again (most are, in a real spec): its node, without walking the
    // document to the target once more.
    const known = this.nodes.get(target);
    if (known && !this.unresolved.has(target)) return known;
    const isComponent =
      (tokens.length === 3 && tokens[0] === 'components' && tokens[1] === 'schemas') ||
      (tokens.length === 2 && tokens[0] === 'definitions');
    if (this.schemaAt(target) === undefined) {
      this.problems.push({
        pointer: written,
        message: `unresolved $ref ${ref}`,
      });
      return { properties: {}, required: [], pointer };
    }
    return this.atPointer(target, isComponent ? tokens[tokens.length - 1] : undefined, ofPart);
  }

  /** The schema the document holds at a pointer, as written: an object, or a boolean schema. */
  private schemaAt(pointer: string): RawSchema | boolean | undefined {
    const value = this.valueAt(pointer);
    return typeof value === 'boolean' || isObject(value) ? value : undefined;
  }

  /** Whether a schema was normalised at a pointer (one a `$ref` reached, wherever it is). */
  reached(pointer: string): boolean {
    return this.nodes.has(pointer);
  }

  /** The schema object the document holds at a pointer, as written. */
  rawAt(pointer: string): RawSchema | undefined {
    const value = this.valueAt(pointer);
    return isObject(value) ? value : undefined;
  }

  private valueAt(pointer: string): unknown {
    let current: unknown = this.document;
    for (const token of parsePointer(pointer)) {
      if (!isObject(current) && !Array.isArray(current)) return undefined;
      // Own properties only: `#/components/schemas/__proto__` is unresolved, not Object.prototype.
      current = ownProperty(current as Record<string, unknown>, token);
    }
    return current;
  }

  private fill(node: SchemaNode, raw: RawSchema, pointer: string): void {
    // Filled by recursion: a chain of thousands of $ref aliases (or of inline schemas) would
    // end in a RangeError rather than a problem at its place. No spec nests that deep.
    if (this.nesting >= maxNesting) {
      this.problems.push({
        pointer,
        message: `schemas nest more than ${maxNesting} levels deep here (through $refs and subschemas)`,
      });
      return;
    }
    this.nesting++;
    try {
      this.fillNow(node, raw, pointer);
    } finally {
      this.nesting--;
    }
  }

  private fillNow(node: SchemaNode, raw: RawSchema, pointer: string): void {
    keywordShapeProblems(raw, pointer, this.dialect, this.problems);
    if (typeof raw.$ref === 'string') {
      // The reference applies as an allOf member; before 3.1 its siblings are ignored.
      (node.allOf ??= []).push(this.reference(raw.$ref, pointer));
      if (this.dialect !== 'oas3.1') return;
    }
    const types = this.types(raw, pointer);
    if (types) node.types = types;
    else if (this.nullable(raw)) node.nullable = true;
    if (typeof raw.format === 'string') node.format = raw.format;
    if (Array.isArray(raw.enum)) {
      // `nullable` (3.0) and `x-nullable` (2.0) allow null even where the enum leaves it out,
      // as real specs write it (GitHub's) and as PyMacaron's bravado-core read it (its enum
      // check skips null on a nullable property). Stricter readers (ajv) refuse such a null.
      const members = exactSpecValue(
        raw.enum,
        appendPointer(pointer, 'enum'),
        this.problems,
      ) as unknown[];
      node.enum = this.nullable(raw) && !members.includes(null) ? [...members, null] : members;
      if (types) yaml11EnumProblems(types, raw.enum, pointer, this.problems);
    }
    if ('const' in raw)
      node.const = {
        value: specValueAt(raw, 'const', appendPointer(pointer, 'const'), this.problems),
      };
    if (raw['x-persist'] !== undefined) node.persist = raw['x-persist'];
    if (raw.readOnly === true) node.readOnly = true;
    if (raw.writeOnly === true) node.writeOnly = true;

    this.numberBounds(node, raw);
    const multipleOf = this.specNumber(raw, 'multipleOf', pointer);
    if (multipleOf !== undefined) node.multipleOf = multipleOf;
    for (const keyword of [
      'minLength',
      'maxLength',
      'minItems',
      'maxItems',
      'minProperties',
      'maxProperties',
    ] as const) {
      if (typeof raw[keyword] === 'number') node[keyword] = raw[keyword] as number;
    }
    if (raw.uniqueItems === true) node.uniqueItems = true;
    // A pattern JavaScript cannot run makes this schema unusable, not the spec: see `compilePattern`.
    if (typeof raw.pattern === 'string')
      node.pattern = compilePattern(raw.pattern, appendPointer(pointer, 'pattern'));

    if (isObject(raw.properties)) {
      for (const [name, property] of Object.entries(raw.properties)) {
        // Through setOwnProperty: a property named `__proto__` is a property, not a prototype.
        setOwnProperty(
          node.properties,
          name,
          this.inline(property, appendPointer(appendPointer(pointer, 'properties'), name), true),
        );
      }
    }
    if (Array.isArray(raw.required))
      node.required = raw.required.filter((name): name is string => typeof name === 'string');
    if (raw.additionalProperties === false) node.additionalProperties = false;
    else if (isObject(raw.additionalProperties)) {
      node.additionalProperties = this.inline(
        raw.additionalProperties,
        appendPointer(pointer, 'additionalProperties'),
        true,
      );
    }
    // Only a schema: the keyword's shape check has said what else is wrong (`items: no`, a text
    // to YAML 1.2, is one problem, not a second one of the schema it is not).
    if (isObject(raw.items) || typeof raw.items === 'boolean')
      node.items = this.inline(raw.items, appendPointer(pointer, 'items'), true);
    else if (Array.isArray(raw.items) && this.dialect === 'swagger2')
      this.tuple(node, raw, pointer);
    if (this.dialect === 'oas3.1') this.jsonSchema2020(node, raw, pointer);

    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const members = raw[keyword];
      if (Array.isArray(members)) {
        const nodes = members.map((member, index) =>
          this.inline(member, appendPointer(appendPointer(pointer, keyword), index)),
        );
        node[keyword] = [...(node[keyword] ?? []), ...nodes];
      }
    }
    if (raw.not !== undefined) node.not = this.inline(raw.not, appendPointer(pointer, 'not'));
    this.discriminator(node, raw, pointer);
  }

  // Swagger 2.0's list of schemas under `items` (JSON Schema draft 4's tuple): 2020-12's
  // `prefixItems`, and `additionalItems` its `items`.
  private tuple(node: SchemaNode, raw: RawSchema, pointer: string): void {
    const at = appendPointer(pointer, 'items');
    node.prefixItems = (raw.items as unknown[]).map((member, index) =>
      this.inline(member, appendPointer(at, index), true),
    );
    const rest = raw.additionalItems;
    if (rest === false || (typeof rest === 'object' && rest !== null && !Array.isArray(rest)))
      node.items = this.inline(rest, appendPointer(pointer, 'additionalItems'), true);
  }

  private types(raw: RawSchema, pointer: string): SchemaType[] | undefined {
    const declared = raw.type;
    let types: SchemaType[] | undefined;
    if (typeof declared === 'string') types = [declared as SchemaType];
    else if (Array.isArray(declared)) types = declared as SchemaType[];
    else if (declared !== undefined) {
      this.problems.push({
        pointer: appendPointer(pointer, 'type'),
        message: 'type must be a string or a list',
      });
    }
    if (this.dialect === 'swagger2' && declared === 'file') types = ['string'];
    for (const type of types ?? []) {
      if (!knownTypes.has(type)) {
        this.problems.push({
          pointer: appendPointer(pointer, 'type'),
          message: `unknown type ${String(type)}`,
        });
      }
    }
    if (this.nullable(raw) && types && !types.includes('null')) types = [...types, 'null'];
    return types;
  }

  // `nullable` (3.0) and `x-nullable` (2.0); 3.1 says it with `type: [T, 'null']`.
  private nullable(raw: RawSchema): boolean {
    return (
      (this.dialect === 'oas3.0' && raw.nullable === true) ||
      (this.dialect === 'swagger2' && raw['x-nullable'] === true)
    );
  }

  private numberBounds(node: SchemaNode, raw: RawSchema): void {
    // OpenAPI 3.0's `exclusiveMinimum: true` makes `minimum` exclusive (and so for maximum).
    const bounds = [
      ['minimum', raw.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'],
      ['maximum', raw.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'],
      ['exclusiveMinimum', 'exclusiveMinimum'],
      ['exclusiveMaximum', 'exclusiveMaximum'],
    ] as const;
    for (const [keyword, role] of bounds) {
      const value = raw[keyword];
      if (typeof value !== 'number') continue;
      const exact = exactSpecNumber(raw, keyword);
      // A decimal no number holds is the bound that keeps the same values (see
      // `equivalentBound`), named in messages as the spec wrote it.
      if (exact instanceof InexactSpecNumber) {
        node[role] = equivalentBound(exact.text, role);
        rememberWrittenBound(node, role, exact.text);
      } else node[role] = exact ?? value;
    }
  }

  /**
   * A number keyword of a schema as the spec wrote it: a bigint where the parser rounded an
   * integer (see `exactSpecNumber`). A decimal no number holds is a problem at its place.
   */
  private specNumber(
    raw: RawSchema,
    keyword: string,
    pointer: string,
  ): number | bigint | undefined {
    const value = raw[keyword];
    if (typeof value !== 'number') return undefined;
    const exact = exactSpecNumber(raw, keyword);
    if (exact instanceof InexactSpecNumber)
      this.problems.push(inexactProblem(appendPointer(pointer, keyword), exact));
    return typeof exact === 'bigint' ? exact : value;
  }

  // The JSON Schema 2020-12 keywords OpenAPI 3.1 adds to the 3.0 subset.
  private jsonSchema2020(node: SchemaNode, raw: RawSchema, pointer: string): void {
    // Dynamic references bind at validation time, which Macaron does not do: refused rather than
    // read as "anything".
    for (const keyword of ['$dynamicRef', '$recursiveRef'])
      if (raw[keyword] !== undefined)
        this.problems.push({
          pointer: appendPointer(pointer, keyword),
          message: `${keyword} is not supported: refer to the schema with $ref`,
        });
    if (Array.isArray(raw.prefixItems))
      node.prefixItems = raw.prefixItems.map((member, index) =>
        this.inline(member, appendPointer(appendPointer(pointer, 'prefixItems'), index), true),
      );
    if (raw.contains !== undefined) {
      node.contains = this.inline(raw.contains, appendPointer(pointer, 'contains'), true);
      if (typeof raw.minContains === 'number') node.minContains = raw.minContains;
      if (typeof raw.maxContains === 'number') node.maxContains = raw.maxContains;
    }
    if (isObject(raw.patternProperties)) {
      const at = appendPointer(pointer, 'patternProperties');
      node.patternProperties = Object.entries(raw.patternProperties).map(([source, member]) => ({
        pattern: compilePattern(source, appendPointer(at, source)),
        node: this.inline(member, appendPointer(at, source), true),
      }));
    }
    if (raw.propertyNames !== undefined)
      node.propertyNames = this.inline(
        raw.propertyNames,
        appendPointer(pointer, 'propertyNames'),
        true,
      );
    if (isObject(raw.dependentRequired)) {
      const dependent: Record<string, string[]> = {};
      for (const [name, names] of Object.entries(raw.dependentRequired))
        if (Array.isArray(names))
          setOwnProperty(
            dependent,
            name,
            names.filter((other): other is string => typeof other === 'string'),
          );
      node.dependentRequired = dependent;
    }
    if (isObject(raw.dependentSchemas)) {
      const at = appendPointer(pointer, 'dependentSchemas');
      const dependent: Record<string, SchemaNode> = {};
      for (const [name, member] of Object.entries(raw.dependentSchemas))
        setOwnProperty(dependent, name, this.inline(member, appendPointer(at, name)));
      node.dependentSchemas = dependent;
    }
    if (raw.if !== undefined) {
      node.conditional = { if: this.inline(raw.if, appendPointer(pointer, 'if')) };
      if (raw.then !== undefined)
        node.conditional.matched = this.inline(raw.then, appendPointer(pointer, 'then'));
      if (raw.else !== undefined)
        node.conditional.otherwise = this.inline(raw.else, appendPointer(pointer, 'else'));
    }
    for (const keyword of ['unevaluatedProperties', 'unevaluatedItems'] as const) {
      const member = raw[keyword];
      if (member === false) node[keyword] = false;
      else if (member !== undefined)
        node[keyword] = this.inline(member, appendPointer(pointer, keyword), true);
    }
    // Any extra is allowed either way, but `true` evaluates them for `unevaluatedProperties`.
    if (raw.additionalProperties === true) allowsAnyExtra.add(node);
  }

  private discriminator(node: SchemaNode, raw: RawSchema, pointer: string): void {
    const declared = raw.discriminator;
    const propertyName =
      typeof declared === 'string'
        ? declared
        : isObject(declared) && typeof declared.propertyName === 'string'
          ? declared.propertyName
          : undefined;
    const at = appendPointer(pointer, 'discriminator');
    if (propertyName === undefined) {
      // Skipped, it would select no variant and check nothing the spec says it does.
      if (declared !== undefined)
        this.problems.push({
          pointer: isObject(declared) ? appendPointer(at, 'propertyName') : at,
          message: isObject(declared)
            ? 'discriminator propertyName must be the name of a property'
            : 'discriminator must be an object with a propertyName (or, in Swagger 2.0, a property name)',
        });
      return;
    }
    const mapping: Record<string, SchemaNode> = {};
    if (isObject(declared) && declared.mapping !== undefined && !isObject(declared.mapping))
      this.problems.push({
        pointer: appendPointer(at, 'mapping'),
        message: 'discriminator mapping must be an object of values and schemas',
      });
    const explicit = isObject(declared) && isObject(declared.mapping) ? declared.mapping : {};
    // A mapping value is a reference, or the name of a component schema.
    const variant = (ref: string, from: string) =>
      this.reference(
        ref.startsWith('#')
          ? ref
          : this.dialect === 'swagger2'
            ? `#/definitions/${ref}`
            : `#/components/schemas/${ref}`,
        from,
        false,
        from,
      );
    this.explicitValues.set(mapping, new Set(Object.keys(explicit)));
    for (const [value, ref] of Object.entries(explicit)) {
      if (typeof ref !== 'string')
        this.problems.push({
          pointer: appendPointer(appendPointer(at, 'mapping'), value),
          message: 'a discriminator mapping value must be a $ref or a schema name',
        });
      // Discriminator values and model names are data: `__proto__` is a value, not a prototype.
      if (typeof ref === 'string')
        this.mapTo(
          mapping,
          value,
          variant(ref, appendPointer(appendPointer(at, 'mapping'), value)),
        );
    }
    // Without a mapping, each variant is selected by its component name.
    for (const member of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
      const name = this.selectorName(member);
      if (name !== undefined && !this.maps(mapping, member))
        this.selectByName(node, mapping, name, member);
    }
    // Inheritance through allOf (no members to dispatch to): the value names this schema or
    // one that inherits it (Swagger 2.0's Schema Object), so its own name is one before any
    // variant registers.
    const ownName = this.selectorName(node);
    if (!node.oneOf && !node.anyOf && ownName !== undefined)
      this.selectByName(node, mapping, ownName, node);
    // OpenAPI 3.2's: before it, `defaultMapping` is no keyword, and a value naming no
    // variant stays an error.
    const fallback =
      isOpenApi32OrLater(this.document) && isObject(declared) ? declared.defaultMapping : undefined;
    node.discriminator = {
      propertyName,
      mapping,
      ...(typeof fallback === 'string'
        ? { defaultMapping: variant(fallback, appendPointer(at, 'defaultMapping')) }
        : {}),
    };
  }

  // Inheritance through allOf (Swagger 2.0's only form, and OpenAPI 3's Pet/Cat/Dog
  // example): a named schema whose allOf names a schema with a discriminator is one of
  // its variants, selected by its own name unless the mapping says otherwise.
  // Every ancestor counts, not the parent alone: Lion extending Cat extending Pet is one of
  // Pet's variants (Swagger 2.0: "the name of this schema or any schema that inherits it").
  private registerAsVariant(child: SchemaNode): void {
    const childName = this.selectorName(child);
    if (childName === undefined) return;
    const reached = new Set<SchemaNode>();
    // Each ancestor with whether it is reached through another named schema (a grandparent),
    // and the property of the nearest discriminator of such a schema in between.
    const pending: { parent: SchemaNode; inherited: boolean; between?: string }[] = (
      child.allOf ?? []
    ).map((parent) => ({ parent, inherited: false }));
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      const { parent, inherited, between } = next;
      if (reached.has(parent) || reached.size >= maxAncestors) continue;
      reached.add(parent);
      const further = inherited || parent.name !== undefined;
      const nearest = (parent.name !== undefined && ownDiscriminatorProperty(parent)) || between;
      for (const ancestor of parent.allOf ?? [])
        pending.push({
          parent: ancestor,
          inherited: further,
          ...(nearest === undefined ? {} : { between: nearest }),
        });
      // A grandparent that dispatches to members it lists (oneOf, anyOf) keeps to them, as
      // OpenAPI 3.1.1 asks them listed: only one that dispatches by inheritance takes it.
      if (!parent.discriminator || (inherited && (parent.oneOf || parent.anyOf))) continue;
      const mapping = parent.discriminator.mapping;
      // Azure's nested discriminators: below a variant that discriminates on another property,
      // the value a schema declares is meant for that property, and two schemas under two such
      // variants may declare one value (`small` for a cat's and a dog's size). It still selects
      // here when free, as a value naming the schema, but two are no problem of this one.
      if (!this.maps(mapping, child))
        this.selectByName(
          parent,
          mapping,
          childName,
          child,
          between === undefined || between === parent.discriminator.propertyName,
        );
      const parentName = this.selectorName(parent);
      if (parentName !== undefined) this.selectByName(parent, mapping, parentName, parent);
    }
  }
}

// The allOf ancestors looked through for a variant's parents (schemas may be recursive).
const maxAncestors = 256;

// The property a schema discriminates on: its own discriminator's, or one of its unnamed allOf
// parts' (Swagger 2.0 writes a variant's own discriminator there beside the parent's $ref).
function ownDiscriminatorProperty(node: SchemaNode): string | undefined {
  return (
    node.discriminator?.propertyName ??
    node.allOf?.find((part) => part.name === undefined && part.discriminator)?.discriminator
      ?.propertyName
  );
}

// Whether a named schema is nothing but its one allOf part, another named schema (a `$ref`
// alias, `Kitty: { $ref: Cat }`).
function isAliasOf(node: SchemaNode, target: SchemaNode): boolean {
  return (
    node.name !== undefined &&
    target.name !== undefined &&
    node.allOf?.length === 1 &&
    node.allOf[0] === target &&
    wrappedSchema(node) === target
  );
}

function isObject(value: unknown): value is RawSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
