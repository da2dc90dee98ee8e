import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "client-secret",
    include: ["test/**/*.test.ts"],
  },
});
