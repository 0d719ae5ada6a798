/**
 * Sync benchmark: the core `Sync` job from the RingCentral company directory to
 * the People system, both emulators on loopback holding one generated company
 * (testkit's `Emulators`, as the demo starts them), both sides' rate limits
 * scaled by the same factor, the state in an embedded SQLite file. Three runs:
 *
 * 1. a full sync (every directory person matched and written);
 * 2. a no-change re-sync that reads and compares everything (the stored
 *    directory version ignored, as `unified-people sync --full`): zero writes;
 * 3. a re-sync with the stored directory ETag: the directory answers 304, so
 *    one directory call and no People call.
 *
 * Calls and 429s are counted by the emulators, writes are the People emulator's
 * non-GET requests.
 *
 *   node --conditions=@unified-people/source --import tsx bench/sync.ts [--size 10000] [--scale 0.001]
 *     [--concurrency 8] [--no-before] [--child-flags "--cpu-prof --cpu-prof-dir=prof"]
 *
 * `--no-before` leaves out the full sync with one commit per state write;
 * `--child-flags` are Node flags of the job's child processes (a CPU profile
 * of the job alone, without the emulators).
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Connections from "@unified-people/cli/Connections"
import * as SqliteState from "@unified-people/cli/SqliteState"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Emulators from "@unified-people/testkit/Emulators"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
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
  readonly size: number
  readonly scale: number
  readonly concurrency: number
  /** Node flags of the job's child processes (e.g. `--cpu-prof`). */
  readonly childArgs?: ReadonlyArray<string>
  /** Also a full sync with one commit per state write (default true). */
  readonly before?: boolean
}

/**
 * One run's figures.
 *
 * @since 0.1.0
 * @category models
 */
export interface Measurement {
  readonly label: string
  readonly millis: number
  /** CPU time of the job's process while the job ran (the sync library: clients, plan, state). */
  readonly jobCpuMillis: number
  /** The job's CPU time per phase of the run (reading, planning, applying, …). */
  readonly jobPhases: Readonly<Record<string, number>>
  /** CPU time of the emulators' process (this one) in the same interval. */
  readonly emulatorCpuMillis: number
  readonly directoryCalls: number
  readonly directory429: number
  readonly peopleCalls: number
  readonly people429: number
  readonly writes: number
  readonly summary: Sync.Summary
}

/** The three kinds of run. */
type Mode = "full" | "compared" | "conditional"

/** What the job's child process needs to reach both emulators (from `Emulators.Settings`). */
interface Target {
  readonly ringcentral: {
    readonly serverUrl: string
    readonly clientId: string
    readonly clientSecret: string
    readonly jwt: string
    readonly limits: Record<string, { readonly limit: number; readonly windowMillis: number; readonly penaltyMillis: number }>
  }
  readonly people: { readonly baseUrl: string; readonly token: string; readonly account: string }
  readonly scale: number
}

/** What the job's child process reports. */
interface ChildResult {
  readonly millis: number
  readonly cpuMillis: number
  /** The job's CPU time in each phase of the run (from its progress), in milliseconds. */
  readonly phases: Readonly<Record<string, number>>
  readonly summary: Sync.Summary
}

const targetOf = (emulators: Emulators.Emulators): Target => {
  const rc = emulators.settings.ringcentral
  const credentials = rc.credentials
  if (credentials._tag !== "Jwt") throw new Error("the emulator's credentials are a JWT")
  return {
    ringcentral: {
      serverUrl: emulators.ringcentral.url,
      clientId: credentials.clientId,
      clientSecret: Redacted.value(credentials.clientSecret),
      jwt: Redacted.value(credentials.jwt),
      limits: Object.fromEntries(
        Object.entries(rc.limits ?? {}).map(([group, bucket]) => {
          const window = bucket.windows[0]!
          return [group, {
            limit: window.limit,
            windowMillis: Duration.toMillis(window.window),
            penaltyMillis: bucket.penalty === undefined ? 0 : Duration.toMillis(bucket.penalty)
          }]
        })
      )
    },
    people: {
      baseUrl: emulators.settings.people.baseUrl,
      token: Redacted.value(emulators.settings.people.token),
      account: emulators.settings.people.account
    },
    scale: emulators.scale
  }
}

/** The same settings as `Emulators.Settings` (margin included), rebuilt in the job's process. */
const settingsOf = (target: Target): Connections.Settings => ({
  ringcentral: {
    serverUrl: target.ringcentral.serverUrl,
    credentials: {
      _tag: "Jwt",
      clientId: target.ringcentral.clientId,
      clientSecret: Redacted.make(target.ringcentral.clientSecret),
      jwt: Redacted.make(target.ringcentral.jwt)
    },
    limits: Object.fromEntries(
      Object.entries(target.ringcentral.limits).map(([group, l]) => [group, {
        windows: [{ limit: l.limit, window: Duration.millis(l.windowMillis) }],
        penalty: Duration.millis(l.penaltyMillis)
      }])
    ) as NonNullable<Connections.Settings["ringcentral"]["limits"]>,
    retry: { base: "20 millis", cap: "2 seconds" }
  },
  people: { baseUrl: target.people.baseUrl, token: Redacted.make(target.people.token), account: target.people.account },
  rateLimitScale: target.scale,
  // the margin the in-process emulators needed: the same waits as before the job moved to its own process
  rateLimitMargin: Emulators.inProcessMargin
})

