/**
 * A client-side rate limiter keyed by bucket name (a RingCentral throttling group,
 * a People-Contacts token). Each bucket starts from known limits (one or more
 * sliding windows), learns from the server's rate-limit headers, and never lets a
 * request out while a penalty (`Retry-After`) is running.
 *
 * A request sent through {@link Service.send} is counted in its windows from
 * the moment its answer arrived, not from the moment it was let out: the
 * server counted it at some point in between, so a window that starts at the
 * answer can only be later than the server's. However late the event loop
 * sends a request (a loaded machine), the next request that depends on its
 * window slot leaves a full window after the server saw it; while a request
 * is in flight its slot is held.
 *
 * Time comes from the Effect `Clock`, so `TestClock` drives it in tests.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as FiberId from "effect/FiberId"
import * as Deferred from "effect/Deferred"
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
  /** Waits until one more request may be sent in `bucket`, then counts it as sent now. */
  readonly acquire: (bucket: string) => Effect.Effect<void>
  /**
   * Waits until one more request may be sent in `bucket`, runs `request`, and
   * counts it as sent when `request` ended (its answer arrived, it failed or it
   * was interrupted): the latest moment the server may have counted it. Until
   * then it holds its slot in every window.
   */
  readonly send: <A, E, R>(bucket: string, request: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /**
   * Learns from a response's rate-limit headers: a new limit, a window the
   * configuration did not know, requests another client made (`remaining` lower
   * than the local count: the difference is counted as sent now), or an
   * exhausted quota (`remaining` 0: wait for the reset when the server gave
   * one, else until the oldest send still in the window leaves it).
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

/** One send: when it counts from, or still in flight. */
interface Send {
  at: number
  pending: boolean
}

interface BucketState {
  readonly windows: Array<WindowState>
  readonly penaltyMillis: number
  /** Sends in the order they were let out, kept for the longest window (in-flight ones until they end). */
  sent: Array<Send>
  /** Completed when an in-flight send ends (then replaced). */
  ended: Deferred.Deferred<void>
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
        ended: Deferred.unsafeMake(FiberId.none),
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

    /** The longest span a send counts in: the longest window with its margin. */
    const horizonOf = (state: BucketState) => {
      let horizon = 0
      for (const w of state.windows) horizon = Math.max(horizon, w.windowMillis + margin(w.windowMillis))
      return horizon
    }

    /**
     * Forgets the sends at the front that left every window. Sends are kept in
     * the order they were let out, so the ones that left are mostly at the front;
     * one that left behind an in-flight one stays until that one ended, and
     * counts in no window meanwhile ({@link countInWindow} skips it).
     */
    const prune = (state: BucketState, now: number) => {
      const cutoff = now - horizonOf(state)
      const sent = state.sent
      let drop = 0
      while (drop < sent.length && !sent[drop]!.pending && sent[drop]!.at <= cutoff) drop++
      if (drop > 0) sent.splice(0, drop)
    }

    /** How many sends still count in a window of `span` ending now (in-flight ones always do). */
    const countInWindow = (state: BucketState, now: number, span: number) => {
      const from = now - span
      let count = 0
      for (const s of state.sent) if (s.pending || s.at > from) count++
      return count
    }

    /**
     * Milliseconds until the next request may go out (0 = now), and whether an
     * in-flight send must end first (its slot frees only a window after it ends).
     */
    const waitFor = (state: BucketState, now: number): { readonly millis: number; readonly inFlight: boolean } => {
      let wait = Math.max(0, state.blockedUntil - now)
      let inFlight = false
      for (const w of state.windows) {
        if (w.limit <= 0) {
          wait = Math.max(wait, w.windowMillis)
          continue
        }
        const span = w.windowMillis + margin(w.windowMillis)
        const counted = countInWindow(state, now, span)
        if (counted < w.limit) continue
        // this many sends must leave the window, oldest first
        const leave = counted - w.limit + 1
        const from = now - span
        const ended: Array<number> = []
        for (const s of state.sent) if (!s.pending && s.at > from) ended.push(s.at)
        if (ended.length < leave) inFlight = true
        else {
          ended.sort((a, b) => a - b)
          wait = Math.max(wait, ended[leave - 1]! + span - now)
        }
      }
      return { millis: wait, inFlight }
    }

    /** Waits for a slot in `bucket` and takes it with a new send. */
    const take = (state: BucketState, pending: boolean): Effect.Effect<Send> => {
      // a request waited when it slept for the bucket, or queued behind other
      // requests that held it for a while (scheduling delay alone is not a wait)
      const loop = (start: number, queued: boolean, slept: boolean): Effect.Effect<Send> =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          prune(state, now)
          const ended = state.ended
          const wait = waitFor(state, now)
          if (wait.millis <= 0 && !wait.inFlight) {
            const send: Send = { at: now, pending }
            state.sent.push(send)
            state.requests++
            if (slept || (queued && now > start)) {
              state.waits++
              state.waitedMillis += now - start
            }
            return Effect.succeed(send)
          }
          // an in-flight send must end before its slot can free: wait for it, then look again
          const pause = wait.inFlight ? Deferred.await(ended) : Effect.sleep(Duration.millis(wait.millis))
          return Effect.zipRight(pause, loop(start, queued, true))
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
    }

    /** Ends an in-flight send now and wakes the requests waiting for it. */
    const end = (state: BucketState, send: Send) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          if (!send.pending) return
          send.pending = false
          send.at = now
          const ended = state.ended
          state.ended = Deferred.unsafeMake(FiberId.none)
          Deferred.unsafeDone(ended, Effect.void)
        }))

    const acquire = (bucket: string): Effect.Effect<void> =>
      Effect.suspend(() => {
        const state = stateOf(bucket)
        return state === undefined ? Effect.void : Effect.asVoid(take(state, false))
      })

    const send = <A, E, R>(bucket: string, request: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.suspend(() => {
        const state = stateOf(bucket)
        if (state === undefined) return request
        return Effect.uninterruptibleMask((restore) =>
          Effect.flatMap(restore(take(state, true)), (slot) => Effect.ensuring(restore(request), end(state, slot)))
        )
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
          if (observation.remaining <= 0 && observation.resetAtMillis !== undefined) {
            // a reset time is the server's own: only the fixed part of the margin is
            // added (a share of an hour-long window would be minutes)
            state.blockedUntil = Math.max(state.blockedUntil, observation.resetAtMillis + margin(0))
            return
          }
          // the server counted more requests than we sent (another client shares the
          // quota): add the difference as if sent now. With nothing remaining and no
          // reset time, the window is then full, and the next request waits until
          // the oldest send still in it leaves (not a whole window from now).
          prune(state, now)
          const span = target.windowMillis + margin(target.windowMillis)
          const local = countInWindow(state, now, span)
          const serverUsed = target.limit - Math.max(0, observation.remaining)
          for (let i = local; i < serverUsed; i++) state.sent.push({ at: now, pending: false })
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

    return { acquire, send, observe, penalize, limits, stats }
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
