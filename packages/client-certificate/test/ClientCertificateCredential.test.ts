import { constants, verify, X509Certificate } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import { inspect } from "node:util";
import { ClientAuthenticationError } from "@credchain/core";
import {
  createClientCertificate,
  DEMO_TENANT_ID,
  startAuthority,
  type ClientCertificate,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ClientCertificateCredential,
  type ClientCertificateCredentialOptions,
} from "../src/index.js";
import {
  GRAPH,
  opensslCertificate,
  pemBodyLine,
  recordEvents,
  rejectionOf,
  STORAGE,
  tempDirectory,
  testServices,
  VAULT,
  writeText,
} from "./support.js";

const CLIENT_ID = "certificate-app";
const PASSWORD = "k3y-Pa55word~unique";
const day = 86_400_000;
const temp = tempDirectory();

let authority: LocalAuthority;
let plain: ClientCertificate;
let pkcs1Encrypted: ClientCertificate;
let pkcs8Encrypted: ClientCertificate;
let rotated: ClientCertificate;
let ca: ClientCertificate;
let leaf: ClientCertificate;

function register(...certs: ClientCertificate[]): void {
  authority.setClients([{ clientId: CLIENT_ID, certificates: certs.map((c) => c.certificate) }]);
}

function credential(
  source: ConstructorParameters<typeof ClientCertificateCredential>[2],
  options: ClientCertificateCredentialOptions = {},
): ClientCertificateCredential {
  return new ClientCertificateCredential(DEMO_TENANT_ID, CLIENT_ID, source, {
    authority: authority.url,
    ...options,
  });
}

beforeAll(async () => {
  [plain, pkcs1Encrypted, pkcs8Encrypted, rotated, ca] = await Promise.all([
    createClientCertificate(),
    createClientCertificate({ keyFormat: "pkcs1", password: PASSWORD }),
    createClientCertificate({ password: PASSWORD }),
    createClientCertificate(),
    createClientCertificate({ commonName: "credchain test CA" }),
  ]);
  leaf = await createClientCertificate({ issuer: ca });
  authority = await startAuthority({
    clients: [{ clientId: CLIENT_ID, certificates: [plain.certificate] }],
  });
});
afterAll(async () => {
  await authority.close();
  temp.remove();
});
afterEach(() => {
  register(plain, pkcs1Encrypted, pkcs8Encrypted, leaf);
  authority.resetLog();
});

