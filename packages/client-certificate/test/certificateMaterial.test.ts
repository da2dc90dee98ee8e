import { constants, verify, X509Certificate } from "node:crypto";
import { inspect } from "node:util";
import { createClientCertificate, type ClientCertificate } from "@credchain/local-authority";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificatePem } from "../src/parseCertificatePem.js";
import { signAssertion, ASSERTION_LIFETIME_SECONDS } from "../src/signAssertion.js";
import { SigningCertificate } from "../src/SigningCertificate.js";
import { opensslCertificate, tempDirectory } from "./support.js";

const PASSWORD = "Pa55-w0rd~for-the-key";
const NOW = Date.UTC(2031, 5, 1, 12, 0, 0);
const day = 86_400_000;

/** A line of the key's base64 body: what would show if any of the key leaked. */
function keyLine(pem: string): string {
  const lines = pem.split("\n").filter((l) => l.length >= 60 && !l.includes(":"));
  return lines[Math.floor(lines.length / 2)]!;
}

function load(pem: string, password?: string): SigningCertificate {
  return new SigningCertificate(parseCertificatePem(pem, password, "The test PEM"), "The test PEM");
}

let pkcs8: ClientCertificate;
let pkcs1: ClientCertificate;
let encrypted8: ClientCertificate;
let encrypted1: ClientCertificate;
let ec: ClientCertificate;
let ca: ClientCertificate;
let leaf: ClientCertificate;
const temp = tempDirectory();

beforeAll(async () => {
  const validity = { notBefore: new Date(NOW - day), notAfter: new Date(NOW + day) };
  [pkcs8, pkcs1, encrypted8, encrypted1, ec, ca] = await Promise.all([
    createClientCertificate(validity),
    createClientCertificate({ ...validity, keyFormat: "pkcs1" }),
    createClientCertificate({ ...validity, password: PASSWORD }),
    createClientCertificate({ ...validity, keyFormat: "pkcs1", password: PASSWORD }),
    createClientCertificate({ ...validity, keyType: "ec" }),
    createClientCertificate({ ...validity, commonName: "credchain test CA" }),
  ]);
  leaf = await createClientCertificate({ ...validity, issuer: ca });
});
afterAll(() => temp.remove());

