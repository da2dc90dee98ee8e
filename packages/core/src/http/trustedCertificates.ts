import { readFileSync } from "node:fs";

import type { CredentialTlsOptions } from "../credential/CredentialOptions.js";

/** `tlsOptions` as every credential accepts them. */
export type TlsOptions = CredentialTlsOptions;

/**
 * The CA list to hand a TLS client for `tlsOptions.ca`, or undefined to keep Node's defaults.
 * Node's `ca` option replaces the default trust store instead of adding to it, so the extra CAs
 * are appended to Mozilla's roots and to `NODE_EXTRA_CA_CERTS` (which `ca` would silently drop).
 */
export function trustedCertificates(
  tls: TlsOptions | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string[] | undefined {
  if (tls === undefined || tls.ca === undefined) return undefined;
  const extra = (Array.isArray(tls.ca) ? tls.ca : [tls.ca]).map((ca, index) => {
    if (typeof ca !== "string" && !Buffer.isBuffer(ca)) {
      throw new TypeError(
        `tlsOptions.ca${Array.isArray(tls.ca) ? `[${index}]` : ""} must be a PEM string or Buffer.`,
      );
    }
    const pem = typeof ca === "string" ? ca : ca.toString("utf8");
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
      throw new TypeError(
        "tlsOptions.ca must hold PEM certificates (-----BEGIN CERTIFICATE-----); convert a DER file with `openssl x509 -inform der`.",
      );
    }
    return pem;
  });
  const fromEnv: string[] = [];
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file !== undefined && file !== "") {
    try {
      fromEnv.push(readFileSync(file, "utf8"));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so do we, by ignoring it.
    }
  }
  // Loaded here, not imported: only a credential with tlsOptions.ca needs node:tls's roots.
  return [...process.getBuiltinModule("node:tls").rootCertificates, ...fromEnv, ...extra];
}
