import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TENANT_ID, startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { credentialCases, environmentCase, installed } from "./support/credentialCases.js";
import { runCredchain, type CredchainResult } from "./support/runCredchain.js";
import { tempDirectory } from "./support/tempHome.js";

const SCOPE = "https://graph.microsoft.com/.default";
const OTHER_TENANT = "00000000-0000-0000-0000-0000000000aa";

let authority: LocalAuthority;
beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

function expectNoSecret(result: CredchainResult, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe.each(credentialCases.filter((row) => installed(row.requires)))(
  "credchain token --credential $credential ($name)",
  (row) => {
    const run = async (args: string[], extra: Record<string, string> = {}) => {
      const home = await tempDirectory();
      const result = await runCredchain(["token", "--credential", row.credential, ...args], {
        env: { HOME: home, ...row.env(authority), ...extra },
      });
      expectNoSecret(result, row.secrets);
      return result;
    };

    it("prints az's JSON fields on stdout and nothing on stderr", async () => {
      const result = await run(["--scope", SCOPE]);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      const output = JSON.parse(result.stdout);
      expect(Object.keys(output)).toEqual([
        "accessToken",
        "expiresOn",
        "expires_on",
        "tenant",
        "tokenType",
      ]);
      expect(output.tokenType).toBe("Bearer");
      expect(output.tenant).toBe(DEMO_TENANT_ID);
      const claims = claimsOf(output.accessToken);
      expect(claims["aud"]).toBe("https://graph.microsoft.com");
      // The credential computes expiry from expires_in on its own clock: the token's exp, give
      // or take the request's round trip and the rounding of both to seconds.
      expect(Math.abs(output.expires_on - (claims["exp"] as number))).toBeLessThanOrEqual(5);
      // az's local-time format, no zone: "2026-12-01 21:36:55.085000".
      expect(output.expiresOn).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    });

    it("prints only the token with --output raw", async () => {
      const result = await run(["--scope", SCOPE, "--output", "raw"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    });

    it("turns --resource into the resource's /.default scope, as az does", async () => {
      const result = await run(["--resource", "https://management.azure.com/", "--output", "raw"]);
      expect(result.code).toBe(0);
      expect(claimsOf(result.stdout.trim())["aud"]).toBe("https://management.azure.com");
    });

    it("prints a kubectl ExecCredential, in the apiVersion KUBERNETES_EXEC_INFO asks for", async () => {
      const beta = await run(["--scope", SCOPE, "--output", "exec-credential"]);
      expect(beta.code).toBe(0);
      const credential = JSON.parse(beta.stdout);
      expect(credential).toMatchObject({
        kind: "ExecCredential",
        apiVersion: "client.authentication.k8s.io/v1beta1",
      });
      const exp = claimsOf(credential.status.token)["exp"] as number;
      const expiration = Date.parse(credential.status.expirationTimestamp);
      expect(Math.abs(expiration - exp * 1000)).toBeLessThanOrEqual(5_000);

      const v1 = await run(["--scope", SCOPE, "--output", "exec-credential"], {
        KUBERNETES_EXEC_INFO: JSON.stringify({
          kind: "ExecCredential",
          apiVersion: "client.authentication.k8s.io/v1",
          spec: { interactive: false },
        }),
      });
      expect(JSON.parse(v1.stdout).apiVersion).toBe("client.authentication.k8s.io/v1");
    });

    it.runIf(row.tenants)("gets the token from --tenant", async () => {
      const result = await run(["--scope", SCOPE, "--tenant", OTHER_TENANT]);
      expect(result.code).toBe(0);
      const output = JSON.parse(result.stdout);
      expect(output.tenant).toBe(OTHER_TENANT);
      expect(claimsOf(output.accessToken)["tid"]).toBe(OTHER_TENANT);
    });
  },
);

describe("credchain token", () => {
  const env = async (extra: Record<string, string> = {}) => ({
    HOME: await tempDirectory(),
    ...environmentCase.env(authority),
    ...extra,
  });

  it.each([
    ["no scope nor resource", ["token", "--credential", "environment"]],
    ["both scope and resource", ["token", "--scope", SCOPE, "--resource", "https://x"]],
    ["an unknown output", ["token", "--scope", SCOPE, "--output", "yaml"]],
    ["an unknown credential", ["token", "--scope", SCOPE, "--credential", "password"]],
    ["an unknown option", ["token", "--scope", SCOPE, "--verbose"]],
    ["an unknown command", ["tokens"]],
    [
      "--tenant with a managed identity",
      ["token", "--scope", SCOPE, "--credential", "managed-identity", "--tenant", OTHER_TENANT],
    ],
    [
      "an ExecCredential version kubectl does not have",
      ["token", "--scope", SCOPE, "--credential", "environment", "--output", "exec-credential"],
      { KUBERNETES_EXEC_INFO: '{"apiVersion":"client.authentication.k8s.io/v9"}' },
    ],
  ] as const)(
    "exits 2 for bad usage: %s, saying so on stderr only",
    async (_, args, extra?: Record<string, string>) => {
      const result = await runCredchain(args, { env: await env(extra) });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).not.toBe("");
    },
  );

  it("exits 1 when Entra refuses, with the reason on stderr and never the secret", async () => {
    const wrong = `wrong-${randomBytes(8).toString("hex")}`;
    const result = await runCredchain(["token", "--credential", "environment", "--scope", SCOPE], {
      env: await env({ AZURE_CLIENT_SECRET: wrong }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("AADSTS7000215");
    expect(result.stderr).not.toContain(wrong);
  });

  it("exits 1 naming the variables when the environment has no credential", async () => {
    const result = await runCredchain(["token", "--credential", "environment", "--scope", SCOPE], {
      env: { HOME: await tempDirectory() },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("AZURE_CLIENT_SECRET");
  });

  it("names the package to install when a credential's package is missing", async () => {
    const missing = ["default", "managed-identity", "workload-identity", "azure-cli"] as const;
    const packages = {
      default: "@credchain/default",
      "managed-identity": "@credchain/managed-identity",
      "workload-identity": "@credchain/client-certificate",
      "azure-cli": "@credchain/azure-cli",
    };
    for (const credential of missing) {
      const name = packages[credential];
      if (installed(name)) continue; // a dependency now: its case row covers it
      const result = await runCredchain(["token", "--credential", credential, "--scope", SCOPE], {
        env: await env(),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`needs the package ${name}`);
    }
  });

  it("with --cache, a second run is answered from the encrypted file cache: 0 authority requests", async () => {
    const cacheDirectory = await tempDirectory();
    const cacheEnv = await env({
      CREDCHAIN_CACHE_DIR: cacheDirectory,
      CREDCHAIN_CACHE_KEY: randomBytes(32).toString("base64"),
    });
    const args = [
      "token",
      "--credential",
      "environment",
      "--scope",
      SCOPE,
      "--output",
      "raw",
      "--cache",
    ];
    authority.resetLog();
    const first = await runCredchain(args, { env: cacheEnv });
    expect(first.code).toBe(0);
    expect(authority.tokenRequestCount()).toBe(1);
    // Named <cache name>.<key id>.<partition>: each encryption key has its own files.
    const cacheFile = (await readdir(cacheDirectory)).find((name) =>
      /^credchain-cli\.[0-9a-f]{16}\.nocae$/.test(name),
    );
    expect(cacheFile).toBeDefined();

    authority.resetLog();
    const second = await runCredchain(args, { env: cacheEnv });
    expect(second).toMatchObject({ code: 0, stdout: first.stdout, stderr: "" });
    expect(authority.tokenRequestCount()).toBe(0);
    // Encrypted: the file never holds the token in the clear.
    const bytes = await readFile(`${cacheDirectory}/${String(cacheFile)}`, "utf8");
    expect(bytes).not.toContain(first.stdout.trim());
  });

  it("with --cache and no key anywhere, exits 1 saying how to provide one", async () => {
    const result = await runCredchain(
      ["token", "--credential", "environment", "--scope", SCOPE, "--cache"],
      { env: await env({ CREDCHAIN_CACHE_DIR: await tempDirectory() }) },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("CREDCHAIN_CACHE_KEY");
    expect(result.stdout).toBe("");
  });
});
