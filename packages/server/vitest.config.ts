import { mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

export default mergeConfig(shared, {
  test: {
    // one PostgreSQL server for the whole suite (test/globalSetup.ts); each file uses its own database
    globalSetup: ["./test/globalSetup.ts"]
  }
})
