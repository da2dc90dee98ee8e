// Regression tests for the cache-file defects of the hardening review (issue 8), each named after
// what broke, against real files, real child processes and a real token endpoint.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, readdir, stat, symlink } from "node:fs/promises";
import { join } from "node:path";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  credentialEvents,
  rootContainer,
  Tokens,
  type AccessToken,
  type CacheErrorEvent,
} from "@credchain/core";
import { ManualClock } from "@credchain/core/testing";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
} from "@credchain/local-authority";
import { describe, expect, it, onTestFinished } from "vitest";
import { KEY_FUNCTION_TIMEOUT_IN_MS } from "../src/KeyResolver.js";
import { fileCachePlugin } from "../src/fileCachePlugin.js";
import { cacheFileOf } from "./support/cacheFileOf.js";
import { pluginPersistence, recordingLogger } from "./support/openTestStore.js";
import { runFixture } from "./support/runFixture.js";
import { tempDirectory } from "./support/tempDirectory.js";

const SCOPE = "https://vault.azure.net/.default";
const HOUR = 3_600_000;
const STORE = { name: "msal.cache", partition: "nocae", allowUnencryptedStorage: false } as const;

function token(value: string): AccessToken {
  return { token: value, expiresOnTimestamp: Date.now() + HOUR, tokenType: "Bearer" };
}

/** A promise and the function that resolves it: "the key function has been called". */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = (): void => {};
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

/** A ClientSecretCredential whose container has the file cache and a manual clock. */
async function credentialWithKeyFunction(encryptionKey: () => Promise<Uint8Array>) {
  const server = await startAuthority();
  onTestFinished(() => server.close());
  const directory = await tempDirectory();
  const clock = new ManualClock(Date.now());
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Clock, { useValue: clock });
  fileCachePlugin({ directory, encryptionKey }).register(container);
  const credential = new ClientSecretCredential(
    DEMO_TENANT_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    { authority: server.url, cachePersistenceOptions: { name: "hung-key" }, container },
  );
  onTestFinished(() => credential.close());
  return { server, clock, credential, directory };
}

describe("an encryptionKey function that never settles", () => {
  it("used to hang getToken forever: it now fails with CredentialUnavailableError at the key deadline, and the next call asks again", async () => {
    const called = signal();
    let calls = 0;
    const key = randomBytes(32);
    const { server, clock, credential, directory } = await credentialWithKeyFunction(() => {
      calls++;
      called.fire();
      // The first call hangs (a KMS request on a dead connection); the next one answers.
      return calls === 1 ? new Promise<Uint8Array>(() => {}) : Promise.resolve(key);
    });

    const first = credential.getToken(SCOPE);
    first.catch(() => {});
    await called.promise;
    clock.advance(KEY_FUNCTION_TIMEOUT_IN_MS);
    await expect(first).rejects.toMatchObject({
      name: "CredentialUnavailableError",
      message: expect.stringContaining(
        `did not settle within ${KEY_FUNCTION_TIMEOUT_IN_MS} ms`,
      ) as unknown,
    });
    expect(server.tokenRequestCount()).toBe(0);

    const second = await credential.getToken(SCOPE);
    expect(calls).toBe(2);
    expect(server.tokenRequestCount()).toBe(1);
    await credential.close();
    // The token reached the file of the key the second call returned.
    expect(await readdir(directory)).toContain(cacheFileOf(key, "hung-key"));
    expect(second.token.split(".")).toHaveLength(3);
  });

  it("used to hang close() forever: close() settles at once while getToken waits for the key", async () => {
    const called = signal();
    const { credential } = await credentialWithKeyFunction(() => {
      called.fire();
      return new Promise<Uint8Array>(() => {});
    });
    const pending = credential.getToken(SCOPE);
    pending.catch(() => {});
    await called.promise;
    // No time passes on the manual clock: close() must not need the deadline.
    await credential.close();
    await expect(pending).rejects.toBeInstanceOf(Error);
  });

  it("close() with a write waiting for the key settles once the key deadline passes", async () => {
    const directory = await tempDirectory();
    const clock = new ManualClock(Date.now());
    const called = signal();
    const container = rootContainer.createChildContainer();
    container.register(Tokens.Clock, { useValue: clock });
    fileCachePlugin({
      directory,
      encryptionKey: () => {
        called.fire();
        return new Promise<Uint8Array>(() => {});
      },
    }).register(container);
    const store = container.resolve(Tokens.TokenCachePersistence).open(STORE);
    const write = store.set("k", token("t"));
    write.catch(() => {});
    await called.promise;
    const closing = store.close?.();
    clock.advance(KEY_FUNCTION_TIMEOUT_IN_MS);
    await closing;
    await expect(write).rejects.toMatchObject({ name: "CredentialUnavailableError" });
  });
});

