/**
 * The contenders of the directory benchmark (`bench/directory.ts`), each run
 * in a child process of its own: this module imports only what a contender
 * uses (the library's packages or `@ringcentral/sdk`, never the emulator), so
 * that a child's peak memory is the contender's and the runtime's alone. The
 * emulator's address and credentials come in the environment.
 *
 *   BENCH_RC_URL=… node .bench/bench/directoryChild.js --contender library-people
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as RateLimiter from "@unified-people/core/RateLimiter"
import * as Directory from "@unified-people/ringcentral/Directory"
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
  /** Peak of the V8 heap's committed size (`heapTotal`). */
  readonly peakHeapTotal: number
  /** Peak of the memory outside the V8 heap that V8 knows of (`external`: ArrayBuffers, external strings). */
  readonly peakExternal: number
  /** 429s the contender saw (the library: penalties its limiter served; the SDK: its rate-limit events). */
  readonly seen429: number
  /** Requests that waited for the rate limiter (library) or Retry-After sleeps (SDK). */
  readonly waits: number
  /** The total time of those waits. */
  readonly waitedMillis: number
}

/**
 * The largest page size of the directory listing.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPerPage = 2000

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

const main = async (contender: Contender): Promise<void> => {
  const target = targetFromEnv()
  const memory = Util.sampleMemory()
  const cpu = process.cpuUsage()
  const started = performance.now()
  const result = contender === "sdk" ? await runSdk(target) : await runLibrary(target, contender === "library-people")
  const millis = performance.now() - started
  const used = process.cpuUsage(cpu)
  const peak = memory.stop()
  Util.report({ contender, ...result, millis, cpuMillis: (used.user + used.system) / 1000, peakRss: peak.rss, peakHeap: peak.heapUsed, peakHeapTotal: peak.heapTotal, peakExternal: peak.external } satisfies ChildResult)
}

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  const contender = Util.flag(process.argv.slice(2), "contender")
  if (contender !== "library" && contender !== "library-people" && contender !== "sdk") {
    process.stderr.write(`unknown contender ${contender}\n`)
    process.exit(2)
  }
  main(contender).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  })
}
