import { describe, expect, it } from "vitest";
import { ClientSecretCredential, type ClientSecretCredentialOptions } from "../src/index.js";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

function create(
  tenantId: unknown,
  clientId: unknown,
  secret: unknown,
  options?: ClientSecretCredentialOptions,
): ClientSecretCredential {
  return new ClientSecretCredential(
    tenantId as string,
    clientId as string,
    secret as string,
    options,
  );
}

describe("constructor validation", () => {
  it("requires a tenant id and explains what it is", () => {
    expect(() => create("", "client", "secret")).toThrowError(TypeError);
    expect(() => create(undefined, "client", "secret")).toThrowError(
      /tenantId is required: pass the service principal's tenant \(directory\) id/,
    );
  });

  it("rejects tenant ids with characters that do not belong in a URL path", () => {
    for (const tenant of ["contoso/evil", "a b", "../x", "tenant?x", "ténant"]) {
      expect(() => create(tenant, "client", "secret")).toThrowError(
        /may contain only the characters A-Z, a-z, 0-9, "\." and "-"/,
      );
    }
    expect(() => create("contoso.onmicrosoft.com", "client", "secret")).not.toThrow();
    expect(() => create("adfs", "client", "secret")).not.toThrow();
  });

  it('rejects the dot segments "." and ".." as tenant ids, configured or additionally allowed', () => {
    for (const tenant of [".", ".."]) {
      expect(() => create(tenant, "client", "secret")).toThrowError(
        new RegExp(`tenantId "${tenant.replace(/\./g, "\\.")}" is not valid`),
      );
      expect(() =>
        create(TENANT, "client", "secret", { additionallyAllowedTenants: [tenant] }),
      ).toThrowError(/additionallyAllowedTenants\[0\]/);
    }
    expect(() => create("...", "client", "secret")).not.toThrow(); // not a dot segment
  });

  it("requires a client id and says where to find it", () => {
    expect(() => create(TENANT, "", "secret")).toThrowError(
      /clientId is required: pass the application \(client\) id/,
    );
    expect(() => create(TENANT, "  ", "secret")).toThrowError(TypeError);
  });

  it("requires a client secret and warns about the secret id mix-up", () => {
    expect(() => create(TENANT, "client", "")).toThrowError(
      /clientSecret is required: .*client secret values .*not the Secret ID/,
    );
    expect(() => create(TENANT, "client", 42)).toThrowError(TypeError);
  });

  it('checks every additionally allowed tenant, accepting "*"', () => {
    expect(() =>
      create(TENANT, "client", "secret", { additionallyAllowedTenants: ["*", "fabrikam.com"] }),
    ).not.toThrow();
    expect(() =>
      create(TENANT, "client", "secret", { additionallyAllowedTenants: ["ok", "not ok"] }),
    ).toThrowError(/additionallyAllowedTenants\[1\] "not ok" is not valid/);
    expect(() =>
      create(TENANT, "client", "secret", {
        additionallyAllowedTenants: "fabrikam.com" as unknown as string[],
      }),
    ).toThrowError(/must be an array of tenant ids/);
  });

  it("rejects nonsensical retry and refresh settings with a RangeError", () => {
    expect(() =>
      create(TENANT, "client", "secret", { retryOptions: { maxRetries: -1 } }),
    ).toThrowError(RangeError);
    expect(() =>
      create(TENANT, "client", "secret", { refreshOptions: { refreshOffsetInMs: Number.NaN } }),
    ).toThrowError(RangeError);
  });

  it("names the persistence plugin to install when cachePersistenceOptions has none", () => {
    expect(() =>
      create(TENANT, "client", "secret", { cachePersistenceOptions: { name: "app" } }),
    ).toThrowError(/@credchain\/cache-file.*usePlugin/);
  });

  it("never puts the secret in a validation message", () => {
    const secret = "do-not-print-this-secret";
    const messages: string[] = [];
    for (const attempt of [
      () => create("bad/tenant", "client", secret),
      () => create(TENANT, "", secret),
      () => create(TENANT, "client", secret, { authority: "http://example.com" }),
      () => create(TENANT, "client", secret, { additionallyAllowedTenants: ["x y"] }),
    ]) {
      try {
        attempt();
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    expect(messages).toHaveLength(4);
    for (const message of messages) expect(message).not.toContain(secret);
  });
});
