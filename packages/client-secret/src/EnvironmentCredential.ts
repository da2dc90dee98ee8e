import { inspect } from "node:util";
import { CredentialUnavailableError } from "@credchain/core";
import {
  DeferredCredential,
  type DeferredCredentialSource,
  type DeferredInnerCredential,
} from "@credchain/core/credential";
import { ClientSecretCredential } from "./ClientSecretCredential.js";
import type { ClientSecretCredentialOptions } from "./ClientSecretCredentialOptions.js";
import { loadCertificateCredential } from "./loadCertificateCredential.js";
import { resolveEnvironmentOptions } from "./resolveEnvironmentOptions.js";

/**
 * Authenticates as a service principal configured by environment variables: `AZURE_TENANT_ID`,
 * `AZURE_CLIENT_ID` and either `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH` (with
 * `AZURE_CLIENT_CERTIFICATE_PASSWORD` and `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`; the secret wins
 * when both are set, as in `@azure/identity`), plus optionally `AZURE_AUTHORITY_HOST` and
 * `AZURE_ADDITIONALLY_ALLOWED_TENANTS` (a `;`-separated list, merged with the options). The
 * environment is read once, at construction.
 *
 * - Variables missing: construction succeeds, and `getToken` rejects with
 *   `CredentialUnavailableError` naming them, so a `ChainedTokenCredential` moves on.
 * - Variables set but invalid (a malformed tenant id, a non-https authority): construction throws
 *   a `TypeError` naming the variable, as `@azure/identity` and `azure-identity` do. A broken
 *   configuration is a mistake to fix, not a reason to silently try the next credential.
 * - A secret: requests go through an inner `ClientSecretCredential`. A certificate: through a
 *   `ClientCertificateCredential` of `@credchain/client-certificate` (an optional peer dependency,
 *   imported at the first `getToken`; missing -> `CredentialUnavailableError` naming it). The
 *   inner credential's errors (`ClientAuthenticationError` with the server's codes) come through
 *   unchanged.
 *
 * @example
 * ```ts
 * const credential = new ChainedTokenCredential(new EnvironmentCredential(), fallback);
 * ```
 */
export class EnvironmentCredential extends DeferredCredential<DeferredInnerCredential> {
  /** @param options - As for `ClientSecretCredential`; explicit options win over the environment. */
  constructor(options?: ClientSecretCredentialOptions) {
    super("EnvironmentCredential", source(options));
  }
}

/**
 * The environment is read once, so an incomplete one stays incomplete for this instance: one
 * error, built once, spares a chain (which tries this link on every call) a stack capture per
 * call, about 15 µs each.
 */
function source(
  options: ClientSecretCredentialOptions | undefined,
): DeferredCredentialSource<DeferredInnerCredential> {
  const resolved = resolveEnvironmentOptions(options);
  if (resolved.kind === "incomplete") {
    return {
      kind: "unavailable",
      error: new CredentialUnavailableError(resolved.message),
      missing: resolved.missing,
    };
  }
  if (resolved.kind === "certificate") {
    const { tenantId, clientId } = resolved;
    return {
      kind: "deferred",
      load: () => loadCertificateCredential(resolved),
      json: () => ({ credential: "EnvironmentCredential", configured: true, tenantId, clientId }),
      inspect: () =>
        `EnvironmentCredential { certificate, tenantId: '${tenantId}', clientId: '${clientId}' }`,
    };
  }
  const credential = new ClientSecretCredential(
    resolved.tenantId,
    resolved.clientId,
    resolved.clientSecret,
    resolved.options,
  );
  return {
    kind: "ready",
    credential,
    json: () => {
      const { credential: _inner, ...identity } = credential.toJSON();
      return { credential: "EnvironmentCredential", configured: true, ...identity };
    },
    inspect: () => `EnvironmentCredential { ${inspect(credential)} }`,
  };
}
