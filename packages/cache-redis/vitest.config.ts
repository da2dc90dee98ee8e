import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "cache-redis",
    include: ["test/**/*.test.ts"],
    // Tests start real processes on a small shared machine: a hang fails, slowness does not.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
