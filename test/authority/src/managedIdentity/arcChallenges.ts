import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Outstanding challenges kept at most; older ones are forgotten (and their files removed). */
const MAX_OUTSTANDING = 256;

/**
 * The Azure Arc agent's challenge: a fresh secret written to `<directory>/<random>.key`, named in
 * `WWW-Authenticate: Basic realm=<file>`. A request that sends `Authorization: Basic <secret>`
 * proves it can read the agent's directory. Each secret is good for one request.
 */
export class ArcChallenges {
  readonly #configured: string | undefined;
  #directory: Promise<string> | undefined;
  #created = false;
  readonly #outstanding = new Map<string, string>();

  constructor(directory: string | undefined) {
    this.#configured = directory;
    if (directory !== undefined) this.#directory = Promise.resolve(directory);
  }

  /** The directory challenge files go to; created on first use unless configured. */
  directory(): Promise<string> {
    this.#directory ??= mkdtemp(join(tmpdir(), "credchain-arc-")).then((dir) => {
      this.#created = true;
      return dir;
    });
    return this.#directory;
  }

  /** Writes a new secret file and returns its path. */
  async issue(): Promise<string> {
    const file = join(await this.directory(), `${randomUUID()}.key`);
    const secret = randomBytes(32).toString("hex");
    await writeFile(file, secret, { mode: 0o600 });
    this.#outstanding.set(secret, file);
    if (this.#outstanding.size > MAX_OUTSTANDING) {
      const [oldest] = this.#outstanding;
      if (oldest !== undefined) await this.#forget(oldest[0]);
    }
    return file;
  }

  /** Whether `authorization` answers an outstanding challenge; consumes it. */
  async redeem(authorization: string | undefined): Promise<boolean> {
    const match = authorization === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(authorization);
    const secret = match?.[1];
    if (secret === undefined || !this.#outstanding.has(secret)) return false;
    await this.#forget(secret);
    return true;
  }

  async #forget(secret: string): Promise<void> {
    const file = this.#outstanding.get(secret);
    this.#outstanding.delete(secret);
    if (file !== undefined) await unlink(file).catch(() => {});
  }

  /** Removes outstanding files, and the directory when this object created it. */
  async close(): Promise<void> {
    const secrets = [...this.#outstanding.keys()];
    await Promise.all(secrets.map((secret) => this.#forget(secret)));
    if (this.#created && this.#configured === undefined && this.#directory !== undefined) {
      await rm(await this.#directory, { recursive: true, force: true });
    }
  }
}
