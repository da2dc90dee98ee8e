import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { FILE_MODE } from "./secureDirectory.js";

/**
 * Replaces `file` with `data` so that readers see the old content or the new, never a mix: write
 * a temporary file in the same directory, flush it to disk, rename it over the target, then flush
 * the directory so the rename itself survives a crash. The temporary file is 0600 from creation,
 * chmod-ed explicitly because the umask may have narrowed it.
 */
export async function atomicWriteFile(file: string, data: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temporary, "wx", FILE_MODE);
  try {
    try {
      await handle.chmod(FILE_MODE);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  await syncDirectory(dirname(file));
}

/** Windows cannot open a directory for fsync, and its rename is durable enough without it. */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === "win32") return;
  let handle;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // Some filesystems (network, FUSE) refuse to fsync a directory; the data itself is synced.
  } finally {
    await handle?.close();
  }
}
