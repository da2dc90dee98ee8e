import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "cache-redis",
    include: ["test/**/*.test.ts"],
  },
});
