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
 * runs in its own child process, so its peak memory is its own. The emulator
 * counts the calls and the 429s each contender provokes.
 *
 *   node --conditions=@unified-people/source --import tsx bench/directory.ts [--size 100000] [--scale 0.01]
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as RateLimiter from "@unified-people/core/RateLimiter"
import * as Directory from "@unified-people/ringcentral/Directory"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import * as EmulatorDirectory from "@unified-people/testkit/RingCentralEmulator/Directory"
import * as RingCentralClient from "@unified-people/ringcentral/RingCentralClient"
import * as RingCentralConfig from "@unified-people/ringcentral/RingCentralConfig"
import * as RingCentralPeople from "@unified-people/ringcentral/RingCentralPeople"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Url from "node:url"
import * as Util from "./util.js"

/**
 * The contenders.
 *
 * @since 0.1.0
 * @category models
 */
export type Contender = "library" | "library-people" | "sdk"

/**
 * What a contender's child process reports.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChildResult {
  readonly contender: Contender
  readonly entries: number
  readonly millis: number
  /** CPU time (user + system) of the contender's process. */
  readonly cpuMillis: number
  readonly peakRss: number
  readonly peakHeap: number
  /** 429s the contender saw (the library: penalties its limiter served; the SDK: its rate-limit events). */
  readonly seen429: number
  /** Requests that waited for the rate limiter (library) or Retry-After sleeps (SDK). */
  readonly waits: number
  /** The total time of those waits. */
  readonly waitedMillis: number
}

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
  /** Also run `library-people` (the slowest contender). */
  readonly people: boolean
}

const maxPerPage = 2000

// ---------------------------------------------------------------------------
// the contenders (child processes)
// ---------------------------------------------------------------------------

interface Target {
  readonly url: string
  readonly clientId: string
  readonly clientSecret: string
  readonly jwt: string
  readonly scale: number
  readonly perPage: number
}

const targetFromEnv = (): Target => ({
  url: process.env.BENCH_RC_URL ?? "",
  clientId: process.env.BENCH_RC_CLIENT_ID ?? "",
  clientSecret: process.env.BENCH_RC_CLIENT_SECRET ?? "",
  jwt: process.env.BENCH_RC_JWT ?? "",
  scale: Number(process.env.BENCH_SCALE ?? "1"),
  perPage: Number(process.env.BENCH_PER_PAGE ?? String(maxPerPage))
})

const runLibrary = (target: Target, people: boolean): Promise<{ entries: number; seen429: number; waits: number; waitedMillis: number }> =>
  Effect.gen(function*() {
    const client = yield* RingCentralClient.make({
      serverUrl: target.url,
      credentials: {
        _tag: "Jwt",
        clientId: target.clientId,
        clientSecret: Redacted.make(target.clientSecret),
        jwt: Redacted.make(target.jwt)
      },
      limits: RateLimiter.scale(RingCentralConfig.defaultLimits, target.scale),
      retry: { base: Duration.millis(Math.max(5, 2_000 * target.scale)), cap: Duration.millis(Math.max(50, 30_000 * target.scale)) }
    })
    const directory = yield* Effect.provideService(Directory.make, RingCentralClient.RingCentralClient, client)
    const entries = people
      ? yield* Effect.flatMap(
        Effect.provideService(RingCentralPeople.make(), Directory.Directory, directory),
        (port) => Stream.runCount(port.stream)
      )
      : yield* Stream.runCount(
        directory.streamDirectoryEntries({ perPage: target.perPage === maxPerPage ? "max" : target.perPage })
      )
    const stats = yield* client.policy.stats
    return { entries, seen429: stats.limiter.penalties, waits: stats.limiter.waits, waitedMillis: stats.limiter.waitedMillis }
  }).pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise)

interface SdkError {
  readonly response?: { readonly status: number }
  readonly retryAfter?: number
}

const runSdk = async (target: Target): Promise<{ entries: number; seen429: number; waits: number; waitedMillis: number }> => {
  const { SDK } = await import("@ringcentral/sdk")
  const sdk = new SDK({ server: target.url, clientId: target.clientId, clientSecret: target.clientSecret, handleRateLimit: true })
  const platform = sdk.platform()
  let seen429 = 0
  let waits = 0
  let waitedMillis = 0
  platform.on(platform.events.rateLimitError, (error: Error) => {
    seen429++
    waits++
    waitedMillis += (error as SdkError).retryAfter ?? 0
  })
  await platform.login({ jwt: target.jwt })
  // the documentation's retry loop: on a 429 the SDK already waited Retry-After
  // and retried once; if that failed too, wait again and repeat
  const get = async (page: number): Promise<{ records: ReadonlyArray<unknown>; paging: { totalPages?: number } }> => {
    for (;;) {
      try {
        const response = await platform.get("/restapi/v1.0/account/~/directory/entries", { page, perPage: target.perPage })
        return await response.json() as { records: ReadonlyArray<unknown>; paging: { totalPages?: number } }
      } catch (error) {
        const e = error as SdkError
        if (e.response?.status !== 429) throw error
        seen429++
        waits++
        const wait = e.retryAfter ?? 60_000 * target.scale
        waitedMillis += wait
        await new Promise((resolve) => setTimeout(resolve, wait))
      }
    }
  }
  let entries = 0
  for (let page = 1;; page++) {
    const body = await get(page)
    entries += body.records.length
    if (body.records.length < target.perPage || (body.paging.totalPages !== undefined && page >= body.paging.totalPages)) break
  }
  return { entries, seen429, waits, waitedMillis }
}

