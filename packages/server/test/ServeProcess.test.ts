/**
 * `unified-people serve` as a real child process (the CLI's `src/bin.ts`, run
 * from the sources as `bin/unified-people.mjs` does in a checkout): SIGTERM in
 * the middle of a sync lets the writes in flight finish and be recorded (the
 * next run adopts nothing and converges), and a tenant file the service cannot
 * use stops it with a message naming the field.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Connections from "@unified-people/cli/Connections"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Duration, Effect, Redacted, Schedule } from "effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Serve from "../src/Serve.js"
import { duplicates, emulators, endState, freePort, provideTestLive, tenantEntry, tenantsOf } from "./utils.js"

/** The CLI's sources (what `bin/unified-people.mjs` runs in a checkout without a build; a stale `dist` is not used). */
const bin = Path.resolve(import.meta.dirname, "../../cli/src/bin.ts")
const nodeArgs = ["--conditions=@unified-people/source", "--import", "tsx"]

interface Child {
  readonly process: ChildProcess.ChildProcess
  readonly output: () => string
  readonly exit: Promise<{ readonly code: number | null; readonly signal: string | null }>
}

/** Starts `unified-people serve …` with `env` added to this process's environment; killed at the end of the scope. */
const spawnServe = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.sync((): Child => {
      const child = ChildProcess.spawn(process.execPath, [...nodeArgs, bin, "serve", ...args], {
        env: { ...process.env, ...env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let output = ""
      child.stdout.on("data", (chunk) => void (output += String(chunk)))
      child.stderr.on("data", (chunk) => void (output += String(chunk)))
      const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal }))
      )
      return { process: child, output: () => output, exit }
    }),
    (child) => Effect.sync(() => child.process.exitCode === null && child.process.signalCode === null && child.process.kill("SIGKILL"))
  )

const eventually = <A, E, R>(effect: Effect.Effect<A, E, R>, check: (a: A) => boolean) =>
  effect.pipe(
    Effect.filterOrFail(check, () => "not yet" as const),
    Effect.retry({ schedule: Schedule.spaced(Duration.millis(100)), while: (e) => e === "not yet" }),
    Effect.catchIf((e): e is "not yet" => e === "not yet", () => Effect.dieMessage("unreachable"))
  )

const writeTenantFile = (entries: ReadonlyArray<unknown>) => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "serve-process-"))
  const file = Path.join(dir, "tenants.json")
  Fs.writeFileSync(file, JSON.stringify({ tenants: entries }))
  return { dir, file }
}

