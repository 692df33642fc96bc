import { macaronFastify } from './plugin/macaron-fastify.js';

export default macaronFastify;
export type {
  BearerAuthOptions,
  ErrorFormatter,
  ErrorReporter,
  ErrorRequestInfo,
  FormattedError,
  MacaronFastifyOptions,
  OperationContext,
  OperationHandler,
  OperationHandlers,
} from './plugin/plugin-options.js';
export {
  type MacaronServerErrorHooks,
  type MacaronServerOptions,
  macaronServerOptions,
} from './server/server-options.js';
export type {
  HandlerResult,
  OperationTypes,
  TypedHandler,
  TypedHandlers,
} from './types/typed-handlers.js';
export type {
  PersistentModelTypes,
  TypedCondition,
  TypedPersistentClass,
  TypedQuery,
  TypedScan,
  TypedSortCondition,
  TypedUpdateChanges,
  TypedWriteOptions,
} from './types/typed-persistence.js';
export { macaronFastify };
