import {
  CredentialUnavailableError,
  type AccessToken,
  type HttpResponse,
  type RetryPolicy,
} from "@credchain/core";
import { sleep } from "@credchain/core/credential";
import type { ManagedIdentitySource, SourceRequest } from "../ManagedIdentitySource.js";
import { requestManagedIdentityToken, tokenUrl } from "../requestManagedIdentityToken.js";
import { safeEndpoint } from "../safeEndpoint.js";
import { addUserAssignedQuery, IMDS_NAMES } from "../userAssignedQuery.js";

/** The probe gives up on a silent endpoint after this long. */
export const IMDS_PROBE_TIMEOUT_IN_MS = 1_000;

const NEVER_RETRY: RetryPolicy = { shouldRetry: () => false };

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; cause?: { code?: unknown } } }).cause;
  const code = cause?.code ?? cause?.cause?.code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.message : "no answer";
}

/**
 * Azure VMs, scale sets and AKS nodes: the Instance Metadata Service,
 * `GET {host}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with
 * `Metadata: true`; host `http://169.254.169.254` unless `AZURE_POD_IDENTITY_AUTHORITY_HOST`.
 *
 * IMDS is the fallback when no other source's variables are set, so it is a guess: on a laptop
 * nothing answers at that address, and waiting out TCP or request timeouts would stall every
 * chain (10 to 100 s in other SDKs). Until IMDS has answered once, each token request is preceded
 * by a probe: the same URL without `Metadata: true`, which IMDS answers at once with a 400, given
 * 1 s to connect and answer and no retries. No answer: `CredentialUnavailableError`, and the
 * next request probes again, so a transient failure never disables managed identity for good.
 * Once IMDS has answered, requests use IMDS's documented retries and any failure is an
 * authentication error. (The token request itself is not bounded to 1 s: IMDS may need longer
 * to fetch a token from Entra ID the first time.)
 */
export class ImdsSource implements ManagedIdentitySource {
  readonly name = "IMDS";
  readonly endpoint: string;
  readonly #url: URL;
  readonly #policy: RetryPolicy;
  readonly #fromEnvironment: boolean;
  #reachable = false;

  /** @param fromEnvironment - Whether the host came from `AZURE_POD_IDENTITY_AUTHORITY_HOST`. */
  constructor(url: URL, policy: RetryPolicy, fromEnvironment: boolean) {
    this.#url = url;
    this.endpoint = safeEndpoint(url);
    this.#policy = policy;
    this.#fromEnvironment = fromEnvironment;
  }

  async getToken(request: SourceRequest): Promise<AccessToken> {
    const url = tokenUrl(this.#url, "2018-02-01", request.resource);
    addUserAssignedQuery(url, request.identity, IMDS_NAMES);
    if (!this.#reachable) await this.#probe(url, request);
    return requestManagedIdentityToken(
      this,
      request,
      { method: "GET", url: url.href, headers: { metadata: "true" } },
      [],
      this.#policy,
    );
  }

  async #probe(url: URL, request: SourceRequest): Promise<HttpResponse> {
    const controller = new AbortController();
    const stopTimer = new AbortController();
    const onAbort = (): void => controller.abort(request.signal.reason);
    if (request.signal.aborted) onAbort();
    else request.signal.addEventListener("abort", onAbort, { once: true });
    sleep(request.clock, IMDS_PROBE_TIMEOUT_IN_MS, stopTimer.signal).then(
      () => controller.abort(new Error(`no answer within ${IMDS_PROBE_TIMEOUT_IN_MS} ms`)),
      () => {}, // stopped: the probe ended first
    );
    try {
      const response = await request.http.send(
        { method: "GET", url: url.href, headers: {} },
        controller.signal,
        NEVER_RETRY,
      );
      this.#reachable = true;
      return response;
    } catch (error) {
      // The caller's own abort or timeout is theirs to see, not a verdict on IMDS.
      if (request.signal.aborted) throw error;
      const reason = controller.signal.aborted
        ? `no answer within ${IMDS_PROBE_TIMEOUT_IN_MS} ms`
        : reasonOf(error);
      const where = this.#fromEnvironment
        ? "(the host AZURE_POD_IDENTITY_AUTHORITY_HOST names)"
        : "(no IDENTITY_ENDPOINT, MSI_ENDPOINT or AZURE_POD_IDENTITY_AUTHORITY_HOST is set)";
      throw new CredentialUnavailableError(
        `ManagedIdentityCredential: no managed identity endpoint answered: IMDS at ${this.endpoint} ${where} ` +
          `gave no answer (${reason}). Managed identity works on Azure compute (VMs, AKS, App Service, ` +
          "Functions, Container Apps, Arc, Cloud Shell) with an identity assigned; elsewhere use another credential.",
        { cause: error },
      );
    } finally {
      stopTimer.abort();
      request.signal.removeEventListener("abort", onAbort);
    }
  }
}
