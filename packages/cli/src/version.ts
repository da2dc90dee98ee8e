import { createRequire } from "node:module";

// Read from package.json at load so a changesets version bump needs no code change. The path is
// the same from src/ and dist/.
const packageJson = createRequire(import.meta.url)("../package.json") as { version: string };

/** The version of `@credchain/cli`, printed by `credchain --version`. */
export const VERSION: string = packageJson.version;
