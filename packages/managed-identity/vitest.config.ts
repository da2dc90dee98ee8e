import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "managed-identity",
    include: ["test/**/*.test.ts"],
  },
});
