/**
 * Bulk benchmark: the same sync through the People system's REST calls (one
 * listing of the people, one contact listing per person, one call per
 * contact written) and through its batch Export and Import APIs, side by
 * side in one run, each mode on its own fresh pair of emulators holding the
 * same generated company. Three runs per mode:
 *
 * 1. the first sync (every matched person's contacts created);
 * 2. a no-change verifying run (`sync --full`: the stored directory version
 *    ignored, every matched person's contacts read and compared): no writes;
 * 3. a change of 4 directory people (a new mobile number each), a normal run.
 *
 * The REST mode runs with `bulk: "never"`; the bulk mode with `bulk: "auto"`
 * (a full run reads by one export; more than 20 people to write go by one
 * import, fewer one by one). People calls and 429s are counted by the People
 * emulator; the time those calls need at the real limits (3600 / h and 20 /
 * 2 s per token) is computed from the call count alone (the quickest
 * schedule the two windows allow: bursts of 20 every 2 s, 3600 per hour).
 *
 *   node --conditions=@unified-people/source --import tsx bench/bulk.ts [--size 10000] [--scale 0.001] [--write]
 *
 * With `--write`, the section replaces its own part of `bench/RESULTS.md`
 * (between its markers) or is appended to it; nothing else of the file changes.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Connections from "@unified-people/cli/Connections"
import * as Emulators from "@unified-people/testkit/Emulators"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
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
  readonly mode: "REST" | "bulk"
  readonly label: string
  readonly millis: number
  readonly peopleCalls: number
  readonly people429: number
  readonly imports: number
  readonly exports: number
  readonly summary: Sync.Summary
}

/**
 * The least time `calls` requests of one token need under the People
 * system's limits (3600 per hour, 20 per 2 s), in milliseconds: bursts of 20
 * every 2 s, and each further 3600 an hour after the previous.
 *
 * @since 0.1.0
 * @category limits
 */
export const atRealLimits = (calls: number): number => {
  if (calls <= 0) return 0
  const hours = Math.floor((calls - 1) / 3600)
  const bursts = Math.floor(((calls - 1) % 3600) / 20)
  return hours * 3_600_000 + bursts * 2_000
}

const duration = (millis: number): string => {
  if (millis === 0) return "0 s (one burst)"
  if (millis < 60_000) return `${(millis / 1000).toFixed(0)} s`
  if (millis < 3_600_000) return `${(millis / 60_000).toFixed(1)} min`
  return `${(millis / 3_600_000).toFixed(1)} h`
}

const runMode = (options: Options, mode: "REST" | "bulk"): Promise<{ readonly matched: number; readonly results: ReadonlyArray<Measurement> }> =>
  Effect.gen(function*() {
    process.stderr.write(`bulk: ${mode}: generating ${Util.int(options.size)} people in both emulators…\n`)
    const emulators = yield* Emulators.start({ size: options.size, scale: options.scale })
    const connections = yield* Connections.make(emulators.settings)
    const state = yield* SyncState.makeMemory
    const once = (label: string, service: SyncState.Service, extra: Partial<Sync.Options> = {}) =>
      Effect.gen(function*() {
        process.stderr.write(`bulk: ${mode}: ${label}…\n`)
        const before = emulators.people.requests().length
        const before429 = emulators.people.statusCounts()[429] ?? 0
        const job = yield* Effect.provideService(
          Sync.make({
            ...connections,
            contacts: mode === "bulk" ? connections.bulkContacts : connections.contacts,
            bulk: mode === "bulk" ? "auto" : "never",
            concurrency: options.concurrency,
            ...extra
          }),
          SyncState.SyncState,
          service
        )
        const started = performance.now()
        const report = yield* job.run
        const millis = performance.now() - started
        const requests = emulators.people.requests().slice(before)
        if (report.summary.failures.length > 0) {
          process.stderr.write(`bulk: ${mode}: ${label}: ${report.summary.failures.length} failures, e.g. ${report.summary.failures[0]!.error.message}\n`)
        }
        return {
          mode,
          label,
          millis,
          peopleCalls: requests.length,
          people429: (emulators.people.statusCounts()[429] ?? 0) - before429,
          imports: requests.filter((r) => r.method === "POST" && r.path.endsWith("/import")).length,
          exports: requests.filter((r) => r.method === "POST" && r.path.endsWith("/export")).length,
          summary: report.summary
        } satisfies Measurement
      })
    const first = yield* once("first sync", state)
    const verify = yield* once("no-change verifying run (sync --full)", { ...state, version: Effect.succeedNone }, { verify: true })
    // four directory people get a new mobile number
    const changed = [...emulators.company.matched.keys()].slice(0, 4)
    yield* emulators.ringcentral.changeDirectory((store) => {
      changed.forEach((id, i) => {
        store.update(id, (e) => {
          e.phoneNumbers = [
            ...e.phoneNumbers.filter((p) => p.usageType !== "MobileNumber"),
            { id: store.nextId(), phoneNumber: `+1415555${String(7100 + i)}`, usageType: "MobileNumber" }
          ]
        })
      })
    })
    const change = yield* once("4 people changed", state)
    return { matched: emulators.company.matched.size, results: [first, verify, change] }
  }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise)

