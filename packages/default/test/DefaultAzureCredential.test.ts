import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { credentialEvents, type CredentialSelectEvent } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { installFakeAz, type FakeAz } from "../../azure-cli/test/fakeAz.js";
import { DefaultAzureCredential, type DefaultAzureCredentialOptions } from "../src/index.js";
import { internalOptions } from "../src/internalOptions.js";

const ARM = "https://management.azure.com/.default";
const VAULT = "https://vault.azure.net/.default";
const STORAGE = "https://storage.azure.com/.default";

let authority: LocalAuthority;
let fake: FakeAz;
let emptyDir: string;
let closedPort: number;
beforeAll(async () => {
  authority = await startAuthority();
  fake = await installFakeAz();
  emptyDir = await mkdtemp(join(tmpdir(), "credchain-default-empty-"));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await authority.close();
  await fake.remove();
  await rm(emptyDir, { recursive: true, force: true });
});
beforeEach(async () => {
  // EnvironmentCredential reads process.env: keep this worker's empty for it.
  for (const name of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"]) {
    vi.stubEnv(name, "");
  }
  await fake.setMode("success");
});
afterEach(() => {
  vi.unstubAllEnvs();
  authority.managedIdentity.clearFaults();
  authority.managedIdentity.resetLog();
});

