import { describe, expect, it } from "@effect/vitest"
import { Clock, Deferred, Duration, Effect, Fiber, TestClock, TestContext } from "effect"
import * as fc from "fast-check"
import * as RateLimiter from "../src/RateLimiter.js"

/** The default safety margin added to a window. */
const margin = (windowMillis: number) => Math.ceil(windowMillis * 0.02) + 25

/** Moves the TestClock forward in steps until `done`, failing after `maxMillis`. */
const driveUntil = (done: Effect.Effect<boolean>, options: { readonly step: number; readonly maxMillis: number }) =>
  Effect.gen(function*() {
    let elapsed = 0
    while (!(yield* done)) {
      if (elapsed >= options.maxMillis) return yield* Effect.dieMessage(`not done after ${elapsed} ms`)
      yield* TestClock.adjust(Duration.millis(options.step))
      elapsed += options.step
    }
  })

/** `n` fibers acquire concurrently; resolves to the time of every acquisition. */
const acquireMany = (limiter: RateLimiter.Service, bucket: string, n: number, options: { readonly step: number; readonly maxMillis: number }) =>
  Effect.gen(function*() {
    const times: Array<number> = []
    const fibers = yield* Effect.forEach(
      Array.from({ length: n }, (_, i) => i),
      () => Effect.fork(Effect.zipRight(limiter.acquire(bucket), Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => times.push(t))))),
      { concurrency: "unbounded" }
    )
    yield* driveUntil(Effect.sync(() => times.length === n), options)
    yield* Fiber.joinAll(fibers)
    return times.sort((a, b) => a - b)
  })

/** The most acquisitions in any window of `windowMillis` (half-open `[t, t + window)`). */
const busiest = (times: ReadonlyArray<number>, windowMillis: number) =>
  Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + windowMillis).length))

