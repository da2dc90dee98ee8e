// The `credchain` bin: run, then exit with the code once the streams are flushed.
import { runCli } from "./runCli.js";

process.exitCode = await runCli(process.argv.slice(2));
