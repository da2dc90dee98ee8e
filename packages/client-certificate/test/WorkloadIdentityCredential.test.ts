import { writeFile } from "node:fs/promises";
import { inspect } from "node:util";
import {
  ChainedTokenCredential,
  ClientAuthenticationError,
  CredentialUnavailableError,
} from "@credchain/core";
import {
  createWorkloadIssuer,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
  type WorkloadIssuer,
} from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { WorkloadIdentityCredential } from "../src/index.js";
import {
  GRAPH,
  recordEvents,
  rejectionOf,
  STORAGE,
  tempDirectory,
  testServices,
  VAULT,
} from "./support.js";

const CLIENT_ID = "workload-app";
const SUBJECT = "system:serviceaccount:payments:api";
const temp = tempDirectory();
let authority: LocalAuthority;
let cluster: WorkloadIssuer;
let rebuiltCluster: WorkloadIssuer;

function trust(...issuers: WorkloadIssuer[]): void {
  authority.setClients([
    {
      clientId: CLIENT_ID,
      federatedCredentials: issuers.map((i) => i.federatedCredential(SUBJECT)),
    },
  ]);
}

beforeAll(async () => {
  [cluster, rebuiltCluster] = await Promise.all([createWorkloadIssuer(), createWorkloadIssuer()]);
  authority = await startAuthority({
    clients: [
      { clientId: CLIENT_ID, federatedCredentials: [cluster.federatedCredential(SUBJECT)] },
    ],
  });
});
afterAll(async () => {
  await authority.close();
  temp.remove();
});
afterEach(() => {
  vi.unstubAllEnvs();
  trust(cluster);
  authority.resetLog();
});

function stubEnvironment(tokenFile: string): void {
  vi.stubEnv("AZURE_TENANT_ID", DEMO_TENANT_ID);
  vi.stubEnv("AZURE_CLIENT_ID", CLIENT_ID);
  vi.stubEnv("AZURE_FEDERATED_TOKEN_FILE", tokenFile);
  vi.stubEnv("AZURE_AUTHORITY_HOST", authority.url);
}

