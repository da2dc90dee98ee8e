// Issue 9: two copies of @credchain/core in one process (a nested node_modules, a bundled and an
// installed copy) must agree. A plugin registered through one was invisible to credentials built
// on the other: each copy had its own root container and plugin registry.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, realpath, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, tokenReply, type TestServer } from "./support/testServer.js";

const CORE = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = fileURLToPath(new URL("fixtures/two-copies.mjs", import.meta.url));

let directory: string;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(() => tokenReply("two-copies-token"));
  directory = await mkdtemp(join(tmpdir(), "credchain-two-copies-"));
});
afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

/** A physical copy of the built package (package.json + dist) with its dependencies linked. */
async function copyOfCore(name: string): Promise<string> {
  const target = join(directory, name, "node_modules", "@credchain", "core");
  await mkdir(target, { recursive: true });
  await cp(join(CORE, "package.json"), join(target, "package.json"));
  await cp(join(CORE, "dist"), join(target, "dist"), { recursive: true });
  for (const dependency of await readdir(join(CORE, "node_modules"))) {
    if (dependency.startsWith("@") || dependency.startsWith(".")) continue;
    await symlink(
      await realpath(join(CORE, "node_modules", dependency)),
      join(directory, name, "node_modules", dependency),
      "dir",
    );
  }
  return target;
}

describe("two copies of @credchain/core in one process", () => {
  it("a plugin registered through one copy is seen by a credential built on the other", async () => {
    const [copyA, copyB] = [await copyOfCore("a"), await copyOfCore("b")];
    const { stdout } = await promisify(execFile)(process.execPath, [
      FIXTURE,
      copyA,
      copyB,
      server.url,
    ]);
    const seen = JSON.parse(stdout);
    expect(seen.distinctModules).toBe(true); // really two copies, not one module loaded twice
    expect(seen.sameRootContainer).toBe(true);
    expect(seen.tokens).toEqual(["string", "string"]);
    expect(seen.sentWithPlugin).toBe(1); // copy B's credential went through copy A's plugin
    expect(seen.sentAfterDuplicateUndo).toBe(2); // the same name through B was a duplicate
    expect(seen.sentAfterUndo).toBe(2); // undone through A: B's next credential uses fetch
    expect(server.count).toBe(3);
  });

  it("a listener on one copy's credentialEvents sees events of a credential built on the other", async () => {
    const [copyA, copyB] = [await copyOfCore("events-a"), await copyOfCore("events-b")];
    const { stdout } = await promisify(execFile)(process.execPath, [
      FIXTURE,
      copyA,
      copyB,
      server.url,
    ]);
    const seen = JSON.parse(stdout);
    expect(seen.distinctModules).toBe(true);
    expect(seen.sameCredentialEvents).toBe(true);
    expect(seen.sameEventNames).toBe(true);
    // Copy B's first credential, seen through copy A's emitter (the listeners are removed after it).
    expect(seen.eventsSeenOnA).toEqual(["token:request", "token:acquired"]);
  });
});
