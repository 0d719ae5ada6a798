/**
 * Directory listing benchmark: reads every entry of a large RingCentral company
 * directory from the emulator on loopback, whose rate limits are the real ones
 * scaled by one factor (windows and penalties alike), with
 *
 * - `library`: this library's `Directory.streamDirectoryEntries` (`perPage=max`,
 *   the rate limiter scaled by the same factor and learning from the
 *   `X-Rate-Limit-*` headers);
 * - `library-people`: the `RingCentralPeople` port's `stream` (the same paging,
 *   every entry mapped to a canonical `Person`);
 * - `sdk`: a naive loop with `@ringcentral/sdk` 5 as its documentation shows
 *   (`platform.login({ jwt })`, then `platform.get(url, { page, perPage })` page
 *   after page, `handleRateLimit: true`, and a retry-on-429 loop around it
 *   waiting `Retry-After`), with the same page size as the library and with the
 *   100-entry pages of the documentation's examples.
 *
 * The emulator runs in this process (a fresh one per contender); each contender
 * runs in its own child process (`bench/directoryChild.ts`, which loads only
 * the contender's code), so its peak memory is its own. The emulator
 * counts the calls and the 429s each contender provokes.
 *
 *   node --conditions=@unified-people/source --import tsx bench/directory.ts [--size 100000] [--scale 0.01]
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Directory from "@unified-people/ringcentral/Directory"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import * as EmulatorDirectory from "@unified-people/testkit/RingCentralEmulator/Directory"
import * as EmulatorGenerate from "@unified-people/testkit/RingCentralEmulator/Generate"
import * as EmulatorStore from "@unified-people/testkit/RingCentralEmulator/Store"
import * as PagedRead from "@unified-people/core/PagedRead"
import * as DirectoryEntry from "@unified-people/ringcentral/Directory/Entry"
import * as DirectorySchema from "@unified-people/ringcentral/Directory/Schema"
import * as Mapping from "@unified-people/ringcentral/Mapping"
import * as Effect from "effect/Effect"
import * as Url from "node:url"
import * as Child from "./directoryChild.js"
import type { ChildResult, Contender } from "./directoryChild.js"
import * as Util from "./util.js"

export type { ChildResult, Contender } from "./directoryChild.js"

/**
 * One contender's figures, with the emulator's counters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Measurement extends ChildResult {
  readonly label: string
  readonly perPage: number
  /** Entries the directory lists. */
  readonly listed: number
  readonly calls: number
  readonly authCalls: number
  readonly rateLimited: number
  readonly duringPenalty: number
  /** Directory page requests (Medium group, 429s included), as the emulator received them. */
  readonly pageRequests: number
  /** When the first request of the last window left (request `40 × floor((pageRequests - 1) / 40)`), after the first, as the emulator received them. */
  readonly lastWindowMillis: number
}

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly size: number
  readonly scale: number
  /** Also run the SDK with the documentation's 100-entry pages. */
  readonly smallPages: boolean
  /** Also run `library-people` (every entry mapped to a `Person`). */
  readonly people: boolean
  /** Only these contenders (default: all). */
  readonly only?: ReadonlyArray<Contender>
  /** A title for the table (default: the listing's size and scale). */
  readonly title?: string
  /** Node flags of the contenders' children, with a label for the table (e.g. a smaller young generation). */
  readonly childFlags?: { readonly label: string; readonly args: ReadonlyArray<string> }
}

const maxPerPage = Child.maxPerPage

// ---------------------------------------------------------------------------
// the parent: one fresh emulator per contender
// ---------------------------------------------------------------------------

const measure = (
  options: Options,
  store: EmulatorStore.Store,
  contender: Contender,
  label: string,
  perPage: number,
  nodeArgs: ReadonlyArray<string> = []
): Promise<Measurement> =>
  Effect.gen(function*() {
    // a fresh emulator (its own counters and rate limits) over the one generated directory
    const emulator = yield* Emulator.make({ store, scale: options.scale, maxPerPage })
    const listed = emulator.store.list().filter(EmulatorDirectory.isListed).length
    const before = yield* emulator.stats
    const result = yield* Effect.promise(() =>
      Util.runChild<ChildResult>("directoryChild.ts", ["--contender", contender], nodeArgs, {
        BENCH_RC_URL: emulator.url,
        BENCH_RC_CLIENT_ID: emulator.credentials.clientId,
        BENCH_RC_CLIENT_SECRET: emulator.credentials.clientSecret,
        BENCH_RC_JWT: emulator.credentials.jwt,
        BENCH_SCALE: String(options.scale),
        BENCH_PER_PAGE: String(perPage)
      })
    )
    const after = yield* emulator.stats
    // the page requests the emulator answered (a 429 takes no slot in the window)
    const pages = emulator.context.log().filter((r) => r.group === "Medium" && r.status !== 429)
    return {
      pageRequests: pages.length,
      lastWindowMillis: pages.length < 2 ? 0 : pages[limit * Math.floor((pages.length - 1) / limit)]!.at - pages[0]!.at,
      ...result,
      label,
      perPage,
      listed,
      calls: after.requests - before.requests,
      authCalls: (after.byGroup["Auth"] ?? 0) - (before.byGroup["Auth"] ?? 0),
      rateLimited: after.rateLimited - before.rateLimited,
      duringPenalty: after.duringPenalty - before.duringPenalty
    } satisfies Measurement
  }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise)

