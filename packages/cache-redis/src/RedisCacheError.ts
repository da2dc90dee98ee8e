/** Why the Redis cache was skipped. */
export type RedisCacheErrorReason =
  /** A command took longer than `commandTimeoutInMs`. */
  | "timeout"
  /** Not connected (refused, reset, reconnecting). */
  | "unavailable"
  /** Redis refused a command (a wrong type, a missing permission): reported once per kind. */
  | "command"
  /** Entries written with another encryption key: not readable here, not overwritten either. */
  | "other-key"
  /** An entry failed authentication (modified, or moved from another key). */
  | "unreadable-entry";

const EXPLANATIONS: Record<RedisCacheErrorReason, string> = {
  timeout: "did not answer in time",
  unavailable: "is not reachable",
  command: "refused a command; Redis stays in use, and this kind of refusal is not reported again",
  "other-key":
    "holds entries another replica wrote with a different encryption key; this replica cannot read them, " +
    "leaves them alone and keeps its own. Give every replica the same key (CREDCHAIN_CACHE_KEY) to share tokens",
  "unreadable-entry":
    "returned an entry that failed authentication (modified, or copied from another key); it is ignored",
};

/**
 * The Redis token cache could not be used for a moment. The credential carried on from memory and
 * the network; reported once per outage as `cache:error` (and in the log). The message names the
 * server (host and port, never credentials) and the reason, never a token.
 */
export class RedisCacheError extends Error {
  override readonly name = "RedisCacheError";
  readonly reason: RedisCacheErrorReason;

  constructor(
    server: string,
    reason: RedisCacheErrorReason,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    const skipping =
      reason === "timeout" || reason === "unavailable"
        ? "; skipping Redis until it recovers (tokens come from memory and the network meanwhile)"
        : "";
    super(
      `credchain: Redis at ${server} ${EXPLANATIONS[reason]}${detail === undefined ? "" : ` (${detail})`}${skipping}.`,
      options,
    );
    this.reason = reason;
  }
}