describe("WorkloadIdentityCredential", () => {
  it("exchanges the projected token named by the environment (as the AKS webhook sets it)", async () => {
    const tokenFile = temp.path("env-token");
    await writeFile(tokenFile, cluster.mint({ subject: SUBJECT }));
    stubEnvironment(tokenFile);
    await using credential = new WorkloadIdentityCredential();
    expect((await credential.getToken(GRAPH)).token).toMatch(/^ey/);
    expect(JSON.parse(JSON.stringify(credential))).toMatchObject({
      credential: "WorkloadIdentityCredential",
      clientId: CLIENT_ID,
      configured: true,
    });
  });

  it("options win over the environment", async () => {
    const tokenFile = temp.path("options-token");
    await writeFile(tokenFile, cluster.mint({ subject: SUBJECT }));
    vi.stubEnv("AZURE_CLIENT_ID", "someone-else");
    vi.stubEnv("AZURE_FEDERATED_TOKEN_FILE", temp.path("does-not-exist"));
    await using credential = new WorkloadIdentityCredential({
      tenantId: DEMO_TENANT_ID,
      clientId: CLIENT_ID,
      tokenFilePath: tokenFile,
      authority: authority.url,
    });
    expect((await credential.getTokenInfo(GRAPH)).token).toMatch(/^ey/);
  });

  it("anything missing is CredentialUnavailableError at getToken naming what to set, and a chain moves on", async () => {
    vi.stubEnv("AZURE_TENANT_ID", DEMO_TENANT_ID);
    vi.stubEnv("AZURE_CLIENT_ID", "");
    vi.stubEnv("AZURE_FEDERATED_TOKEN_FILE", "");
    const credential = new WorkloadIdentityCredential();
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect(error.message).toContain("AZURE_CLIENT_ID (or options.clientId)");
    expect(error.message).toContain("AZURE_FEDERATED_TOKEN_FILE (or options.tokenFilePath)");
    expect(error.message).not.toContain("AZURE_TENANT_ID");
    expect(inspect(credential)).toContain("unavailable");
    const fallback = {
      getToken: () =>
        Promise.resolve({ token: "from-the-next-link", expiresOnTimestamp: Date.now() + 3600_000 }),
    };
    const chain = new ChainedTokenCredential(credential, fallback);
    expect((await chain.getToken(GRAPH))?.token).toBe("from-the-next-link");
    await credential.close();
    await credential.close();
  });

  it("a configured path whose file is missing is unavailable too (the pod is not set up)", async () => {
    stubEnvironment(temp.path("not-projected"));
    await using credential = new WorkloadIdentityCredential();
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect(error.message).toMatch(/cannot be read \(ENOENT\)/);
    expect(authority.tokenRequestCount()).toBe(0);
  });

  it("reads the rotated token file for the next network request: never stale content", async () => {
    const tokenFile = temp.path("rotating-token");
    await writeFile(tokenFile, cluster.mint({ subject: SUBJECT }));
    stubEnvironment(tokenFile);
    const { transport, container } = testServices();
    await using credential = new WorkloadIdentityCredential({ container });
    await credential.getToken(GRAPH);
    // The cluster was rebuilt: only its new issuer is trusted, and the kubelet wrote its token.
    trust(rebuiltCluster);
    const fresh = rebuiltCluster.mint({ subject: SUBJECT });
    await writeFile(tokenFile, fresh);
    await credential.getToken(GRAPH); // cache hit: the file is not read, nothing is sent
    await credential.getToken(VAULT);
    const sent = transport.forms.map((f) => f.get("client_assertion"));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(fresh);
  });

  it("never sends a token that has expired: the request fails before it leaves, and the next rotation heals it", async () => {
    const tokenFile = temp.path("expiring-token");
    const start = Date.now();
    const { clock, container } = testServices(start);
    // One clock for the credential, the issuer's tokens and the authority.
    await using timed = await startAuthority({
      now: () => clock.now(),
      clients: [
        { clientId: CLIENT_ID, federatedCredentials: [cluster.federatedCredential(SUBJECT)] },
      ],
    });
    await writeFile(
      tokenFile,
      cluster.mint({ subject: SUBJECT, nowMs: start, lifetimeInSeconds: 3600 }),
    );
    stubEnvironment(tokenFile);
    await using credential = new WorkloadIdentityCredential({ container, authority: timed.url });
    await credential.getToken(GRAPH);
    clock.advance(3600_000 + 1000); // the kubelet stopped rotating the file
    const error = await rejectionOf(credential.getToken(VAULT));
    expect(error).toBeInstanceOf(ClientAuthenticationError);
    expect(error.message).toMatch(/federated token in .* expired at .* has not been rotated/);
    expect(timed.tokenRequestCount()).toBe(1);
    await writeFile(tokenFile, cluster.mint({ subject: SUBJECT, nowMs: clock.now() }));
    expect((await credential.getToken(STORAGE)).token).toMatch(/^ey/);
    expect(timed.tokenRequestCount()).toBe(2);
  });

  it("never shows the federated token: errors (even when Entra refuses it), events, inspect, JSON", async () => {
    const tokenFile = temp.path("secret-token");
    const refusedToken = cluster.mint({ subject: "system:serviceaccount:other:sa" });
    await writeFile(tokenFile, refusedToken);
    stubEnvironment(tokenFile);
    const credential = new WorkloadIdentityCredential();
    const recorded = recordEvents(credential.events);
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.errorCodes).toEqual([700213]);
    const acceptedToken = cluster.mint({ subject: SUBJECT });
    await writeFile(tokenFile, acceptedToken);
    const accessToken = await credential.getToken(VAULT);
    await credential.getToken(VAULT);
    await credential.close();
    recorded.stop();
    const views = [
      String(error),
      error.stack ?? "",
      inspect(error, { depth: Infinity, showHidden: true, customInspect: false }),
      JSON.stringify(error),
      inspect(credential),
      inspect(credential, { customInspect: false, showHidden: true, depth: Infinity }),
      JSON.stringify(credential),
      ...recorded.events.map((e) => JSON.stringify(e) + inspect(e, { depth: Infinity })),
    ].join("\n");
    expect(recorded.events.length).toBeGreaterThan(3);
    for (const secret of [refusedToken, acceptedToken, accessToken.token]) {
      expect(views).not.toContain(secret);
      expect(views).not.toContain(secret.split(".")[2]);
    }
  });
});
