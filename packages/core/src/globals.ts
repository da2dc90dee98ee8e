import { coreGlobals } from "./coreGlobals.js";
import { CredentialEventEmitter } from "./events/CredentialEventEmitter.js";
import { lazyRootContainer } from "./lazyContainer.js";
import { VERSION } from "./version.js";

/**
 * What this copy of `@credchain/core` uses of the process-wide globals (see `coreGlobals`): the
 * first copy to load creates them, every later copy uses that copy's very objects.
 */
export const globals = coreGlobals(() => ({
  version: VERSION,
  // Created (and tsyringe loaded) on first use: see `lazyRootContainer`.
  rootContainer: lazyRootContainer(),
  plugins: new Map(),
  events: new CredentialEventEmitter(),
}));
