import { optionNames } from '../persist/option-names.js';
import type { PersistAnnotation } from '../persist/persist-annotation.js';

/** How a spec is read, beyond the spec itself: a compatibility mode and annotations from code. */
export interface SpecReadOptions {
  /**
   * `'pymacaron'` accepts what PyMacaron accepted: a persisted schema whose key (or sort key)
   * is not in `required`. Such a key is then checked when an object is stored: without it,
   * `save()` and `create()` throw a `ValidationError` naming the key.
   */
  compat?: 'pymacaron' | undefined;
  /**
   * Table and key of the schemas in PyMacaron's form (`x-persist: a.class.Path`), by schema
   * name, as `api.persistent(name, { table, key })` would give them: known from the start, so
   * `api.tables()`, `ensureTables` and the CLI (`macaron.config.json`) see them. One object
   * serves every spec of a project: names the spec has no schema of are skipped.
   */
  persist?: Readonly<Record<string, PersistAnnotation>> | undefined;
}

/**
 * The keys `SpecReadOptions` may have; any other is refused (P-110). `$schema` is taken and
 * ignored: a `macaron.config.json` names its JSON schema so, and the CLI's README passes that
 * object to `loadApi` as it is.
 */
export const specReadOptionNames = optionNames('compat', 'persist', '$schema');
