import { globals } from "../globals.js";
import type { CredentialEventEmitter } from "./CredentialEventEmitter.js";

/**
 * The process-wide lifecycle hooks: every credchain credential emits here as well as on its own
 * `credential.events`. Metrics plugins listen here. Part of the versioned process-wide globals
 * (see `coreGlobals`): every copy of `@credchain/core` in one process (a nested dependency, a
 * bundled and an installed copy) uses the very emitter object the first copy created, so a listener
 * added through one copy sees the events of credentials built on any other.
 */
export const credentialEvents: CredentialEventEmitter = globals.events;
