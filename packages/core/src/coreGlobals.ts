import type { DependencyContainer, InjectionToken } from "tsyringe";
import type { CredentialEventEmitter } from "./events/CredentialEventEmitter.js";

/** One provider a plugin registered, as `usePlugin` records it for the undo. */
export interface PluginRegistration {
  readonly token: InjectionToken;
  readonly provider: unknown;
}

/**
 * What every copy of `@credchain/core` in a process shares (as OpenTelemetry's `global-utils.ts`
 * does for its API): a bundler, a nested `node_modules` or a dual install may load two copies, and
 * a plugin registered through one must be seen by credentials built on the other. Version 1 of
 * this shape; a change that older copies could not read takes a new key (`…v2`), and copies of
 * different majors then keep separate registries instead of misreading each other's.
 */
export interface CoreGlobals {
  /** The version of the copy that created it, for diagnostics. */
  readonly version: string;
  /** The container `usePlugin` registers into. */
  readonly rootContainer: DependencyContainer;
  /** Active plugins by name, with what each registered. */
  readonly plugins: Map<string, PluginRegistration[]>;
  /**
   * The process-wide `credentialEvents`: the emitter object itself, not its class, so every copy
   * calls the first copy's methods on the first copy's instance (its private listener guards
   * included). `EventSink` reads its eventemitter3 `_eventsCount`, checked below.
   */
  readonly events: CredentialEventEmitter;
}

/** `Symbol.for`: the same key from every copy (and every realm) of the package. */
export const CORE_GLOBALS_KEY: unique symbol = Symbol.for("credchain.core.globals.v1");

function isCoreGlobals(value: unknown): value is CoreGlobals {
  const candidate = value as Partial<CoreGlobals> | undefined;
  return (
    typeof candidate?.version === "string" &&
    typeof candidate.rootContainer?.createChildContainer === "function" &&
    candidate.plugins instanceof Map &&
    typeof candidate.events?.emit === "function" &&
    typeof candidate.events.listenerCount === "function" &&
    typeof (candidate.events as unknown as { _eventsCount?: unknown })._eventsCount === "number"
  );
}

/**
 * The process-wide globals: those of the first copy that loaded, created with `create` when this
 * is the first. A malformed value under the key (someone else's) is left alone, and this copy
 * keeps its own registry: working alone beats throwing at import.
 */
export function coreGlobals(create: () => CoreGlobals): CoreGlobals {
  const holder = globalThis as { [CORE_GLOBALS_KEY]?: unknown };
  const existing = holder[CORE_GLOBALS_KEY];
  if (isCoreGlobals(existing)) return existing;
  const created = create();
  if (existing === undefined) {
    // Not enumerable (it stays out of `Object.keys(globalThis)`), and fixed once set: a later copy
    // cannot replace the registry earlier copies already handed out.
    Object.defineProperty(globalThis, CORE_GLOBALS_KEY, {
      value: Object.freeze(created),
      enumerable: false,
      configurable: false,
      writable: false,
    });
  }
  return created;
}
