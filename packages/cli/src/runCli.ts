import { Command, CommanderError } from "commander";
import { hasErrorName } from "@credchain/core";
import { processIo, type CliIo, type CliOutput } from "./CliIo.js";
import { authorityCommand } from "./commands/authorityCommand.js";
import { decodeCommand } from "./commands/decodeCommand.js";
import { doctorCommand } from "./commands/doctorCommand.js";
import { tokenCommand } from "./commands/tokenCommand.js";
import { ExitCode } from "./ExitCode.js";
import { maskSecrets, secretValues } from "./secretValues.js";
import { VERSION } from "./version.js";

/** Usage errors with `--help` output are the caller's mistake, not a failed sign-in. */
function isUsageError(error: unknown): boolean {
  return (
    hasErrorName(error, "UsageError") || error instanceof TypeError || error instanceof RangeError
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "UsageError") return `${error.message}\n(add --help for usage)`;
  return error.name === "Error" ? error.message : `${error.name}: ${error.message}`;
}

/** An output that masks the environment's secrets in whatever is written to it. */
function masked(output: CliOutput, secrets: readonly string[]): CliOutput {
  if (secrets.length === 0) return output;
  return { write: (text: string) => output.write(maskSecrets(text, secrets)) };
}

/**
 * Runs `credchain` with `args` (the arguments after the program name) and resolves with the exit
 * code: 0 success, 1 authentication failed (or `doctor` found a blocker), 2 bad usage. Never
 * rejects and never calls `process.exit`, so it can be embedded and tested.
 */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  // stderr is masked: an error message could in theory echo configuration. stdout carries the
  // payload (a token is a secret the caller asked for), so it is written as is.
  const stderr = masked(io.stderr, secretValues(io.env));
  const safeIo: CliIo = { ...io, stderr };
  let exitCode: number = ExitCode.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const program = new Command("credchain")
    .description(
      "Microsoft Entra ID access tokens from a shell, for scripts and kubectl (credchain)",
    )
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .enablePositionalOptions()
    .showHelpAfterError("(add --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => stderr.write(text),
    })
    .exitOverride();
  // Added after exitOverride and configureOutput, so every subcommand inherits both.
  for (const make of [tokenCommand, decodeCommand, doctorCommand, authorityCommand]) {
    const command = make(safeIo, setExitCode);
    // `authority` hands --help to credchain-authority, whose flags it runs.
    if (command.name() !== "authority") command.helpOption("-h, --help", "show help");
    program.addCommand(
      command
        .version(VERSION, "-V, --version", "print the version")
        .showHelpAfterError("(add --help for usage)")
        .configureOutput({
          writeOut: (text) => io.stdout.write(text),
          writeErr: (text) => stderr.write(text),
        })
        .exitOverride(),
    );
  }
  try {
    await program.parseAsync([...args], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Exit code 0: help or version printed as asked; anything else is a usage mistake.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    stderr.write(`credchain: ${describe(error)}\n`);
    return isUsageError(error) ? ExitCode.usage : ExitCode.failed;
  }
}
