import { randomBytes } from "node:crypto";
import { ClientSecretCredential } from "@credchain/client-secret";
import { rootContainer, Tokens, type AccessToken } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
} from "@credchain/local-authority";
import { describe, expect, it, onTestFinished } from "vitest";
import { FileCachePersistence } from "../src/FileCachePersistence.js";
import { fileCachePlugin } from "../src/fileCachePlugin.js";
import { recordingLogger } from "./support/openTestStore.js";
import { runFixture } from "./support/runFixture.js";
import { tempDirectory } from "./support/tempDirectory.js";

const KEY = randomBytes(32);
const SCOPE = "https://vault.azure.net/.default";

async function authority() {
  const started = await startAuthority();
  onTestFinished(() => started.close());
  return started;
}

interface ProcessAnswer {
  token: string;
  expiresOnTimestamp: number;
  sources: string[];
  diagnostics: { lockAcquisitions: number; fileLoads: number; fileWrites: number };
}

describe("end to end: ClientSecretCredential + fileCachePlugin + local authority", () => {
  it("a token acquired in process A is served in process B without a request to the authority", async () => {
    const server = await authority();
    const directory = await tempDirectory();
    const input = {
      directory,
      key: KEY.toString("base64"),
      authority: server.url,
      name: "e2e",
      scope: SCOPE,
    };

    const a = await runFixture("credential-get-token.mjs", input);
    expect(a.code, a.stderr).toBe(0);
    const first = JSON.parse(a.stdout) as ProcessAnswer;
    expect(first.sources).toEqual(["network"]);
    expect(server.tokenRequestCount()).toBe(1);

    const b = await runFixture("credential-get-token.mjs", input);
    expect(b.code, b.stderr).toBe(0);
    const second = JSON.parse(b.stdout) as ProcessAnswer;
    expect(second.sources).toEqual(["persistent"]);
    expect(second.token).toBe(first.token);
    expect(second.diagnostics.lockAcquisitions).toBe(0);
    expect(server.tokenRequestCount()).toBe(1);
    expect(server.requests.filter((entry) => entry.endpoint === "token")).toHaveLength(1);
  });

  function credentialWithFileCache(url: string, directory: string) {
    const container = rootContainer.createChildContainer();
    fileCachePlugin({ directory, encryptionKey: KEY }).register(container);
    const persistence = container.resolve(Tokens.TokenCachePersistence);
    if (!(persistence instanceof FileCachePersistence)) throw new Error("plugin not registered");
    const credential = new ClientSecretCredential(
      DEMO_TENANT_ID,
      DEMO_CLIENT_ID,
      DEMO_CLIENT_SECRET,
      {
        authority: url,
        cachePersistenceOptions: { name: "e2e" },
        container,
      },
    );
    onTestFinished(() => credential.close());
    return { credential, persistence };
  }

  it("1,000 concurrent getToken calls for one scope: one network request, one lock acquisition", async () => {
    const server = await authority();
    const { credential, persistence } = credentialWithFileCache(server.url, await tempDirectory());
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, () => credential.getToken(SCOPE)),
    );
    expect(new Set(tokens.map((token: AccessToken) => token.token)).size).toBe(1);
    expect(server.tokenRequestCount()).toBe(1);
    expect(persistence.diagnostics.lockAcquisitions).toBe(1);
    expect(persistence.diagnostics.fileWrites).toBe(1);
  });

  it("1,000 concurrent getToken calls for 1,000 scopes: writes are batched, one lock per write", async () => {
    const server = await authority();
    const directory = await tempDirectory();
    const { credential, persistence } = credentialWithFileCache(server.url, directory);
    const scopes = Array.from({ length: 1000 }, (_, i) => `api://app-${i}/.default`);
    await Promise.all(scopes.map((scope) => credential.getToken(scope)));
    expect(server.tokenRequestCount()).toBe(1000);
    const { lockAcquisitions, fileWrites } = persistence.diagnostics;
    expect(lockAcquisitions).toBe(fileWrites);
    // Responses arrive spread out; whatever arrived while a write was running goes in the next.
    expect(lockAcquisitions).toBeLessThan(100);

    // And every one of them is in the file, for the next process.
    const fresh = credentialWithFileCache(server.url, directory);
    server.resetLog();
    await Promise.all(scopes.map((scope) => fresh.credential.getToken(scope)));
    expect(server.tokenRequestCount()).toBe(0);
    // 2,000 token requests and signatures: ~3 s alone, past vitest's 5 s default on a loaded host.
  }, 20_000);

  it.skipIf(
    process.platform !== "linux" ||
      process.env["DBUS_SESSION_BUS_ADDRESS"] !== undefined ||
      process.env["CREDCHAIN_CACHE_KEY"] !== undefined,
  )(
    "with no key anywhere, getToken rejects with CredentialUnavailableError unless plaintext is allowed",
    async () => {
      const server = await authority();
      const directory = await tempDirectory();
      const container = rootContainer.createChildContainer();
      // Opting into plaintext logs a warning; captured here and asserted, not printed.
      const logger = recordingLogger();
      container.register(Tokens.Logger, { useValue: logger });
      fileCachePlugin({ directory }).register(container);
      const make = (allowUnencryptedStorage: boolean) => {
        const credential = new ClientSecretCredential(
          DEMO_TENANT_ID,
          DEMO_CLIENT_ID,
          DEMO_CLIENT_SECRET,
          {
            authority: server.url,
            cachePersistenceOptions: { name: "no-key", allowUnencryptedStorage },
            container,
          },
        );
        onTestFinished(() => credential.close());
        return credential;
      };
      const failure: Error = await make(false)
        .getToken(SCOPE)
        .then(
          () => new Error("getToken should have rejected"),
          (error: unknown) => error as Error,
        );
      expect(failure).toMatchObject({ name: "CredentialUnavailableError" });
      expect(failure.message).toMatch(
        /encryptionKey.*CREDCHAIN_CACHE_KEY.*allowUnencryptedStorage: true/s,
      );
      expect(server.tokenRequestCount()).toBe(0);

      const token = await make(true).getToken(SCOPE);
      expect(token.token).not.toBe("");
      expect(server.tokenRequestCount()).toBe(1);
      const warnings = logger.lines.filter((line) => /UNENCRYPTED/.test(line.message));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.message).not.toContain(token.token);
    },
  );
});
