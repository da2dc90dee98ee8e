import { Command } from "commander";
import type { CliIo } from "../CliIo.js";

/** `credchain doctor`: what in this environment helps or blocks getting a token, as a table. */
export function doctorCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command("doctor")
    .description(
      "check credentials, authority reachability (DNS, TCP, TLS, HTTP), proxy, clock skew, cache and keyring",
    )
    .action(async () => {
      // Loaded only here: the checks (and the cache and keyring modules) cost other commands nothing.
      const { runDoctor } = await import("../doctor/runDoctor.js");
      setExitCode(await runDoctor(io));
    });
}
