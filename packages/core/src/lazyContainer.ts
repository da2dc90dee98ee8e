import { createRequire } from "node:module";
import type * as TsyringeModule from "tsyringe";
import type { DependencyContainer } from "tsyringe";

/**
 * Whether a lazy container has been created yet. A `Symbol.for` key, so every copy of
 * `@credchain/core` can ask the shared root container, whichever copy made it.
 */
export const MATERIALIZED: unique symbol = Symbol.for("credchain.container.materialized");

let tsyringe: typeof TsyringeModule | undefined;

/**
 * tsyringe (and the Reflect polyfill it needs first), loaded on first use: together they are
 * half of what importing credchain costs (~60-90 ms on a small machine), and a process that never
 * registers a plugin or passes a container never needs them.
 */
export function loadTsyringe(): typeof TsyringeModule {
  if (tsyringe === undefined) {
    const require = createRequire(import.meta.url);
    // tsyringe reads decorator metadata through the Reflect API and throws at load without it.
    require("reflect-metadata");
    tsyringe = require("tsyringe") as typeof TsyringeModule;
  }
  return tsyringe;
}

/**
 * A `DependencyContainer` that creates the real one (a child of tsyringe's global container) the
 * first time anything is asked of it. `MATERIALIZED` answers without creating it.
 */
export function lazyRootContainer(): DependencyContainer {
  let real: DependencyContainer | undefined;
  const materialize = (): DependencyContainer =>
    (real ??= loadTsyringe().container.createChildContainer());
  return new Proxy({} as DependencyContainer, {
    get(_target, property) {
      if (property === MATERIALIZED) return real !== undefined;
      const container = materialize();
      const value: unknown = Reflect.get(container, property, container);
      return typeof value === "function" ? (value as () => unknown).bind(container) : value;
    },
    has(_target, property) {
      return property === MATERIALIZED || Reflect.has(materialize(), property);
    },
  });
}

/**
 * Whether `container` holds any registration worth resolving: false only for a lazy container
 * not created yet (nothing can have been registered in it). Containers of other kinds (an older
 * copy's eager root, a caller's own) count as created.
 */
export function isMaterialized(container: DependencyContainer): boolean {
  return (container as { [MATERIALIZED]?: boolean })[MATERIALIZED] !== false;
}
