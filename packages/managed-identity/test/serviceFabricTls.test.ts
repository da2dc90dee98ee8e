import { X509Certificate } from "node:crypto";
import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARM, claimsOf, credentialWithEnv, rejectionOf } from "./support.js";

let authority: LocalAuthority;
let thumbprint: string;
beforeAll(async () => {
  authority = await startAuthority({ https: true });
  thumbprint = new X509Certificate(authority.certificate ?? "").fingerprint; // SHA-1, "AB:CD:…"
});
afterAll(async () => {
  await authority.close();
});

describe("Service Fabric over https", () => {
  it("pins the self-signed certificate to IDENTITY_SERVER_THUMBPRINT", async () => {
    const env = authority.managedIdentity.environment("service-fabric");
    expect(env["IDENTITY_SERVER_THUMBPRINT"]).toBe(thumbprint.replace(/:/g, ""));
    const credential = credentialWithEnv(env);
    const token = await credential.getToken(ARM);
    expect(claimsOf(token.token)["aud"]).toBe("https://management.azure.com");
  });

  it("also takes the SHA-256 thumbprint", async () => {
    const sha256 = new X509Certificate(authority.certificate ?? "").fingerprint256;
    const credential = credentialWithEnv({
      ...authority.managedIdentity.environment("service-fabric"),
      IDENTITY_SERVER_THUMBPRINT: sha256,
    });
    await expect(credential.getToken(ARM)).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("sends nothing to a server with another certificate", async () => {
    authority.managedIdentity.resetLog();
    const credential = credentialWithEnv(
      {
        ...authority.managedIdentity.environment("service-fabric"),
        IDENTITY_SERVER_THUMBPRINT: "AB".repeat(20),
      },
      { retryOptions: { maxRetries: 0 } },
    );
    const error = await rejectionOf(credential.getToken(ARM));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toContain("IDENTITY_SERVER_THUMBPRINT");
    expect(authority.managedIdentity.requestCount()).toBe(0);
  });

  it("refuses a thumbprint that is not one, at construction", () => {
    expect(() =>
      credentialWithEnv({
        ...authority.managedIdentity.environment("service-fabric"),
        IDENTITY_SERVER_THUMBPRINT: "not-a-thumbprint",
      }),
    ).toThrow(/IDENTITY_SERVER_THUMBPRINT must be/);
  });
});
