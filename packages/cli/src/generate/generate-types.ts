import {
  type Api,
  InvalidRequestError,
  inPlaceSubschemas,
  type KeyAttribute,
  propertySchema,
  type SchemaNode,
  SpecError,
  type TableDescriptor,
} from '@macaron/core';
import { checkOptionNames, optionNames } from '@macaron/core/backend';
import { directions, directionTypes } from './direction-types.js';
import { operationTypes } from './operation-types.js';
import { SchemaTypeWriter } from './schema-type.js';
import {
  commentText,
  compareText,
  propertyKey,
  quote,
  typeIdentifiers,
} from './type-identifiers.js';

// Whether a schema's type allows null itself or through a oneOf or anyOf member (`nullable:
// true`, `type: [object, 'null']`, `anyOf: [{ $ref }, { type: 'null' }]`).
function allowsNullValue(schema: SchemaNode): boolean {
  return (
    schema.types?.includes('null') === true ||
    [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].some(
      (member) => member.types?.includes('null') === true,
    )
  );
}

/** Options of `generateTypes`. */
export interface GenerateTypesOptions {
  /** How the header names the spec, e.g. `../apis/profiles.yaml`. */
  source: string;
}

// The keys GenerateTypesOptions may have; any other is refused (P-110).
const generateOptionNames = optionNames('source');

const keyTypes = { string: 'string', number: 'number | bigint', binary: 'Uint8Array' } as const;

const variantComments = {
  request: 'in a request: its required `readOnly` properties optional, at any depth',
  response: 'in a response: its required `writeOnly` properties optional, at any depth',
} as const;

function declaration(
  identifier: string,
  name: string,
  schema: SchemaNode,
  writer: SchemaTypeWriter,
  variant?: keyof typeof variantComments,
) {
  const about = `\`${commentText(name)}\` schema`;
  const at = `(#${commentText(schema.pointer)})`;
  // A schema that applies itself to the value it checks is one no value meets (loadApi refuses
  // it where it is used); written as what it refers to, its alias would refer to itself.
  if (appliesItself(schema))
    return `/** The ${about} ${at}: it applies itself to the value it checks, so no value is one. */\nexport type ${identifier} = never;`;
  const type = writer.typeOf(schema, '', schema);
  const comment = variant
    ? `/** The ${about} ${variantComments[variant]} ${at}. */`
    : `/** The ${about} ${at}. */`;
  // An object literal alone is an interface; a list of them (`{ … }[]`) stays a type.
  return type.binding === 'primary' && type.text.startsWith('{') && type.text.endsWith('}')
    ? `${comment}\nexport interface ${identifier} ${type.text}`
    : `${comment}\nexport type ${identifier} = ${type.text};`;
}

/**
 * The schemas persistent without options: a full `x-persist` in the spec, or PyMacaron's form
 * with table and key given with the spec (`loadApi`'s `persist`, macaron.config.json).
 */
export function persistentNames(api: Api): string[] {
  return api.modelNames().filter((name) => {
    const persist = api.schema(name).persist;
    if (typeof persist === 'object' && persist !== null) return !isAliasTarget(api, name);
    if (typeof persist !== 'string') return false;
    try {
      api.persistent(name);
      return true;
    } catch {
      return false;
    }
  });
}

// A component a bundled `User: { $ref: ./models/user.yaml }` aliases: its x-persist is the
// alias's (core persists `User`, not `user`). A malformed annotation is no alias target: it
// stays in the list, so that the SpecError reaches the user.
function isAliasTarget(api: Api, name: string): boolean {
  try {
    api.persistent(name);
    return false;
  } catch (error) {
    return InvalidRequestError.isInstance(error);
  }
}

/**
 * The table and version attribute of a schema persistent without options. A schema whose
 * values cannot be checked (a pattern JavaScript cannot run) has no persistent class, but its
 * types can be written all the same: its table is the one its annotation names.
 */
function persistedShape(
  api: Api,
  name: string,
): { table: TableDescriptor; versionAttribute?: string | undefined } {
  try {
    return api.persistent(name).descriptor;
  } catch (error) {
    const persist = api.schema(name).persist as { table?: unknown; version?: unknown };
    const table = api.tables().find((candidate) => candidate.specName === persist.table);
    if (!SpecError.isInstance(error) || table === undefined) throw error;
    return {
      table,
      versionAttribute: typeof persist.version === 'string' ? persist.version : undefined,
    };
  }
}

/**
 * The TypeScript of a loaded API: a type for every schema, the `Models` and
 * `PersistentModels` maps, and `typed(api)`, which gives `api.model()` and
 * `api.persistent()` their types. Deterministic: the same spec gives the same text.
 */
