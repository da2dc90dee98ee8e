import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** A fresh directory under the OS temp dir, removed when the current test finishes. */
export async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "credchain-cache-file-"));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}
