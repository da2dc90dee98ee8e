// The public surface of @credchain/cli: the command is the product; runCli embeds it.
export { runCli } from "./runCli.js";
export type { CliIo, CliOutput } from "./CliIo.js";
export { ExitCode } from "./ExitCode.js";
export { credentialKindNames, type CredentialKindName } from "./credentialKinds.js";
