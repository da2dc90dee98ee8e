import { chmod, mkdir, stat } from "node:fs/promises";
import { errnoCode } from "./errnoCode.js";

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

/** Narrows an existing file to 0600 if something widened it. A missing file is fine. */
export async function secureFile(file: string): Promise<void> {
  if (process.platform === "win32") return;
  try {
    const info = await stat(file);
    if ((info.mode & 0o777) !== FILE_MODE) await chmod(file, FILE_MODE);
  } catch (error) {
    if (errnoCode(error) !== "ENOENT") throw error;
  }
}
