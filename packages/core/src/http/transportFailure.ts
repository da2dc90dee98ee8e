import { ClientAuthenticationError } from "../errors/ClientAuthenticationError.js";
import { CERTIFICATE_ERROR_CODES } from "./certificateErrorCodes.js";

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
      CERTIFICATE_ERROR_CODES.has(error.code)
    ) {
      // The https:// proxy's own certificate: its message names the proxy, not the authority.
      return new ClientAuthenticationError(String(error.message), { cause: failure });
    }
    if (typeof error.code === "string" && CERTIFICATE_ERROR_CODES.has(error.code)) {
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
