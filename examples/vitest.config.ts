import { defineConfig } from "vitest/config";

// For the examples that are tests (*.test.ts), run by scripts/run-examples.mjs; not part of
// `pnpm test`, whose projects are packages/* and test/.
export default defineConfig({
  test: {
    name: "examples",
    include: ["*.test.ts"],
  },
});
