import { EventEmitter } from "eventemitter3";
import type { CredentialEventMap } from "./CredentialEventMap.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- listeners of every event share one guard map
type Listener = (...args: any[]) => void;

/**
 * Lifecycle hooks. An eventemitter3 emitter whose listeners are isolated: a listener that throws
 * is reported through `onListenerError` and never breaks `getToken` or the other listeners.
 * Isolation happens when a listener is added, so `emit` stays eventemitter3's fast path.
 */
export class CredentialEventEmitter extends EventEmitter<CredentialEventMap> {
  /** Called with whatever a listener threw. Default: ignore it, as a listener is not ours to fix. */
  onListenerError: (error: unknown, event: string) => void = () => {};
  readonly #guarded = new WeakMap<Listener, Listener>();

  #report(error: unknown, event: string): void {
    try {
      this.onListenerError(error, event);
    } catch {
      // The error reporter itself failed; there is nowhere left to report to.
    }
  }

  #guard(event: string, listener: Listener): Listener {
    if (typeof listener !== "function") {
      throw new TypeError(
        `credentialEvents.on("${typeof event === "string" && event.length <= 64 ? event : "…"}", listener): the listener must be a function; got ${listener === null ? "null" : typeof listener}.`,
      );
    }
    let guarded = this.#guarded.get(listener);
    if (guarded === undefined) {
      guarded = (...args: unknown[]) => {
        try {
          const returned: unknown = listener(...args);
          // An async listener that rejects is isolated the same way: an unobserved rejection
          // would crash the process over a log line.
          if (
            typeof returned === "object" &&
            returned !== null &&
            typeof (returned as PromiseLike<unknown>).then === "function"
          ) {
            (returned as PromiseLike<unknown>).then(undefined, (error: unknown) =>
              this.#report(error, event),
            );
          }
        } catch (error) {
          this.#report(error, event);
        }
      };
      this.#guarded.set(listener, guarded);
    }
    return guarded;
  }

  override on<T extends keyof CredentialEventMap>(
    event: T,
    fn: (...args: CredentialEventMap[T]) => void,
    context?: unknown,
  ): this {
    return super.on(event, this.#guard(event, fn as Listener) as typeof fn, context);
  }

  override addListener<T extends keyof CredentialEventMap>(
    event: T,
    fn: (...args: CredentialEventMap[T]) => void,
    context?: unknown,
  ): this {
    return this.on(event, fn, context);
  }

  override once<T extends keyof CredentialEventMap>(
    event: T,
    fn: (...args: CredentialEventMap[T]) => void,
    context?: unknown,
  ): this {
    return super.once(event, this.#guard(event, fn as Listener) as typeof fn, context);
  }

  override off<T extends keyof CredentialEventMap>(
    event: T,
    fn?: (...args: CredentialEventMap[T]) => void,
    context?: unknown,
    once?: boolean,
  ): this {
    const guarded = typeof fn !== "function" ? fn : (this.#guarded.get(fn) ?? fn);
    return super.off(event, guarded, context, once);
  }

  override removeListener<T extends keyof CredentialEventMap>(
    event: T,
    fn?: (...args: CredentialEventMap[T]) => void,
    context?: unknown,
    once?: boolean,
  ): this {
    return this.off(event, fn, context, once);
  }
}
