import { types } from 'node:util';
import { InvalidRequestError, type ModelDescriptor } from '@macaron/core';
import { shownName, shownText } from '@macaron/core/backend';
import type { Entity } from 'dynamodb-toolbox';

/**
 * The entity, whose actions (`entity.build(PutItemCommand)`, `UpdateItemCommand`, transactions,
 * batch requests, parsers, its repository) refuse, with an `InvalidRequestError` and nothing
 * sent, what toolbox and the DocumentClient would lose or turn into something else:
 *
 * - a member named `__proto__`, at any depth of what an action is given (an item, a key, a
 *   condition): toolbox copies it as a member, then the DocumentClient's marshalling assigns it
 *   (`map['__proto__'] = …`), which sets the prototype of the map it builds instead; the request
 *   then holds that value's fields as members of the map (another item, or one the engine
 *   refuses), and an update names it `[object Object]`;
 * - in an item or one of its strict maps (a closed object of the spec), at any depth, an
 *   attribute the schema does not declare named like a member of `Object.prototype`
 *   (`toString`, `constructor`, …): toolbox's strict check asks `name in attributes`, which is
 *   true of those, and drops them silently.
 *
 * Macaron's own writes keep such attributes (P-88, P-89): write such items with Macaron.
 */
export function guardedEntity(
  entity: Entity,
  model: ModelDescriptor,
  parser: abstract new (...args: never[]) => object,
): Entity {
  const build = entity.build.bind(entity) as (action: unknown) => object;
  const schema = (entity as unknown as { schema: ToolboxSchema }).schema;
  const guard = (action: object): object =>
    new Proxy(action, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (
          typeof value !== 'function' ||
          typeof property !== 'string' ||
          property === 'constructor'
        )
          return value;
        return function (this: unknown, ...args: unknown[]) {
          for (const arg of args) {
            const at = protoMemberPointer(arg, '', 0, new Set());
            if (at !== undefined)
              throw new InvalidRequestError(
                `backend.entity(${shownName(model.name)}): ${property}() was given a member named __proto__ (at ${shownText(at)}), which dynamodb-toolbox drops at the top of an item and the DocumentClient turns into a prototype below it, writing other attributes or none: nothing sent. Write such items with Macaron, which keeps them`,
              );
          }
          if (property === 'item') {
            const at = undeclaredInheritedName(schema, args[0], '', 0);
            if (at !== undefined)
              throw new InvalidRequestError(
                `backend.entity(${shownName(model.name)}): item() was given the attribute ${shownText(at)}, which the schema does not declare and dynamodb-toolbox would drop silently (it is named like a member of Object.prototype): nothing sent`,
              );
          } else if (property === 'parse' && target instanceof parser && !keyOnly(args[1])) {
            // Every write parses its item here (`entity.build(EntityParser)`), also one that
            // never calls `item()`: the repository's put and update, its batch and
            // transaction requests, a command made with `new`, the parser called directly.
            const at = undeclaredInheritedName(schema, args[0], '', 0);
            if (at !== undefined)
              throw new InvalidRequestError(
                `backend.entity(${shownName(model.name)}): an item given to the entity holds the attribute ${shownText(at)}, which the schema does not declare and dynamodb-toolbox would drop silently (it is named like a member of Object.prototype): nothing sent`,
              );
          }
          const result = Reflect.apply(value, this === receiver ? target : this, args);
          // A builder's next step (`.item()`, `.options()`) is another action of the entity.
          return isActionOf(result, entity) ? guard(result) : result;
        };
      },
    });
  Object.defineProperty(entity, 'build', {
    value: (action: unknown) => guard(build(action)),
    configurable: true,
    writable: true,
  });
  return entity;
}

// A parse of a key alone (a get's, a delete's): toolbox keeps only the key attributes of it.
function keyOnly(options: unknown): boolean {
  return (options as { mode?: unknown } | undefined)?.mode === 'key';
}

function isActionOf(value: unknown, entity: Entity): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Promise) &&
    (value as { entity?: unknown }).entity === entity
  );
}

// The parts of a toolbox schema the walk reads.
interface ToolboxSchema {
  readonly type?: string;
  readonly attributes?: Readonly<Record<string, ToolboxSchema>>;
  readonly elements?: ToolboxSchema | readonly ToolboxSchema[];
}

// Where an item holds an attribute its schema or one of its maps does not declare, named like
// a member of Object.prototype (a JSON pointer), at any depth the schema describes.
function undeclaredInheritedName(
  schema: ToolboxSchema | undefined,
  value: unknown,
  pointer: string,
  depth: number,
): string | undefined {
  if (schema === undefined || typeof value !== 'object' || value === null || depth > 40)
    return undefined;
  const step = (name: string) => `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  switch (schema.type) {
    case 'item':
    case 'map': {
      const attributes = schema.attributes ?? {};
      for (const [name, member] of Object.entries(value)) {
        if (!Object.hasOwn(attributes, name)) {
          if (name in Object.prototype) return step(name);
          continue;
        }
        const found = undeclaredInheritedName(attributes[name], member, step(name), depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    case 'list':
    case 'record': {
      if (!Array.isArray(value) && schema.type === 'list') return undefined;
      for (const [name, member] of Object.entries(value)) {
        const elements = schema.elements as ToolboxSchema | undefined;
        const found = undeclaredInheritedName(elements, member, step(name), depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    case 'anyOf': {
      // A nullable object is anyOf(map, null): the map's names are checked.
      for (const element of (schema.elements as readonly ToolboxSchema[] | undefined) ?? []) {
        const found = undeclaredInheritedName(element, value, pointer, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

// Where a member named `__proto__` is in a value (a JSON pointer), at any depth: plain objects,
// arrays, sets and maps are looked into; what is deeper than DynamoDB nests (32) is not.
function protoMemberPointer(
  value: unknown,
  pointer: string,
  depth: number,
  seen: Set<object>,
): string | undefined {
  if (typeof value !== 'object' || value === null || depth > 40 || seen.has(value))
    return undefined;
  if (ArrayBuffer.isView(value)) return undefined;
  seen.add(value);
  const entries: Iterable<[string, unknown]> = types.isSet(value)
    ? [...value].map((member, index) => [String(index), member])
    : types.isMap(value)
      ? [...value].map(([key, member]) => [String(key), member])
      : Object.entries(value);
  for (const [name, member] of entries) {
    const at = `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (name === '__proto__' && !types.isSet(value) && !Array.isArray(value)) return at;
    const found = protoMemberPointer(member, at, depth + 1, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}
