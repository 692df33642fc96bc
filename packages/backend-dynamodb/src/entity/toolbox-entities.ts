import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModelDescriptor, TableDescriptor } from '@macaron/core';
import { perTable } from '@macaron/core/backend';
import type { Entity, Table } from 'dynamodb-toolbox';
import { deriveEntity } from './derive-entity.js';
import { deriveTable } from './derive-table.js';
import { guardedEntity } from './guarded-entity.js';
import { toolboxDocumentClient } from './toolbox-document-client.js';
import type { Toolbox } from './toolbox-modules.js';

/**
 * The derived toolbox Tables and Entities of one backend, each built once per descriptor, all
 * sending with one DocumentClient on the backend's client. The backend loads this module, and
 * dynamodb-toolbox (`loadToolbox`), only when a table or an entity is asked for.
 */
export class ToolboxEntities {
  private readonly documentClient: DynamoDBDocumentClient;
  // Made again when the table gains an index (see `perTable`), and its entities with it.
  private readonly tables = perTable((descriptor) =>
    deriveTable(descriptor, this.documentClient, this.toolbox),
  );
  private readonly entities = new WeakMap<ModelDescriptor, { table: Table; entity: Entity }>();

  constructor(
    client: DynamoDBClient,
    private readonly toolbox: Toolbox,
  ) {
    this.documentClient = toolboxDocumentClient(client);
  }

  table(descriptor: TableDescriptor): Table {
    return this.tables(descriptor);
  }

  entity(model: ModelDescriptor): Entity {
    const table = this.table(model.table);
    const made = this.entities.get(model);
    if (made?.table === table) return made.entity;
    const entity = guardedEntity(
      deriveEntity(model, table, this.toolbox),
      model,
      this.toolbox.EntityParser,
    );
    this.entities.set(model, { table, entity });
    return entity;
  }
}
