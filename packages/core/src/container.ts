import type { DependencyContainer } from "tsyringe";
import { globals } from "./globals.js";

/**
 * The container `usePlugin` registers into. A child of tsyringe's global container, so credchain
 * registrations never leak into an application's own tsyringe registrations.
 * `rootContainer.createChildContainer()` scopes an override to the credentials given that child.
 * Every copy of `@credchain/core` loaded in one process shares the same one.
 */
export const rootContainer: DependencyContainer = globals.rootContainer;

/** Active plugins by name, shared by every copy of `@credchain/core` in the process. */
export const activePlugins = globals.plugins;
