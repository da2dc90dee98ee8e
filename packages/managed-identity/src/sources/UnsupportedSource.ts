import { CredentialUnavailableError, type AccessToken } from "@credchain/core";
import type { ManagedIdentitySource } from "../ManagedIdentitySource.js";

/**
 * A platform detected from the environment that this package does not serve yet (Azure Machine
 * Learning: `MSI_ENDPOINT` + `MSI_SECRET`). Saying so beats treating it as Cloud Shell, whose
 * variable it shares, and failing with a confusing answer.
 */
export class UnsupportedSource implements ManagedIdentitySource {
  readonly endpoint: string;
  readonly #error: CredentialUnavailableError;

  constructor(
    readonly name: string,
    endpoint: string,
    message: string,
  ) {
    this.endpoint = endpoint;
    this.#error = new CredentialUnavailableError(message);
  }

  getToken(): Promise<AccessToken> {
    return Promise.reject(this.#error);
  }
}
