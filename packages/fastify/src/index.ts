export { macaronFastify } from './plugin/macaron-fastify.js';
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
