import { Command } from "commander";
import type { CliIo } from "../CliIo.js";
import { ExitCode } from "../ExitCode.js";

/**
 * `credchain authority [...]`: the local authority of `@credchain/local-authority`, run by its own
 * command-line module, so the flags (and their help) are exactly `credchain-authority`'s.
 */
export function authorityCommand(_io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command("authority")
    .description(
      "run the local Entra-compatible authority on 127.0.0.1 (the flags of credchain-authority; see --help)",
    )
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .argument("[flags...]", "passed to credchain-authority")
    .action(async (flags: string[]) => {
      // Loaded only here: the authority (its signing keys, its TLS) costs every other command nothing.
      const { runAuthorityCli } = await import("@credchain/local-authority");
      await runAuthorityCli(flags);
      // It reports its own failures by setting the exit code; success leaves the server running.
      setExitCode(typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok);
    });
}