const child = async (contender: Contender): Promise<void> => {
  const target = targetFromEnv()
  const memory = Util.sampleMemory()
  const cpu = process.cpuUsage()
  const started = performance.now()
  const result = contender === "sdk" ? await runSdk(target) : await runLibrary(target, contender === "library-people")
  const millis = performance.now() - started
  const used = process.cpuUsage(cpu)
  const peak = memory.stop()
  Util.report({ contender, ...result, millis, cpuMillis: (used.user + used.system) / 1000, peakRss: peak.rss, peakHeap: peak.heapUsed } satisfies ChildResult)
}

// ---------------------------------------------------------------------------
// the parent: one fresh emulator per contender
// ---------------------------------------------------------------------------

const measure = (options: Options, contender: Contender, label: string, perPage: number): Promise<Measurement> =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ size: options.size, seed: 11, scale: options.scale, maxPerPage })
    const listed = emulator.store.list().filter(EmulatorDirectory.isListed).length
    const before = yield* emulator.stats
    const result = yield* Effect.promise(() =>
      Util.runChild<ChildResult>("directory.ts", ["--contender", contender], [], {
        BENCH_RC_URL: emulator.url,
        BENCH_RC_CLIENT_ID: emulator.credentials.clientId,
        BENCH_RC_CLIENT_SECRET: emulator.credentials.clientSecret,
        BENCH_RC_JWT: emulator.credentials.jwt,
        BENCH_SCALE: String(options.scale),
        BENCH_PER_PAGE: String(perPage)
      })
    )
    const after = yield* emulator.stats
    return {
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
  const contenders: Array<readonly [Contender, string, number]> = [
    ["library", `library: streamDirectoryEntries (perPage=max)`, maxPerPage],
    ...(options.people ? [["library-people", `library: RingCentralPeople.stream → Person`, maxPerPage] as const] : []),
    ["sdk", `@ringcentral/sdk naive loop (perPage=${maxPerPage})`, maxPerPage]
  ]
  if (options.smallPages) contenders.push(["sdk", "@ringcentral/sdk naive loop (perPage=100)", 100])
  const results: Array<Measurement> = []
  for (const [contender, label, perPage] of contenders) {
    process.stderr.write(`directory ×${options.scale}: ${label}…\n`)
    results.push(await measure(options, contender, label, perPage))
  }
  const baseline = results.find((r) => r.contender === "sdk" && r.perPage === maxPerPage)!
  const listed = results[0]!.listed
  const minimum = Math.ceil(listed / maxPerPage) + 1
  return {
    title: `Directory listing: ${Util.int(options.size)} entries, rate limits ×${options.scale}`,
    columns: ["contender", "entries", "API calls (min " + minimum + ")", "429s provoked", "client waits (time)", "wall time", "time vs SDK", "CPU time", "peak RSS", "peak heap"],
    rows: results.map((r) => [
      r.label,
      Util.int(r.entries),
      `${r.calls} (${r.authCalls} auth)`,
      `${r.rateLimited}${r.duringPenalty > 0 ? ` (${r.duringPenalty} during a penalty)` : ""}`,
      `${r.waits} (${Util.seconds(r.waitedMillis)})`,
      Util.seconds(r.millis),
      Util.ratio(r.millis, baseline.millis),
      Util.seconds(r.cpuMillis),
      Util.mib(r.peakRss),
      Util.mib(r.peakHeap)
    ]),
    notes: [
      `Minimum possible calls: ceil(${Util.int(listed)} / ${maxPerPage}) pages + 1 token request = ${minimum}.`,
      `Medium group (directory list) limit 40 per ${60 * options.scale} s, penalty ${60 * options.scale} s after a 429 (the real 40 / 60 s, 60 s scaled ×${options.scale}).`,
      "Each contender runs in its own child process against a fresh emulator; calls and 429s are counted by the emulator.",
      "Wall and CPU time are the contender's own (from its first call to its last entry, in its child process; the emulator's work is not in the CPU time).",
      "Peak RSS includes the Node runtime and the TypeScript loader (tsx) both contenders run under."
    ]
  }
}

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  const contender = Util.flag(args, "contender")
  if (contender !== undefined) {
    if (contender !== "library" && contender !== "library-people" && contender !== "sdk") throw new Error(`unknown contender ${contender}`)
    return child(contender)
  }
  const section = await run({
    size: Util.numberFlag(args, "size", 100_000),
    scale: Util.numberFlag(args, "scale", 0.01),
    smallPages: !Util.has(args, "no-small-pages"),
    people: !Util.has(args, "no-people")
  })
  process.stdout.write(`${Util.markdown(section)}\n`)
}

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  })
}
