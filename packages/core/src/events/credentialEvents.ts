import { CredentialEventEmitter } from "./CredentialEventEmitter.js";

/**
 * The process-wide lifecycle hooks: every credchain credential emits here as well as on its own
 * `credential.events`. Metrics plugins listen here.
 */
export const credentialEvents: CredentialEventEmitter = new CredentialEventEmitter();
