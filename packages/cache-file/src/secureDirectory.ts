import { constants } from "node:fs";
import { chmod, lstat, mkdir, open } from "node:fs/promises";
import { CredentialUnavailableError } from "@credchain/core";
import { errnoCode } from "./errnoCode.js";
import { isSymlinkRefusal, READ_NO_FOLLOW } from "./noFollow.js";

/** Only the owner may list, read or create cache files. */
export const DIRECTORY_MODE = 0o700;
/** Only the owner may read or write a cache file. */
export const FILE_MODE = 0o600;

/** Opens a directory itself, never what a symlink in its place points to. */
const DIRECTORY_NO_FOLLOW: number =
  constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0);

function symlinkRefused(directory: string): CredentialUnavailableError {
  return new CredentialUnavailableError(
    `credchain: the token cache directory ${directory} is a symbolic link. It is not used: its target ` +
      "would be made private (chmod 0700), and a link is how another user could point the cache elsewhere. " +
      "Set `directory` in fileCachePlugin({ ... }) or CREDCHAIN_CACHE_DIR to the real directory instead.",
  );
}

function notADirectory(directory: string): CredentialUnavailableError {
  return new CredentialUnavailableError(
    `credchain: the token cache directory ${directory} is not a directory.`,
  );
}

/**
 * Creates `directory` (and missing parents) and makes sure the directory itself is 0700 whatever
 * the umask or whoever created it before: mkdir's mode is filtered by the umask and ignored for an
 * existing directory, so chmod explicitly. Parents that already exist (e.g. `~/.cache`, even as
 * symlinks) are left alone; they are not ours. The directory itself must not be a symlink: it is
 * opened with O_NOFOLLOW and changed through that descriptor, so nothing outside it is ever
 * chmod-ed, even if a link is swapped in between the checks.
 */
export async function secureDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
  } catch (error) {
    // A dangling symlink in the directory's place fails here (ENOENT or EEXIST): say so.
    const info = await lstat(directory).catch(() => undefined);
    if (info?.isSymbolicLink() === true) throw symlinkRefused(directory);
    throw error;
  }
  if (process.platform === "win32") {
    const info = await lstat(directory);
    if (info.isSymbolicLink()) throw symlinkRefused(directory);
    if (!info.isDirectory()) throw notADirectory(directory);
    return;
  }
  let handle;
  try {
    handle = await open(directory, DIRECTORY_NO_FOLLOW);
  } catch (error) {
    const code = errnoCode(error);
    if (isSymlinkRefusal(code)) throw symlinkRefused(directory);
    if (code === "ENOTDIR") {
      // O_DIRECTORY may win over O_NOFOLLOW for a link to a file; say which it is.
      throw (await lstat(directory)).isSymbolicLink()
        ? symlinkRefused(directory)
        : notADirectory(directory);
    }
    if (code !== "EACCES") throw error;
    // Our own directory with its read bit taken away: it cannot be opened to fchmod it.
    const info = await lstat(directory);
    if (info.isSymbolicLink()) throw symlinkRefused(directory);
    if (!info.isDirectory()) throw notADirectory(directory);
    await chmod(directory, DIRECTORY_MODE);
    return;
  }
  try {
    const info = await handle.stat();
    if (!info.isDirectory()) throw notADirectory(directory);
    if ((info.mode & 0o777) !== DIRECTORY_MODE) await handle.chmod(DIRECTORY_MODE);
  } finally {
    await handle.close();
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
