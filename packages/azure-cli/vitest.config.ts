import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "azure-cli",
    include: ["test/**/*.test.ts"],
  },
});
