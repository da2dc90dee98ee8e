/** Options for one token request. Every option is optional. */
export interface GetTokenOptions {
  /**
   * A claims challenge (a JSON string), such as one returned by a resource provider after an
   * authorization failure. A request with claims never answers from the cache; its result is
   * cached for later requests without claims.
   */
  claims?: string;
  /** Request the token from this tenant instead of the configured one; see `additionallyAllowedTenants`. */
  tenantId?: string;
  /** Enable Continuous Access Evaluation (adds `xms_cc: CP1`); CAE tokens live in their own cache partition. Default `false`. */
  enableCae?: boolean;
  /** Abort the request: the pending HTTP call and any retry back-off stop at once. */
  abortSignal?: AbortSignal;
  /** `timeout` bounds the whole request, retries included, in milliseconds. */
  requestOptions?: { timeout?: number };
  /**
   * Tracing, when a tracing plugin is registered. `tracingContext` (set by Azure SDK clients) is
   * the parent of the credential's span; `enabled: false` traces nothing for this call.
   */
  tracingOptions?: { tracingContext?: TracingContext; enabled?: boolean };
}

/**
 * A tracing context: structurally an OpenTelemetry `Context`, and the same as `@azure/core-auth`'s
 * `TracingContext`, so Azure SDK clients' options type-check against credchain's `getToken`.
 */
export interface TracingContext {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): TracingContext;
  deleteValue(key: symbol): TracingContext;
}

/** `GetTokenOptions` plus any other key, which is ignored: the seed's `options` dictionary. */
export type TokenRequestOptions = GetTokenOptions & Record<string, unknown>;
