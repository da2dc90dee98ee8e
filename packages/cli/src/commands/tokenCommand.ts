import { Command, Option } from "commander";
import {
  CredentialUnavailableError,
  usePlugin,
  type AccessToken,
  type TokenCredential,
} from "@credchain/core";
import type { CliIo } from "../CliIo.js";
import {
  credentialKindNames,
  credentialKinds,
  type CredentialKindName,
} from "../credentialKinds.js";
import { decodeJwt } from "../decodeJwt.js";
import { ExitCode } from "../ExitCode.js";
import { formatToken, outputFormats, type OutputFormat } from "../formatToken.js";
import { loadCredential } from "../loadCredential.js";
import { resourceToScope } from "../resourceToScope.js";
import { UsageError } from "../UsageError.js";

/** The cache name `--cache` uses: one file pair shared by every `credchain token` run. */
export const CLI_CACHE_NAME = "credchain-cli";

interface TokenCommandOptions {
  scope?: string;
  resource?: string;
  tenant?: string;
  credential: CredentialKindName;
  output: OutputFormat;
  cache?: boolean;
}

/** The tenant a token is from: its `tid` claim when it is a JWT that has one. */
function tokenTenant(token: AccessToken): string | undefined {
  try {
    const tid = decodeJwt(token.token).claims["tid"];
    return typeof tid === "string" ? tid : undefined;
  } catch {
    return undefined;
  }
}

async function closeCredential(credential: TokenCredential): Promise<void> {
  const closable = credential as Partial<{ close(): Promise<void> }>;
  // close() also flushes the file cache's pending write, so the next run finds the token.
  if (typeof closable.close === "function") await closable.close();
}

async function runToken(options: TokenCommandOptions, io: CliIo): Promise<number> {
  if ((options.scope === undefined) === (options.resource === undefined)) {
    throw new UsageError("pass exactly one of --scope <scope> or --resource <uri>.");
  }
  const kind = credentialKinds[options.credential];
  if (options.tenant !== undefined && !kind.acceptsTenant) {
    throw new UsageError(`--tenant does not apply to --credential ${kind.name}.`);
  }
  const scope = options.scope ?? resourceToScope(options.resource ?? "");
  const cache = options.cache === true && kind.acceptsCache;
  if (options.cache === true && !cache) {
    io.stderr.write(
      `credchain: --credential ${kind.name} keeps its own cache; --cache is ignored.\n`,
    );
  }
  if (cache) {
    const { fileCachePlugin } = await import("@credchain/cache-file");
    usePlugin(fileCachePlugin());
  }
  const credential = await loadCredential(kind.name, {
    ...(options.tenant !== undefined ? { tenantId: options.tenant } : {}),
    ...(cache ? { cachePersistenceOptions: { name: CLI_CACHE_NAME } } : {}),
  });
  try {
    const token = await credential.getToken(
      scope,
      options.tenant !== undefined ? { tenantId: options.tenant } : {},
    );
    if (token === null) {
      throw new CredentialUnavailableError(
        `--credential ${kind.name} returned no token for ${scope}.`,
      );
    }
    io.stdout.write(
      formatToken({
        token,
        tenant: tokenTenant(token) ?? options.tenant ?? io.env["AZURE_TENANT_ID"],
        format: options.output,
        execInfo: io.env["KUBERNETES_EXEC_INFO"],
      }),
    );
    return ExitCode.ok;
  } finally {
    await closeCredential(credential);
  }
}

/** `credchain token`: an access token on stdout, as JSON (az's fields), raw, or for kubectl. */
export function tokenCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command("token")
    .description("print an access token for a scope or a resource")
    .addOption(
      new Option(
        "--scope <scope>",
        'the scope, e.g. "https://management.azure.com/.default"',
      ).conflicts("resource"),
    )
    .addOption(
      new Option("--resource <uri>", 'a resource URI, as az takes it; "/.default" is appended'),
    )
    .option("--tenant <tenant>", "the tenant to get the token from (default: the credential's)")
    .addOption(
      new Option("--credential <name>", "which credential to use")
        .choices(credentialKindNames)
        .default("default"),
    )
    .addOption(
      new Option(
        "--output <format>",
        "json (az's fields), raw (the token only), or exec-credential (kubectl)",
      )
        .choices(outputFormats)
        .default("json"),
    )
    .option(
      "--cache",
      "reuse tokens across runs from the encrypted file cache (@credchain/cache-file)",
    )
    .action(async (options: TokenCommandOptions) => {
      setExitCode(await runToken(options, io));
    });
}
