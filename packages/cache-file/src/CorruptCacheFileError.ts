/** Why a cache file could not be used. */
export type CorruptCacheFileReason =
  | "format"
  | "version"
  | "authentication"
  | "encrypted-without-key"
  | "unencrypted-with-key"
  | "payload"
  | "too-large";

const EXPLANATIONS: Record<CorruptCacheFileReason, string> = {
  format: "it is not a credchain cache file (truncated or overwritten)",
  version: "it was written by an incompatible version of @credchain/cache-file",
  authentication:
    "it failed authentication: it was modified, damaged, or encrypted with a different key",
  "encrypted-without-key":
    "it is encrypted, but no encryption key is available to this process (unencrypted storage is in use)",
  "unencrypted-with-key":
    "it is unencrypted, but this process has an encryption key and does not trust unencrypted files",
  payload: "its content is not a valid token cache",
  "too-large": "it is larger than any token cache should be",
};

/**
 * A cache file was unreadable. The store treats it as empty and the next write replaces it; the
 * error is reported on `credentialEvents` as `cache:error`. The message names the file and the
 * reason, never its content.
 */
export class CorruptCacheFileError extends Error {
  override readonly name = "CorruptCacheFileError";
  readonly reason: CorruptCacheFileReason;
  readonly path: string;

  constructor(path: string, reason: CorruptCacheFileReason, options?: { cause?: unknown }) {
    super(
      `credchain: ignoring the token cache file ${path}: ${EXPLANATIONS[reason]}. ` +
        "It is treated as empty and replaced on the next write.",
      options,
    );
    this.reason = reason;
    this.path = path;
  }
}
