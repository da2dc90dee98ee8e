// @credchain/core/plugin: the surface for authors of plugins (persistence backends, transports,
// instrumenters). Named re-exports only.
// The Reflect polyfill must load before tsyringe, whichever entry point is imported first.
import "./container.js";
export type { CredchainPlugin } from "./plugins/CredchainPlugin.js";
export { usePlugin } from "./plugins/usePlugin.js";
export { rootContainer } from "./container.js";
export { Tokens } from "./Tokens.js";
export type {
  TokenCachePartition,
  TokenCachePersistence,
  TokenCacheStore,
  TokenCacheStoreOptions,
  TokenCoordination,
  TokenCoordinationOutcome,
} from "./cache/TokenCachePersistence.js";
export type { HttpRequest, HttpResponse, HttpTransport } from "./http/HttpTransport.js";
export { FetchHttpTransport } from "./http/fetchTransport.js";
export type {
  Instrumenter,
  InstrumentedSpan,
  SpanAttributes,
  SpanAttributeValue,
  SpanStartOptions,
} from "./instrumentation/Instrumenter.js";
export { type Logger, noopLogger } from "./Logger.js";
export { type Clock, systemClock } from "./Clock.js";
export { sleep } from "./http/abortable.js";
export { AES_GCM_KEY_BYTES, aesGcmCodec } from "./plugin/aesGcmCodec.js";
export { decodeBase64Key } from "./plugin/decodeBase64Key.js";
export {
  PersistenceServices,
  type PersistenceServicesFallback,
} from "./plugin/PersistenceServices.js";
export { registeredServices, type RegisteredServices } from "./plugin/registeredServices.js";
