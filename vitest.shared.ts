import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: {
    conditions: ["@unified-people/source"]
  },
  ssr: {
    resolve: {
      conditions: ["@unified-people/source"]
    }
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
