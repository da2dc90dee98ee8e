import type { Stats } from "node:fs";

/**
 * What identifies one version of a file without reading it: inode, size and modification times.
 * A rotation by rename or symlink swap (Kubernetes' atomic writer, used by cert-manager and the
 * Key Vault CSI driver) changes the inode; an in-place rewrite changes size or mtime/ctime.
 */
export interface FileSnapshot {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

export function snapshotOf(stats: Stats): FileSnapshot {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

export function sameSnapshot(a: FileSnapshot, b: FileSnapshot): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}
