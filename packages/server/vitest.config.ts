import { mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

export default mergeConfig(shared, {
  test: {
    // one PostgreSQL server for the whole suite (test/globalSetup.ts); each file uses its own database
    globalSetup: ["./test/globalSetup.ts"],
    // one file at a time: the cluster files start runner processes and PostgreSQL work that would
    // otherwise compete for the same cores (and time out on a busy machine)
    fileParallelism: false
  }
})
