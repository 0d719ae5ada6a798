/**
 * A client-side rate limiter keyed by bucket name (a RingCentral throttling group,
 * a People-Contacts token). Each bucket starts from known limits (one or more
 * sliding windows), learns from the server's rate-limit headers, and never lets a
 * request out while a penalty (`Retry-After`) is running.
 *
 * Time comes from the Effect `Clock`, so `TestClock` drives it in tests.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * At most `limit` requests in any `window`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly limit: number
  readonly window: Duration.DurationInput
}

/**
 * The known limits of one bucket.
 *
 * @since 0.1.0
 * @category models
 */
export interface BucketConfig {
  readonly windows: ReadonlyArray<Window>
  /** The wait after a 429 that carried no `Retry-After` (default: the longest window). */
  readonly penalty?: Duration.DurationInput
}

/**
 * What a response said about a bucket.
 *
 * @since 0.1.0
 * @category models
 */
export interface Observation {
  readonly limit?: number | undefined
  readonly remaining?: number | undefined
  /** The length of the window the headers describe. */
  readonly windowMillis?: number | undefined
  /** When the server's window resets, as epoch milliseconds. */
  readonly resetAtMillis?: number | undefined
}

/**
 * Counters of one bucket.
 *
 * @since 0.1.0
 * @category models
 */
export interface BucketStats {
  readonly requests: number
  /** How many requests had to wait (for a window, a penalty or the requests queued before them). */
  readonly waits: number
  /** The total time requests waited. */
  readonly waitedMillis: number
  readonly penalties: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Stats extends BucketStats {
  readonly buckets: Readonly<Record<string, BucketStats>>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Waits until one more request may be sent in `bucket`, then counts it. */
  readonly acquire: (bucket: string) => Effect.Effect<void>
  /**
   * Learns from a response's rate-limit headers: a new limit, a window the
   * configuration did not know, requests another client made (`remaining` lower
   * than the local count), or an exhausted quota (`remaining` 0: wait for the reset).
   */
  readonly observe: (bucket: string, observation: Observation) => Effect.Effect<void>
  /**
   * Blocks the bucket for `millis` (a `Retry-After`, or the bucket's penalty when
   * undefined). Works on unconfigured buckets too.
   */
  readonly penalize: (bucket: string, millis?: number) => Effect.Effect<void>
  /** The current limits of a bucket, as learned so far. */
  readonly limits: (bucket: string) => Effect.Effect<ReadonlyArray<{ readonly limit: number; readonly windowMillis: number }>>
  readonly stats: Effect.Effect<Stats>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class RateLimiter extends Context.Tag("@unified-people/core/RateLimiter")<RateLimiter, Service>() {}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly buckets: Readonly<Record<string, BucketConfig>>
  /** The limits of a bucket not named in `buckets`; without it such buckets are unlimited. */
  readonly fallback?: BucketConfig
  /**
   * The wait after a 429 without `Retry-After` in a bucket whose limits are not
   * configured (default 60 s, RingCentral's documented penalty).
   */
  readonly penalty?: Duration.DurationInput
  /**
   * Extra time added to every window to absorb the gap between sending and
   * arriving (default: 2% of the window plus 25 ms).
   */
  readonly margin?: (windowMillis: number) => number
}

interface WindowState {
  limit: number
  readonly windowMillis: number
}

interface BucketState {
  readonly windows: Array<WindowState>
  readonly penaltyMillis: number
  /** Send times, oldest first, kept for the longest window. */
  sent: Array<number>
  blockedUntil: number
  requests: number
  waits: number
  /** Requests holding or waiting for the bucket's lock. */
  inside: number
  waitedMillis: number
  penalties: number
  readonly lock: Effect.Semaphore
}

const finite = (n: number | undefined): number | undefined => n !== undefined && Number.isFinite(n) ? n : undefined

const defaultMargin = (windowMillis: number) => Math.ceil(windowMillis * 0.02) + 25

/**
 * Builds a rate limiter.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service> =>
  Effect.sync(() => {
    const margin = options.margin ?? defaultMargin
    const states = new Map<string, BucketState>()

    const unconfiguredPenalty = Duration.toMillis(options.penalty ?? Duration.minutes(1))

    /**
     * The state of a bucket. A bucket without configured limits has no state
     * (it is unlimited) until `create` is set: a penalty or learned limits then
     * give it one.
     */
    const stateOf = (bucket: string, create = false): BucketState | undefined => {
      const existing = states.get(bucket)
      if (existing !== undefined) return existing
      const config = options.buckets[bucket] ?? options.fallback ?? (create ? { windows: [], penalty: unconfiguredPenalty } : undefined)
      if (config === undefined) return undefined
      const windows = config.windows.map((w) => ({ limit: w.limit, windowMillis: Duration.toMillis(w.window) }))
      const longest = Math.max(0, ...windows.map((w) => w.windowMillis))
      const state: BucketState = {
        windows,
        penaltyMillis: config.penalty === undefined ? (longest > 0 ? longest : unconfiguredPenalty) : Duration.toMillis(config.penalty),
        sent: [],
        blockedUntil: 0,
        requests: 0,
        waits: 0,
        inside: 0,
        waitedMillis: 0,
        penalties: 0,
        lock: Effect.unsafeMakeSemaphore(1)
      }
      states.set(bucket, state)
      return state
    }

    const prune = (state: BucketState, now: number) => {
      const horizon = Math.max(0, ...state.windows.map((w) => w.windowMillis + margin(w.windowMillis)))
      let drop = 0
      while (drop < state.sent.length && state.sent[drop]! <= now - horizon) drop++
      if (drop > 0) state.sent = state.sent.slice(drop)
    }

