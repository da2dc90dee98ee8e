import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary directory, removed by the returned `remove()`. */
export function tempDirectory(): {
  dir: string;
  path: (name: string) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), "credchain-cert-"));
  return {
    dir,
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes `text` to `path` and returns the path. */
export function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

/**
 * A certificate and key made by the `openssl` command line, as a user would (`openssl req -x509`),
 * so parsing is tested against real-world PEMs and not only against what node writes.
 * `encryptWith` re-encodes the key as encrypted PKCS#8 (`openssl pkcs8 -topk8 -v2 aes-256-cbc`).
 */
export function opensslCertificate(
  dir: string,
  options: { encryptWith?: string; days?: number } = {},
): {
  certificate: string;
  privateKey: string;
  pem: string;
} {
  const keyPath = join(dir, `openssl-${Math.random().toString(36).slice(2)}.key`);
  const certPath = `${keyPath}.crt`;
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      keyPath,
      "-out",
      certPath,
      "-days",
      String(options.days ?? 2),
      "-subj",
      "/CN=credchain-openssl-test",
      "-sha256",
    ],
    { stdio: "ignore" },
  );
  let privateKey = execFileSync("cat", [keyPath]).toString();
  if (options.encryptWith !== undefined) {
    privateKey = execFileSync("openssl", [
      "pkcs8",
      "-topk8",
      "-v2",
      "aes-256-cbc",
      "-in",
      keyPath,
      "-passout",
      `pass:${options.encryptWith}`,
    ]).toString();
  }
  const certificate = execFileSync("cat", [certPath]).toString();
  return { certificate, privateKey, pem: `${certificate}${privateKey}` };
}
