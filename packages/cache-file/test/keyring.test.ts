import { randomBytes } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { FileCachePersistence } from "../src/FileCachePersistence.js";
import { KEYRING_SERVICE } from "../src/KeyResolver.js";
import { napiKeyring } from "../src/KeyringAdapter.js";
import { resolveOptions } from "../src/resolveOptions.js";
import { runFixture } from "./support/runFixture.js";
import { tempDirectory } from "./support/tempDirectory.js";

/*
 * The real OS keyring: gnome-keyring's Secret Service on a private D-Bus session. Needs packages
 * and a session bus, so it runs only through scripts/test-keyring.sh (CREDCHAIN_TEST_KEYRING=1).
 */
describe.runIf(process.env["CREDCHAIN_TEST_KEYRING"] === "1")("OS keyring (Secret Service)", () => {
  it("creates the cache key in the keyring, and a second process decrypts with it", async () => {
    expect(process.env["DBUS_SESSION_BUS_ADDRESS"], "run under dbus-run-session").toBeDefined();
    const directory = await tempDirectory();
    const name = `keyring-test-${randomBytes(4).toString("hex")}`;
    const account = `cache-key:${name}`;
    const { AsyncEntry } = await import("@napi-rs/keyring");
    onTestFinished(async () => {
      await new AsyncEntry(KEYRING_SERVICE, account).deletePassword();
    });

    const options = resolveOptions(
      { directory },
      { platform: process.platform, env: {}, homedir: () => directory },
    );
    expect(options.key.kind).toBe("keyring");
    const persistence = new FileCachePersistence(options);
    const store = persistence.open({ name, partition: "nocae", allowUnencryptedStorage: false });
    await store.set("k", {
      token: "token-under-keyring-key",
      expiresOnTimestamp: Date.now() + 600_000,
    });

    const stored = await napiKeyring().getPassword(KEYRING_SERVICE, account);
    expect(Buffer.from(stored ?? "", "base64")).toHaveLength(32);

    const { CREDCHAIN_CACHE_KEY: _ignored, ...env } = process.env;
    const reader = await runFixture(
      "read-keys.mjs",
      { directory, name, keys: ["k"], printTokens: true },
      { ...env, CREDCHAIN_CACHE_KEY: "" },
    );
    expect(reader.code, reader.stderr).toBe(0);
    expect(JSON.parse(reader.stdout)).toMatchObject({
      found: 1,
      tokens: { k: "token-under-keyring-key" },
    });
  });
});
