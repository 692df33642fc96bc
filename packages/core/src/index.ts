export { type Api, type LoadApiOptions, loadApi } from './api/load-api.js';
export {
  defineError,
  type ErrorDefinition,
  type ErrorJson,
  MacaronError,
  type MacaronErrorOptions,
} from './errors/macaron-error.js';
export { MissingDependencyError } from './errors/missing-dependency-error.js';
export {
  AccessDeniedError,
  AlreadyExistsError,
  BackendError,
  type BackendErrorOptions,
  BatchIncompleteError,
  ConditionFailedError,
  ConflictError,
  formatKey,
  InvalidCursorError,
  InvalidKeyError,
  InvalidRequestError,
  ItemError,
  type ItemLocation,
  ItemNotFoundError,
  NoBackendError,
  ThrottledError,
  TransactionCanceledError,
  type TransactionCancelReason,
  type UnprocessedEntry,
  UnreachableError,
  UnsupportedOperationError,
  WriteOutcomeUnknownError,
} from './errors/persistence-errors.js';
export {
  TableExistsError,
  TableMismatchError,
  TableNotFoundError,
} from './errors/provisioning-errors.js';
export { SpecError, type SpecProblem } from './errors/spec-error.js';
export { ValidationError, type ValidationProblem } from './errors/validation-error.js';
export type {
  DirectedModel,
  Model,
  ModelClass,
  ModelDirections,
  ModelMethods,
  ModelValues,
} from './model/model-class.js';
export {
  type Comparison,
  type ComparisonOperator,
  type Condition,
  type ConditionOperand,
  comparisonOperators,
  type OperandObject,
  type SortKeyCondition,
} from './persist/condition.js';
export type { KeyInput } from './persist/item-key.js';
export type { Constructor } from './persist/operations/model-runtime.js';
export type { IndexAnnotation, PersistAnnotation } from './persist/persist-annotation.js';
export type { BatchRetryOptions } from './persist/persistence-context.js';
export type {
  Persistent,
  PersistentMethods,
  PersistentModelClass,
  ReadOptions,
  WriteOptions,
} from './persist/persistent-model.js';
export type { QueryOptions, ResultPage, ScanOptions } from './persist/query-pages.js';
// The shapes StorageBackend's methods take and give: types only (the helpers that work on
// them are in @macaron/core/backend).
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
export type { Transaction } from './persist/transaction.js';
// Type only: a key of the typed objects' types, with no value at run time.
export type {
  MacaronAttribute,
  MacaronChanges,
  MacaronComparedValue,
  MacaronComparisonOf,
  MacaronConstructor,
  MacaronContainedValue,
  MacaronCreateValues,
  MacaronDirectionsOf,
  MacaronFilled,
  MacaronKeys,
  MacaronMemberChanges,
  MacaronOmit,
  MacaronOneOperator,
  MacaronOperator,
  MacaronOrderedValue,
  MacaronPlainValue,
  MacaronPrefixValue,
  MacaronPropertyValue,
  MacaronSetOf,
  ModelTypesOf,
  ObjectWriteOptions,
  OfModelTypes,
  PersistentModelTypes,
  persistentModelTypes,
  TypedCondition,
  TypedKeyInput,
  TypedKeyObject,
  TypedObject,
  TypedPersistent,
  TypedPersistentClass,
  TypedPersistentMethods,
  TypedQuery,
  TypedQueryCommon,
  TypedScan,
  TypedSortCondition,
  TypedTransaction,
  TypedUpdateChanges,
  TypedWriteOptions,
} from './persist/typed-persistent-class.js';
export type {
  ListKeys,
  NumberKeys,
  NumericNames,
  OptionalKeys,
  PropertyOf,
  StringKeys,
  UpdateChanges,
} from './persist/update-changes.js';
export type { UpdateOperation } from './persist/update-operation.js';
export { modelValueOfText, propertySchema } from './schema/copy-value.js';
export type { Dialect } from './schema/normalize-schema.js';
export type { SchemaNode, SchemaType } from './schema/schema-node.js';
export { inPlaceSubschemas, subschemas } from './schema/subschemas.js';
export {
  type ValidateOptions,
  ValidationSession,
  validateValue,
} from './schema/validate-value.js';
export { liftedRequirements, type ValueDirection } from './schema/value-direction.js';
export { wrappedSchema } from './schema/wrapped-schema.js';
export { checkSpec, compileSpec } from './spec/compile-spec.js';
export { writtenSpecJson, writtenSpecValue } from './spec/exact-spec-numbers.js';
export { type CompiledSpec, compiledMarker } from './spec/load-spec.js';
export { refFilePath } from './spec/ref-file-path.js';
export { createRefResolver, type SpecRefResolver } from './spec/ref-resolver.js';
export { boundedSpecFetch, type SpecFetchBounds, specFetchTimeoutMs } from './spec/spec-fetch.js';
export { fileUrlPath, specFileBody } from './spec/spec-file-body.js';
export { maxSpecFileBytes, readSpecFile, readSpecFileSync } from './spec/spec-file-read.js';
export { type SpecOperationEntry, specOperations } from './spec/spec-operations.js';
export type { SpecReadOptions } from './spec/spec-options.js';
export { checkSpecValues, type SpecValuesSource } from './spec/spec-values.js';
