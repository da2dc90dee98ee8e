/**
 * Counters of the expensive operations, for tests and benchmarks that prove work is coalesced.
 * Internal: not part of the package's public surface.
 */
export interface FileCacheDiagnostics {
  /** Cross-process locks taken (one per write batch). */
  lockAcquisitions: number;
  /** Cache files read and decoded (only when the file changed). */
  fileLoads: number;
  /** Cache files written. */
  fileWrites: number;
}

export function createDiagnostics(): FileCacheDiagnostics {
  return { lockAcquisitions: 0, fileLoads: 0, fileWrites: 0 };
}