export function generateTypes(api: Api, options: GenerateTypesOptions): string {
  checkOptionNames(options, generateOptionNames, 'generateTypes', TypeError);
  const names = [...api.modelNames()].sort(compareText);
  const identifiers = typeIdentifiers(names);
  const writer = new SchemaTypeWriter(identifiers);
  const id = (name: string) => identifiers.get(name)!;
  const nullable = (name: string) => allowsNullValue(api.schema(name));

  const directed = directionTypes(api, names, identifiers);
  const declarations = names.flatMap((name) => [
    declaration(id(name), name, api.schema(name), writer),
    ...directions.flatMap((direction) => {
      const variant = directed.variants[direction].get(name);
      return variant === undefined
        ? []
        : [declaration(variant, name, api.schema(name), directed.writers[direction], direction)];
    }),
  ]);

  // A schema's types as a request and a response carry them, where either differs from its
  // own (a required readOnly or writeOnly property, at any depth): as `fromJSON` reads them.
  const differsByDirection = (name: string) =>
    directions.some((direction) => directed.variants[direction].has(name));
  const directedType = (name: string, direction: 'request' | 'response') =>
    directed.variants[direction].get(name) ?? id(name);
  const directionsOf = (name: string, objectsOnly: boolean) => {
    if (!differsByDirection(name)) return [];
    const type = (direction: 'request' | 'response') =>
      objectsOnly ? `NonNullable<${directedType(name, direction)}>` : directedType(name, direction);
    return [`    directions: { request: ${type('request')}; response: ${type('response')} };`];
  };

  const persistent: string[] = [];
  const byCode: string[] = [];
  const persistentWithoutOptions = new Set(persistentNames(api));
  for (const name of names) {
    const schema = api.schema(name);
    if (typeof schema.persist === 'string' && !persistentWithoutOptions.has(name))
      byCode.push(name);
    if (!persistentWithoutOptions.has(name)) continue;
    const descriptor = persistedShape(api, name);
    const table = descriptor.table;
    const typeOfKey = (key: KeyAttribute | undefined) => {
      if (!key) return 'never';
      const property = propertySchema(schema, key.name);
      return property ? writer.typeOf(property, '      ').text : keyTypes[key.type];
    };
    const partition = typeOfKey(table.partitionKey);
    const sort = typeOfKey(table.sortKey);
    const named = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]
      .map((key) => `readonly ${propertyKey(key.name)}: ${typeOfKey(key)}`)
      .join('; ');
    const key = table.sortKey ? `{ ${named} }` : `${partition} | { ${named} }`;
    const indexes = [...table.indexes]
      .sort((left, right) => compareText(left.name, right.name))
      .map(
        (index) =>
          `      ${propertyKey(index.name)}: { partition: ${typeOfKey(index.partitionKey)}; sort: ${typeOfKey(index.sortKey)} };`,
      );
    const fixed = [
      ...new Set(
        [
          table.partitionKey.name,
          table.sortKey?.name,
          descriptor.versionAttribute,
          table.discriminatorAttribute,
        ].filter((field): field is string => field !== undefined),
      ),
    ]
      .sort(compareText)
      .map(quote)
      .join(' | ');
    // What a write sets when the values leave it out: the version, the model's marker.
    const filled =
      [
        ...new Set(
          [descriptor.versionAttribute, table.discriminatorAttribute].filter(
            (field): field is string => field !== undefined,
          ),
        ),
      ]
        .sort(compareText)
        .map(quote)
        .join(' | ') || 'never';
    persistent.push(
      [
        `  /** \`${commentText(name)}\`, stored in table \`${commentText(table.specName)}\`. */`,
        `  ${propertyKey(name)}: {`,
        // A schema that also allows null (\`nullable: true\`, \`type: [object, 'null']\`) persists
        // its objects only.
        `    model: ${nullable(name) ? `NonNullable<${id(name)}>` : id(name)};`,
        ...directionsOf(name, nullable(name)),
        `    key: ${key};`,
        `    table: { partition: ${partition}; sort: ${sort} };`,
        indexes.length > 0 ? `    indexes: {\n${indexes.join('\n')}\n    };` : '    indexes: {};',
        `    fixed: ${fixed};`,
        `    filled: ${filled};`,
        '  };',
      ].join('\n'),
    );
  }

  // The types by direction of the model named N, as model() and persistent() in PyMacaron's
  // form take them: a schema no direction changes is whole in both.
  const directionsByName = `N extends keyof DirectedModels
      ? {
          request: Extract<DirectedModels[N]['request'], object>;
          response: Extract<DirectedModels[N]['response'], object>;
        }
      : { request: Extract<Models[N], object>; response: Extract<Models[N], object> }`;
  const byCodeOverload =
    byCode.length > 0
      ? `
  /**
   * The persistent class of a schema in PyMacaron's form (\`x-persist: a.class.Path\`): table
   * and key given here. Its objects are the schema's (a schema that also allows null persists
   * its objects only); \`fromJSON\` with a \`direction\` reads by \`DirectedModels\`.
   */
  persistent<N extends ${byCode.map(quote).join(' | ')}>(
    name: N,
    annotation: import('@macaron/core').PersistAnnotation,
  ): MacaronPersistentModelClass<
    Extract<Models[N], object>,
    ${directionsByName}
  >;`
      : '';

  const operations = operationTypes(api, writer, directed.writers);
  if (directions.some((direction) => directed.writers[direction].usedOptional))
    declarations.push(`/**
 * \`T\` with its properties \`K\` optional, in each member of a union: where a schema's allOf
 * member requires a property the schema marks \`readOnly\` (left out of a request) or
 * \`writeOnly\` (left out of a response).
 */
export type ${directed.optional}<T, K extends PropertyKey> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [P in keyof T as P extends K ? never : P]: T[P] } & {
        [P in keyof T as P extends K ? P : never]?: T[P];
      }
    : T;`);
  const coreTypes = [
    'Api as MacaronApi',
    'ModelClass as MacaronModelClass',
    'PersistentModelClass as MacaronPersistentModelClass',
    'TypedPersistentClass',
    'TypedTransaction',
    'Transaction as MacaronTransaction',
  ];
  // Only a spec with operations needs the adapter's handler types (and so @macaron/fastify).
  const handlerTypes =
    operations === ''
      ? ''
      : `
/** The handlers of the spec for \`macaronFastify\`: typed values in, responses checked out. */
export type Handlers = TypedHandlers<Operations>;
`;
  return `// Generated by \`macaron generate\` from ${commentText(options.source)}. Do not edit: run it again after changing the spec.
import type {
${coreTypes.map((type) => `  ${type},`).join('\n')}
} from '@macaron/core';
import { SpecError as MacaronSpecError } from '@macaron/core';
${operations === '' ? '' : "import type { TypedHandlers } from '@macaron/fastify';\n"}
${declarations.join('\n\n')}

/** Every schema's type, by schema name. */
export interface Models {
${names.map((name) => `  ${propertyKey(name)}: ${id(name)};`).join('\n')}
}

/**
 * The schemas whose types differ in a request or a response (a required \`readOnly\` or
 * \`writeOnly\` property, at any depth): those types, as \`fromJSON\` reads them with a
 * \`direction\`. Any other schema's are its own.
 */
export interface DirectedModels {
${names
  .filter(differsByDirection)
  .map(
    (name) =>
      `  ${propertyKey(name)}: { request: ${directedType(name, 'request')}; response: ${directedType(name, 'response')} };`,
  )
  .join('\n')}
}

/** The schemas with a full \`x-persist\` annotation: their keys, indexes and fixed properties. */
export interface PersistentModels {
${persistent.join('\n')}
}

/** Every operation, by the name its handler is given: its parameters, body and responses. */
export interface Operations {
${operations}
}
${handlerTypes}
/**
 * The API, typed: \`model()\` and \`persistent()\` by schema name. Still an \`Api\`, so it goes
 * where one is expected (\`macaronFastify\`'s \`api\` option).
 */
export interface TypedApi extends MacaronApi {
  /** The model class of a named schema; \`fromJSON\` with a \`direction\` reads by \`DirectedModels\`. */
  model<N extends keyof Models & string>(
    name: N,
  ): MacaronModelClass<
    Extract<Models[N], object>,
    ${directionsByName}
  >;
  /** \`Api\`'s signature, which no name can call: it keeps this type an \`Api\`. */
  model<T extends object>(name: never): MacaronModelClass<T>;
  /** The persistent class of a schema with a full \`x-persist\` annotation. */
  persistent<N extends keyof PersistentModels & string>(
    name: N,
  ): TypedPersistentClass<PersistentModels[N]>;${byCodeOverload}
  /** \`Api\`'s signature, which no name can call: it keeps this type an \`Api\`. */
  persistent<T extends object>(name: never): MacaronPersistentModelClass<T>;
  /** Writes applied together or not at all; each action typed by its class or object. */
  transaction(build: (transaction: TypedTransaction) => void | Promise<void>): Promise<void>;
  /** \`Api\`'s signature (a callback taking core's \`Transaction\`): it keeps this type an \`Api\`. */
  transaction(build: (transaction: MacaronTransaction) => void | Promise<void>): Promise<void>;
}

/** The schema names these types were generated from. */
export const modelNames: readonly string[] = [
${names.map((name) => `  ${quote(name)},\n`).join('')}];

/**
 * The API with the types of this file; the same object at run time. Throws a SpecError when
 * the API lacks a schema of this file (the file is older than the spec: generate it again).
 */
export function typed(api: MacaronApi): TypedApi {
  const known = new Set(api.modelNames());
  const missing = modelNames.filter((name) => !known.has(name));
  if (missing.length > 0) {
    // The deployment's fault, not a request's: a 500 if it ever reaches a reply.
    throw new MacaronSpecError(
      'The generated types are out of date; run macaron generate again',
      missing.map((name) => ({ pointer: '', schema: name, message: \`the API has no schema \${name}\` })),
    );
  }
  return api as unknown as TypedApi;
}
`;
}

// Whether a schema reaches itself through the subschemas that apply to the same value (core's
// `inPlaceSubschemas`: allOf, not, if/then/else, dependentSchemas, the members of a union without
// a discriminator), with no property or item in between: what loadApi refuses where it is used.
function appliesItself(schema: SchemaNode): boolean {
  const seen = new Set<SchemaNode>();
  const pending = inPlaceSubschemas(schema);
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node === schema) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    pending.push(...inPlaceSubschemas(node));
  }
  return false;
}