/**
 * Runs every contender and returns the table.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (options: Options): Promise<Util.Section> => {
  const all: Array<readonly [Contender, string, number]> = [
    ["library", `library: streamDirectoryEntries (perPage=max)`, maxPerPage],
    ...(options.people ? [["library-people", `library: RingCentralPeople.stream → Person`, maxPerPage] as const] : []),
    ["sdk", `@ringcentral/sdk naive loop (perPage=${maxPerPage})`, maxPerPage]
  ]
  if (options.smallPages) all.push(["sdk", "@ringcentral/sdk naive loop (perPage=100)", 100])
  const contenders = options.only === undefined ? all : all.filter(([c]) => options.only!.includes(c))
  process.stderr.write(`directory: generating ${Util.int(options.size)} entries…\n`)
  const store = EmulatorStore.make(EmulatorGenerate.seed({ size: options.size, seed: 11 }))
  const results: Array<Measurement> = []
  for (const [contender, label, perPage] of contenders) {
    process.stderr.write(`directory ×${options.scale}: ${label}…\n`)
    results.push(await measure(options, store, contender, label, perPage))
    if (options.childFlags !== undefined) {
      process.stderr.write(`directory ×${options.scale}: ${label}, ${options.childFlags.label}…\n`)
      results.push(await measure(options, store, contender, `${label}, ${options.childFlags.label}`, perPage, options.childFlags.args))
    }
  }
  const baseline = results.find((r) => r.contender === "sdk" && r.perPage === maxPerPage) ?? results[0]!
  const listed = results[0]!.listed
  const minimum = Math.ceil(listed / maxPerPage) + 1
  const window = 60_000 * options.scale
  return {
    title: options.title ?? `Directory listing: ${Util.int(options.size)} entries, rate limits ×${options.scale}`,
    columns: [
      "contender",
      "entries",
      "API calls (min " + minimum + ")",
      "429s provoked",
      "client waits (time)",
      "wall time",
      "time vs SDK",
      "CPU time",
      "CPU / entry",
      "rate-limit efficiency",
      "peak RSS",
      "peak heap (used / committed)",
      "peak external"
    ],
    rows: results.map((r) => [
      r.label,
      Util.int(r.entries),
      `${r.calls} (${r.authCalls} auth)`,
      `${r.rateLimited}${r.duringPenalty > 0 ? ` (${r.duringPenalty} during a penalty)` : ""}`,
      `${r.waits} (${Util.seconds(r.waitedMillis)})`,
      Util.seconds(r.millis),
      Util.ratio(r.millis, baseline.millis),
      Util.seconds(r.cpuMillis),
      `${((r.cpuMillis * 1000) / Math.max(1, r.entries)).toFixed(1)} µs`,
      efficiency(r, window),
      Util.mib(r.peakRss),
      `${Util.mib(r.peakHeap)} / ${Util.mib(r.peakHeapTotal)}`,
      Util.mib(r.peakExternal)
    ]),
    notes: [
      `Minimum possible calls: ceil(${Util.int(listed)} / ${maxPerPage}) pages + 1 token request = ${minimum}.`,
      `Medium group (directory list) limit ${limit} per ${window / 1000} s (sliding), penalty ${window / 1000} s after a 429 (the real 40 / 60 s, 60 s scaled ×${options.scale}).`,
      "Rate-limit efficiency (where the window binds: more than 40 page requests): request k may leave floor(k / 40) windows after the first at the earliest, so the last window's first request (k = 40 × floor((pages − 1) / 40)) no earlier than that many windows after the first; the efficiency is that least time over the time it actually left (both as the emulator received them). 100% is a client whose every window starts the moment the limit allows; what follows the last window's first request (its pages' transfer and processing) is the same for any schedule and is left out.",
      "Each contender runs in its own child process against a fresh emulator (the same generated directory); calls and 429s are counted by the emulator.",
      "Wall and CPU time are the contender's own (from its first call to its last entry, in its child process; the emulator's work is not in the CPU time). Peak RSS includes the Node runtime.",
      Util.runtimeNote
    ]
  }
}

/** The Medium group's limit per window. */
const limit = 40

/** When the limit lets the last window start over when it started. */
const efficiency = (r: Measurement, windowMillis: number): string => {
  if (r.pageRequests <= limit || r.lastWindowMillis <= 0) return "(window not binding)"
  const bound = Math.floor((r.pageRequests - 1) / limit) * windowMillis
  return `${((100 * bound) / r.lastWindowMillis).toFixed(1)}% (${Util.seconds(bound)} / ${Util.seconds(r.lastWindowMillis)})`
}

// ---------------------------------------------------------------------------
// decode + map per entry, in one process (no HTTP)
// ---------------------------------------------------------------------------

/**
 * Options of {@link runDecode}.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions {
  /** Entries measured (in pages of 2000), default 20,000. */
  readonly entries: number
  /** Runs; the median is reported (default 5). */
  readonly runs: number
}

