import { generate } from "selfsigned";

/** A TLS server certificate and its private key, both PEM. */
export interface TlsCertificate {
  readonly cert: string;
  readonly key: string;
}

/**
 * Generates a self-signed certificate for the loopback names a client may dial. Clients trust it
 * by passing the PEM as `ca` (or via `NODE_EXTRA_CA_CERTS`), never by disabling verification.
 */
export async function generateLoopbackCertificate(nowMs: number): Promise<TlsCertificate> {
  // Backdated an hour so a client clock slightly behind the authority's still accepts it.
  const notBeforeDate = new Date(nowMs - 60 * 60 * 1000);
  const notAfterDate = new Date(nowMs + 30 * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

let shared: Promise<TlsCertificate> | undefined;

/**
 * The process-wide loopback certificate, generated on first use (like the signing key, to keep
 * repeated starts cheap). It is valid for 30 days from generation, well beyond any test run.
 */
export function sharedLoopbackCertificate(): Promise<TlsCertificate> {
  // Real time, not an injected clock: TLS clients check validity against their own clock.
  shared ??= generateLoopbackCertificate(Date.now()).catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}