    /** Milliseconds until the next request may go out (0 = now). */
    const waitFor = (state: BucketState, now: number): number => {
      let wait = Math.max(0, state.blockedUntil - now)
      for (const w of state.windows) {
        if (w.limit <= 0) {
          wait = Math.max(wait, w.windowMillis)
          continue
        }
        const span = w.windowMillis + margin(w.windowMillis)
        // the `limit`-th most recent send must have left the window
        const index = state.sent.length - w.limit
        if (index >= 0) {
          const oldest = state.sent[index]!
          if (oldest > now - span) wait = Math.max(wait, oldest + span - now)
        }
      }
      return wait
    }

    const acquire = (bucket: string): Effect.Effect<void> =>
      Effect.suspend(() => {
        const state = stateOf(bucket)
        if (state === undefined) return Effect.void
        // a request waited when it slept for the bucket, or queued behind other
        // requests that held it for a while (scheduling delay alone is not a wait)
        const loop = (start: number, queued: boolean, slept: boolean): Effect.Effect<void> =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => {
            prune(state, now)
            const wait = waitFor(state, now)
            if (wait <= 0) {
              state.sent.push(now)
              state.requests++
              if (slept || (queued && now > start)) {
                state.waits++
                state.waitedMillis += now - start
              }
              return Effect.void
            }
            return Effect.zipRight(Effect.sleep(Duration.millis(wait)), loop(start, queued, true))
          })
        return Effect.flatMap(Clock.currentTimeMillis, (start) => {
          // another request holds or waits for the bucket: this one queues behind it
          const queued = state.inside > 0
          state.inside++
          return state.lock.withPermits(1)(loop(start, queued, false)).pipe(
            Effect.ensuring(Effect.sync(() => {
              state.inside--
            }))
          )
        })
      })

    const observe = (bucket: string, raw: Observation): Effect.Effect<void> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          // headers are remote input: a value that is not a finite number is ignored
          const observation: Observation = {
            limit: finite(raw.limit),
            remaining: finite(raw.remaining),
            windowMillis: finite(raw.windowMillis),
            resetAtMillis: finite(raw.resetAtMillis)
          }
          const learnable = observation.limit !== undefined && observation.windowMillis !== undefined && observation.windowMillis > 0
          const state = stateOf(bucket, learnable || observation.remaining === 0)
          if (state === undefined) return
          let target = observation.windowMillis === undefined
            ? state.windows.length === 1 ? state.windows[0] : undefined
            : state.windows.find((w) => w.windowMillis === observation.windowMillis)
          if (target === undefined && learnable) {
            // a window the configuration did not know: learn it
            target = { limit: observation.limit!, windowMillis: observation.windowMillis! }
            state.windows.push(target)
          }
          if (target === undefined) {
            // nothing to attach the numbers to; still honour an exhausted quota with a reset time
            if (observation.remaining !== undefined && observation.remaining <= 0 && observation.resetAtMillis !== undefined) {
              state.blockedUntil = Math.max(state.blockedUntil, observation.resetAtMillis + margin(0))
            }
            return
          }
          if (observation.limit !== undefined && observation.limit >= 0) target.limit = observation.limit
          if (observation.remaining === undefined) return
          if (observation.remaining <= 0) {
            const until = observation.resetAtMillis ?? now + target.windowMillis
            state.blockedUntil = Math.max(state.blockedUntil, until + margin(target.windowMillis))
            return
          }
          // the server counted more requests than we sent (another client shares the
          // quota): add the difference as if sent now
          prune(state, now)
          const span = target.windowMillis + margin(target.windowMillis)
          const local = state.sent.filter((t) => t > now - span).length
          const serverUsed = target.limit - observation.remaining
          for (let i = local; i < serverUsed; i++) state.sent.push(now)
        }))

    const penalize = (bucket: string, millis?: number): Effect.Effect<void> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          const state = stateOf(bucket, true)!
          state.penalties++
          state.blockedUntil = Math.max(state.blockedUntil, now + Math.max(0, finite(millis) ?? state.penaltyMillis))
        }))

    const limits = (bucket: string) =>
      Effect.sync(() => stateOf(bucket)?.windows.map((w) => ({ limit: w.limit, windowMillis: w.windowMillis })) ?? [])

    const stats = Effect.sync((): Stats => {
      const buckets: Record<string, BucketStats> = {}
      let requests = 0, waits = 0, waitedMillis = 0, penalties = 0
      for (const [name, s] of states) {
        buckets[name] = { requests: s.requests, waits: s.waits, waitedMillis: s.waitedMillis, penalties: s.penalties }
        requests += s.requests
        waits += s.waits
        waitedMillis += s.waitedMillis
        penalties += s.penalties
      }
      return { requests, waits, waitedMillis, penalties, buckets }
    })

    return { acquire, observe, penalize, limits, stats }
  })

/**
 * A layer providing a {@link RateLimiter}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RateLimiter> => Layer.effect(RateLimiter, make(options))

/**
 * A limiter that never waits.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unlimited: Effect.Effect<Service> = make({ buckets: {} })

/**
 * Scales every window of a set of bucket configurations by `factor` (0.01 turns a
 * 60 s window into 600 ms), for emulators and benchmarks that run the real limits
 * faster.
 *
 * @since 0.1.0
 * @category combinators
 */
export const scale = (
  buckets: Readonly<Record<string, BucketConfig>>,
  factor: number
): Record<string, BucketConfig> =>
  Object.fromEntries(
    Object.entries(buckets).map(([name, config]) => [name, {
      windows: config.windows.map((w) => ({ limit: w.limit, window: Duration.millis(Duration.toMillis(w.window) * factor) })),
      ...(config.penalty === undefined ? {} : { penalty: Duration.millis(Duration.toMillis(config.penalty) * factor) })
    }])
  )
