import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import {
  DEMO_SYSTEM_ASSIGNED_IDENTITY,
  DEMO_USER_ASSIGNED_IDENTITY,
  startAuthority,
  type LocalAuthority,
  type ManagedIdentitySourceKind,
} from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ARM, claimsOf, credentialFor, rejectionOf, VAULT } from "./support.js";

let authority: LocalAuthority;
beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
});
afterEach(() => {
  authority.managedIdentity.clearFaults();
  authority.managedIdentity.resetLog();
});

const ALL: ManagedIdentitySourceKind[] = [
  "imds",
  "app-service",
  "azure-arc",
  "cloud-shell",
  "service-fabric",
];

describe.each(ALL)("%s", (source) => {
  it("gets a system-assigned token for the resource of the scope", async () => {
    const credential = await credentialFor(authority, source);
    const token = await credential.getToken(VAULT);
    const claims = claimsOf(token.token);
    expect(claims).toMatchObject({
      aud: "https://vault.azure.net",
      appid: DEMO_SYSTEM_ASSIGNED_IDENTITY.clientId,
      oid: DEMO_SYSTEM_ASSIGNED_IDENTITY.objectId,
    });
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(token.tokenType).toBe("Bearer");
    const sent = authority.managedIdentity.requests.filter((e) => e.authenticated);
    expect(sent.at(-1)?.query["resource"]).toBe("https://vault.azure.net");
    expect(sent.at(-1)?.status).toBe(200);
    await credential.close();
  });

  it("answers a second call from the cache, and concurrent calls with one request", async () => {
    const credential = await credentialFor(authority, source);
    const [a, b] = await Promise.all([credential.getToken(ARM), credential.getToken(ARM)]);
    expect(a.token).toBe(b.token);
    const before = authority.managedIdentity.requestCount();
    await expect(credential.getToken(ARM)).resolves.toMatchObject({ token: a.token });
    expect(authority.managedIdentity.requestCount()).toBe(before);
    const tokenCalls = authority.managedIdentity.requests.filter(
      (e) => e.authenticated && e.status === 200,
    );
    expect(tokenCalls).toHaveLength(1);
    await credential.close();
  });

  it("takes exactly one scope", async () => {
    const credential = await credentialFor(authority, source);
    await expect(credential.getToken([ARM, VAULT])).rejects.toThrow(TypeError);
    expect(authority.managedIdentity.requestCount()).toBe(0);
  });

  it("ignores a per-request tenantId (Key Vault's challenge sends one)", async () => {
    const credential = await credentialFor(authority, source);
    const token = await credential.getToken(ARM, {
      tenantId: "72f988bf-0000-0000-0000-000000000000",
    });
    expect(claimsOf(token.token)["aud"]).toBe("https://management.azure.com");
  });
});

describe.each(["imds", "app-service", "service-fabric"] as const)(
  "%s: user-assigned identities",
  (source) => {
    const resourceName = source === "imds" ? "msi_res_id" : "mi_res_id";
    it.each([
      ["clientId", "client_id", DEMO_USER_ASSIGNED_IDENTITY.clientId],
      ["resourceId", resourceName, DEMO_USER_ASSIGNED_IDENTITY.resourceId as string],
      ["objectId", "object_id", DEMO_USER_ASSIGNED_IDENTITY.objectId as string],
    ] as const)("by %s, sent as %s", async (option, parameter, value) => {
      const credential = await credentialFor(authority, source, { [option]: value });
      const token = await credential.getToken(ARM);
      expect(claimsOf(token.token)).toMatchObject({
        appid: DEMO_USER_ASSIGNED_IDENTITY.clientId,
        oid: DEMO_USER_ASSIGNED_IDENTITY.objectId,
      });
      const sent = authority.managedIdentity.requests.filter((e) => e.authenticated).at(-1);
      expect(sent?.query[parameter]).toBe(value);
    });

    it("an identity the resource does not have is a ClientAuthenticationError (400), not unavailable", async () => {
      const credential = await credentialFor(authority, source, { clientId: "not-assigned" });
      const error = await rejectionOf(credential.getToken(ARM));
      expect(error).toMatchObject({ name: "ClientAuthenticationError", statusCode: 400 });
      expect(error.message).toContain("clientId not-assigned");
    });
  },
);

describe.each(["azure-arc", "cloud-shell"] as const)("%s: user-assigned identities", (source) => {
  it("says it cannot take one (CredentialUnavailableError), without a request", async () => {
    const credential = await credentialFor(authority, source, {
      clientId: DEMO_USER_ASSIGNED_IDENTITY.clientId,
    });
    const error = await rejectionOf(credential.getToken(ARM));
    expect(error.name).toBe("CredentialUnavailableError");
    expect(error.message).toMatch(/user-assigned|system-assigned/);
    expect(authority.managedIdentity.requestCount()).toBe(0);
  });
});

describe("constructor", () => {
  it("takes the client id as the first argument", async () => {
    const env = authority.managedIdentity.environment("app-service");
    const { ManagedIdentityCredential } = await import("../src/index.js");
    const { internalOptions } = await import("../src/internalOptions.js");
    const credential = new ManagedIdentityCredential(DEMO_USER_ASSIGNED_IDENTITY.clientId, {
      [internalOptions]: { env },
    });
    const token = await credential.getToken(ARM);
    expect(claimsOf(token.token)["appid"]).toBe(DEMO_USER_ASSIGNED_IDENTITY.clientId);
  });

  it("refuses two kinds of user-assigned id, and empty ids, with a TypeError", async () => {
    await expect(
      credentialFor(authority, "imds", { clientId: "a", objectId: "b" }),
    ).rejects.toThrow(/at most one of clientId, resourceId and objectId/);
    await expect(credentialFor(authority, "imds", { clientId: " " })).rejects.toThrow(TypeError);
  });

  it("refuses a malformed endpoint variable with a TypeError naming it", async () => {
    const { credentialWithEnv } = await import("./support.js");
    expect(() =>
      credentialWithEnv({ IDENTITY_ENDPOINT: "not a url", IDENTITY_HEADER: "x" }),
    ).toThrow(/IDENTITY_ENDPOINT must be an http\(s\) URL/);
  });
});

