/**
 * The `jti` values of client assertions seen until they expire, so a captured assertion cannot be
 * replayed within its lifetime (RFC 7523 §3 item 7). Bounded: expired entries are dropped as the
 * map grows, and past the cap the oldest go first.
 */
export class JtiReplayCache {
  readonly #seen = new Map<string, number>();
  readonly #max: number;

  constructor(max = 100_000) {
    this.#max = max;
  }

  /** Records `jti` valid until `expiresAtMs`; `false` if it was already recorded and unexpired. */
  remember(jti: string, expiresAtMs: number, nowMs: number): boolean {
    const known = this.#seen.get(jti);
    if (known !== undefined && known >= nowMs) return false;
    if (this.#seen.size >= this.#max) this.#prune(nowMs);
    this.#seen.set(jti, expiresAtMs);
    return true;
  }

  #prune(nowMs: number): void {
    for (const [jti, expiresAtMs] of this.#seen) {
      if (expiresAtMs < nowMs) this.#seen.delete(jti);
    }
    // Still full of live entries: drop the oldest insertions.
    for (const jti of this.#seen.keys()) {
      if (this.#seen.size < this.#max) break;
      this.#seen.delete(jti);
    }
  }
}
