import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModelDescriptor, TableDescriptor } from '@macaron/core';
import type { Entity } from 'dynamodb-toolbox/entity';
import type { Table } from 'dynamodb-toolbox/table';
import { deriveEntity } from './derive-entity.js';
import { deriveTable } from './derive-table.js';
import { toolboxDocumentClient } from './toolbox-document-client.js';

/**
 * The derived toolbox Tables and Entities of one backend, each built once per descriptor, all
 * sending with one DocumentClient on the backend's client. This module imports
 * dynamodb-toolbox: the backend loads it only when a table or an entity is asked for.
 */
export class ToolboxEntities {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tables = new WeakMap<TableDescriptor, Table>();
  private readonly entities = new WeakMap<ModelDescriptor, Entity>();

  constructor(client: DynamoDBClient) {
    this.documentClient = toolboxDocumentClient(client);
  }

  table(descriptor: TableDescriptor): Table {
    let table = this.tables.get(descriptor);
    if (!table) {
      table = deriveTable(descriptor, this.documentClient);
      this.tables.set(descriptor, table);
    }
    return table;
  }

  entity(model: ModelDescriptor): Entity {
    let entity = this.entities.get(model);
    if (!entity) {
      entity = deriveEntity(model, this.table(model.table));
      this.entities.set(model, entity);
    }
    return entity;
  }
}