describe("Azure Arc detected by its agent", () => {
  it("uses the agent's default endpoint when himds exists but no variable is set", async () => {
    const { ManagedIdentityCredential } = await import("../src/index.js");
    const { internalOptions } = await import("../src/internalOptions.js");
    const { writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp(join(tmpdir(), "credchain-himds-"));
    try {
      const agent = join(dir, "himds");
      await writeFile(agent, "");
      const withAgent = new ManagedIdentityCredential({
        [internalOptions]: { env: {}, arcAgentPath: agent },
      });
      expect(withAgent.toJSON()).toMatchObject({
        source: "Azure Arc",
        endpoint: "http://127.0.0.1:40342/metadata/identity/oauth2/token",
      });
      const without = new ManagedIdentityCredential({
        [internalOptions]: { env: {}, arcAgentPath: join(dir, "missing") },
      });
      expect(without.toJSON()).toMatchObject({ source: "IMDS" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("Azure Machine Learning (MSI_ENDPOINT + MSI_SECRET)", () => {
  it("is not mistaken for Cloud Shell: unavailable, with a message saying why, and no request", async () => {
    const { credentialWithEnv } = await import("./support.js");
    const credential = credentialWithEnv({
      MSI_ENDPOINT: authority.managedIdentity.url("cloud-shell"),
      MSI_SECRET: "ml-secret",
    });
    const error = await rejectionOf(credential.getToken(ARM));
    expect(error.name).toBe("CredentialUnavailableError");
    expect(error.message).toContain("Azure Machine Learning");
    expect(error.message).not.toContain("ml-secret");
    expect(authority.managedIdentity.requestCount()).toBe(0);
  });
});

describe("failures", () => {
  it("a 500 from App Service after retries is a ClientAuthenticationError with the status", async () => {
    authority.managedIdentity.setFaults([{ kind: "status", status: 500, source: "app-service" }]);
    const credential = await credentialFor(authority, "app-service", {
      retryOptions: { maxRetries: 1, retryDelayInMs: 0 },
    });
    const error = await rejectionOf(credential.getToken(ARM));
    expect(error).toMatchObject({ name: "ClientAuthenticationError", statusCode: 500 });
    expect(authority.managedIdentity.requestCount("app-service")).toBe(2);
  });

  it("a wrong App Service header secret is a ClientAuthenticationError", async () => {
    const { credentialWithEnv } = await import("./support.js");
    const credential = credentialWithEnv({
      ...authority.managedIdentity.environment("app-service"),
      IDENTITY_HEADER: "wrong-header-secret",
    });
    const error = await rejectionOf(credential.getToken(ARM));
    expect(error).toMatchObject({ name: "ClientAuthenticationError", statusCode: 401 });
  });
});

describe("secrets", () => {
  it("the identity header never shows in errors, events, the log, inspect or JSON", async () => {
    const secret = authority.managedIdentity.identityHeader;
    const credential = await credentialFor(authority, "app-service");
    const seen: unknown[] = [];
    for (const name of [
      "http:request",
      "http:response",
      "token:acquired",
      "token:error",
    ] as const) {
      credential.events.on(name, (payload: unknown) => seen.push(payload));
    }
    authority.managedIdentity.enqueueFaults([
      { kind: "status", status: 400, body: JSON.stringify({ message: `echo ${secret}` }) },
    ]);
    const error = await rejectionOf(credential.getToken(ARM));
    await credential.getToken(ARM);
    const text = [
      error.message,
      inspect(error, { depth: 5 }),
      inspect(credential),
      JSON.stringify(credential),
      inspect(seen, { depth: 5 }),
      JSON.stringify(authority.managedIdentity.requests),
    ].join("\n");
    expect(text).not.toContain(secret);
    expect(error.message).toContain("[REDACTED]");
    expect(JSON.stringify(credential)).toContain("App Service");
  });
});

describe("azure-arc challenge", () => {
  it("answers the challenge once with the file's secret, which the log never shows", async () => {
    const credential = await credentialFor(authority, "azure-arc");
    await credential.getToken(ARM);
    const requests = authority.managedIdentity.requests;
    expect(requests.map((r) => [r.status, r.headers["authorization"]])).toEqual([
      [401, undefined],
      [200, "[redacted]"],
    ]);
  });

  it("refuses a challenge file outside the token directory it trusts", async () => {
    const { credentialWithEnv } = await import("./support.js");
    const elsewhere = await mkdtemp(join(tmpdir(), "credchain-arc-elsewhere-"));
    try {
      const credential = credentialWithEnv(
        authority.managedIdentity.environment("azure-arc"),
        {},
        elsewhere,
      );
      const error = await rejectionOf(credential.getToken(ARM));
      expect(error.name).toBe("ClientAuthenticationError");
      expect(error.message).toContain("is not directly in");
      expect(authority.managedIdentity.requestCount("azure-arc")).toBe(1);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
