import { ClientAuthenticationError } from "../errors/ClientAuthenticationError.js";

/**
 * OpenSSL's and Node's codes for a certificate the client does not trust. None is transient: the
 * same certificate fails the same way on every retry, so these fail at once.
 */
const CERTIFICATE_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_CHAIN_TOO_LONG",
  "INVALID_CA",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
/** Errors from the proxy itself that a retry would only repeat. */
const PERMANENT_PROXY_ERRORS = new Set(["ProxyAuthenticationError", "ProxyTunnelError"]);
const MAX_DEPTH = 5;

/** The error and its causes, outermost first (bounded: a cause chain may be cyclic). */
function* causes(error: unknown): Generator<{ name?: unknown; code?: unknown; message?: unknown }> {
  let current = error;
  for (
    let depth = 0;
    depth < MAX_DEPTH && typeof current === "object" && current !== null;
    depth++
  ) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/**
 * A transport failure that retrying cannot fix, as the error to throw at once: an untrusted
 * certificate (saying how to trust its CA), a proxy that refused our credentials or would not
 * tunnel. Undefined for anything else (network errors are retried).
 */
export function permanentTransportFailure(
  failure: Error,
  origin: string,
): ClientAuthenticationError | undefined {
  for (const error of causes(failure)) {
    if (
      error.name === "ProxyConnectionError" &&
      typeof error.code === "string" &&
      CERTIFICATE_CODES.has(error.code)
    ) {
      // The https:// proxy's own certificate: its message names the proxy, not the authority.
      return new ClientAuthenticationError(String(error.message), { cause: failure });
    }
    if (typeof error.code === "string" && CERTIFICATE_CODES.has(error.code)) {
      return new ClientAuthenticationError(
        `The TLS certificate of ${origin} could not be verified (${error.code}). If the authority, ` +
          "or a TLS-inspecting proxy in front of it, uses a private or self-signed CA, trust that CA: " +
          "pass its PEM certificate as tlsOptions: { ca }, or set NODE_EXTRA_CA_CERTS to a file holding it. " +
          "Never disable certificate verification. Not retried: the same certificate fails every time.",
        { cause: failure },
      );
    }
    if (typeof error.name === "string" && PERMANENT_PROXY_ERRORS.has(error.name)) {
      return new ClientAuthenticationError(String(error.message), { cause: failure });
    }
  }
  return undefined;
}

/** The proxy's own message when the last retry failed to reach the proxy; else undefined. */
export function proxyFailureMessage(failure: Error, attempts: number): string | undefined {
  for (const error of causes(failure)) {
    if (error.name === "ProxyConnectionError") {
      return `${String(error.message)} (${attempts} attempt${attempts === 1 ? "" : "s"})`;
    }
  }
  return undefined;
}
