import type { Api, PersistAnnotation } from '@macaron/core';

/** A schema in PyMacaron's form whose table and key nothing given with the spec holds. */
export interface UnconfiguredModel {
  name: string;
  /** Why: what the `persist` option (macaron.config.json) lacks, naming its entries no schema has. */
  message: string;
}

/**
 * The schemas marked `x-persist: a.class.Path` whose `{ table, key }` the `persist` option
 * (macaron.config.json) does not give: the tools cannot know their tables, and leave them out
 * (the application may still give them to `api.persistent(name, annotation)`). Its entries that
 * name no schema of the spec are named too: one may be the missing entry misspelt.
 */
export function unconfiguredModels(
  api: Api,
  persist: Readonly<Record<string, PersistAnnotation>> | undefined,
): UnconfiguredModel[] {
  const names = new Set(api.modelNames());
  const strays = Object.keys(persist ?? {}).filter((name) => !names.has(name));
  const hint =
    strays.length === 0
      ? ''
      : ` (it names ${strays.map((name) => JSON.stringify(name)).join(', ')}, which this spec has no schema of)`;
  return api.modelNames().flatMap((name) => {
    const classPath = api.schema(name).persist;
    if (typeof classPath !== 'string') return [];
    try {
      api.persistent(name);
      return [];
    } catch {
      return [
        {
          name,
          message: `${name} is in PyMacaron's form (x-persist: ${classPath}) and the persist option (macaron.config.json) gives no { table, key } for it${hint}: the tools leave its table out, and the application must give them to api.persistent(${JSON.stringify(name)}, { table, key })`,
        },
      ];
    }
  });
}
