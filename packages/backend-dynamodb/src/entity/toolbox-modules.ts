import { peerMissing } from '@macaron/core/backend';
import type { Entity, Table } from 'dynamodb-toolbox';
import type { EntityParser } from 'dynamodb-toolbox/entity/actions/parse';
import type * as SchemaBuilders from 'dynamodb-toolbox/schema';

/** The parts of dynamodb-toolbox the derived tables and entities are built with. */
export interface Toolbox {
  readonly Entity: typeof Entity;
  readonly Table: typeof Table;
  /** The parser every write of an entity parses its item with (`entity.build(EntityParser)`). */
  readonly EntityParser: typeof EntityParser;
  /** The schema builders (`string()`, `map()`, …). */
  readonly schema: typeof SchemaBuilders;
}

/**
 * Imports dynamodb-toolbox, an optional peer, on first use. Each `import()` has its `catch`,
 * so that an application bundled without the toolbox installed still builds (see
 * `peerMissing`); its subpaths, because the package root pulls in every toolbox action
 * (about 600 modules).
 */
export async function loadToolbox(neededFor: string): Promise<Toolbox> {
  const missing = peerMissing('dynamodb-toolbox', neededFor);
  const [entity, schema, table, parse] = await Promise.all([
    import('dynamodb-toolbox/entity').catch(missing),
    import('dynamodb-toolbox/schema').catch(missing),
    import('dynamodb-toolbox/table').catch(missing),
    import('dynamodb-toolbox/entity/actions/parse').catch(missing),
  ]);
  return { Entity: entity.Entity, Table: table.Table, EntityParser: parse.EntityParser, schema };
}
