export { planTables, type TablePlan } from './plan-tables.js';
export { TableExistsError, TableMismatchError } from './provision-errors.js';
export type {
  ProvisionChange,
  ProvisionedThroughput,
  ProvisionOptions,
} from './provision-options.js';
export { createTables, deleteTables, ensureTables } from './provision-tables.js';
export { toCreateTableInput } from './table-definition.js';
