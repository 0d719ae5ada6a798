/**
 * The `unified-people` executable as real processes against both emulators on
 * loopback: two syncs on one state file, and an interrupted sync.
 */
import { describe, expect, it } from "@effect/vitest"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import { Deferred, Effect } from "effect"
import * as ChildProcess from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { HttpLive, rows, setup, writes } from "./utils.js"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const root = fileURLToPath(new URL("../../../", import.meta.url))

interface Running {
  readonly child: ChildProcess.ChildProcess
  readonly done: Effect.Effect<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>
}

/** Starts the CLI in its own Node process with the emulators' environment. */
const start = (env: Readonly<Record<string, string>>, args: ReadonlyArray<string>): Running => {
  const child = ChildProcess.spawn(
    process.execPath,
    ["--conditions=@unified-people/source", "--import", "tsx", bin, ...args],
    { cwd: root, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] }
  )
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (d) => void (stdout += String(d)))
  child.stderr!.on("data", (d) => void (stderr += String(d)))
  const done = Effect.async<{ code: number | null; stdout: string; stderr: string }>((resume) => {
    child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
  })
  return { child, done }
}

const tempState = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "unified-people-proc-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => path.join(dir, "state.sqlite")))

/** Polls until `condition` holds; fails when the process ended first. */
const until = (running: Running, condition: () => boolean) =>
  Effect.gen(function*() {
    while (!condition()) {
      if (running.child.exitCode !== null) {
        const { stderr, stdout } = yield* running.done
        return yield* Effect.dieMessage(`the process ended (${running.child.exitCode}) first: ${stdout}\n${stderr}`)
      }
      yield* Effect.sleep("20 millis")
    }
  })

/** Integration contacts per person and value: a duplicate shows as a count above 1. */
const duplicates = (people: Parameters<typeof rows>[0]) => {
  const seen = new Map<string, number>()
  for (const r of rows(people)) if (r.integration) seen.set(`${r.personId}|${r.value}`, (seen.get(`${r.personId}|${r.value}`) ?? 0) + 1)
  return [...seen].filter(([, n]) => n > 1)
}

describe("unified-people processes", () => {
  it.live("the installed command runs from a checkout without a build, and names the configuration it misses", () =>
    Effect.sync(() => {
      const shim = fileURLToPath(new URL("../bin/unified-people.mjs", import.meta.url))
      const child = ChildProcess.spawnSync(process.execPath, [shim, "--state", path.join(os.tmpdir(), "none", "s.sqlite"), "plan"], {
        cwd: root,
        env: { PATH: process.env.PATH ?? "" },
        encoding: "utf8"
      })
      expect(child.status).toBe(1)
      expect(child.stderr).toBe(
        "Error: missing environment variables: RINGCENTRAL_CLIENT_ID + RINGCENTRAL_CLIENT_SECRET + RINGCENTRAL_JWT (or RINGCENTRAL_ACCESS_TOKEN), " +
          "PEOPLE_CONTACTS_BASE_URL, PEOPLE_CONTACTS_TOKEN, PEOPLE_CONTACTS_ACCOUNT\n"
      )
    }), { timeout: 60_000 })

  it.scopedLive("two syncs on one state file: the second exits 5 naming the first, and nothing is written twice", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 60 })
      const state = yield* tempState
      // the first run's first write is held at a gate until the second run has given up
      const gate = yield* Deferred.make<void>()
      const proxy = yield* HostileProxy.make({ target: env.people.url })
      yield* proxy.add({ name: "gate", method: "POST", after: Deferred.await(gate) })
      const viaProxy = { ...env.env, PEOPLE_CONTACTS_BASE_URL: proxy.through(env.people.baseUrl) }
      const first = start(viaProxy, ["sync", "--state", state, "-q"])
      yield* until(first, () => writes(env.people).length > 0)
      const second = yield* start(viaProxy, ["sync", "--state", state, "-q"]).done
      yield* Deferred.succeed(gate, undefined)
      expect(second.code).toBe(5)
      expect(second.stderr).toMatch(
        new RegExp(`^Error: the sync state is in use by ${os.hostname()}:${first.child.pid} \\(started \\d+ s ago, last heartbeat \\d+ s ago\\)`)
      )
      const firstResult = yield* first.done
      expect(firstResult.stderr).toBe("")
      expect(firstResult.code).toBe(0)
      expect(duplicates(env.people)).toEqual([])
      const created = writes(env.people).length
      // the lease was released: a third run goes, and finds nothing to do
      const third = yield* start(env.env, ["sync", "--state", state, "-q", "--full"]).done
      expect(third.code).toBe(0)
      expect(third.stdout).toMatch(/Planned: 0 to create, 0 to update, 0 to delete/)
      expect(writes(env.people)).toHaveLength(created)
    }).pipe(Effect.provide(HttpLive)), { timeout: 120_000 })

  it.scopedLive("SIGINT stops a sync between writes: exit 130, where it stopped is printed, the next run finishes without duplicates", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 60 })
      const state = yield* tempState
      yield* env.people.faults.inject({ fault: { _tag: "Latency", millis: 30 }, method: "POST", times: 100_000 })
      // one by one (--bulk auto would write these people by one import)
      const run = start(env.env, ["sync", "--state", state, "-q", "--concurrency", "2", "--bulk", "never"])
      yield* until(run, () => writes(env.people).length >= 5)
      run.child.kill("SIGINT")
      const stopped = yield* run.done
      expect(stopped.code).toBe(130)
      expect(stopped.stderr).toMatch(
        /Interrupted during applying: \d+ of \d+ people applied, \d+ writes made \(each recorded in the state\), 0 failures\. Nothing else was written; the next run continues from here\./
      )
      const made = writes(env.people).length
      const writesReported = Number(/(\d+) writes made/.exec(stopped.stderr)![1])
      // every write that reached the People system was recorded by the run (none was cut off from its record)
      expect(writesReported).toBe(made)
      yield* env.people.faults.clear
      const next = yield* start(env.env, ["sync", "--state", state, "-q", "--bulk", "never"]).done
      expect(next.code).toBe(0)
      const adopted = Number(/(\d+) adopted/.exec(next.stdout)![1])
      expect(adopted).toBe(0)
      expect(duplicates(env.people)).toEqual([])
      const again = yield* start(env.env, ["sync", "--state", state, "-q", "--full", "--bulk", "never"]).done
      expect(again.stdout).toMatch(/Planned: 0 to create, 0 to update, 0 to delete/)
    }).pipe(Effect.provide(HttpLive)), { timeout: 120_000 })
})
