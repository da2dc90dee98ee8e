import { CredentialUnavailableError } from "@credchain/core";

/**
 * The package behind a `--credential` value is not installed. A `CredentialUnavailableError`:
 * the credential could not even be tried.
 */
export class CredentialPackageMissingError extends CredentialUnavailableError {
  override readonly name = "CredentialUnavailableError";
  /** The npm package to install, e.g. `@credchain/managed-identity`. */
  readonly packageName: string;

  constructor(credential: string, packageName: string, cause: unknown) {
    super(
      `--credential ${credential} needs the package ${packageName}, which is not installed. ` +
        `Install it next to @credchain/cli (npm install -g ${packageName}), or run ` +
        `npx -p @credchain/cli -p ${packageName} credchain ...`,
    );
    this.packageName = packageName;
    this.cause = cause;
  }
}
