import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "client-certificate",
    include: ["test/**/*.test.ts"],
  },
});
