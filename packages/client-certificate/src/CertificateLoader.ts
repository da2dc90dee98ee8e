import { readFileSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { inspect } from "node:util";
import { sameSnapshot, snapshotOf, type FileSnapshot } from "./FileSnapshot.js";
import { parseCertificatePem } from "./parseCertificatePem.js";
import { SigningCertificate } from "./SigningCertificate.js";

/** Where the PEM comes from: a file (re-read when it changes) or a string (parsed once). */
export type CertificateOrigin =
  { readonly kind: "path"; readonly path: string } | { readonly kind: "string" };

/**
 * Loads the signing certificate, and for a file, loads it again when the file changed: one
 * `stat` before each network request (never for a cache hit), a read and parse only when inode,
 * size or times differ. The password stays in a `#private` field for those re-reads.
 */
export class CertificateLoader {
  readonly #origin: CertificateOrigin;
  readonly #password: string | undefined;
  readonly #what: string;
  #current: SigningCertificate;
  #snapshot: FileSnapshot | undefined;
  /** One re-read at a time: concurrent requests after a rotation share it. */
  #reloading: Promise<SigningCertificate> | undefined;

  /** Reads and checks the PEM now, so a broken file fails construction, not the first request. */
  constructor(origin: CertificateOrigin, pem: string | undefined, password: string | undefined) {
    this.#origin = origin;
    this.#password = password;
    this.#what =
      origin.kind === "path" ? `The certificate file ${origin.path}` : "The certificate string";
    if (origin.kind === "path") {
      let text: string;
      try {
        this.#snapshot = snapshotOf(statSync(origin.path));
        text = readFileSync(origin.path, "utf8");
      } catch (error) {
        throw new TypeError(
          `${this.#what} cannot be read (${codeOf(error)}): pass a readable PEM file.`,
        );
      }
      this.#current = this.#parse(text);
    } else {
      this.#current = this.#parse(pem ?? "");
    }
  }

  /** Says what the source is, for messages: a path or "The certificate string". */
  get what(): string {
    return this.#what;
  }

  /** The certificate loaded last, without checking the file. */
  get loaded(): SigningCertificate {
    return this.#current;
  }

  /** The certificate to sign with now: re-read first if the file changed since the last read. */
  async current(): Promise<SigningCertificate> {
    if (this.#origin.kind === "string") return this.#current;
    this.#reloading ??= this.#reloadIfChanged(this.#origin.path).finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #reloadIfChanged(path: string): Promise<SigningCertificate> {
    let snapshot: FileSnapshot;
    let text: string;
    try {
      snapshot = snapshotOf(await stat(path));
      if (this.#snapshot !== undefined && sameSnapshot(snapshot, this.#snapshot)) {
        return this.#current;
      }
      text = await readFile(path, "utf8");
    } catch (error) {
      throw new TypeError(
        `${this.#what} cannot be read any more (${codeOf(error)}); it was readable at construction. ` +
          "Restore the file or fix its permissions.",
      );
    }
    // The snapshot is remembered only once the new content parsed: a half-written file fails this
    // request and is read again on the next.
    const next = this.#parse(text);
    this.#current = next;
    this.#snapshot = snapshot;
    return next;
  }

  #parse(text: string): SigningCertificate {
    return new SigningCertificate(
      parseCertificatePem(text, this.#password, this.#what),
      this.#what,
    );
  }

  toJSON(): Record<string, unknown> {
    return {
      source: this.#origin.kind === "path" ? this.#origin.path : "string",
      certificate: this.#current.toJSON(),
    };
  }

  [inspect.custom](): string {
    return `CertificateLoader { ${this.#what}, thumbprint: '${this.#current.thumbprintSha1}' }`;
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "unreadable";
}