describe("unified-people serve (a child process)", () => {
  it.scopedLive("SIGTERM mid-sync: the writes in flight finish and are recorded, the next run adopts nothing and converges", () =>
    Effect.gen(function*() {
      const a = yield* emulators({ seed: 41, size: 30 })
      const reference = yield* emulators({ seed: 41, size: 30 })
      // every People write takes 150 ms: the sync is slow enough to be stopped in the middle
      yield* a.people.faults.inject({ fault: { _tag: "Latency", millis: 150 }, method: "POST" })
      const env: Record<string, string> = {}
      const entry = tenantEntry("omega", a, env, { sync: { concurrency: 1, bulk: "never" } })
      const { dir, file } = writeTenantFile([entry])
      const port = yield* freePort
      const stateDir = Path.join(dir, "state")
      const child = yield* spawnServe(["--tenants", file, "--port", String(port), "--host", "127.0.0.1", "--state-dir", stateDir], env)
      const writes = () => a.people.requests().filter((r) => r.method !== "GET" && r.status < 300).length
      yield* eventually(Effect.sync(writes), (n) => n >= 3)
      child.process.kill("SIGTERM")
      const exit = yield* Effect.promise(() => child.exit)
      expect(exit.code).toBe(143)
      const written = writes()
      expect(child.output()).toContain("shutting down")
      // no secret in what the process printed
      for (const value of Object.values(env)) expect(child.output()).not.toContain(value)

      // the reference: a clean run of the same company
      const clean = yield* Effect.flatMap(Connections.make(reference.settings), (ports) => Sync.run({ ...ports, concurrency: 4 })).pipe(
        Effect.provide(SyncState.layerMemory),
        Effect.orDie
      )
      expect(clean.summary.status).toBe("complete")
      expect(written).toBeLessThan(clean.summary.created)

      // the next start on the same state: every write of the stopped one was recorded, so nothing is adopted
      yield* a.people.faults.clear
      const tenants = yield* tenantsOf([entry], env)
      const served = yield* Serve.make({
        tenants,
        port: 0,
        host: "127.0.0.1",
        stateDir,
        adminToken: Redacted.make("admin"),
        startupSync: false
      }).pipe(Effect.catchAll(Effect.die))
      const call = (request: HttpClientRequest.HttpClientRequest) =>
        Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(request.pipe(HttpClientRequest.bearerToken("admin")))).pipe(
          Effect.flatMap((r) => r.json),
          Effect.scoped,
          Effect.orDie
        )
      yield* call(HttpClientRequest.post(`${served.url}/tenants/omega/sync?run=after`))
      const done = yield* eventually(
        call(HttpClientRequest.get(`${served.url}/tenants/omega/runs/after`)) as Effect.Effect<{ state: string; result?: Sync.Summary }>,
        (r) => r.state !== "running"
      )
      expect(done.state).toBe("done")
      expect(done.result!.status).toBe("complete")
      expect(done.result!.adopted).toBe(0)
      expect(done.result!.created).toBe(clean.summary.created - written)
      expect(endState(a.people)).toEqual(endState(reference.people))
      expect(duplicates(a.people)).toEqual([])
    }).pipe(provideTestLive), { timeout: 120_000 })

  it.scopedLive("SIGKILL: the next start deletes the subscription the killed process left, and keeps one", () =>
    Effect.gen(function*() {
      const a = yield* emulators({ seed: 43, size: 5 })
      const port = yield* freePort
      const env: Record<string, string> = {}
      const entry = tenantEntry("kappa", a, env, { webhookAddress: `http://127.0.0.1:${port}/webhooks/kappa` })
      const { dir, file } = writeTenantFile([entry])
      const stateDir = Path.join(dir, "state")
      const child = yield* spawnServe(["--tenants", file, "--port", String(port), "--host", "127.0.0.1", "--state-dir", stateDir], env)
      yield* eventually(Effect.sync(() => a.ringcentral.subscriptions.all.size), (n) => n === 1)
      const [left] = [...a.ringcentral.subscriptions.all.keys()]
      // its id written (not only the file created)
      yield* eventually(
        Effect.sync(() => Fs.existsSync(Path.join(stateDir, "kappa.sqlite.subscription")) && Fs.readFileSync(Path.join(stateDir, "kappa.sqlite.subscription"), "utf8")),
        (id) => id === left
      )
      child.process.kill("SIGKILL")
      yield* Effect.promise(() => child.exit)
      // the killed process could not delete its subscription
      expect([...a.ringcentral.subscriptions.all.keys()]).toEqual([left])
      yield* Serve.make({
        tenants: yield* tenantsOf([entry], env),
        port,
        host: "127.0.0.1",
        stateDir,
        startupSync: false
      }).pipe(Effect.catchAll(Effect.die))
      const kept = yield* eventually(Effect.sync(() => [...a.ringcentral.subscriptions.all.keys()]), (ids) => ids.length === 1 && ids[0] !== left)
      // its id is written once it is created (the emulator holds it a moment before)
      yield* eventually(Effect.sync(() => Fs.readFileSync(Path.join(stateDir, "kappa.sqlite.subscription"), "utf8")), (id) => id === kept[0])
      expect([...a.ringcentral.subscriptions.all.keys()]).toEqual(kept)
    }).pipe(provideTestLive), { timeout: 120_000 })

  it.scopedLive("a tenant file the service cannot use: the process stops with a message naming the field, never the secret", () =>
    Effect.gen(function*() {
      const a = yield* emulators({ seed: 42, size: 5 })
      const env: Record<string, string> = {}
      const entry = tenantEntry("sigma", a, env)
      // the People token's variable is not set
      const missing = writeTenantFile([entry])
      const { SIGMA_PEOPLE_TOKEN: _, ...withoutToken } = env
      // the client secret written inline
      const inline = writeTenantFile([{ ...entry, ringcentral: { ...entry.ringcentral, clientSecret: "inline-secret-value" } }])
      const port = yield* freePort
      const [first, second] = yield* Effect.all([
        spawnServe(["--tenants", missing.file, "--port", String(port), "--state-dir", missing.dir], withoutToken),
        spawnServe(["--tenants", inline.file, "--port", String(port), "--state-dir", inline.dir], env)
      ])
      const [exitFirst, exitSecond] = yield* Effect.promise(() => Promise.all([first!.exit, second!.exit]))
      expect(exitFirst.code).toBe(1)
      expect(first!.output()).toContain("tenants[0] (sigma): people.token: the environment variable SIGMA_PEOPLE_TOKEN is not set")
      expect(exitSecond.code).toBe(1)
      expect(second!.output()).toContain("tenants[0] (sigma): ringcentral.clientSecret is a secret written inline")
      expect(second!.output()).not.toContain("inline-secret-value")
      for (const value of Object.values(env)) expect(first!.output() + second!.output()).not.toContain(value)
    }).pipe(provideTestLive), { timeout: 120_000 })
})
