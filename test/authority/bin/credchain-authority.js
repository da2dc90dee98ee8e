#!/usr/bin/env node
// A committed shim so the bin link exists before the first build.
import { runAuthorityCli } from "../dist/cli.js";

await runAuthorityCli(process.argv.slice(2));
