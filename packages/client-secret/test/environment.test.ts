import { inspect } from "node:util";
import { ChainedTokenCredential } from "@credchain/core";
import { useLocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ClientSecretCredential, EnvironmentCredential } from "../src/index.js";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  demoCredential,
  GRAPH,
  rejectionOf,
} from "./fixtures.js";
import { isolatedInstall } from "./support/isolatedInstall.js";

const VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_AUTHORITY_HOST",
  "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_USERNAME",
  "AZURE_IDENTITY_DISABLE_MULTITENANTAUTH",
];

const authority = useLocalAuthority({ hooks: { beforeAll, afterAll, afterEach } });
beforeEach(() => {
  // Whatever the machine running the tests has set must not leak in.
  for (const name of VARIABLES) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function configure(overrides: Record<string, string | undefined> = {}): void {
  const values: Record<string, string | undefined> = {
    AZURE_TENANT_ID: DEMO_TENANT_ID,
    AZURE_CLIENT_ID: DEMO_CLIENT_ID,
    AZURE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    AZURE_AUTHORITY_HOST: authority.url,
    ...overrides,
  };
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
}

describe("EnvironmentCredential, configured", () => {
  it("gets tokens through a ClientSecretCredential built from the environment", async () => {
    configure();
    const credential = new EnvironmentCredential();
    const token = await credential.getToken(GRAPH);
    const info = await credential.getTokenInfo(GRAPH);
    expect(info.token).toBe(token.token);
    expect(info.expiresOn).toBe(Math.floor(token.expiresOnTimestamp / 1000));
    expect(authority.tokenRequestCount()).toBe(1);
    expect(authority.requests[0]?.tenant).toBe(DEMO_TENANT_ID);
    expect(credential.toJSON()).toEqual({
      credential: "EnvironmentCredential",
      configured: true,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      authorityHost: authority.url,
    });
  });

  it("reads the environment once, at construction", async () => {
    configure();
    const credential = new EnvironmentCredential();
    vi.stubEnv("AZURE_CLIENT_SECRET", undefined);
    vi.stubEnv("AZURE_TENANT_ID", "someone-else");
    await credential.getToken(GRAPH);
    expect(authority.requests[0]?.tenant).toBe(DEMO_TENANT_ID);
  });

  it("accepts an AZURE_AUTHORITY_HOST that ends with AZURE_TENANT_ID, and requests the tenant once", async () => {
    configure({ AZURE_AUTHORITY_HOST: `${authority.url}/${DEMO_TENANT_ID}` });
    await new EnvironmentCredential().getToken(GRAPH);
    expect(authority.requests.map((r) => r.path)).toEqual([`/${DEMO_TENANT_ID}/oauth2/v2.0/token`]);
  });

  it('throws naming AZURE_TENANT_ID for ".."', () => {
    configure({ AZURE_TENANT_ID: ".." });
    expect(() => new EnvironmentCredential()).toThrowError(/AZURE_TENANT_ID "\.\." is not valid/);
  });

  it("lets options.authority win over AZURE_AUTHORITY_HOST", async () => {
    configure({ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" });
    const credential = new EnvironmentCredential({ authority: authority.url });
    await credential.getToken(GRAPH);
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("merges AZURE_ADDITIONALLY_ALLOWED_TENANTS (a ; list) with options.additionallyAllowedTenants", async () => {
    configure({ AZURE_ADDITIONALLY_ALLOWED_TENANTS: " fabrikam.com ;northwind.com;; " });
    const credential = new EnvironmentCredential({ additionallyAllowedTenants: ["contoso.com"] });
    for (const tenantId of ["fabrikam.com", "northwind.com", "contoso.com"]) {
      await credential.getToken(GRAPH, { tenantId });
    }
    const refused = await rejectionOf(credential.getToken(GRAPH, { tenantId: "tailspin.com" }));
    expect(refused.name).toBe("ClientAuthenticationError");
    expect(authority.requests.map((r) => r.tenant)).toEqual([
      "fabrikam.com",
      "northwind.com",
      "contoso.com",
    ]);
  });

  it('accepts "*" in AZURE_ADDITIONALLY_ALLOWED_TENANTS', async () => {
    configure({ AZURE_ADDITIONALLY_ALLOWED_TENANTS: "*" });
    await new EnvironmentCredential().getToken(GRAPH, { tenantId: "anyone.com" });
    expect(authority.requests[0]?.tenant).toBe("anyone.com");
  });

  it("passes the server's error through unchanged, so a chain stops on it", async () => {
    configure({ AZURE_CLIENT_SECRET: "wrong" });
    const error = await rejectionOf(new EnvironmentCredential().getToken(GRAPH));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error["errorCodes"]).toEqual([7000215]);
  });
});

describe("EnvironmentCredential, variables missing", () => {
  it("constructs, then rejects getToken and getTokenInfo with CredentialUnavailableError naming all three", async () => {
    const credential = new EnvironmentCredential();
    for (const call of [() => credential.getToken(GRAPH), () => credential.getTokenInfo(GRAPH)]) {
      const error = await rejectionOf(call());
      expect(error.name).toBe("CredentialUnavailableError");
      expect(error.message).toMatch(
        /EnvironmentCredential is unavailable: the environment variables AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET are not set\./,
      );
    }
    expect(authority.tokenRequestCount()).toBe(0);
  });

  it("names exactly the one that is missing", async () => {
    configure({ AZURE_CLIENT_SECRET: undefined });
    const error = await rejectionOf(new EnvironmentCredential().getToken(GRAPH));
    expect(error.message).toMatch(/the environment variable AZURE_CLIENT_SECRET is not set\./);
    expect(error.message).not.toMatch(/variables? AZURE_TENANT_ID/);
  });

  it("treats a blank variable as missing", async () => {
    configure({ AZURE_CLIENT_ID: "  " });
    const error = await rejectionOf(new EnvironmentCredential().getToken(GRAPH));
    expect(error.message).toMatch(/the environment variable AZURE_CLIENT_ID is not set/);
  });

  it("names what is missing for a certificate too: AZURE_CLIENT_CERTIFICATE_PATH stands in for the secret", async () => {
    configure({ AZURE_CLIENT_ID: undefined, AZURE_CLIENT_SECRET: undefined });
    vi.stubEnv("AZURE_CLIENT_CERTIFICATE_PATH", "/etc/cert.pem");
    const error = await rejectionOf(new EnvironmentCredential().getToken(GRAPH));
    expect(error.message).toMatch(/the environment variable AZURE_CLIENT_ID is not set\./);
    expect(error.message).toMatch(
      /or AZURE_CLIENT_CERTIFICATE_PATH instead of AZURE_CLIENT_SECRET/,
    );
  });

  it("says why username and password variables are not used", async () => {
    configure({ AZURE_CLIENT_SECRET: undefined, AZURE_USERNAME: "someone@contoso.com" });
    const error = await rejectionOf(new EnvironmentCredential().getToken(GRAPH));
    expect(error.message).toMatch(
      /AZURE_USERNAME is set, but this credential supports client secrets and certificates only/,
    );
  });

  it("shows what is missing in inspect and toJSON", () => {
    configure({ AZURE_CLIENT_ID: undefined });
    const credential = new EnvironmentCredential();
    expect(credential.toJSON()).toEqual({
      credential: "EnvironmentCredential",
      configured: false,
      missing: ["AZURE_CLIENT_ID"],
    });
    expect(inspect(credential)).toBe(
      "EnvironmentCredential { unavailable, missing: AZURE_CLIENT_ID }",
    );
  });
});

describe("EnvironmentCredential, variables invalid", () => {
  it("throws a TypeError at construction naming AZURE_TENANT_ID", () => {
    configure({ AZURE_TENANT_ID: "contoso/../evil" });
    expect(() => new EnvironmentCredential()).toThrowError(
      /EnvironmentCredential: AZURE_TENANT_ID "contoso\/\.\.\/evil" is not valid/,
    );
  });

  it("throws even when other variables are missing: a set-but-wrong value is a mistake to fix", () => {
    configure({ AZURE_TENANT_ID: "bad tenant", AZURE_CLIENT_SECRET: undefined });
    expect(() => new EnvironmentCredential()).toThrowError(TypeError);
  });

  it("throws naming AZURE_AUTHORITY_HOST for a non-https authority", () => {
    configure({ AZURE_AUTHORITY_HOST: "http://login.microsoftonline.com" });
    expect(() => new EnvironmentCredential()).toThrowError(
      /EnvironmentCredential: AZURE_AUTHORITY_HOST .*plain http/,
    );
  });

  it("throws naming AZURE_ADDITIONALLY_ALLOWED_TENANTS for a malformed entry", () => {
    configure({ AZURE_ADDITIONALLY_ALLOWED_TENANTS: "ok.com;not ok" });
    expect(() => new EnvironmentCredential()).toThrowError(
      /AZURE_ADDITIONALLY_ALLOWED_TENANTS "not ok"/,
    );
  });
});

describe("EnvironmentCredential with a certificate", () => {
  it("prefers AZURE_CLIENT_SECRET when the certificate variables are set too, as @azure/identity", async () => {
    configure({ AZURE_CLIENT_CERTIFICATE_PATH: "/nonexistent/cert.pem" });
    const token = await new EnvironmentCredential().getToken(GRAPH);
    expect(token.token).toBeTruthy();
    expect(authority.requests[0]?.clientId).toBe(DEMO_CLIENT_ID);
  });

  it("throws at construction naming AZURE_CLIENT_SEND_CERTIFICATE_CHAIN for a value that is not a boolean", () => {
    configure({ AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE_PATH: "/etc/cert.pem" });
    vi.stubEnv("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", "yes please");
    expect(() => new EnvironmentCredential()).toThrowError(
      /AZURE_CLIENT_SEND_CERTIFICATE_CHAIN must be "true" or "1"/,
    );
  });

  it("without @credchain/client-certificate installed, is unavailable and names the package to install", async () => {
    await using app = await isolatedInstall();
    const output = await app.run(
      `
      import { ChainedTokenCredential } from "@credchain/core";
      import { EnvironmentCredential } from "@credchain/client-secret";
      const credential = new EnvironmentCredential();
      const fallback = { getToken: async () => ({ token: "fallback", expiresOnTimestamp: Date.now() + 3600000 }) };
      const error = await credential.getToken("${GRAPH}").then(() => undefined, (e) => e);
      const again = await credential.getToken("${GRAPH}").then(() => undefined, (e) => e);
      const chained = await new ChainedTokenCredential(credential, fallback).getToken("${GRAPH}");
      console.log(JSON.stringify({ name: error?.name, message: error?.message, same: error === again, chained: chained.token, json: credential.toJSON() }));
      `,
      {
        AZURE_TENANT_ID: DEMO_TENANT_ID,
        AZURE_CLIENT_ID: DEMO_CLIENT_ID,
        AZURE_CLIENT_CERTIFICATE_PATH: "/etc/credchain/cert.pem",
        AZURE_CLIENT_CERTIFICATE_PASSWORD: "Pfx-P4ssword",
        AZURE_AUTHORITY_HOST: authority.url,
      },
    );
    const result = JSON.parse(output);
    expect(result.name).toBe("CredentialUnavailableError");
    expect(result.message).toMatch(
      /AZURE_CLIENT_CERTIFICATE_PATH is set, but @credchain\/client-certificate is not installed\. Install it \(npm install @credchain\/client-certificate\)/,
    );
    expect(result.same).toBe(true); // loaded (and failed) once, not on every call
    expect(result.chained).toBe("fallback"); // a chain moves on
    expect(JSON.stringify(result)).not.toContain("Pfx-P4ssword");
    expect(result.json).toEqual({
      credential: "EnvironmentCredential",
      configured: true,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
    });
    expect(authority.tokenRequestCount()).toBe(0);
  });
});

describe("EnvironmentCredential with a certificate, against the client-certificate contract", () => {
  // A stand-in with the constructor the cert branch's ClientCertificateCredential has, until that
  // package lands (its own tests then cover the real one through this same path).
  const STAND_IN = `
    import { CredentialEventEmitter } from "@credchain/core";
    export class ClientCertificateCredential {
      events = new CredentialEventEmitter();
      constructor(...args) { this.args = args; globalThis.constructed = (globalThis.constructed ?? 0) + 1; }
      async getToken(scopes) {
        this.events.emit("token:acquired", { credential: "ClientCertificateCredential", scopes: [scopes] });
        return { token: "certificate-token", expiresOnTimestamp: Date.now() + 3600000, args: this.args };
      }
      async close() { globalThis.closed = true; }
    }`;

  it("builds ClientCertificateCredential once, at the first getToken, from the certificate variables", async () => {
    await using app = await isolatedInstall();
    await app.addPackage("@credchain/client-certificate", STAND_IN);
    const output = await app.run(
      `
      import { EnvironmentCredential } from "@credchain/client-secret";
      const credential = new EnvironmentCredential({ maxCachedTokens: 5 });
      const before = globalThis.constructed ?? 0;
      const acquired = [];
      credential.events.on("token:acquired", (event) => acquired.push(event.credential));
      const [first] = await Promise.all([credential.getToken("${GRAPH}"), credential.getToken("${GRAPH}")]);
      await credential.close();
      const closed = await credential.getToken("${GRAPH}").then(() => undefined, (e) => e.message);
      console.log(JSON.stringify({ before, constructed: globalThis.constructed, token: first.token, args: first.args, acquired, closed, wasClosed: globalThis.closed }));
      `,
      {
        AZURE_TENANT_ID: DEMO_TENANT_ID,
        AZURE_CLIENT_ID: DEMO_CLIENT_ID,
        AZURE_CLIENT_CERTIFICATE_PATH: "/etc/credchain/cert.pem",
        AZURE_CLIENT_CERTIFICATE_PASSWORD: "Pfx-P4ssword",
        AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: "True",
        AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us",
      },
    );
    const result = JSON.parse(output);
    expect(result.before).toBe(0); // nothing loaded at construction
    expect(result.constructed).toBe(1);
    expect(result.token).toBe("certificate-token");
    expect(result.args).toEqual([
      DEMO_TENANT_ID,
      DEMO_CLIENT_ID,
      { certificatePath: "/etc/credchain/cert.pem", certificatePassword: "Pfx-P4ssword" },
      {
        maxCachedTokens: 5,
        authority: "https://login.microsoftonline.us",
        sendCertificateChain: true,
      },
    ]);
    expect(result.acquired).toEqual(["ClientCertificateCredential", "ClientCertificateCredential"]);
    expect(result.wasClosed).toBe(true);
    expect(result.closed).toMatch(/EnvironmentCredential is closed/);
  });
});

describe("EnvironmentCredential in a chain", () => {
  it("is skipped when unconfigured: the next link answers", async () => {
    const fallback = demoCredential(authority);
    const chain = new ChainedTokenCredential(new EnvironmentCredential(), fallback);
    const token = await chain.getToken(GRAPH);
    expect(token.token).toBeTruthy();
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("lists what is missing when every link is unavailable", async () => {
    const chain = new ChainedTokenCredential(new EnvironmentCredential());
    const error = await rejectionOf(chain.getToken(GRAPH));
    expect(error.name).toBe("AggregateAuthenticationError");
    expect(error.message).toMatch(
      /EnvironmentCredential: EnvironmentCredential is unavailable: .*AZURE_TENANT_ID/,
    );
  });

  it("stops the chain when configured but refused: no fallback request", async () => {
    configure({ AZURE_CLIENT_SECRET: "wrong" });
    const fallback = new ClientSecretCredential(
      DEMO_TENANT_ID,
      "fallback-client",
      DEMO_CLIENT_SECRET,
      {
        authority: authority.url,
      },
    );
    const chain = new ChainedTokenCredential(new EnvironmentCredential(), fallback);
    const error = await rejectionOf(chain.getToken(GRAPH));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(authority.requests.map((r) => r.clientId)).toEqual([DEMO_CLIENT_ID]);
  });

  it("chain.getTokenInfo uses the link's own getTokenInfo", async () => {
    configure();
    const chain = new ChainedTokenCredential(new EnvironmentCredential());
    const info = await chain.getTokenInfo(GRAPH);
    expect(info.tokenType).toBe("Bearer");
  });
});

describe("EnvironmentCredential lifecycle", () => {
  it("close() is idempotent and later calls reject saying it is closed, configured or not", async () => {
    for (const setUp of [() => configure(), () => undefined]) {
      setUp();
      const credential = new EnvironmentCredential();
      const first = credential.close();
      expect(credential.close()).toBe(first);
      await first;
      const error = await rejectionOf(credential.getToken(GRAPH));
      expect(error.name).toBe("CredentialUnavailableError");
      expect(error.message).toMatch(/EnvironmentCredential is closed/);
    }
  });

  it("closes the inner credential, and works with await using", async () => {
    configure();
    const events: string[] = [];
    {
      await using credential = new EnvironmentCredential();
      credential.events.on("credential:close", (event) => events.push(event.credential));
      await credential.getToken(GRAPH);
    }
    expect(events).toEqual(["ClientSecretCredential"]);
  });

  it("exposes the inner credential's events", async () => {
    configure();
    const credential = new EnvironmentCredential();
    const acquired: string[] = [];
    credential.events.on("token:acquired", (event) => acquired.push(event.source));
    await credential.getToken(GRAPH);
    expect(acquired).toEqual(["network"]);
  });
});

describe("EnvironmentCredential options", () => {
  it("are checked even when the environment is incomplete", () => {
    expect(() => new EnvironmentCredential({ authority: "http://example.com" })).toThrowError(
      /EnvironmentCredential: options\.authority .*plain http/,
    );
    expect(
      () => new EnvironmentCredential({ additionallyAllowedTenants: ["fine.com", "not fine"] }),
    ).toThrowError(/options\.additionallyAllowedTenants\[1\] "not fine" is not valid/);
  });
});
