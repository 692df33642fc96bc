// Core's, re-exported: the same classes on every backend.
export { TableExistsError, TableMismatchError } from '@macaron/core';
export { planTables, type TablePlan } from './plan-tables.js';
export type {
  ProvisionChange,
  ProvisionedThroughput,
  ProvisionOptions,
} from './provision-options.js';
export { createTables, deleteTables, ensureTables } from './provision-tables.js';
export { toCreateTableInput } from './table-definition.js';
