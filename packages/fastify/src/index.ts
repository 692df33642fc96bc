import { macaronFastify } from './plugin/macaron-fastify.js';

export default macaronFastify;
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
export {
  AuthorizationHeaderMissingError,
  BadRequestError,
  BadUrlError,
  DuplicateRouteError,
  HandlerBindingError,
  HandlerTimeoutError,
  HeadersTooLargeError,
  InvalidParameterError,
  type InvalidParameterJson,
  MethodNotAllowedError,
  RequestTimeoutError,
  RequestTooLargeError,
  RouteNotFoundError,
  ServerError,
  TokenExpiredError,
  TokenInvalidError,
  UnsupportedMediaTypeError,
  UriTooLongError,
} from './errors/http-errors.js';
export type {
  BearerAuthOptions,
  DecoratorContext,
  ErrorFormatter,
  ErrorReporter,
  ErrorRequestInfo,
  FormattedError,
  MacaronFastifyOptions,
  OperationContext,
  OperationHandler,
  OperationHandlers,
  SecurityContext,
  SecurityHandler,
  ServerDecorator,
  VersionInfo,
} from './plugin/plugin-options.js';
export {
  type MacaronRouterOptions,
  type MacaronServerErrorHooks,
  type MacaronServerOptions,
  macaronServerOptions,
} from './server/server-options.js';
export type {
  HandlerResult,
  OperationTypes,
  SuccessStatus,
  TypedHandler,
  TypedHandlers,
} from './types/typed-handlers.js';
export { macaronFastify };
