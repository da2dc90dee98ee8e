import type { DependencyContainer } from "tsyringe";
import type { Clock } from "../Clock.js";
import { resolveOptional } from "../credential/resolveCredentialServices.js";
import type { Logger } from "../Logger.js";
import { Tokens } from "../Tokens.js";

/**
 * The logger and clock registered in the container a plugin was registered in. A persistence
 * plugin prefers the ones each store brings (`TokenCacheStoreOptions.logger` / `clock`, the
 * opening credential's); these are the fallback for a store opened without them.
 */
export interface RegisteredServices {
  /** The registered `Tokens.Logger`, or `undefined` when none is. */
  logger(): Logger | undefined;
  /** The registered `Tokens.Clock`, or `undefined` when none is. */
  clock(): Clock | undefined;
}

/**
 * Looks `Tokens.Logger` and `Tokens.Clock` up in `container` on each call, not at registration,
 * so a logger or clock registered after the plugin still counts.
 *
 * ```ts
 * register(container) {
 *   const persistence = new MyPersistence(resolved, registeredServices(container));
 *   container.register(Tokens.TokenCachePersistence, { useValue: persistence });
 * }
 * ```
 */
export function registeredServices(container: DependencyContainer): RegisteredServices {
  return {
    logger: () => resolveOptional(container, Tokens.Logger),
    clock: () => resolveOptional(container, Tokens.Clock),
  };
}
