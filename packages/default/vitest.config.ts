import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "default",
    include: ["test/**/*.test.ts"],
  },
});
