import { readFile } from "node:fs/promises";
import { ClientAuthenticationError, CredentialUnavailableError } from "@credchain/core";

/** Largest token file read: projected service account tokens are about 1 KiB. */
const MAX_TOKEN_BYTES = 64 * 1024;

/** `exp` (epoch seconds) of a JWT, or `undefined` when the content is not a JWT with one. */
function jwtExpiry(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    const exp = (payload as { exp?: unknown } | null)?.exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the federated token (a projected Kubernetes service account token, a GitHub OIDC token
 * written to disk) fresh from `path`. Called for every network request, never for a cache hit:
 * the kubelet rewrites the file well before the token expires, and a token request is rare (about
 * once an hour per scope), so one small read per request is the simplest way never to send a
 * stale token, the cause of the AADSTS700024 outages other SDKs had while caching the file.
 *
 * A file that is missing, empty or unreadable is `CredentialUnavailableError` (this host is not
 * set up for workload identity: a chain moves on). A JWT whose `exp` has passed by `nowMs` is a
 * `ClientAuthenticationError` that says the file is not being rotated; it is never sent.
 */
export async function readFederatedToken(
  path: string,
  nowMs: number,
  signal: AbortSignal,
): Promise<string> {
  let text: string;
  try {
    const bytes = await readFile(path, { signal });
    if (bytes.length > MAX_TOKEN_BYTES) {
      throw new CredentialUnavailableError(
        `WorkloadIdentityCredential: the federated token file ${path} is larger than ${MAX_TOKEN_BYTES} bytes; ` +
          "AZURE_FEDERATED_TOKEN_FILE must name the projected service account token.",
      );
    }
    text = bytes.toString("utf8").trim();
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof CredentialUnavailableError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    throw new CredentialUnavailableError(
      `WorkloadIdentityCredential: the federated token file ${path} cannot be read (${typeof code === "string" ? code : "unreadable"}). ` +
        "Check that the pod has the azure.workload.identity/use label and AZURE_FEDERATED_TOKEN_FILE names the projected token.",
    );
  }
  if (text === "") {
    throw new CredentialUnavailableError(
      `WorkloadIdentityCredential: the federated token file ${path} is empty.`,
    );
  }
  const exp = jwtExpiry(text);
  if (exp !== undefined && exp * 1000 <= nowMs) {
    throw new ClientAuthenticationError(
      `WorkloadIdentityCredential: the federated token in ${path} expired at ${new Date(exp * 1000).toISOString()} ` +
        "and the file has not been rotated since; it is not sent (Entra would answer AADSTS700024). " +
        "Check that the kubelet (or whatever writes the file) still refreshes it.",
    );
  }
  return text;
}