/**
 * The job's child process: one sync run against the emulators of the parent,
 * its state in the SQLite file the parent names (kept between runs).
 */
const child = (args: ReadonlyArray<string>): Promise<void> => {
  const mode = (Util.flag(args, "mode") ?? "full") as Mode
  const file = Util.flag(args, "state")!
  const groupCommit = Util.flag(args, "group-commit") !== "false"
  const concurrency = Util.numberFlag(args, "concurrency", 8)
  const target = JSON.parse(process.env.BENCH_SYNC_TARGET ?? "{}") as Target
  return Effect.gen(function*() {
    const connections = yield* Connections.make(settingsOf(target))
    const state = yield* SyncState.SyncState
    // as `sync --full`: the stored directory version is not used, everything is read and compared
    const service: SyncState.Service = mode === "compared" ? { ...state, version: Effect.succeedNone } : state
    // the CPU time of each phase: read at every phase change the progress reports
    const phases: Record<string, number> = {}
    let phase = "start"
    let mark = process.cpuUsage()
    const onProgress = (progress: Sync.Progress) =>
      Effect.sync(() => {
        if (progress.phase === phase) return
        const used = process.cpuUsage(mark)
        phases[phase] = (phases[phase] ?? 0) + (used.user + used.system) / 1000
        phase = progress.phase
        mark = process.cpuUsage()
      })
    const job = yield* Effect.provideService(Sync.make({ ...connections, concurrency, onProgress }), SyncState.SyncState, service)
    const cpu = process.cpuUsage()
    mark = cpu
    const started = performance.now()
    const report = yield* job.run
    const millis = performance.now() - started
    const used = process.cpuUsage(cpu)
    const rest = process.cpuUsage(mark)
    phases[phase] = (phases[phase] ?? 0) + (rest.user + rest.system) / 1000
    Util.report({ millis, cpuMillis: (used.user + used.system) / 1000, phases, summary: report.summary } satisfies ChildResult)
  }).pipe(
    Effect.scoped,
    Effect.provide(SqliteState.layer({ filename: file, groupCommit })),
    Effect.provide(Layer.merge(NodeHttpClient.layerUndici, NodeContext.layer)),
    Effect.runPromise
  )
}

