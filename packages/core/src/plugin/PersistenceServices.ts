import type { TokenCacheStoreOptions } from "../cache/TokenCachePersistence.js";
import { systemClock, type Clock } from "../Clock.js";
import { noopLogger, type Logger } from "../Logger.js";

/** Where a persistence finds a logger and clock when no opened store brought one. */
export interface PersistenceServicesFallback {
  /** Called once, on first use; `undefined` means none (the no-op logger). */
  logger?: () => Logger | undefined;
  /** Called once, on first use; `undefined` means none (the system clock). */
  clock?: () => Clock | undefined;
}

/**
 * The logger and clock of a persistence whose state (files, keys, a connection) is shared by every
 * store opened on it: the first opening credential's (`TokenCacheStoreOptions.logger` / `clock`),
 * else the fallback's (e.g. `registeredServices(container)`), else the no-op logger and the system
 * clock.
 *
 * ```ts
 * readonly #services = new PersistenceServices(fallback);
 * open(options: TokenCacheStoreOptions): TokenCacheStore {
 *   this.#services.adopt(options);
 *   ...
 * }
 * ```
 */
export class PersistenceServices {
  readonly #fallback: PersistenceServicesFallback;
  #storeLogger: Logger | undefined;
  #storeClock: Clock | undefined;
  #fallbackLogger: Logger | undefined;
  #fallbackClock: Clock | undefined;

  constructor(fallback: PersistenceServicesFallback = {}) {
    this.#fallback = fallback;
  }

  /** Takes the logger and clock of the first store that brings them. */
  adopt(options: Pick<TokenCacheStoreOptions, "logger" | "clock">): void {
    this.#storeLogger ??= options.logger;
    this.#storeClock ??= options.clock;
  }

  logger(): Logger {
    return this.#storeLogger ?? (this.#fallbackLogger ??= this.#fallback.logger?.() ?? noopLogger);
  }

  clock(): Clock {
    return this.#storeClock ?? (this.#fallbackClock ??= this.#fallback.clock?.() ?? systemClock);
  }
}