/**
 * Runs both modes and returns the side-by-side table.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (options: Options): Promise<Util.Section> => {
  const rest = await runMode(options, "REST")
  const bulk = await runMode(options, "bulk")
  const rows = rest.results.flatMap((r, i) => {
    const b = bulk.results[i]!
    const line = (m: Measurement) => [
      m.label,
      m.mode === "bulk" ? `bulk (${m.exports} export${m.exports === 1 ? "" : "s"}, ${m.imports} import${m.imports === 1 ? "" : "s"})` : "REST",
      Util.int(m.peopleCalls),
      String(m.people429),
      Util.seconds(m.millis),
      duration(atRealLimits(m.peopleCalls)),
      `${Util.int(m.summary.created)} / ${Util.int(m.summary.updated)} / ${Util.int(m.summary.deleted)}`,
      String(m.summary.failures.length)
    ]
    return [line(r), line(b)]
  })
  return {
    title: `Bulk mode: REST vs the Import and Export APIs, ${Util.int(options.size)} directory people, rate limits ×${options.scale}`,
    columns: ["run", "mode", "People calls", "429s", "wall time (emulators)", "time at the real limits", "created / updated / deleted", "failures"],
    rows,
    notes: [
      `${Util.int(rest.matched)} directory users matched a person in the People system; each mode ran on its own fresh emulators holding the same generated company, one after the other in the same process.`,
      "Time at the real limits: the least time the run's People calls need under 3600 / h and 20 / 2 s per token (bursts of 20 every 2 s, each further 3600 an hour later), computed from the call count; the vendor's processing time of an import or export is not included (the client polls it from 1 s, backing off to 30 s).",
      `Bulk mode auto: a full run reads the People system by one export (people,people_contact_details); a plan with writes for more than 20 people is applied by one import of the contact-details CSV (every person's integration contacts kept by ID, the new ones added) and checked by a follow-up export of what changed since; the 4-person change is written one by one. Polling at ${Math.max(5, 1000 * options.scale)} ms from the first poll (scaled like the limits).`,
      "Calls counted by the People emulator (every request to the API; the download host is not the API and is not counted). Targets (issue 13): first sync ≤ 50 People calls, no-change verifying run ≤ 10, a 4-person change ≤ 30 through REST.",
      Util.runtimeNote
    ]
  }
}

const begin = "<!-- bench/bulk.ts: begin -->"
const end = "<!-- bench/bulk.ts: end -->"

/**
 * Puts the section into `bench/RESULTS.md` between its markers (appended the
 * first time), leaving every other part of the file as it is.
 *
 * @since 0.1.0
 * @category running
 */
export const write = (section: Util.Section, file = Path.resolve(Util.root, "bench/RESULTS.md")): void => {
  const text = Fs.existsSync(file) ? Fs.readFileSync(file, "utf8") : ""
  const block = `${begin}\n_Recorded ${new Date().toISOString()} with \`node --conditions=@unified-people/source --import tsx bench/bulk.ts --write\`._\n\n${Util.markdown(section)}\n${end}`
  const a = text.indexOf(begin)
  const b = text.indexOf(end)
  const next = a >= 0 && b > a ? `${text.slice(0, a)}${block}${text.slice(b + end.length)}` : `${text.replace(/\n*$/, "")}\n\n${block}\n`
  Fs.writeFileSync(file, next)
}

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  const section = await run({
    size: Util.numberFlag(args, "size", 10_000),
    scale: Util.numberFlag(args, "scale", 0.001),
    concurrency: Util.numberFlag(args, "concurrency", 8)
  })
  process.stdout.write(`${Util.markdown(section)}\n`)
  if (Util.has(args, "write")) write(section)
}

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  })
}
