// tsyringe reads decorator metadata through the Reflect API and throws at import without it.
// credchain itself uses no decorators (collaborators are resolved by explicit tokens), but the
// polyfill must load before tsyringe does.
import "reflect-metadata";
import { container, type DependencyContainer } from "tsyringe";
import { coreGlobals } from "./coreGlobals.js";
import { VERSION } from "./version.js";

/** Shared by every copy of `@credchain/core` in the process (see `coreGlobals`). */
const globals = coreGlobals(() => ({
  version: VERSION,
  rootContainer: container.createChildContainer(),
  plugins: new Map(),
}));

/**
 * The container `usePlugin` registers into. A child of tsyringe's global container, so credchain
 * registrations never leak into an application's own tsyringe registrations.
 * `rootContainer.createChildContainer()` scopes an override to the credentials given that child.
 * Every copy of `@credchain/core` loaded in one process shares the same one.
 */
export const rootContainer: DependencyContainer = globals.rootContainer;

/** Active plugins by name, shared by every copy of `@credchain/core` in the process. */
export const activePlugins = globals.plugins;