describe("a cache directory that is a symlink", () => {
  it("used to be followed and its target chmod-ed to 0700: it is refused with a clear error, the target untouched", async () => {
    const root = await tempDirectory();
    const target = join(root, "someone-elses");
    await mkdir(target);
    await chmod(target, 0o755);
    const link = join(root, "cache");
    await symlink(target, link);

    const store = pluginPersistence({ directory: link, encryptionKey: randomBytes(32) }).open(
      STORE,
    );
    const failure = store.get("k");
    await expect(failure).rejects.toMatchObject({ name: "CredentialUnavailableError" });
    const message = ((await failure.catch((error: unknown) => error)) as Error).message;
    expect(message).toContain(`${link} is a symbolic link`);
    expect(message).toContain("CREDCHAIN_CACHE_DIR");
    await expect(store.set("k", token("t"))).rejects.toMatchObject({
      name: "CredentialUnavailableError",
    });

    expect((await stat(target)).mode & 0o777).toBe(0o755);
    expect(await readdir(target)).toEqual([]);
  });

  it("a dangling symlink in the directory's place is refused and its target not created", async () => {
    const root = await tempDirectory();
    const link = join(root, "cache");
    await symlink(join(root, "nowhere"), link);
    const store = pluginPersistence({ directory: link, encryptionKey: randomBytes(32) }).open(
      STORE,
    );
    await expect(store.get("k")).rejects.toMatchObject({
      name: "CredentialUnavailableError",
      message: expect.stringContaining("is a symbolic link") as unknown,
    });
    expect(await readdir(root)).toEqual(["cache"]);
  });

  it("a symlink among the parents (e.g. ~/.cache on another disk) is fine: only our directory is ours", async () => {
    const root = await tempDirectory();
    await mkdir(join(root, "disk"));
    await chmod(join(root, "disk"), 0o755);
    await symlink(join(root, "disk"), join(root, "home-cache"));
    const directory = join(root, "home-cache", "credchain");
    const key = randomBytes(32);
    await pluginPersistence({ directory, encryptionKey: key }).open(STORE).set("k", token("t"));
    expect(
      (await pluginPersistence({ directory, encryptionKey: key }).open(STORE).get("k"))?.token,
    ).toBe("t");
    expect((await stat(join(root, "disk", "credchain"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(root, "disk"))).mode & 0o777).toBe(0o755);
  });
});

describe("processes with different keys", () => {
  it("used to wipe each other's files: each process keeps its own file and finds its own tokens", async () => {
    const directory = await tempDirectory();
    const keyA = randomBytes(32).toString("base64");
    const keyB = randomBytes(32).toString("base64");
    const write = async (key: string, prefix: string): Promise<void> => {
      const result = await runFixture("write-keys.mjs", { directory, key, prefix, count: 20 });
      expect(result.code, result.stderr).toBe(0);
    };
    const read = async (key: string, prefix: string): Promise<number> => {
      const keys = Array.from({ length: 20 }, (_, i) => `${prefix}-${i}`);
      const result = await runFixture("read-keys.mjs", { directory, key, keys });
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { found: number }).found;
    };

    await write(keyA, "a");
    const fileA = join(directory, cacheFileOf(Buffer.from(keyA, "base64")));
    const bytesA = await readFile(fileA);
    // B starts, cannot decrypt A's tokens, and writes its own (on the old code: over A's file).
    await write(keyB, "b");
    expect((await readFile(fileA)).equals(bytesA)).toBe(true);
    await write(keyA, "a2");

    expect(await read(keyA, "a")).toBe(20);
    expect(await read(keyA, "a2")).toBe(20);
    expect(await read(keyB, "b")).toBe(20);
    expect(await read(keyB, "a")).toBe(0);
    expect((await readdir(directory)).sort()).toEqual(
      [cacheFileOf(Buffer.from(keyA, "base64")), cacheFileOf(Buffer.from(keyB, "base64"))].sort(),
    );
  });

  it("another key's files are reported once per process (a warning, not a cache error), without key material", async () => {
    const directory = await tempDirectory();
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    await pluginPersistence({ directory, encryptionKey: keyA }).open(STORE).set("k", token("a"));

    const errors: CacheErrorEvent[] = [];
    const onError = (event: CacheErrorEvent): void => {
      errors.push(event);
    };
    credentialEvents.on("cache:error", onError);
    onTestFinished(() => {
      credentialEvents.off("cache:error", onError);
    });
    const logger = recordingLogger();
    const persistence = pluginPersistence({ directory, encryptionKey: keyB }, logger);
    expect(await persistence.open(STORE).get("k")).toBeUndefined();
    await persistence.open(STORE).set("k", token("b"));
    expect(
      await pluginPersistence({ directory, encryptionKey: keyB }, logger).open(STORE).get("k"),
    ).toMatchObject({ token: "b" });

    const reports = logger.lines.filter((line) => /different encryption key/.test(line.message));
    expect(reports).toHaveLength(1);
    expect(reports[0]?.level).toBe("warn");
    expect(reports[0]?.message).toContain("left alone");
    for (const key of [keyA, keyB]) {
      expect(reports[0]?.message).not.toContain(key.toString("base64"));
      expect(reports[0]?.message).not.toContain(key.toString("hex"));
    }
    expect(errors).toEqual([]);
  });
});
