import { defineConfig } from "vitest/config";

// One vitest run covers every package and the cross-package tests in test/.
// Cross-package imports (`@credchain/*`) resolve through the workspace links to each
// package's built `dist/`, so those tests exercise exactly what the build emits.
export default defineConfig({
  test: {
    projects: ["packages/*", "test"],
  },
});
