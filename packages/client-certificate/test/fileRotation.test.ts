import { rename, writeFile } from "node:fs/promises";
import { ClientAuthenticationError, CredentialUnavailableError } from "@credchain/core";
import { createClientCertificate, createWorkloadIssuer } from "@credchain/local-authority";
import { afterAll, describe, expect, it } from "vitest";
import { CertificateLoader } from "../src/CertificateLoader.js";
import { readFederatedToken } from "../src/readFederatedToken.js";
import { tempDirectory } from "./support.js";

const temp = tempDirectory();
afterAll(() => temp.remove());
const signal = new AbortController().signal;

describe("a certificate file rotated on disk", () => {
  it("is read again when it changed (in place or by rename), and only then", async () => {
    const [first, second, third] = await Promise.all([
      createClientCertificate(),
      createClientCertificate({ password: "pw" }),
      createClientCertificate({ password: "pw" }),
    ]);
    const path = temp.path("rotating.pem");
    await writeFile(path, first.pem); // unencrypted first; the password is simply not needed
    const loader = new CertificateLoader({ kind: "path", path }, undefined, "pw");
    const initial = await loader.current();
    expect(initial.thumbprintSha256).toBe(first.thumbprintSha256);
    expect(await loader.current()).toBe(initial); // unchanged: the same object, no parse

    // In place, as `cp` does.
    await writeFile(path, second.pem);
    expect((await loader.current()).thumbprintSha256).toBe(second.thumbprintSha256);

    // By rename, as Kubernetes' atomic writer (cert-manager, Key Vault CSI) does.
    const staged = temp.path("staged.pem");
    await writeFile(staged, third.pem);
    await rename(staged, path);
    const [a, b] = await Promise.all([loader.current(), loader.current()]);
    expect(a.thumbprintSha256).toBe(third.thumbprintSha256);
    expect(b).toBe(a);
  });

  it("a half-written file fails that request clearly; the next read succeeds", async () => {
    const [first, second] = await Promise.all([
      createClientCertificate(),
      createClientCertificate(),
    ]);
    const path = temp.path("partial.pem");
    await writeFile(path, first.pem);
    const loader = new CertificateLoader({ kind: "path", path }, undefined, undefined);
    await writeFile(path, second.certificate); // the key is not there yet
    await expect(loader.current()).rejects.toThrow(/has no private key/);
    await writeFile(path, second.pem);
    expect((await loader.current()).thumbprintSha256).toBe(second.thumbprintSha256);
  });

  it("a file that cannot be read at construction is a TypeError naming the path", () => {
    expect(
      () =>
        new CertificateLoader(
          { kind: "path", path: temp.path("missing.pem") },
          undefined,
          undefined,
        ),
    ).toThrow(/The certificate file .*missing\.pem cannot be read \(ENOENT\)/);
  });
});

describe("the federated token file", () => {
  it("is read fresh on every call: a rotated token is used at once", async () => {
    const issuer = await createWorkloadIssuer();
    const path = temp.path("token");
    const now = Date.now();
    const one = issuer.mint({ nowMs: now });
    const two = issuer.mint({ nowMs: now + 1000 });
    await writeFile(path, `${one}\n`);
    expect(await readFederatedToken(path, now, signal)).toBe(one);
    await writeFile(path, two);
    expect(await readFederatedToken(path, now, signal)).toBe(two);
  });

  it("an expired JWT is never returned: a ClientAuthenticationError says the file is not rotated", async () => {
    const issuer = await createWorkloadIssuer();
    const path = temp.path("stale-token");
    const now = Date.now();
    await writeFile(path, issuer.mint({ nowMs: now - 7200_000, lifetimeInSeconds: 3600 }));
    const error = await readFederatedToken(path, now, signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientAuthenticationError);
    expect(String(error)).toMatch(/expired at .* has not been rotated/);
    // An opaque (non-JWT) token has no expiry to check and is passed on.
    await writeFile(path, "opaque-token");
    expect(await readFederatedToken(path, now, signal)).toBe("opaque-token");
  });

  it("missing or empty is CredentialUnavailableError, so a chain moves on", async () => {
    const missing = await readFederatedToken(temp.path("nope"), 0, signal).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CredentialUnavailableError);
    expect(String(missing)).toMatch(/cannot be read \(ENOENT\)/);
    const empty = temp.path("empty");
    await writeFile(empty, "  \n");
    await expect(readFederatedToken(empty, 0, signal)).rejects.toBeInstanceOf(
      CredentialUnavailableError,
    );
  });
});
