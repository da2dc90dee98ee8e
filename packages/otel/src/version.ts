import { createRequire } from "node:module";

// Read from package.json at load so a changesets version bump needs no code change. The path is
// the same from src/ and dist/.
const packageJson = createRequire(import.meta.url)("../package.json") as { version: string };

/** The instrumentation scope name of every tracer and meter this package creates. */
export const INSTRUMENTATION_NAME = "@credchain/otel";

/** The version of `@credchain/otel`, reported as the instrumentation scope version. */
export const VERSION: string = packageJson.version;
