/**
 * What `TokenCredentialBase` hands a credential's `requestToken`: the token to fetch, never engine
 * internals (no cache key or partition).
 */
export interface CredentialTokenRequest {
  /** The scopes to request, in the caller's order. Frozen. */
  readonly scopes: readonly string[];
  /**
   * The tenant to request from: resolved and allowed by the tenant policy; for credentials without
   * a tenant policy, the one the caller asked for, else `""`.
   */
  readonly tenantId: string;
  /** What to send: the caller's challenge already merged with CAE's `xms_cc`; `undefined` when nothing. */
  readonly claims?: string;
  /** Whether Continuous Access Evaluation was requested. */
  readonly cae: boolean;
}
