import { CredentialEventEmitter } from "./CredentialEventEmitter.js";

const KEY = Symbol.for("credchain.credentialEvents");

/**
 * The process-wide lifecycle hooks: every credchain credential emits here as well as on its own
 * `credential.events`. Metrics plugins listen here. Kept on `globalThis` under a `Symbol.for` key,
 * so two copies of `@credchain/core` in one process (a nested dependency) share one emitter.
 */
export const credentialEvents: CredentialEventEmitter = ((
  globalThis as { [KEY]?: CredentialEventEmitter }
)[KEY] ??= new CredentialEventEmitter());
