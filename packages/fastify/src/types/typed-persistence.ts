// The generic part of the types `macaron generate` writes for persistent classes lives in core
// (a project that only persists needs no fastify); exported here too, as before.
export type {
  MacaronAttribute,
  MacaronChanges,
  MacaronConstructor,
  MacaronOmit,
  PersistentModelTypes,
  TypedCondition,
  TypedPersistentClass,
  TypedQuery,
  TypedQueryCommon,
  TypedScan,
  TypedSortCondition,
  TypedUpdateChanges,
  TypedWriteOptions,
} from '@macaron/core';
