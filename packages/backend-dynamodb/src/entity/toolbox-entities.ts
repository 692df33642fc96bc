import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModelDescriptor, TableDescriptor } from '@macaron/core';
import type { Entity, Table } from 'dynamodb-toolbox';
import { deriveEntity } from './derive-entity.js';
import { deriveTable } from './derive-table.js';
import { toolboxDocumentClient } from './toolbox-document-client.js';
import type { Toolbox } from './toolbox-modules.js';

/**
 * The derived toolbox Tables and Entities of one backend, each built once per descriptor, all
 * sending with one DocumentClient on the backend's client. The backend loads this module, and
 * dynamodb-toolbox (`loadToolbox`), only when a table or an entity is asked for.
 */
export class ToolboxEntities {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tables = new WeakMap<TableDescriptor, Table>();
  private readonly entities = new WeakMap<ModelDescriptor, Entity>();

  constructor(
    client: DynamoDBClient,
    private readonly toolbox: Toolbox,
  ) {
    this.documentClient = toolboxDocumentClient(client);
  }

  table(descriptor: TableDescriptor): Table {
    let table = this.tables.get(descriptor);
    if (!table) {
      table = deriveTable(descriptor, this.documentClient, this.toolbox);
      this.tables.set(descriptor, table);
    }
    return table;
  }

  entity(model: ModelDescriptor): Entity {
    let entity = this.entities.get(model);
    if (!entity) {
      entity = deriveEntity(model, this.table(model.table), this.toolbox);
      this.entities.set(model, entity);
    }
    return entity;
  }
}
