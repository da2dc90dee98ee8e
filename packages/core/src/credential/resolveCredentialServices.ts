import type { DependencyContainer, InjectionToken } from "tsyringe";
import { systemClock, type Clock } from "../Clock.js";
import type { EventSink } from "../events/EventSink.js";
import { createDefaultTransport } from "../http/createDefaultTransport.js";
import type { DefaultHttpTransport } from "../http/DefaultHttpTransport.js";
import { HttpPipeline } from "../http/HttpPipeline.js";
import type { Instrumenter } from "../instrumentation/Instrumenter.js";
import { guardLogger, noopLogger, type Logger } from "../Logger.js";
import { Tokens } from "../Tokens.js";
import type { ResolvedCredentialOptions } from "./resolveCredentialOptions.js";

/** The collaborators a credential resolved from its container. */
export interface CredentialServices {
  clock: Clock;
  logger: Logger;
  http: HttpPipeline;
  instrumenter: Instrumenter | undefined;
}

/**
 * What is registered under `token` in `container` or an ancestor, else `undefined`. No container
 * (nothing was ever registered, see `isMaterialized`): everything is its default.
 */
export function resolveOptional<T>(
  container: DependencyContainer | undefined,
  token: InjectionToken<T>,
): T | undefined {
  return container?.isRegistered(token, true) === true ? container.resolve(token) : undefined;
}

/** The clock, logger and instrumenter a credential resolves from its own child container. */
export function resolveBasicServices(container: DependencyContainer | undefined): {
  clock: Clock;
  logger: Logger;
  instrumenter: Instrumenter | undefined;
} {
  return {
    clock: resolveOptional(container, Tokens.Clock) ?? systemClock,
    logger: guardLogger(resolveOptional(container, Tokens.Logger) ?? noopLogger),
    instrumenter: resolveOptional(container, Tokens.Instrumenter),
  };
}

/**
 * The HTTP pipeline over the registered transport (default: `node:https` keep-alive, through the
 * proxy the options or the environment name, with `tlsOptions`) with the credential's retry and
 * per-attempt deadline settings. `ownTransport` is the default transport when this built it: the
 * credential closes it (its keep-alive connections) on `close()`.
 */
export function createCredentialPipeline(
  container: DependencyContainer | undefined,
  basics: ReturnType<typeof resolveBasicServices>,
  options: ResolvedCredentialOptions,
  events: EventSink,
): { http: HttpPipeline; ownTransport: DefaultHttpTransport | undefined } {
  // A plugin's transport wins; the default one is built (and the environment read) only without it.
  const registered = resolveOptional(container, Tokens.HttpTransport);
  const ownTransport =
    registered === undefined
      ? createDefaultTransport({
          ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
          ...(options.tlsOptions === undefined ? {} : { tlsOptions: options.tlsOptions }),
        })
      : undefined;
  const http = new HttpPipeline({
    transport: registered ?? (ownTransport as DefaultHttpTransport),
    clock: basics.clock,
    retry: options.retryOptions,
    attemptTimeoutInMs: options.attemptTimeoutInMs,
    events,
    instrumenter: basics.instrumenter,
    logger: basics.logger,
  });
  return { http, ownTransport };
}
