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
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Connections from "@unified-people/cli/Connections"
import * as Emulators from "@unified-people/testkit/Emulators"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as SqliteState from "@unified-people/cli/SqliteState"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
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
  /** CPU time of this process: the job and both emulators. */
  readonly cpuMillis: number
  readonly directoryCalls: number
  readonly directory429: number
  readonly peopleCalls: number
  readonly people429: number
  readonly writes: number
  readonly summary: Sync.Summary
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
  const before = await runWith(options, false)
  return section(options, after.matched, [...after.results.map((r, i) => (i === 0 ? { ...r, label: `${r.label} (state writes committed in groups)` } : r)), {
    ...before.results[0]!,
    label: "full sync (state writes one commit each, before)"
  }])
}

const runWith = (options: Options, groupCommit: boolean): Promise<{ readonly matched: number; readonly results: ReadonlyArray<Measurement> }> => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "unified-people-bench-"))
  const file = Path.join(dir, "state.sqlite")
  const program = Effect.gen(function*() {
    process.stderr.write(`sync: generating ${Util.int(options.size)} people in both emulators…\n`)
    const emulators = yield* Emulators.start({ size: options.size, scale: options.scale })
    const connections = yield* Connections.make(emulators.settings)
    const state = yield* SyncState.SyncState
    const matched = emulators.company.matched.size

    const once = (label: string, service: SyncState.Service) =>
      Effect.gen(function*() {
        process.stderr.write(`sync: ${label}…\n`)
        const rcBefore = yield* emulators.ringcentral.stats
        const peopleBefore = emulators.people.requests().length
        const people429Before = emulators.people.statusCounts()[429] ?? 0
        const job = yield* Effect.provideService(
          Sync.make({ ...connections, concurrency: options.concurrency }),
          SyncState.SyncState,
          service
        )
        const cpu = process.cpuUsage()
        const started = performance.now()
        const report = yield* job.run
        const millis = performance.now() - started
        const used = process.cpuUsage(cpu)
        const rcAfter = yield* emulators.ringcentral.stats
        const requests = emulators.people.requests().slice(peopleBefore)
        return {
          label,
          millis,
          cpuMillis: (used.user + used.system) / 1000,
          directoryCalls: rcAfter.requests - rcBefore.requests,
          directory429: rcAfter.rateLimited - rcBefore.rateLimited,
          peopleCalls: requests.length,
          people429: (emulators.people.statusCounts()[429] ?? 0) - people429Before,
          writes: requests.filter((r) => r.method !== "GET").length,
          summary: report.summary
        } satisfies Measurement
      })

    const full = yield* once(groupCommit ? "full sync" : "full sync (one commit per state write)", state)
    if (!groupCommit) return { matched, results: [full] }
    // as `sync --full`: the stored directory version is not used, everything is read and compared
    const compared = yield* once("no-change re-sync (whole directory compared)", { ...state, version: Effect.succeedNone })
    const conditional = yield* once("no-change re-sync (ETag, 304)", state)
    return { matched, results: [full, compared, conditional] }
  })
  return program.pipe(
    Effect.scoped,
    Effect.provide(SqliteState.layer({ filename: file, groupCommit })),
    Effect.provide(Layer.merge(NodeHttpClient.layerUndici, NodeContext.layer)),
    Effect.runPromise
  ).then((result) => {
    Fs.rmSync(dir, { recursive: true, force: true })
    return result
  })
}

const section = (options: Options, matched: number, results: ReadonlyArray<Measurement>): Util.Section => {
  const baseline = results[0]!
  return {
    title: `Sync: ${Util.int(options.size)} directory people → People system, rate limits ×${options.scale}`,
    columns: [
      "run",
      "wall time",
      "time vs full sync",
      "CPU time (job + emulators)",
      "CPU / written contact",
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
      Util.seconds(r.cpuMillis),
      r.writes === 0 ? "" : `${((r.cpuMillis * 1000) / r.writes).toFixed(0)} µs`,
      `${Util.int(r.directoryCalls)} (${r.directory429})`,
      `${Util.int(r.peopleCalls)} (${r.people429})`,
      Util.int(r.writes),
      `${Util.int(r.summary.created)} / ${Util.int(r.summary.updated)} / ${Util.int(r.summary.deleted)}`,
      `${r.summary.retries} / ${r.summary.rateLimitWaits}`
    ]),
    notes: [
      `${Util.int(matched)} directory users matched a person in the People system (the rest are directory-only, or People-only people).`,
      `People system limits 3600 / h and 20 / 2 s per token, RingCentral Medium 40 / 60 s, Heavy 10 / 60 s, all scaled ×${options.scale}; job concurrency ${options.concurrency}; state in an SQLite file.`,
      "Calls counted by the emulators (directory: every RingCentral request incl. token; People: every request); writes are the People system's POST/PATCH/DELETE requests.",
      "State writes: the sync records each remote write (and links, fingerprints) in the state as soon as it is made. Group commit (the default of SyncState/Sql): the records that arrive while a commit runs go together in the next transaction, each call returning once its own record is committed; before: one statement and one commit each. Both full syncs run on fresh emulators and a fresh state file, the grouped one first (the second profits from the first's warm-up: the comparison errs in favour of before); CPU per written contact is the process's CPU time (job and both emulators) over the People system's writes.",
      Util.runtimeNote
    ]
  } satisfies Util.Section
}

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  const section = await run({
    size: Util.numberFlag(args, "size", 10_000),
    scale: Util.numberFlag(args, "scale", 0.001),
    concurrency: Util.numberFlag(args, "concurrency", 8)
  })
  process.stdout.write(`${Util.markdown(section)}\n`)
}

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  })
}