/**
 * The CPU cost of turning a page of directory entries (the JSON text of the
 * emulator's pages) into entries and people, per entry, each path measured
 * over the same pages in the same process, median of `runs`: the raw SDK's
 * `JSON.parse`, the typed API's full `ContactResource` decode, the old
 * streaming path (full decode, then `Directory.toPerson`) and the streaming
 * path of `RingCentralPeople` (only the fields the mapping reads, then
 * `Mapping.toPerson`).
 *
 * @since 0.1.0
 * @category running
 */
export const runDecode = (options: DecodeOptions): Util.Section => {
  const store = EmulatorStore.make(EmulatorGenerate.seed({ size: Math.ceil(options.entries * 1.1), seed: 11 }))
  const listed = store.list().filter(EmulatorDirectory.isListed).slice(0, options.entries)
  const pages: Array<string> = []
  for (let i = 0; i < listed.length; i += maxPerPage) {
    const records = listed.slice(i, i + maxPerPage).map((e) => EmulatorDirectory.toContactResource(store, e, "http://127.0.0.1:1"))
    pages.push(JSON.stringify({ records, paging: { page: pages.length + 1, perPage: maxPerPage } }))
  }
  const context = { module: "bench", method: "listDirectoryEntries", page: 1, field: "records" }
  const full = PagedRead.decodeRecords(DirectorySchema.ContactResource, context)
  const lean = PagedRead.decodeRecords(DirectoryEntry.MappedEntry, context)
  const readAt = new Date()
  const mapping = { readAt }
  let sink = 0
  const paths: ReadonlyArray<readonly [string, (text: string) => void]> = [
    ["JSON.parse (the raw SDK loop's work)", (text) => {
      sink += (JSON.parse(text) as { records: Array<unknown> }).records.length
    }],
    ["JSON.parse + full ContactResource decode (typed API)", (text) => {
      sink += full((JSON.parse(text) as { records: Array<unknown> }).records).items.length
    }],
    ["JSON.parse + full decode + Directory.toPerson", (text) => {
      for (const entry of full((JSON.parse(text) as { records: Array<unknown> }).records).items) sink += Directory.toPerson(entry, mapping).contactPoints.length
    }],
    ["JSON.parse + MappedEntry decode + Mapping.toPerson (RingCentralPeople.stream)", (text) => {
      for (const entry of lean((JSON.parse(text) as { records: Array<unknown> }).records).items) sink += Mapping.toPerson(entry, mapping).contactPoints.length
    }]
  ]
  for (const [, f] of paths) for (const text of pages.slice(0, 2)) f(text) // warm up
  // the paths take turns within each run, so that a change of load between runs touches every path alike
  const runs: Array<Array<number>> = paths.map(() => [])
  for (let run = 0; run < options.runs; run++) {
    paths.forEach(([, f], i) => {
      const cpu = process.cpuUsage()
      for (const text of pages) f(text)
      const used = process.cpuUsage(cpu)
      runs[i]!.push((used.user + used.system) / listed.length)
    })
  }
  const micros = runs.map((r) => r.sort((a, b) => a - b)[Math.floor(r.length / 2)]!)
  if (sink < 0) throw new Error("unreachable")
  const base = micros[0]!
  return {
    title: `Decode + map per directory entry: ${Util.int(listed.length)} entries in pages of ${maxPerPage}, CPU time, median of ${options.runs}`,
    columns: ["path", "CPU / entry", "vs JSON.parse", "decode + map beyond JSON.parse"],
    rows: paths.map(([label], i) => [label, `${micros[i]!.toFixed(2)} µs`, Util.ratio(micros[i]!, base), i === 0 ? "" : `${(micros[i]! - base).toFixed(2)} µs`]),
    notes: [
      "The same page texts (the emulator's JSON of its generated directory) for every path, in one process; in each run every path reads every page in turn (so that a change of load touches every path alike); CPU time (user + system) of each path's pass over every page, per entry, the median of the runs.",
      "The full decode is what the typed API (listDirectoryEntries, streamDirectoryEntries, readDirectoryEntry) returns: every field, a class instance per nested object. The streaming path of RingCentralPeople (stream, snapshot) decodes only the fields the mapping reads (Directory/Entry.MappedEntry: a hand-written check, the struct of the same fields as reference) and maps them with the model's trusted constructors.",
      Util.runtimeNote
    ]
  }
}

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  const section = await run({
    size: Util.numberFlag(args, "size", 100_000),
    scale: Util.numberFlag(args, "scale", 0.01),
    smallPages: !Util.has(args, "no-small-pages"),
    people: !Util.has(args, "no-people"),
    ...(Util.flag(args, "only") === undefined ? {} : { only: Util.flag(args, "only")!.split(",") as Array<Contender> }),
    ...(Util.flag(args, "child-flags") === undefined
      ? {}
      : { childFlags: { label: `node ${Util.flag(args, "child-flags")}`, args: Util.flag(args, "child-flags")!.split(" ") } })
  })
  process.stdout.write(`${Util.markdown(section)}\n`)
}

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  })
}
