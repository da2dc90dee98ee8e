import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "cache-file",
    include: ["test/**/*.test.ts"],
  },
});
