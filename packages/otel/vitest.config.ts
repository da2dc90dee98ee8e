import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "otel",
    include: ["test/**/*.test.ts"],
  },
});