/**
 * Runs the three syncs and returns the table.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (options: Options): Promise<Util.Section> => {
  // before: every state write its own statement and commit; after: group commit (the default)
  // grouped first: the second run profits from the first's warm-up, so the comparison errs in favour of "before"
  const after = await runWith(options, true)
  const grouped = after.results.map((r, i) => (i === 0 ? { ...r, label: `${r.label} (state writes committed in groups)` } : r))
  if (options.before === false) return section(options, after.matched, grouped)
  const before = await runWith(options, false)
  return section(options, after.matched, [...grouped, { ...before.results[0]!, label: "full sync (state writes one commit each, before)" }])
}

const runWith = (options: Options, groupCommit: boolean): Promise<{ readonly matched: number; readonly results: ReadonlyArray<Measurement> }> => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "unified-people-bench-"))
  const file = Path.join(dir, "state.sqlite")
  const program = Effect.gen(function*() {
    process.stderr.write(`sync: generating ${Util.int(options.size)} people in both emulators…\n`)
    const emulators = yield* Emulators.start({ size: options.size, scale: options.scale })
    const target = targetOf(emulators)
    const matched = emulators.company.matched.size

    const once = (label: string, mode: Mode) =>
      Effect.gen(function*() {
        process.stderr.write(`sync: ${label}…\n`)
        const rcBefore = yield* emulators.ringcentral.stats
        const peopleBefore = emulators.people.requests().length
        const people429Before = emulators.people.statusCounts()[429] ?? 0
        const cpu = process.cpuUsage()
        const result = yield* Effect.promise(() =>
          Util.runChild<ChildResult>(
            "sync.ts",
            ["--child", "--mode", mode, "--state", file, "--group-commit", String(groupCommit), "--concurrency", String(options.concurrency)],
            options.childArgs ?? [],
            { BENCH_SYNC_TARGET: JSON.stringify(target) }
          )
        )
        // the emulators' CPU from the child's start to its end: a little more than the job's interval (the child's start-up requests none)
        const used = process.cpuUsage(cpu)
        const rcAfter = yield* emulators.ringcentral.stats
        const requests = emulators.people.requests().slice(peopleBefore)
        return {
          label,
          millis: result.millis,
          jobCpuMillis: result.cpuMillis,
          jobPhases: result.phases,
          emulatorCpuMillis: (used.user + used.system) / 1000,
          directoryCalls: rcAfter.requests - rcBefore.requests,
          directory429: rcAfter.rateLimited - rcBefore.rateLimited,
          peopleCalls: requests.length,
          people429: (emulators.people.statusCounts()[429] ?? 0) - people429Before,
          writes: requests.filter((r) => r.method !== "GET").length,
          summary: result.summary
        } satisfies Measurement
      })

    const full = yield* once(groupCommit ? "full sync" : "full sync (one commit per state write)", "full")
    if (!groupCommit) return { matched, results: [full] }
    const compared = yield* once("no-change re-sync (whole directory compared)", "compared")
    const conditional = yield* once("no-change re-sync (ETag, 304)", "conditional")
    return { matched, results: [full, compared, conditional] }
  })
  return program.pipe(
    Effect.scoped,
    Effect.provide(Layer.merge(NodeHttpClient.layerUndici, NodeContext.layer)),
    Effect.runPromise
  ).then((result) => {
    Fs.rmSync(dir, { recursive: true, force: true })
    return result
  })
}

const perWrite = (millis: number, writes: number): string => writes === 0 ? "" : `${((millis * 1000) / writes).toFixed(0)} µs`

const section = (options: Options, matched: number, results: ReadonlyArray<Measurement>): Util.Section => {
  const baseline = results[0]!
  return {
    title: `Sync: ${Util.int(options.size)} directory people → People system, rate limits ×${options.scale}`,
    columns: [
      "run",
      "wall time",
      "time vs full sync",
      "CPU time: job (emulators)",
      "job CPU: read / plan / apply",
      "job CPU / written contact",
      "emulators' CPU / written contact",
      "directory calls (429s)",
      "People calls (429s)",
      "writes",
      "created / updated / deleted",
      "client retries / rate-limit waits"
    ],
    rows: results.map((r) => [
      r.label,
      Util.seconds(r.millis),
      Util.ratio(r.millis, baseline.millis),
      `${Util.seconds(r.jobCpuMillis)} (${Util.seconds(r.emulatorCpuMillis)})`,
      ["reading", "planning", "applying"].map((p) => Util.seconds(r.jobPhases[p] ?? 0)).join(" / "),
      perWrite(r.jobCpuMillis, r.writes),
      perWrite(r.emulatorCpuMillis, r.writes),
      `${Util.int(r.directoryCalls)} (${r.directory429})`,
      `${Util.int(r.peopleCalls)} (${r.people429})`,
      Util.int(r.writes),
      `${Util.int(r.summary.created)} / ${Util.int(r.summary.updated)} / ${Util.int(r.summary.deleted)}`,
      `${r.summary.retries} / ${r.summary.rateLimitWaits}`
    ]),
    notes: [
      `${Util.int(matched)} directory users matched a person in the People system (the rest are directory-only, or People-only people).`,
      `People system limits 3600 / h and 20 / 2 s per token, RingCentral Medium 40 / 60 s, Heavy 10 / 60 s, all scaled ×${options.scale}; job concurrency ${options.concurrency}; state in an SQLite file.`,
      "The job runs in its own child process (one per run, the state file kept between runs), both emulators in the parent: the job's CPU time is the child's user + system time while the job ran (the sync library: both clients with their rate limiters, the plan, the state store), the emulators' is the parent's over the child's life. CPU per written contact is each over the People system's writes. The job's CPU by phase (from its progress): reading both sides, planning (matching, and each matched person's contacts read and compared), applying (the writes and their state records); the rest (start, done) is in the total only.",
      "Calls counted by the emulators (directory: every RingCentral request incl. token; People: every request); writes are the People system's POST/PATCH/DELETE requests.",
      "State writes: the sync records each remote write (and links, fingerprints) in the state as soon as it is made. Group commit (the default of SyncState/Sql): the records that arrive while a commit runs go together in the next transaction, each call returning once its own record is committed; before: one statement and one commit each. Both full syncs run on fresh emulators and a fresh state file, the grouped one first.",
      Util.runtimeNote
    ]
  } satisfies Util.Section
}

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  if (Util.has(args, "child")) return child(args)
  const childArgs = Util.flag(args, "child-flags")
  const section = await run({
    size: Util.numberFlag(args, "size", 10_000),
    scale: Util.numberFlag(args, "scale", 0.001),
    concurrency: Util.numberFlag(args, "concurrency", 8),
    before: !Util.has(args, "no-before"),
    ...(childArgs === undefined ? {} : { childArgs: childArgs.split(" ") })
  })
  process.stdout.write(`${Util.markdown(section)}\n`)
}

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  })
}
