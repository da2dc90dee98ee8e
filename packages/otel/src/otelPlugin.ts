import { metrics } from "@opentelemetry/api";
import { Tokens, type CredchainPlugin } from "@credchain/core";
import { OtelInstrumenter } from "./OtelInstrumenter.js";
import { resolveOtelPluginOptions, type OtelPluginOptions } from "./OtelPluginOptions.js";
import { TokenMetrics } from "./TokenMetrics.js";
import { INSTRUMENTATION_NAME } from "./version.js";

// tsyringe's container type, taken from core's contract so this package needs no tsyringe import.
type DependencyContainer = Parameters<CredchainPlugin["register"]>[0];

/**
 * The OpenTelemetry plugin. Besides registering, it owns a listener on credchain's process-wide
 * lifecycle hooks for metrics, which {@link OtelPlugin.shutdown} removes.
 */
export interface OtelPlugin extends CredchainPlugin, Disposable {
  /** `"@credchain/otel"`. */
  readonly name: string;
  /**
   * Registers the instrumenter under `Tokens.Instrumenter` (unless `CREDCHAIN_TRACING_DISABLED`)
   * and, the first time, starts recording metrics if a meter provider is there.
   */
  register(container: DependencyContainer): void;
  /**
   * Stops all telemetry from this plugin: removes the metrics listener and makes its instrumenter
   * trace nothing, including for credentials created while it was registered. Idempotent.
   * `usePlugin`'s undo only removes the registration, for credentials created afterwards.
   */
  shutdown(): void;
}

/**
 * OpenTelemetry tracing and metrics for credchain credentials.
 *
 * Register it before creating credentials: a credential resolves its instrumenter once, when it
 * is constructed. Spans go to `options.tracerProvider`, else the global tracer provider (an SDK
 * registered later is picked up; after `trace.disable()`, register the plugin again); metrics
 * to `options.meterProvider`, else the global meter provider as it is at registration. With no
 * SDK registered everything is a no-op.
 *
 * ```ts
 * const undo = usePlugin(otelPlugin());
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
 * ```
 */
export function otelPlugin(options?: OtelPluginOptions): OtelPlugin {
  const resolved = resolveOtelPluginOptions(options);
  const instrumenter = resolved.tracingDisabled
    ? undefined
    : new OtelInstrumenter(resolved.tracerProvider);
  let tokenMetrics: TokenMetrics | undefined;
  let stopped = false;

  // Metrics listen on the process-wide `credentialEvents`, the only hook a plugin can reach
  // (registration sees a container, never a credential). So the listener is per plugin object,
  // added on its first registration (whichever container) and removed by `shutdown()`; several
  // registrations of one plugin share it, so nothing is counted twice.
  const startMetrics = (): void => {
    if (stopped || tokenMetrics !== undefined) return;
    tokenMetrics = TokenMetrics.create(resolved.meterProvider ?? metrics.getMeterProvider());
    tokenMetrics?.attach();
  };

  const shutdown = (): void => {
    if (stopped) return;
    stopped = true;
    instrumenter?.stop();
    tokenMetrics?.detach();
  };

  return {
    name: INSTRUMENTATION_NAME,
    register(container: DependencyContainer): void {
      if (instrumenter !== undefined) {
        instrumenter.followGlobalProvider();
        container.register(Tokens.Instrumenter, { useValue: instrumenter });
      }
      startMetrics();
    },
    shutdown,
    [Symbol.dispose]: shutdown,
  };
}
