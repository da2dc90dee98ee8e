import type { MeterProvider, TracerProvider } from "@opentelemetry/api";

/** Options for {@link otelPlugin}. Every field is optional. */
export interface OtelPluginOptions {
  /**
   * Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`). An SDK
   * registered after the plugin is picked up on the next call; one registered after
   * `trace.disable()` once the plugin is registered again.
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go. Default: the global meter provider (`metrics.setGlobalMeterProvider`) as
   * it is when the plugin is registered. With no meter provider then, no metrics are recorded and
   * the plugin adds no listener at all.
   */
  meterProvider?: MeterProvider;
}

/** Options with the environment applied: read once, here, never deeper. */
export interface ResolvedOtelPluginOptions {
  tracerProvider: TracerProvider | undefined;
  meterProvider: MeterProvider | undefined;
  /** `CREDCHAIN_TRACING_DISABLED` is `true` or `1`: no spans, metrics unaffected. */
  tracingDisabled: boolean;
}

/** Applies defaults and reads `CREDCHAIN_TRACING_DISABLED`. */
export function resolveOtelPluginOptions(
  options: OtelPluginOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOtelPluginOptions {
  const flag = env.CREDCHAIN_TRACING_DISABLED?.trim().toLowerCase();
  return {
    tracerProvider: options.tracerProvider,
    meterProvider: options.meterProvider,
    tracingDisabled: flag === "true" || flag === "1",
  };
}
