// tsyringe reads decorator metadata through the Reflect API and throws at import without it.
// credchain itself uses no decorators (collaborators are resolved by explicit tokens), but the
// polyfill must load before tsyringe does.
import "reflect-metadata";
import { container, type DependencyContainer } from "tsyringe";

/**
 * The container `usePlugin` registers into. A child of tsyringe's global container, so credchain
 * registrations never leak into an application's own tsyringe registrations.
 * `rootContainer.createChildContainer()` scopes an override to the credentials given that child.
 */
export const rootContainer: DependencyContainer = container.createChildContainer();
