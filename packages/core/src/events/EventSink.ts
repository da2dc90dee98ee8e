import type { CredentialEventEmitter } from "./CredentialEventEmitter.js";
import type { CredentialEventMap, CredentialEventName } from "./CredentialEventMap.js";
import { credentialEvents } from "./credentialEvents.js";

/** eventemitter3 5's internal count of events with at least one listener. */
interface Counted {
  readonly _eventsCount: number;
}

/**
 * Emits one event to a credential's own emitter and to the process-wide one. `has` lets hot paths
 * skip building a payload nobody listens to.
 */
export class EventSink {
  readonly #local: CredentialEventEmitter;

  constructor(local: CredentialEventEmitter) {
    this.#local = local;
  }

  has(event: CredentialEventName): boolean {
    if (!this.listening) return false;
    return this.#local.listenerCount(event) > 0 || credentialEvents.listenerCount(event) > 0;
  }

  /**
   * Whether either emitter has any listener at all: two field reads, so a hot path with nobody
   * listening (the usual case) skips the per-event lookups. `_eventsCount` is eventemitter3's own
   * count of events with listeners, kept by every add and remove path (`once`, `removeAllListeners`).
   */
  get listening(): boolean {
    return (
      (this.#local as unknown as Counted)._eventsCount !== 0 ||
      (credentialEvents as unknown as Counted)._eventsCount !== 0
    );
  }

  emit<T extends CredentialEventName>(event: T, ...payload: CredentialEventMap[T]): void {
    // eventemitter3's emit is typed loosely for tuple payloads; the map above is the contract.
    const emitLocal = this.#local.emit.bind(this.#local) as (
      e: T,
      ...a: CredentialEventMap[T]
    ) => boolean;
    const emitGlobal = credentialEvents.emit.bind(credentialEvents) as typeof emitLocal;
    // Frozen: one listener cannot change what the next one sees, or what is sent or cached.
    for (const value of payload) Object.freeze(value);
    emitLocal(event, ...payload);
    emitGlobal(event, ...payload);
  }
}
