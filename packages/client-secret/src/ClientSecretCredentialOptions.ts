import type { CredentialOptions } from "@credchain/core/credential";

/**
 * Options for `ClientSecretCredential` and `EnvironmentCredential`: the options every credchain
 * credential accepts (`CredentialOptions`). Every field is optional; unknown fields are ignored.
 */
export type ClientSecretCredentialOptions = CredentialOptions;