describe("loading a PEM bundle", () => {
  it.each([
    ["PKCS#8", () => pkcs8, undefined],
    ["PKCS#1", () => pkcs1, undefined],
    ["encrypted PKCS#8", () => encrypted8, PASSWORD],
    ["encrypted PKCS#1 (Proc-Type / DEK-Info)", () => encrypted1, PASSWORD],
  ] as const)(
    "reads a %s key and computes the x5t#S256 Entra looks it up by",
    (_name, cert, password) => {
      const c = cert();
      if (_name.includes("PKCS#1")) expect(c.privateKey).toContain("BEGIN RSA PRIVATE KEY");
      if (_name === "encrypted PKCS#1 (Proc-Type / DEK-Info)")
        expect(c.privateKey).toContain("DEK-Info");
      const loaded = load(c.pem, password);
      expect(loaded.thumbprintSha256).toBe(c.thumbprintSha256);
      expect(loaded.thumbprintSha1).toBe(c.thumbprint);
      expect(loaded.chain).toHaveLength(1);
    },
  );

  it("reads PEMs made by the openssl command line, plain and encrypted", () => {
    const plain = opensslCertificate(temp.dir);
    const sealed = opensslCertificate(temp.dir, { encryptWith: PASSWORD });
    expect(sealed.privateKey).toContain("BEGIN ENCRYPTED PRIVATE KEY");
    for (const [bundle, password] of [
      [plain, undefined],
      [sealed, PASSWORD],
    ] as const) {
      const loaded = load(bundle.pem, password);
      expect(loaded.chain[0]).toBe(new X509Certificate(bundle.certificate).raw.toString("base64"));
    }
    // Key first, certificate second: the order in the file does not matter.
    expect(load(`${plain.privateKey}${plain.certificate}`).thumbprintSha1).toBe(
      load(plain.pem).thumbprintSha1,
    );
  });

  it("puts the leaf (the key's certificate) first in the chain, whatever the file order", () => {
    const loaded = load(`${ca.certificate}${leaf.certificate}${leaf.privateKey}`);
    expect(loaded.thumbprintSha256).toBe(leaf.thumbprintSha256);
    expect(loaded.chain).toEqual(
      [leaf, ca].map((c) => new X509Certificate(c.certificate).raw.toString("base64")),
    );
  });

  it("an encrypted key without a password says to pass certificatePassword", () => {
    expect(() => load(encrypted8.pem)).toThrow(
      /encrypted; pass its password as certificatePassword/,
    );
    expect(() => load(encrypted1.pem)).toThrow(
      /encrypted; pass its password as certificatePassword/,
    );
  });

  it("a wrong password says so, and the message carries neither password nor key", () => {
    for (const cert of [encrypted8, encrypted1]) {
      let error: unknown;
      try {
        load(cert.pem, "not-the-password");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TypeError);
      const text = `${String(error)} ${inspect(error, { depth: Infinity, showHidden: true })} ${JSON.stringify(error)}`;
      expect(text).toMatch(/could not be decrypted: certificatePassword is wrong/);
      expect(text).not.toContain("not-the-password");
      expect(text).not.toContain(keyLine(cert.privateKey));
      expect((error as Error).cause).toBeUndefined();
    }
  });

  it("a file without a private key, or without a certificate, says what is missing", () => {
    expect(() => load(pkcs8.certificate)).toThrow(/has no private key/);
    expect(() => load(pkcs8.privateKey)).toThrow(/no certificate/);
    expect(() => load("")).toThrow(/has no private key/);
    expect(() => load(`${pkcs8.pem}${pkcs1.privateKey}`)).toThrow(/2 private keys/);
  });

  it("a key that does not belong to the certificate is refused", () => {
    expect(() => load(`${pkcs8.certificate}${pkcs1.privateKey}`)).toThrow(
      /does not belong to the certificate/,
    );
  });

  it("an EC key is refused: Entra accepts RSA certificates only", () => {
    expect(() => load(ec.pem)).toThrow(
      /private key is EC; Microsoft Entra ID accepts RSA certificates only/,
    );
  });

  it("knows its validity window and says when it is expired or not yet valid", () => {
    const loaded = load(pkcs8.pem);
    expect(loaded.validityProblem(NOW, "X")).toBeUndefined();
    expect(loaded.validityProblem(NOW + 2 * day, "X")).toMatch(/expired at .*rotate it/);
    expect(loaded.validityProblem(NOW - 2 * day, "X")).toMatch(/not valid before/);
  });

  it("shows no key material in inspect (customInspect off too), JSON or its keys", () => {
    const loaded = load(encrypted8.pem, PASSWORD);
    const views = [
      inspect(loaded),
      inspect(loaded, { customInspect: false, showHidden: true, depth: Infinity }),
      JSON.stringify(loaded),
      JSON.stringify(Object.entries(loaded)),
    ];
    const line = keyLine(encrypted8.privateKey);
    for (const view of views) {
      expect(view).not.toContain(PASSWORD);
      expect(view).not.toContain(line);
      expect(view).not.toMatch(/PRIVATE KEY/);
    }
  });
});

describe("signing an assertion", () => {
  it("is a PS256 JWT with x5t#S256, aud, iss = sub, a fresh jti and a 10-minute life", async () => {
    const loaded = load(pkcs8.pem);
    const aud = "https://login.example/tenant/oauth2/v2.0/token";
    const [first, second] = await Promise.all([
      signAssertion(loaded, { aud, clientId: "app", now: NOW + 999 }, false),
      signAssertion(loaded, { aud, clientId: "app", now: NOW }, true),
    ]);
    const decode = (jwt: string) => {
      const [h, p, s] = jwt.split(".") as [string, string, string];
      return {
        header: JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>,
        payload: JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>,
        input: Buffer.from(`${h}.${p}`),
        signature: Buffer.from(s, "base64url"),
      };
    };
    const a = decode(first);
    expect(a.header).toEqual({ alg: "PS256", typ: "JWT", "x5t#S256": pkcs8.thumbprintSha256 });
    const seconds = Math.floor(NOW / 1000);
    expect(a.payload).toMatchObject({ aud, iss: "app", sub: "app", nbf: seconds, iat: seconds });
    expect(a.payload.exp).toBe(seconds + ASSERTION_LIFETIME_SECONDS);
    expect(ASSERTION_LIFETIME_SECONDS).toBeLessThanOrEqual(600);
    const publicKey = new X509Certificate(pkcs8.certificate).publicKey;
    const pss = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify("sha256", a.input, pss, a.signature)).toBe(true);
    // PSS, not PKCS#1 v1.5: an RS256 verifier refuses it.
    expect(verify("sha256", a.input, publicKey, a.signature)).toBe(false);
    const b = decode(second);
    expect(b.header.x5c).toEqual(loaded.chain);
    expect(b.payload.jti).not.toBe(a.payload.jti);
    expect(String(a.payload.jti)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