describe("ClientCertificateCredential against the local authority", () => {
  it("gets a token with a PEM file path (both constructor forms) and a PEM string", async () => {
    register(plain);
    const path = writeText(temp.path("plain.pem"), plain.pem);
    for (const source of [path, { certificatePath: path }, { certificate: plain.pem }]) {
      await using cred = credential(source);
      const token = await cred.getToken(GRAPH);
      expect(token.token.split(".")).toHaveLength(3);
    }
    expect(authority.tokenRequestCount()).toBe(3);
  });

  it("reads encrypted PKCS#1 and PKCS#8 keys with certificatePassword", async () => {
    register(pkcs1Encrypted, pkcs8Encrypted);
    for (const cert of [pkcs1Encrypted, pkcs8Encrypted]) {
      const certificatePath = writeText(temp.path(`enc-${cert.thumbprint}.pem`), cert.pem);
      await using cred = credential({ certificatePath, certificatePassword: PASSWORD });
      expect((await cred.getTokenInfo(GRAPH)).token).toMatch(/^ey/);
    }
  });

  it("works with a certificate and encrypted key made by the openssl command line", async () => {
    const made = opensslCertificate(temp.dir, { encryptWith: PASSWORD });
    authority.setClients([{ clientId: CLIENT_ID, certificates: [made.certificate] }]);
    const certificatePath = writeText(temp.path("openssl.pem"), made.pem);
    await using cred = credential({ certificatePath, certificatePassword: PASSWORD });
    expect((await cred.getToken(GRAPH)).token).toMatch(/^ey/);
  });

  it("sends a PS256 assertion: x5t#S256, aud = token endpoint, iss = sub = client id, exp 10 minutes from the clock", async () => {
    const { clock, transport, container } = testServices(Date.now() - 60_000);
    await using cred = credential({ certificate: plain.pem }, { container });
    await cred.getToken(GRAPH);
    const [sent] = transport.assertions();
    const form = transport.forms[0]!;
    expect(form.get("client_assertion_type")).toBe(
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    );
    expect(form.get("client_id")).toBe(CLIENT_ID);
    expect(form.has("client_secret")).toBe(false);
    expect(sent!.header).toEqual({ alg: "PS256", typ: "JWT", "x5t#S256": plain.thumbprintSha256 });
    const now = Math.floor(clock.now() / 1000);
    expect(sent!.payload).toMatchObject({
      aud: authority.tokenEndpoint(),
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      nbf: now,
      iat: now,
      exp: now + 600,
    });
    const [h, p, s] = sent!.raw.split(".");
    const ok = verify(
      "sha256",
      Buffer.from(`${h}.${p}`),
      {
        key: new X509Certificate(plain.certificate).publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      },
      Buffer.from(s!, "base64url"),
    );
    expect(ok).toBe(true);
  });

  it("signs once per network request and never for a cache hit; every assertion has a fresh jti", async () => {
    const { transport, container } = testServices();
    await using cred = credential({ certificate: plain.pem }, { container });
    await Promise.all([cred.getToken(GRAPH), cred.getToken(GRAPH), cred.getToken(GRAPH)]);
    await cred.getToken(GRAPH);
    await cred.getTokenInfo(GRAPH);
    expect(transport.assertions()).toHaveLength(1);
    await cred.getToken(VAULT);
    await cred.getToken(STORAGE);
    const jtis = transport.assertions().map((a) => a.payload.jti);
    expect(jtis).toHaveLength(3);
    expect(new Set(jtis).size).toBe(3);
  });

  it("sendCertificateChain adds x5c, leaf first, and the authority accepts it", async () => {
    const { transport, container } = testServices();
    const pem = `${leaf.certificate}${ca.certificate}${leaf.privateKey}`;
    await using cred = credential({ certificate: pem }, { container, sendCertificateChain: true });
    await cred.getToken(GRAPH);
    const der = (c: ClientCertificate) => new X509Certificate(c.certificate).raw.toString("base64");
    expect(transport.assertions()[0]!.header.x5c).toEqual([der(leaf), der(ca)]);
    await using without = credential({ certificate: pem }, { container });
    await without.getToken(GRAPH);
    expect(transport.assertions()[1]!.header).not.toHaveProperty("x5c");
  });

  it("picks up a certificate file rotated on disk at the next network request, without a restart", async () => {
    const { transport, container } = testServices();
    const path = temp.path("rotating.pem");
    await writeFile(path, plain.pem);
    await using cred = credential(path, { container });
    await cred.getToken(GRAPH);

    // Kubernetes' atomic writer: the new pair is staged, then renamed over the old one. The app
    // registration now only knows the new certificate, as after a real rotation.
    const staged = temp.path("rotating.pem.new");
    await writeFile(staged, rotated.pem);
    await rename(staged, path);
    register(rotated);
    await cred.getToken(GRAPH); // a cache hit: no read, no signature
    await cred.getToken(VAULT);
    const headers = transport.assertions().map((a) => a.header["x5t#S256"]);
    expect(headers).toEqual([plain.thumbprintSha256, rotated.thumbprintSha256]);
    expect(cred.toJSON().certificateThumbprint).toBe(rotated.thumbprint);
    expect(inspect(cred)).toContain(`certificateThumbprint: '${rotated.thumbprint}'`);

    // An in-place rewrite is picked up too.
    await writeFile(path, plain.pem);
    register(plain);
    await cred.getToken(STORAGE);
    expect(transport.assertions()[2]!.header["x5t#S256"]).toBe(plain.thumbprintSha256);
  });

  it("a rotated file that is broken fails that request as ClientAuthenticationError; the next read heals it", async () => {
    register(plain);
    const path = temp.path("broken-rotation.pem");
    await writeFile(path, plain.pem);
    await using cred = credential(path);
    await cred.getToken(GRAPH);
    await writeFile(path, plain.certificate); // the key is not written yet
    const error = await rejectionOf(cred.getToken(VAULT));
    expect(error).toBeInstanceOf(ClientAuthenticationError);
    expect(error.message).toMatch(
      /^ClientCertificateCredential: The certificate file .* has no private key/,
    );
    await writeFile(path, plain.pem);
    expect((await cred.getToken(VAULT)).token).toMatch(/^ey/);
    expect(authority.tokenRequestCount()).toBe(2);
  });

  it("a certificate that expires while the credential runs fails the request before it is sent", async () => {
    const start = Date.now();
    const shortLived = await createClientCertificate({
      notBefore: new Date(start - day),
      notAfter: new Date(start + day),
    });
    register(shortLived);
    const { clock, container } = testServices(start);
    await using cred = credential({ certificate: shortLived.pem }, { container });
    await cred.getToken(GRAPH);
    clock.advance(2 * day);
    const error = await rejectionOf(cred.getToken(VAULT));
    expect(error).toBeInstanceOf(ClientAuthenticationError);
    expect(error.message).toMatch(
      /^ClientCertificateCredential: .*certificate \(thumbprint [0-9A-F]{40}\) expired at .* rotate it/,
    );
    expect(authority.tokenRequestCount()).toBe(1);
  });
});

