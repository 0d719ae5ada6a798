import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { isListed } from "@unified-people/testkit/RingCentralEmulator/Directory"
import * as RingCentralConfig from "../src/RingCentralConfig.js"
import { drive, setup } from "./utils.js"
import * as RateLimiter from "@unified-people/core/RateLimiter"

describe("rate limits", () => {
  it.scopedLive("a stream of 20,000 entries completes with no 429 and no request during a penalty", () =>
    Effect.gen(function*() {
      // 200 per page: 100 Medium requests against 40 per (scaled) 300 ms window
      const { client, directory, emulator } = yield* setup({ size: 20_000, maxPerPage: 200, scale: 0.005 })
      const count = yield* directory.streamDirectoryEntries().pipe(Stream.runCount)
      expect(count).toBe(emulator.store.list().filter(isListed).length)
      expect(count).toBeGreaterThan(19_000)
      const stats = yield* emulator.stats
      expect(stats.byGroup["Medium"]).toBe(Math.ceil(count / 200))
      expect(stats.rateLimited).toBe(0)
      expect(stats.duringPenalty).toBe(0)
      // every request went through the Medium bucket of the limiter (whether it had to
      // wait depends on how fast this machine decodes pages, so that is not asserted)
      const policy = yield* client.policy.stats
      expect(policy.limiter.buckets["Medium"]!.requests).toBe(Math.ceil(count / 200))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)), { timeout: 60_000 })

  it.scopedLive("a quota used by another client: one 429, its Retry-After honoured, nothing sent during the penalty", () =>
    Effect.gen(function*() {
      const { client, directory, emulator } = yield* setup({ size: 2000, maxPerPage: 100, scale: 0.01 })
      yield* emulator.consume("Medium", 40)
      const count = yield* directory.streamDirectoryEntries().pipe(Stream.runCount)
      expect(count).toBe(emulator.store.list().filter(isListed).length)
      const stats = yield* emulator.stats
      expect(stats.rateLimited).toBe(1)
      expect(stats.duringPenalty).toBe(0)
      const policy = yield* client.policy.stats
      expect(policy.limiter.buckets["Medium"]!.penalties).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("learns a lower limit from X-Rate-Limit-* headers", () =>
    Effect.gen(function*() {
      const { client, directory, emulator } = yield* setup(
        { size: 3000, maxPerPage: 100, scale: 0.01, limits: { Medium: { limit: 15, windowMillis: 60_000, penaltyMillis: 60_000 } } },
        // the client starts from the documented 40 per window
        { limits: RateLimiter.scale(RingCentralConfig.defaultLimits, 0.01) }
      )
      const count = yield* directory.streamDirectoryEntries().pipe(Stream.runCount)
      expect(count).toBe(emulator.store.list().filter(isListed).length)
      const stats = yield* emulator.stats
      expect(stats.rateLimited).toBe(0)
      expect(yield* client.limiter.limits("Medium")).toEqual([{ limit: 15, windowMillis: Duration.toMillis("600 millis") }])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("a 429 is waited out as the server says: its Retry-After as given, else the group's penalty (60 s, scaled); nothing is sent meanwhile", () =>
    Effect.gen(function*() {
      // scale 0.01: the Light group's penalty is 600 ms
      const { client, customFields, emulator } = yield* setup({ size: 5 })
      const list = Effect.flatten(Effect.flatMap(Effect.fork(customFields.listCustomFields), (fiber) => drive(fiber)))
      yield* list
      const fields = (yield* emulator.faults.requests).filter((r) => r.path.endsWith("/custom-fields"))
      const limited = (headers: Record<string, string>) =>
        emulator.faults.inject({
          fault: { _tag: "Status", status: 429, body: { errorCode: "CMN-301", message: "Request rate exceeded" }, headers },
          path: "/restapi/v1.0/account/~/custom-fields"
        })
      const gapAfter = (from: number) =>
        Effect.map(emulator.faults.requests, (all) => {
          const times = all.filter((r) => r.path.endsWith("/custom-fields")).slice(from).map((r) => r.atMillis)
          return times.slice(1).map((t, i) => t - times[i]!)
        })
      // Retry-After shorter than the penalty: as given
      yield* limited({ "Retry-After": "0.25" })
      yield* list
      expect(yield* gapAfter(fields.length)).toEqual([250])
      // no Retry-After: the group's penalty
      yield* limited({})
      yield* list
      expect(yield* gapAfter(fields.length + 2)).toEqual([600])
      const stats = yield* client.policy.stats
      expect(stats.limiter.buckets["Light"]!.penalties).toBe(2)
      expect((yield* emulator.stats).duringPenalty).toBe(0)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
