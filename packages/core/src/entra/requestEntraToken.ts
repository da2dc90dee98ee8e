import type { AccessToken } from "../AccessToken.js";
import type { Clock } from "../Clock.js";
import type { HttpPipeline, RetryPolicy } from "../http/HttpPipeline.js";
import { buildTokenRequest, type TokenRequestParameters } from "./buildTokenRequest.js";
import type { ClientAuthentication } from "./ClientAuthentication.js";
import { parseTokenResponse } from "./parseTokenResponse.js";
import { SecretRedactor } from "./redact.js";

/** Form fields that carry the client's proof: masked whatever the strategy reports. */
const SECRET_FIELDS = ["client_secret", "client_assertion"] as const;

/** One client-credentials token request: who asks, how it authenticates, what it sends through. */
export interface EntraTokenRequest extends TokenRequestParameters {
  /** Named in every message, e.g. `"ClientSecretCredential"`. */
  readonly credentialName: string;
  readonly authentication: ClientAuthentication;
  readonly http: HttpPipeline;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** See `TokenResponseContext.onClockSkew`. */
  readonly onClockSkew?: (skewInMs: number) => void;
  /**
   * Appended to the token URL as its query, e.g. `allowestsrnonmsi=true` for a regional (ESTS-R)
   * host, which serves other clients than managed identity only when asked so. Not part of an
   * assertion's `aud`, which stays the token endpoint itself.
   */
  readonly query?: string;
  /** Replaces the pipeline's retry rules for this request, e.g. for a regional host. */
  readonly retryPolicy?: RetryPolicy;
}

/**
 * The shared Entra token request: builds the client credentials form, lets the client
 * authentication complete it, sends it through the credential's pipeline and parses the answer.
 * Whatever the authentication reports as secret, and whatever the form's secret fields hold, is
 * masked in every error this returns.
 */
export async function requestEntraToken(request: EntraTokenRequest): Promise<AccessToken> {
  const pending = buildTokenRequest(request);
  const { authentication, clock, signal } = request;
  await authentication.authenticate(
    { tokenEndpoint: pending.url, clientId: request.clientId, signal, clock },
    pending.form,
  );
  // A concurrent request may already have replaced what secrets() reports (the last assertion):
  // this request's own values are masked too.
  const secrets = [...authentication.secrets()];
  for (const field of SECRET_FIELDS) {
    const value = pending.form.get(field);
    if (value !== null) secrets.push(value);
  }
  // Lifetimes count from before the request went out, so the token is never thought to live
  // longer than it does (retries and latency only make it expire a little early here).
  const requestedAt = clock.now();
  // The pipeline masks the request body's secret fields in any transport error it passes on.
  const response = await request.http.send(
    {
      method: "POST",
      url: request.query === undefined ? pending.url : `${pending.url}?${request.query}`,
      headers: pending.headers,
      body: pending.form.toString(),
    },
    signal,
    request.retryPolicy,
  );
  let redactor: SecretRedactor | undefined;
  return parseTokenResponse(response, {
    credentialName: request.credentialName,
    url: pending.url,
    // Built only when an error needs it: a successful request compiles no pattern.
    get redactor() {
      return (redactor ??= new SecretRedactor(secrets));
    },
    requestedAt,
    receivedAt: clock.now(),
    ...(request.onClockSkew === undefined ? {} : { onClockSkew: request.onClockSkew }),
  });
}
