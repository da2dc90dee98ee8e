import { chmod, lstat, mkdir, open, stat } from "node:fs/promises";
import { errnoCode } from "./errnoCode.js";
import { isSymlinkRefusal, READ_NO_FOLLOW } from "./noFollow.js";

/** Only the owner may list, read or create cache files. */
export const DIRECTORY_MODE = 0o700;
/** Only the owner may read or write a cache file. */
export const FILE_MODE = 0o600;

/**
 * Creates `directory` (and missing parents) and makes sure the directory itself is 0700 whatever
 * the umask or whoever created it before: mkdir's mode is filtered by the umask and ignored for an
 * existing directory, so chmod explicitly. Parents that already exist (e.g. `~/.cache`) are left
 * alone; they are not ours.
 */
export async function secureDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
  const info = await stat(directory);
  if (!info.isDirectory()) {
    throw new Error(`credchain: the token cache directory ${directory} is not a directory.`);
  }
  if (process.platform !== "win32" && (info.mode & 0o777) !== DIRECTORY_MODE) {
    await chmod(directory, DIRECTORY_MODE);
  }
}

/**
 * Narrows an existing file to 0600 if something widened it. A missing file is fine. Opened without
 * following a symlink and changed through the descriptor, so a link planted in the file's place
 * never gets its target's mode changed: anything but a regular file is left for the reader to
 * report and the next write to replace.
 */
export async function secureFile(file: string): Promise<void> {
  if (process.platform === "win32") return;
  let handle;
  try {
    handle = await open(file, READ_NO_FOLLOW);
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT" || isSymlinkRefusal(code)) return;
    if (code !== "EACCES") throw error;
    // Our own file with its read bit taken away: it cannot be opened to fchmod it.
    const info = await lstat(file);
    if (info.isFile()) await chmod(file, FILE_MODE);
    return;
  }
  try {
    const info = await handle.stat();
    if (info.isFile() && (info.mode & 0o777) !== FILE_MODE) await handle.chmod(FILE_MODE);
  } finally {
    await handle.close();
  }
}
