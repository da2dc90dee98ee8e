/**
 * The credential could not even attempt authentication: configuration, state or platform support
 * is missing. A chain moves on to its next link when it sees this error (matched by `name`).
 */
export class CredentialUnavailableError extends Error {
  override readonly name = "CredentialUnavailableError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
