/**
 * `@macaron/core/backend`: the implementer's kit. Everything a storage backend needs and an
 * application does not: the contract and its version, the request shapes, the engine-neutral
 * evaluation of conditions and update operations, value ordering, item size, keys, exact
 * numbers and copies that keep every property name. A backend built on it and passing
 * `@macaron/backend-conformance` is a Macaron backend; docs/backends/authoring.md is the guide.
 */

export { type ErrorJson, MacaronError, type MacaronErrorOptions } from './errors/macaron-error.js';
export { importOptionalPeer, peerMissing } from './errors/missing-dependency-error.js';
export {
  AccessDeniedError,
  BackendError,
  type BackendErrorOptions,
  ConditionFailedError,
  InvalidRequestError,
  ThrottledError,
  TransactionCanceledError,
  type TransactionCancelReason,
  UnreachableError,
  UnsupportedOperationError,
  WriteOutcomeUnknownError,
} from './errors/persistence-errors.js';
export {
  TableExistsError,
  TableMismatchError,
  TableNotFoundError,
} from './errors/provisioning-errors.js';
export { quotedName, shownJson, shownName, shownText } from './errors/shown-name.js';
export { ValidationError, type ValidationProblem } from './errors/validation-error.js';
export { applyUpdate } from './evaluate/apply-update.js';
export { pathSegments, valueAt } from './evaluate/attribute-path.js';
export { cloneItem, cloneItemToWrite, cloneValue } from './evaluate/clone-value.js';
export { evaluateCondition, evaluateSortCondition } from './evaluate/evaluate-condition.js';
export { checkItemNesting } from './evaluate/item-nesting.js';
export {
  type CheckedTransactionActions,
  checkTransactionActions,
  cloneTransactionPuts,
} from './evaluate/transaction-puts.js';
export { checkUpdatePaths, copyCheckedOperations } from './evaluate/update-paths.js';
export { updatedItem } from './evaluate/updated-item.js';
export { valuesEqual } from './evaluate/value-equality.js';
export { capabilitiesProblem, withOverrides } from './persist/backend-capabilities.js';
export { backendContractVersion, checkBackendContract } from './persist/backend-contract.js';
export { checkQueryFilter, checkRequestCondition } from './persist/check-condition.js';
export {
  type Comparison,
  type ComparisonOperator,
  type Condition,
  type ConditionOperand,
  comparisonOperators,
  type OperandObject,
  type SortKeyCondition,
} from './persist/condition.js';
export { checkItemKey, keyFingerprint, keyOfItem, keyValueProblem } from './persist/item-key.js';
export { checkItemSize, itemSize } from './persist/item-size.js';
export { checkItemToWrite } from './persist/item-to-write.js';
export { checkJsonItemToWrite } from './persist/json-item-to-write.js';
export { keyAttributes, keyTypeClash } from './persist/key-type-clash.js';
export { checkOptionNames, type OptionNames, optionNames } from './persist/option-names.js';
export { perTable } from './persist/per-table.js';
export {
  type CheckedBatchGet,
  checkBatchGetRequest,
  checkGetRequest,
  checkQueryRequest,
  checkRequestModel,
  checkScanRequest,
  checkTablesRequest,
  indexRead,
  isEmptyPrefix,
} from './persist/read-request.js';
export { checkStartKey } from './persist/start-key.js';
export type {
  BackendCapabilities,
  BatchGetEntry,
  BatchGetResult,
  BatchWriteEntry,
  BatchWriteResult,
  DeleteItemRequest,
  GetItemRequest,
  Page,
  PutItemRequest,
  QueryRequest,
  ScanRequest,
  StorageBackend,
  TransactionAction,
  UpdateItemRequest,
} from './persist/storage-backend.js';
export type {
  AttributePath,
  ItemKey,
  KeyValue,
  StoredItem,
  StoredValue,
} from './persist/stored-value.js';
export type {
  IndexDescriptor,
  KeyAttribute,
  KeyType,
  ModelDescriptor,
  TableDescriptor,
} from './persist/table-descriptor.js';
export { tablesOfOneCall } from './persist/tables-of-one-call.js';
export type { UpdateOperation } from './persist/update-operation.js';
export {
  compareBytes,
  compareKeyValues,
  compareNumbers,
  compareScalars,
  compareStrings,
  scalarType,
} from './persist/value-order.js';
export {
  checkBatchWriteRequest,
  checkDeleteRequest,
  checkTransactionRequest,
} from './persist/write-request.js';
export { addExactly, parseExactNumber } from './schema/exact-number.js';
export { assignOwnProperties, ownProperty, setOwnProperty } from './schema/own-property.js';
export type { SchemaNode, SchemaType } from './schema/schema-node.js';
