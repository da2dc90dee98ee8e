import type { Clock } from "../Clock.js";

/** What a client authentication gets to know about the one token request it authenticates. */
export interface ClientAuthenticationContext {
  /** The full token URL: an assertion's `aud`. */
  readonly tokenEndpoint: string;
  readonly clientId: string;
  /** The request's signal: aborted when the caller gives up or the deadline passes. */
  readonly signal: AbortSignal;
  /** The credential's clock: what an assertion's `iat`, `nbf` and `exp` are read from. */
  readonly clock: Clock;
}

/**
 * How a confidential client proves who it is on one token request (oauth4webapi's `ClientAuth`).
 * A credential is an identity plus one of these over the shared Entra token request.
 *
 * @example
 * ```ts
 * class MyCredential extends EntraClientCredential {
 *   constructor(tenantId: string, clientId: string, secret: string, options?: CredentialOptions) {
 *     super("MyCredential", tenantId, clientId, clientSecretAuthentication(secret), options);
 *   }
 * }
 * ```
 */
export interface ClientAuthentication {
  /** `client_secret` (`client_secret_post`) or `client_assertion` (a signed JWT). */
  readonly method: "client_secret" | "client_assertion";
  /** Adds the authenticating form fields; called once per network request, never for a cache hit. */
  authenticate(context: ClientAuthenticationContext, form: URLSearchParams): void | Promise<void>;
  /** Values to mask wherever a request, a response or an error could echo them. */
  secrets(): readonly string[];
}
