import type { DependencyContainer, InjectionToken } from "tsyringe";
import { systemClock, type Clock } from "../Clock.js";
import type { EventSink } from "../events/EventSink.js";
import { FetchHttpTransport } from "../http/fetchTransport.js";
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

/** What is registered under `token` in `container` or an ancestor, else `undefined`. */
export function resolveOptional<T>(
  container: DependencyContainer,
  token: InjectionToken<T>,
): T | undefined {
  return container.isRegistered(token, true) ? container.resolve(token) : undefined;
}

/** The clock, logger and instrumenter a credential resolves from its own child container. */
export function resolveBasicServices(container: DependencyContainer): {
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
 * The HTTP pipeline over the registered transport (default: Node's fetch) with the credential's
 * retry and per-attempt deadline settings.
 */
export function createCredentialPipeline(
  container: DependencyContainer,
  basics: ReturnType<typeof resolveBasicServices>,
  options: ResolvedCredentialOptions,
  events: EventSink,
): HttpPipeline {
  return new HttpPipeline({
    transport: resolveOptional(container, Tokens.HttpTransport) ?? new FetchHttpTransport(),
    clock: basics.clock,
    retry: options.retryOptions,
    attemptTimeoutInMs: options.attemptTimeoutInMs,
    events,
    instrumenter: basics.instrumenter,
    logger: basics.logger,
  });
}
