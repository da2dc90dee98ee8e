/**
 * Client id of the client every authority registers when `options.clients` is not given.
 * Safe to print and commit: it only ever exists on a local test authority.
 */
export const DEMO_CLIENT_ID = "credchain-demo-client";

/** Secret of the {@link DEMO_CLIENT_ID} demo client. */
export const DEMO_CLIENT_SECRET = "credchain-demo-secret";

/**
 * A tenant id for tests and demos. GUID-shaped because credentials commonly validate tenant ids
 * against Entra's format; the authority itself accepts any tenant unless told otherwise.
 */
export const DEMO_TENANT_ID = "00000000-0000-0000-0000-000000000001";

/** Default lifetime of issued tokens, the value Entra typically returns in `expires_in`. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;

/** Default cap on a request body; Entra's token requests are a few hundred bytes. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Default cap on retained request log entries, so long benchmarks do not grow memory unbounded. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;
