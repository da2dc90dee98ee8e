import { EnvironmentCredential } from "@credchain/client-secret";
import {
  createClientCertificate,
  DEMO_TENANT_ID,
  startAuthority,
  type ClientCertificate,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GRAPH, rejectionOf, tempDirectory, testServices, VAULT, writeText } from "./support.js";

// EnvironmentCredential (in @credchain/client-secret) imports this package only when
// AZURE_CLIENT_CERTIFICATE_PATH is set: this is that path, end to end, through the built dist.
const CLIENT_ID = "environment-certificate-app";
const PASSWORD = "env-pa55word";
const temp = tempDirectory();
let authority: LocalAuthority;
let cert: ClientCertificate;
let ca: ClientCertificate;
let leaf: ClientCertificate;

beforeAll(async () => {
  [cert, ca] = await Promise.all([
    createClientCertificate({ password: PASSWORD }),
    createClientCertificate({ commonName: "env CA" }),
  ]);
  leaf = await createClientCertificate({ issuer: ca });
  authority = await startAuthority({
    clients: [{ clientId: CLIENT_ID, certificates: [cert.certificate, leaf.certificate] }],
  });
});
afterAll(async () => {
  await authority.close();
  temp.remove();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function stub(variables: Record<string, string>): void {
  vi.stubEnv("AZURE_TENANT_ID", DEMO_TENANT_ID);
  vi.stubEnv("AZURE_CLIENT_ID", CLIENT_ID);
  vi.stubEnv("AZURE_CLIENT_SECRET", "");
  vi.stubEnv("AZURE_AUTHORITY_HOST", authority.url);
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
}

describe("EnvironmentCredential with AZURE_CLIENT_CERTIFICATE_PATH", () => {
  it("gets a token with an encrypted certificate through ClientCertificateCredential", async () => {
    const path = writeText(temp.path("env.pem"), cert.pem);
    stub({ AZURE_CLIENT_CERTIFICATE_PATH: path, AZURE_CLIENT_CERTIFICATE_PASSWORD: PASSWORD });
    const { transport, container } = testServices();
    await using credential = new EnvironmentCredential({ container });
    expect((await credential.getToken(GRAPH)).token).toMatch(/^ey/);
    await credential.getToken(GRAPH);
    const [sent] = transport.assertions();
    expect(transport.assertions()).toHaveLength(1);
    expect(sent!.header["x5t#S256"]).toBe(cert.thumbprintSha256);
    expect(sent!.header).not.toHaveProperty("x5c");
    expect(transport.forms[0]!.has("client_secret")).toBe(false);
  });

  it("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN=true sends x5c", async () => {
    const path = writeText(
      temp.path("chain.pem"),
      `${leaf.certificate}${ca.certificate}${leaf.privateKey}`,
    );
    stub({ AZURE_CLIENT_CERTIFICATE_PATH: path, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: "true" });
    const { transport, container } = testServices();
    await using credential = new EnvironmentCredential({ container });
    await credential.getToken(VAULT);
    expect(transport.assertions()[0]!.header.x5c).toHaveLength(2);
  });

  it("a wrong password is reported as the certificate credential's clear error", async () => {
    const path = writeText(temp.path("wrong.pem"), cert.pem);
    stub({ AZURE_CLIENT_CERTIFICATE_PATH: path, AZURE_CLIENT_CERTIFICATE_PASSWORD: "nope-wrong" });
    await using credential = new EnvironmentCredential();
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.message).toMatch(/certificatePassword is wrong/);
    expect(`${error.message}${error.stack ?? ""}`).not.toContain("nope-wrong");
  });
});
