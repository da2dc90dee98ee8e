import type { InjectionToken } from "tsyringe";
import type { Clock } from "./Clock.js";
import type { Logger } from "./Logger.js";
import type { HttpTransport } from "./http/HttpTransport.js";
import type { TokenCachePersistence } from "./cache/TokenCachePersistence.js";
import type { Instrumenter } from "./instrumentation/Instrumenter.js";

/**
 * The injection tokens credentials resolve their collaborators by. `Symbol.for` keys, so two copies
 * of `@credchain/core` in one process agree on them.
 */
export const Tokens = {
  /** `Clock`; default: the wall clock. */
  Clock: Symbol.for("credchain.Clock") as InjectionToken<Clock>,
  /** `HttpTransport`; default: `node:https` keep-alive, through undici when a proxy applies. */
  HttpTransport: Symbol.for("credchain.HttpTransport") as InjectionToken<HttpTransport>,
  /** `TokenCachePersistence`; default: none (memory only). */
  TokenCachePersistence: Symbol.for(
    "credchain.TokenCachePersistence",
  ) as InjectionToken<TokenCachePersistence>,
  /** `Instrumenter`; default: none (no spans). */
  Instrumenter: Symbol.for("credchain.Instrumenter") as InjectionToken<Instrumenter>,
  /** `Logger`; default: discards everything. */
  Logger: Symbol.for("credchain.Logger") as InjectionToken<Logger>,
} as const;
