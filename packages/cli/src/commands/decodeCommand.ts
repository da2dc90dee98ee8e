import { Command } from "commander";
import type { CliIo } from "../CliIo.js";
import { decodeJwt, describeJwt } from "../decodeJwt.js";
import { ExitCode } from "../ExitCode.js";
import { readStream } from "../readStream.js";
import { UsageError } from "../UsageError.js";

/** Entra access tokens are a few KiB; anything far larger is not one. */
const MAX_TOKEN_BYTES = 1024 * 1024;

async function runDecode(argument: string | undefined, io: CliIo): Promise<number> {
  let input = argument;
  if (input === undefined) {
    if (io.stdin.isTTY === true) {
      throw new UsageError(
        "pass a token as the argument, or pipe one in: credchain token --output raw | credchain decode",
      );
    }
    input = await readStream(io.stdin, MAX_TOKEN_BYTES).catch((error: unknown) => {
      throw new UsageError(
        `could not read a token from stdin: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
  if (input.trim() === "") throw new UsageError("the token is empty.");
  const described = describeJwt(decodeJwt(input), Date.now());
  io.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
  io.stderr.write(
    "credchain decode: the signature was NOT verified; do not trust these claims for authorization.\n",
  );
  return ExitCode.ok;
}

/** `credchain decode`: a JWT's header and claims, from the argument or stdin; never verifies. */
export function decodeCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command("decode")
    .description(
      "show a JWT's header and claims (aud, exp as a date, roles, xms_cc, ...); does NOT verify the signature",
    )
    .argument("[token]", "the token (default: read from stdin)")
    .action(async (token: string | undefined) => {
      setExitCode(await runDecode(token, io));
    });
}