describe("RateLimiter", () => {
  it.effect("never more than `limit` acquisitions in any window, many fibers at once", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { light: { windows: [{ limit: 5, window: "1 second" }] } } })
      const times = yield* acquireMany(limiter, "light", 42, { step: 1000, maxMillis: 20_000 })
      expect(times).toHaveLength(42)
      // the first `limit` go at once
      expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0])
      expect(times[5]).toBeGreaterThanOrEqual(1000)
      expect(busiest(times, 1000)).toBe(5)
      // even counting the safety margin as part of the window
      expect(busiest(times, 1000 + margin(1000))).toBe(5)
      // and it does not wait much longer than needed: 42 / 5 → 8 full waits
      expect(times[41]!).toBe(8 * (1000 + margin(1000)))
      const stats = yield* limiter.stats
      expect(stats.requests).toBe(42)
      expect(stats.buckets["light"]!.requests).toBe(42)
    }))

  it.effect("property: with random limits, windows and arrival times, no window ever holds more than its limit", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.record({
            short: fc.record({ limit: fc.integer({ min: 1, max: 6 }), window: fc.integer({ min: 100, max: 2000 }) }),
            longFactor: fc.integer({ min: 2, max: 10 }),
            longLimitFactor: fc.integer({ min: 1, max: 3 }),
            arrivals: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 30 })
          }),
          ({ short, longFactor, longLimitFactor, arrivals }) => {
            const long = { limit: short.limit * longLimitFactor, window: short.window * longFactor }
            return Effect.gen(function*() {
              const limiter = yield* RateLimiter.make({
                buckets: { b: { windows: [{ limit: short.limit, window: Duration.millis(short.window) }, { limit: long.limit, window: Duration.millis(long.window) }] } }
              })
              const times: Array<number> = []
              yield* Effect.forEach(arrivals, (at) =>
                Effect.fork(
                  Effect.sleep(Duration.millis(at)).pipe(
                    Effect.zipRight(limiter.acquire("b")),
                    Effect.zipRight(Clock.currentTimeMillis),
                    Effect.map((t) => times.push(t))
                  )
                ))
              yield* driveUntil(Effect.sync(() => times.length === arrivals.length), { step: 60_000, maxMillis: 10_000_000 })
              times.sort((a, b) => a - b)
              expect(busiest(times, short.window + margin(short.window))).toBeLessThanOrEqual(short.limit)
              expect(busiest(times, long.window + margin(long.window))).toBeLessThanOrEqual(long.limit)
              // nobody is let out before arriving
              expect(times[0]!).toBeGreaterThanOrEqual(Math.min(...arrivals))
            }).pipe(Effect.provide(TestContext.TestContext), Effect.runPromise)
          }
        ),
        { numRuns: 30 }
      )
    ))

  it.effect("two windows at once: 20 per 2 s and 3600 per hour", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({
        buckets: { b: { windows: [{ limit: 20, window: "2 seconds" }, { limit: 3600, window: "1 hour" }] } }
      })
      const times = yield* acquireMany(limiter, "b", 70, { step: 1000, maxMillis: 20_000 })
      expect(busiest(times, 2000)).toBe(20)
      expect(times.filter((t) => t === 0)).toHaveLength(20)
      // 70 → 3 waits of one short window; the hour window never binds
      expect(times[69]!).toBe(3 * (2000 + margin(2000)))
      expect(yield* limiter.limits("b")).toEqual([{ limit: 20, windowMillis: 2000 }, { limit: 3600, windowMillis: 3_600_000 }])
    }))

  it.effect("two windows at once: the long window binds when the short one has room", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({
        buckets: { b: { windows: [{ limit: 20, window: "2 seconds" }, { limit: 30, window: "1 minute" }] } }
      })
      const times = yield* acquireMany(limiter, "b", 35, { step: 10_000, maxMillis: 200_000 })
      expect(busiest(times, 2000)).toBeLessThanOrEqual(20)
      expect(busiest(times, 60_000)).toBe(30)
      // the 31st waits for the first to leave the minute window
      expect(times[30]!).toBe(60_000 + margin(60_000))
    }))

  it.effect("penalize blocks the bucket until the penalty ends, and only that bucket", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({
        buckets: { a: { windows: [{ limit: 100, window: "1 minute" }] }, b: { windows: [{ limit: 100, window: "1 minute" }] } }
      })
      yield* limiter.penalize("a", 5000)
      const fiber = yield* Effect.fork(Effect.zipRight(limiter.acquire("a"), Clock.currentTimeMillis))
      yield* limiter.acquire("b") // not blocked
      yield* TestClock.adjust("4999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toBe(5000)
      const stats = yield* limiter.stats
      expect(stats.buckets["a"]).toEqual({ requests: 1, waits: 1, waitedMillis: 5000, penalties: 1 })
      expect(stats.buckets["b"]).toEqual({ requests: 1, waits: 0, waitedMillis: 0, penalties: 0 })
    }))

  it.effect("penalize without millis uses the bucket's penalty (default: its longest window)", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({
        buckets: {
          short: { windows: [{ limit: 10, window: "10 seconds" }] },
          custom: { windows: [{ limit: 10, window: "10 seconds" }], penalty: "3 seconds" }
        }
      })
      yield* limiter.penalize("short")
      yield* limiter.penalize("custom")
      const short = yield* Effect.fork(Effect.zipRight(limiter.acquire("short"), Clock.currentTimeMillis))
      const custom = yield* Effect.fork(Effect.zipRight(limiter.acquire("custom"), Clock.currentTimeMillis))
      yield* driveUntil(Effect.sync(() => short.unsafePoll() !== null && custom.unsafePoll() !== null), { step: 1000, maxMillis: 20_000 })
      expect(yield* Fiber.join(custom)).toBe(3000)
      expect(yield* Fiber.join(short)).toBe(10_000)
    }))

  it.effect("a penalty on an unconfigured bucket blocks it too (60 s without Retry-After)", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: {} })
      yield* limiter.acquire("free") // unlimited
      yield* limiter.penalize("free", 1500)
      const a = yield* Effect.fork(Effect.zipRight(limiter.acquire("free"), Clock.currentTimeMillis))
      yield* TestClock.adjust("1499 millis")
      expect(a.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(a)).toBe(1500)
      yield* limiter.penalize("other")
      const b = yield* Effect.fork(Effect.zipRight(limiter.acquire("other"), Clock.currentTimeMillis))
      yield* TestClock.adjust("59 seconds")
      expect(b.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(b)).toBe(61_500)
    }))

  it.effect("a penalty that arrives while a request waits extends the wait", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 1, window: "1 second" }] } } })
      yield* limiter.acquire("b")
      const fiber = yield* Effect.fork(Effect.zipRight(limiter.acquire("b"), Clock.currentTimeMillis))
      yield* TestClock.adjust("500 millis")
      yield* limiter.penalize("b", 2000) // until 2500
      yield* driveUntil(Effect.sync(() => fiber.unsafePoll() !== null), { step: 50, maxMillis: 5000 })
      expect(yield* Fiber.join(fiber)).toBe(2500)
      expect((yield* limiter.stats).waits).toBe(1)
    }))

  it.effect("observe with remaining 0 blocks until the reset (plus the fixed part of the margin, not a share of the window)", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 50, window: "1 minute" }] } } })
      yield* TestClock.adjust("10 seconds")
      yield* limiter.observe("b", { remaining: 0, resetAtMillis: 13_000 })
      const fiber = yield* Effect.fork(Effect.zipRight(limiter.acquire("b"), Clock.currentTimeMillis))
      yield* driveUntil(Effect.sync(() => fiber.unsafePoll() !== null), { step: 1000, maxMillis: 60_000 })
      expect(yield* Fiber.join(fiber)).toBe(13_000 + margin(0))
    }))

  it.effect("observe with remaining 0 and no reset time waits one window", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 50, window: "10 seconds" }] } } })
      yield* limiter.observe("b", { remaining: 0, windowMillis: 10_000 })
      const fiber = yield* Effect.fork(Effect.zipRight(limiter.acquire("b"), Clock.currentTimeMillis))
      yield* driveUntil(Effect.sync(() => fiber.unsafePoll() !== null), { step: 1000, maxMillis: 60_000 })
      expect(yield* Fiber.join(fiber)).toBe(10_000 + margin(10_000))
    }))

  it.effect("remaining 0 without a reset time waits for the oldest send still in the window, not a whole window from the answer (issue 15)", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 3, window: "10 seconds" }] } } })
      for (const at of [0, 1000, 2000]) {
        yield* TestClock.adjust(Duration.millis(at - (yield* Clock.currentTimeMillis)))
        yield* limiter.acquire("b")
      }
      // the third answer arrives at 6 s and says nothing remains
      yield* TestClock.adjust("4 seconds")
      yield* limiter.observe("b", { limit: 3, remaining: 0, windowMillis: 10_000 })
      const fiber = yield* Effect.fork(Effect.zipRight(limiter.acquire("b"), Clock.currentTimeMillis))
      yield* driveUntil(Effect.sync(() => fiber.unsafePoll() !== null), { step: 100, maxMillis: 60_000 })
      // the send at 0 leaves the window at 10 s (plus the margin), not 6 s + 10 s
      expect(yield* Fiber.join(fiber)).toBe(10_000 + margin(10_000))
    }))

  it.effect("send counts a request from the moment it ended, and holds its slot while in flight", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 2, window: "1 second" }] } } })
      const done = yield* Effect.all([Deferred.make<void>(), Deferred.make<void>()])
      // two requests in flight: the answer of the first takes 3 s, of the second 5 s
      const first = yield* Effect.fork(limiter.send("b", Effect.zipRight(Effect.sleep("3 seconds"), Deferred.succeed(done[0], undefined))))
      const second = yield* Effect.fork(limiter.send("b", Effect.zipRight(Effect.sleep("5 seconds"), Deferred.succeed(done[1], undefined))))
      yield* TestClock.adjust("1 millis")
      const third = yield* Effect.fork(Effect.zipRight(limiter.send("b", Effect.void), Clock.currentTimeMillis))
      // at 2 s the window of acquisition times would be over: the slots are still held
      yield* TestClock.adjust("2 seconds")
      expect(third.unsafePoll()).toBeNull()
      yield* driveUntil(Effect.sync(() => third.unsafePoll() !== null), { step: 100, maxMillis: 20_000 })
      // the first ended at 3 s: its slot frees a window (and the margin) later
      expect(yield* Fiber.join(third)).toBe(3000 + 1000 + margin(1000))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      expect((yield* limiter.stats).buckets["b"]).toMatchObject({ requests: 3, waits: 1 })
    }))

  it.effect("an interrupted or failed send ends its slot too", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 1, window: "1 second" }] } } })
      const stuck = yield* Effect.fork(limiter.send("b", Effect.never))
      yield* TestClock.adjust("1 millis")
      yield* Fiber.interrupt(stuck)
      const failing = yield* Effect.fork(Effect.exit(limiter.send("b", Effect.fail("no"))))
      yield* driveUntil(Effect.sync(() => failing.unsafePoll() !== null), { step: 100, maxMillis: 10_000 })
      expect((yield* Fiber.join(failing))._tag).toBe("Failure")
      const next = yield* Effect.fork(Effect.zipRight(limiter.send("b", Effect.void), Clock.currentTimeMillis))
      yield* driveUntil(Effect.sync(() => next.unsafePoll() !== null), { step: 100, maxMillis: 10_000 })
      // the failed send ended when its slot came (1 ms + a window), the next one leaves a window later
      expect(yield* Fiber.join(next)).toBe(1 + 2 * (1000 + margin(1000)))
    }))

  it.effect("observations and penalties that are not finite numbers are ignored, never a stuck bucket", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 5, window: "1 second" }], penalty: "2 seconds" } } })
      yield* limiter.observe("b", { limit: Number.NaN, remaining: 0, windowMillis: Number.NaN, resetAtMillis: Number.NaN })
      yield* limiter.observe("b", { limit: Number.POSITIVE_INFINITY, remaining: Number.NaN })
      expect(yield* limiter.limits("b")).toEqual([{ limit: 5, windowMillis: 1000 }])
      const first = yield* Effect.fork(Effect.zipRight(limiter.acquire("b"), Clock.currentTimeMillis))
      yield* driveUntil(Effect.sync(() => first.unsafePoll() !== null), { step: 500, maxMillis: 5000 })
      // remaining 0 without a usable reset time waits one window
      expect(yield* Fiber.join(first)).toBe(1000 + margin(1000))
      yield* limiter.penalize("b", Number.NaN)
      const start = yield* Clock.currentTimeMillis
      const second = yield* Effect.fork(Effect.zipRight(limiter.acquire("b"), Clock.currentTimeMillis))
      yield* driveUntil(Effect.sync(() => second.unsafePoll() !== null), { step: 500, maxMillis: 5000 })
      // NaN falls back to the bucket's penalty
      expect((yield* Fiber.join(second)) - start).toBe(2000)
    }))

  it.effect("observe learns a new limit for the matching window", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 50, window: "1 second" }] } } })
      yield* limiter.observe("b", { limit: 3, windowMillis: 1000 })
      expect(yield* limiter.limits("b")).toEqual([{ limit: 3, windowMillis: 1000 }])
      const times = yield* acquireMany(limiter, "b", 7, { step: 500, maxMillis: 10_000 })
      expect(times.filter((t) => t === 0)).toHaveLength(3)
      expect(busiest(times, 1000)).toBe(3)
    }))

  it.effect("observe learns a window the configuration did not know, and limits an unconfigured bucket", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 50, window: "1 minute" }] } } })
      yield* limiter.observe("b", { limit: 2, windowMillis: 1000 })
      expect(yield* limiter.limits("b")).toEqual([{ limit: 50, windowMillis: 60_000 }, { limit: 2, windowMillis: 1000 }])
      yield* limiter.observe("heavy", { limit: 2, remaining: 2, windowMillis: 1000 })
      expect(yield* limiter.limits("heavy")).toEqual([{ limit: 2, windowMillis: 1000 }])
      const times = yield* acquireMany(limiter, "heavy", 4, { step: 500, maxMillis: 10_000 })
      expect(busiest(times, 1000)).toBe(2)
      // an observation without window length cannot be attached to an unconfigured bucket
      yield* limiter.observe("unknown", { limit: 1, remaining: 1 })
      expect(yield* limiter.limits("unknown")).toEqual([])
    }))

  it.effect("observe with fewer remaining than the local count adds phantom sends", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 10, window: "1 second" }] } } })
      yield* limiter.acquire("b")
      yield* limiter.acquire("b")
      // the server counted 6 (another client shares the quota)
      yield* limiter.observe("b", { limit: 10, remaining: 4 })
      const times = yield* acquireMany(limiter, "b", 6, { step: 500, maxMillis: 10_000 })
      expect(times.filter((t) => t === 0)).toHaveLength(4)
      expect(times[4]!).toBeGreaterThanOrEqual(1000)
      // an observation with more remaining than the local count changes nothing
      const fresh = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 10, window: "1 second" }] } } })
      yield* fresh.acquire("b")
      yield* fresh.observe("b", { remaining: 9 })
      const more = yield* acquireMany(fresh, "b", 9, { step: 500, maxMillis: 10_000 })
      expect(more.every((t) => t === more[0])).toBe(true)
    }))

  it.effect("stats count requests, waits (once per waiting request), waited time and penalties", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: { b: { windows: [{ limit: 2, window: "1 second" }] } } })
      yield* acquireMany(limiter, "b", 6, { step: 500, maxMillis: 10_000 })
      yield* limiter.penalize("b", 100)
      const stats = yield* limiter.stats
      expect(stats.requests).toBe(6)
      // 2 go at once, 2 wait one window, 2 wait two windows
      const span = 1000 + margin(1000)
      expect(stats.waits).toBe(4)
      expect(stats.penalties).toBe(1)
      expect(stats.waitedMillis).toBe(2 * span + 2 * 2 * span)
    }))

  it.effect("a bucket without configuration is unlimited unless a fallback is given", () =>
    Effect.gen(function*() {
      const free = yield* RateLimiter.unlimited
      const times = yield* acquireMany(free, "x", 100, { step: 10, maxMillis: 100 })
      expect(times.every((t) => t === 0)).toBe(true)
      const limited = yield* RateLimiter.make({ buckets: {}, fallback: { windows: [{ limit: 1, window: "1 second" }] } })
      const slow = yield* acquireMany(limited, "x", 2, { step: 500, maxMillis: 5000 })
      expect(slow[1]!).toBe(1000 + margin(1000))
    }))

  it("scale shrinks windows and penalties", () => {
    const scaled = RateLimiter.scale({ heavy: { windows: [{ limit: 10, window: "60 seconds" }], penalty: "60 seconds" } }, 0.01)
    expect(Duration.toMillis(scaled["heavy"]!.windows[0]!.window)).toBe(600)
    expect(scaled["heavy"]!.windows[0]!.limit).toBe(10)
    expect(Duration.toMillis(scaled["heavy"]!.penalty!)).toBe(600)
  })

  it.effect("layer provides the service under its tag", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.RateLimiter
      expect(yield* limiter.limits("b")).toEqual([{ limit: 1, windowMillis: 1000 }])
    }).pipe(Effect.provide(RateLimiter.layer({ buckets: { b: { windows: [{ limit: 1, window: "1 second" }] } } }))))
})
