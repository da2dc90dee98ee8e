import { constants } from "node:fs";

/**
 * Flags to open a cache or lock file for reading: never through a symlink (which could point at a
 * device that never ends, or at someone else's file), and without blocking on a FIFO. Windows has
 * neither flag; there the checks on the opened file's type still apply.
 */
export const READ_NO_FOLLOW: number =
  constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Whether an `open` failed because O_NOFOLLOW met a symlink: ELOOP, or EMLINK on FreeBSD. */
export function isSymlinkRefusal(code: string | undefined): boolean {
  return code === "ELOOP" || code === "EMLINK";
}