describe("ClientCertificateCredential construction fails clearly, before any request", () => {
  it.each([
    [
      "a wrong password",
      () => ({ certificate: pkcs8Encrypted.pem, certificatePassword: "wrong" }),
      /certificatePassword is wrong/,
    ],
    [
      "a missing password",
      () => ({ certificate: pkcs1Encrypted.pem }),
      /encrypted; pass its password as certificatePassword/,
    ],
    ["no private key", () => ({ certificate: plain.certificate }), /has no private key/],
    [
      "a key that is not the certificate's",
      () => ({ certificate: `${plain.certificate}${rotated.privateKey}` }),
      /does not belong to the certificate/,
    ],
    ["a missing file", () => temp.path("nowhere.pem"), /cannot be read \(ENOENT\)/],
    [
      "both path and PEM",
      () => ({ certificate: plain.pem, certificatePath: "x" }) as never,
      /exactly one of certificatePath and certificate/,
    ],
    ["nothing", () => undefined as never, /pass the certificate as a PEM file path/],
  ])("%s", (_name, source, message) => {
    expect(() => credential(source())).toThrow(message);
    expect(authority.tokenRequestCount()).toBe(0);
  });

  it("an expired or not-yet-valid certificate, read against the injected clock", async () => {
    const { container: later } = testServices(Date.now() + 400 * day);
    expect(() => credential({ certificate: plain.pem }, { container: later })).toThrow(
      /ClientCertificateCredential: The certificate string: the certificate .* expired at/,
    );
    const { container: earlier } = testServices(Date.now() - 2 * day);
    expect(() => credential({ certificate: plain.pem }, { container: earlier })).toThrow(
      /not valid before/,
    );
    expect(authority.tokenRequestCount()).toBe(0);
  });
});

describe("ClientCertificateCredential never shows key material, password or assertion", () => {
  it("in errors, events, util.inspect (customInspect off too) and JSON", async () => {
    register(pkcs8Encrypted);
    const { clock, transport, container } = testServices();
    const certificatePath = writeText(temp.path("secret.pem"), pkcs8Encrypted.pem);
    const cred = credential({ certificatePath, certificatePassword: PASSWORD }, { container });
    const recorded = recordEvents(cred.events);
    await cred.getToken(GRAPH);
    await cred.getToken(GRAPH); // cache hit
    register(plain); // the certificate is no longer registered: AADSTS700027
    const refused = await rejectionOf(cred.getToken(VAULT));
    expect(refused).toMatchObject({ name: "ClientAuthenticationError", errorCodes: [700027] });
    clock.advance(3599_000);
    await rejectionOf(cred.getToken(GRAPH));
    const thrownBy = (build: () => unknown): unknown => {
      try {
        build();
      } catch (error) {
        return error;
      }
      throw new Error("expected construction to throw");
    };
    const constructionErrors = [
      thrownBy(() => credential({ certificatePath, certificatePassword: "wrong-pass-XYZ" })),
      thrownBy(() => credential({ certificate: pkcs8Encrypted.privateKey })),
    ];
    await cred.close();
    recorded.stop();

    const assertions = transport.assertions().map((a) => a.raw);
    expect(assertions.length).toBeGreaterThanOrEqual(2);
    const views = [
      inspect(cred),
      inspect(cred, { customInspect: false, showHidden: true, depth: Infinity, getters: true }),
      JSON.stringify(cred),
      JSON.stringify(Object.entries(cred)),
      ...[refused, ...constructionErrors].flatMap((e) => [
        String(e),
        (e as Error).stack ?? "",
        inspect(e, { depth: Infinity, showHidden: true }),
        inspect(e, { customInspect: false, depth: Infinity, showHidden: true }),
        JSON.stringify(e),
      ]),
      ...recorded.events.map(
        (e) => `${JSON.stringify(e)}${inspect(e, { depth: Infinity, customInspect: false })}`,
      ),
    ].join("\n");
    expect(recorded.events.length).toBeGreaterThan(4);
    expect(views).not.toContain(PASSWORD);
    expect(views).not.toContain("wrong-pass-XYZ");
    expect(views).not.toContain(pemBodyLine(pkcs8Encrypted.privateKey));
    expect(views).not.toMatch(/PRIVATE KEY/);
    for (const assertion of assertions) {
      expect(views).not.toContain(assertion);
      expect(views).not.toContain(assertion.split(".")[2]);
    }
    expect(JSON.parse(JSON.stringify(cred))).toMatchObject({
      credential: "ClientCertificateCredential",
      clientId: CLIENT_ID,
    });
  });
});
