import type { AccessToken, HttpRequest, RetryPolicy } from "@credchain/core";
import type { ManagedIdentitySource, SourceRequest } from "./ManagedIdentitySource.js";
import { parseManagedIdentityResponse } from "./parseManagedIdentityResponse.js";

/**
 * Sends one source's token request and reads the answer. Lifetimes count from before the request
 * went out, so retries and latency only make a token look shorter-lived, never longer.
 */
export async function requestManagedIdentityToken(
  source: ManagedIdentitySource,
  request: SourceRequest,
  httpRequest: HttpRequest,
  secrets: readonly string[],
  retryPolicy?: RetryPolicy,
): Promise<AccessToken> {
  const requestedAt = request.clock.now();
  const response = await request.http.send(httpRequest, request.signal, retryPolicy);
  return parseManagedIdentityResponse(response, {
    source: source.name,
    url: source.endpoint,
    requestedAt,
    identity: request.identity,
    secrets,
  });
}

/** The source's URL with its API version, the resource and (where it takes one) the identity. */
export function tokenUrl(base: URL, apiVersion: string, resource: string): URL {
  const url = new URL(base);
  url.searchParams.set("api-version", apiVersion);
  url.searchParams.set("resource", resource);
  return url;
}