/** Nothing configured: IMDS at a closed loopback port, no az on PATH. */
function bareEnv(): Record<string, string> {
  return {
    PATH: emptyDir,
    HOME: emptyDir,
    AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${closedPort}`,
  };
}

function credential(
  env: Record<string, string>,
  options: DefaultAzureCredentialOptions = {},
): DefaultAzureCredential {
  return new DefaultAzureCredential({ ...options, [internalOptions]: { env } } as object);
}

function selections(target: DefaultAzureCredential): CredentialSelectEvent[] {
  const seen: CredentialSelectEvent[] = [];
  target.events.on("credential:select", (event) => seen.push(event));
  return seen;
}

describe("nothing configured", () => {
  it("is an AggregateAuthenticationError with one line per link, saying how to enable it", async () => {
    const error = (await credential(bareEnv())
      .getToken(ARM)
      .catch((e: unknown) => e)) as Error & { errors: unknown[] };
    expect(error.name).toBe("AggregateAuthenticationError");
    expect(error.errors).toHaveLength(4);
    const lines = error.message.split("\n").slice(1);
    expect(lines.map((line) => line.trim().split(":")[0])).toEqual([
      "EnvironmentCredential",
      "WorkloadIdentityCredential",
      "ManagedIdentityCredential",
      "AzureCliCredential",
    ]);
    for (const line of lines) expect(line).toContain("To enable it:");
    expect(error.message).toContain("AZURE_FEDERATED_TOKEN_FILE is not set");
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain("not found on PATH");
  });
});

describe("selection", () => {
  it("managed identity answers: chosen, reported, and asked directly afterwards", async () => {
    const env = { ...authority.managedIdentity.environment("app-service"), PATH: emptyDir };
    const target = credential(env);
    const seen = selections(target);
    const global: CredentialSelectEvent[] = [];
    const listener = (event: CredentialSelectEvent): void => {
      global.push(event);
    };
    credentialEvents.on("credential:select", listener);
    try {
      await target.getToken(ARM);
      await target.getToken(VAULT);
    } finally {
      credentialEvents.off("credential:select", listener);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      credential: "DefaultAzureCredential",
      selected: "ManagedIdentityCredential",
      index: 2,
    });
    expect(seen[0]?.skipped.map((line) => line.split(":")[0])).toEqual([
      "EnvironmentCredential",
      "WorkloadIdentityCredential",
    ]);
    expect(global).toEqual(seen);
    expect(JSON.stringify(target)).toContain('"selected":"ManagedIdentityCredential"');
  });

  it("later calls skip the links before the chosen one (no new IMDS probe)", async () => {
    authority.managedIdentity.setUnreachable(true);
    const env = { ...fake.switchableEnv(), ...authority.managedIdentity.environment("imds") };
    const target = credential(env);
    await expect(target.getToken(ARM)).resolves.toMatchObject({
      token: "fake-az-token-for-https://management.azure.com",
    });
    const probes = authority.managedIdentity.requestCount("imds");
    expect(probes).toBe(1);
    await target.getToken(VAULT);
    expect(authority.managedIdentity.requestCount("imds")).toBe(probes);
  });

  it("when the chosen link becomes unavailable, the walk starts again", async () => {
    authority.managedIdentity.setUnreachable(true);
    const env = { ...fake.switchableEnv(), ...authority.managedIdentity.environment("imds") };
    const target = credential(env);
    const seen = selections(target);
    await target.getToken(ARM);
    expect(seen.map((event) => event.selected)).toEqual(["AzureCliCredential"]);
    // az is logged out and managed identity has come up: the next new token comes from it.
    await fake.setMode("not-logged-in");
    authority.managedIdentity.setUnreachable(false);
    const token = await target.getToken(VAULT);
    expect(token.token).not.toContain("fake-az-token");
    expect(seen.map((event) => event.selected)).toEqual([
      "AzureCliCredential",
      "ManagedIdentityCredential",
    ]);
  });

  it("a managed identity endpoint that fails (500) stops the chain: az is never run", async () => {
    authority.managedIdentity.setFaults([{ kind: "status", status: 500, source: "imds" }]);
    const env = { ...fake.switchableEnv(), ...authority.managedIdentity.environment("imds") };
    const runs = (await fake.runs()).length;
    const target = credential(env, { retryOptions: { maxRetries: 0 } });
    await expect(target.getToken(ARM)).rejects.toMatchObject({
      name: "ClientAuthenticationError",
      statusCode: 500,
    });
    expect((await fake.runs()).length).toBe(runs);
  });

  it("environment variables win over everything after them", async () => {
    vi.stubEnv("AZURE_TENANT_ID", DEMO_TENANT_ID);
    vi.stubEnv("AZURE_CLIENT_ID", DEMO_CLIENT_ID);
    vi.stubEnv("AZURE_CLIENT_SECRET", DEMO_CLIENT_SECRET);
    const target = credential(
      { ...authority.managedIdentity.environment("app-service"), PATH: emptyDir },
      { authority: authority.url },
    );
    const seen = selections(target);
    await target.getTokenInfo(ARM);
    expect(seen[0]?.selected).toBe("EnvironmentCredential");
    expect(authority.tokenRequestCount()).toBeGreaterThan(0);
    expect(authority.managedIdentity.requestCount()).toBe(0);
  });

  it("workload identity without @credchain/client-certificate says to install it", async () => {
    const file = join(emptyDir, "federated-token");
    await writeFile(file, "eyJ.fake.token");
    const error = (await credential({ ...bareEnv(), AZURE_FEDERATED_TOKEN_FILE: file })
      .getToken(ARM)
      .catch((e: unknown) => e)) as Error;
    const line = error.message.split("\n").find((l) => l.includes("WorkloadIdentityCredential:"));
    // Once the package is installed in this workspace the link gets further; either way it is named.
    expect(line).toBeDefined();
    if (line?.includes("not installed")) expect(line).toContain("@credchain/client-certificate");
  });
});

describe("AZURE_TOKEN_CREDENTIALS", () => {
  it.each([
    ["dev", ["AzureCliCredential"]],
    ["prod", ["EnvironmentCredential", "WorkloadIdentityCredential", "ManagedIdentityCredential"]],
    [" ManagedIdentityCredential ", ["ManagedIdentityCredential"]],
    ["azureclicredential", ["AzureCliCredential"]],
    [
      "",
      [
        "EnvironmentCredential",
        "WorkloadIdentityCredential",
        "ManagedIdentityCredential",
        "AzureCliCredential",
      ],
    ],
  ])("%j picks %j", (value, links) => {
    const target = credential({ ...bareEnv(), AZURE_TOKEN_CREDENTIALS: value });
    expect(target.toJSON()).toMatchObject({ links });
  });

  it("anything else is a TypeError at construction", () => {
    expect(() => credential({ ...bareEnv(), AZURE_TOKEN_CREDENTIALS: "staging" })).toThrow(
      /AZURE_TOKEN_CREDENTIALS must be "dev", "prod" or one of/,
    );
  });

  it("dev skips managed identity entirely", async () => {
    const target = credential({
      ...fake.switchableEnv(),
      ...authority.managedIdentity.environment("imds"),
      AZURE_TOKEN_CREDENTIALS: "dev",
    });
    await target.getToken(STORAGE);
    expect(authority.managedIdentity.requestCount()).toBe(0);
  });
});

describe("secrets", () => {
  it("never shows the client secret or a token in inspect, JSON, events or errors", async () => {
    const secret = "env-secret-value-never-shown";
    vi.stubEnv("AZURE_TENANT_ID", DEMO_TENANT_ID);
    vi.stubEnv("AZURE_CLIENT_ID", DEMO_CLIENT_ID);
    vi.stubEnv("AZURE_CLIENT_SECRET", secret);
    const target = credential(bareEnv(), { authority: authority.url });
    const seen = selections(target);
    const error = await target.getToken(ARM).catch((e: unknown) => e);
    const text = [
      inspect(target),
      JSON.stringify(target),
      inspect(seen, { depth: 5 }),
      inspect(error, { depth: 5 }),
    ].join("\n");
    expect(text).not.toContain(secret);
    expect((error as Error).name).toBe("ClientAuthenticationError");
  });
});

describe("lifecycle", () => {
  it("close() is idempotent and later calls reject", async () => {
    const target = credential(bareEnv());
    const first = target.close();
    expect(target.close()).toBe(first);
    await first;
    await expect(target.getToken(ARM)).rejects.toMatchObject({
      name: "CredentialUnavailableError",
    });
    expect(inspect(target)).toContain("DefaultAzureCredential");
  });
});
