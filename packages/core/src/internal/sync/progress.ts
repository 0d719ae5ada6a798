/**
 * Progress counters of a sync job: plain numbers bumped in place, published to
 * the job's `SubscriptionRef` (and `onProgress`) at each person planned or
 * applied and at each phase change; calls counted per port; retries and
 * rate-limit waits read from the adapters' HTTP policy stats.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type * as Sync from "../../Sync.js"

/** @internal */
export const initialProgress: Sync.Progress = {
  phase: "idle",
  peopleRead: 0,
  peoplePlanned: 0,
  peopleApplied: 0,
  matched: 0,
  unmatched: 0,
  actionsPlanned: 0,
  writes: 0,
  failures: 0,
  calls: { source: 0, target: 0, contacts: 0 },
  retries: 0,
  rateLimitWaits: 0
}

/** @internal */
export type Counters = { -readonly [K in keyof Sync.Progress]: Sync.Progress[K] } & {
  calls: { source: number; target: number; contacts: number }
}

/** @internal */
export type Port = keyof Sync.Progress["calls"]

/** @internal */
export interface PolicyStats {
  readonly retries: number
  readonly waits: number
}

/** @internal */
export interface Meter {
  /** The counters of the current run (replaced by `start`). */
  readonly counters: () => Counters
  /** The policy stats when the current run started. */
  readonly baseline: () => PolicyStats
  readonly publish: Effect.Effect<void>
  /** Changes the counters without publishing. */
  readonly tick: (f: (c: Counters) => void) => Effect.Effect<void>
  /** Changes the counters and publishes them. */
  readonly bump: (f: (c: Counters) => void) => Effect.Effect<void>
  readonly counted: <A, E, R>(port: Port, effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly countedStream: <A, E, R>(port: Port, stream: Stream.Stream<A, E, R>) => Stream.Stream<A, E, R>
  /** Retries and rate-limit waits of the adapters' HTTP policies so far. */
  readonly policyStats: Effect.Effect<PolicyStats>
  /** Starts a run: fresh counters in `phase`, a new baseline, published. */
  readonly start: (phase: Sync.Progress["phase"]) => Effect.Effect<void>
  readonly phase: (phase: Sync.Progress["phase"]) => Effect.Effect<void>
}

/** @internal */
export const makeMeter = (
  progress: SubscriptionRef.SubscriptionRef<Sync.Progress>,
  options: Sync.Options
): Effect.Effect<Meter> =>
  Effect.gen(function*() {
    const fresh = (phase: Sync.Progress["phase"]): Counters => ({ ...initialProgress, phase, calls: { ...initialProgress.calls } })
    let counters = fresh("idle")
    const publish = Effect.suspend(() => {
      const snapshot: Sync.Progress = { ...counters, calls: { ...counters.calls } }
      return SubscriptionRef.set(progress, snapshot).pipe(
        Effect.zipRight(options.onProgress === undefined ? Effect.void : options.onProgress(snapshot))
      )
    })
    const tick = (f: (c: Counters) => void) => Effect.sync(() => f(counters))
    const bump = (f: (c: Counters) => void) => Effect.zipRight(tick(f), publish)
    const count = (port: Port) => tick((c) => c.calls[port]++)
    const counted = <A, E, R>(port: Port, effect: Effect.Effect<A, E, R>) => Effect.zipRight(count(port), effect)
    const countedStream = <A, E, R>(port: Port, stream: Stream.Stream<A, E, R>) => Stream.unwrap(Effect.as(count(port), stream))
    const policyStats = Effect.gen(function*() {
      let retries = 0
      let waits = 0
      for (const stats of options.stats ?? []) {
        const s = yield* stats
        retries += s.retries
        waits += s.limiter.waits
      }
      return { retries, waits }
    })
    let baseline = yield* policyStats
    const start = (phase: Sync.Progress["phase"]) =>
      Effect.flatMap(policyStats, (stats) => {
        baseline = stats
        counters = fresh(phase)
        return publish
      })
    const phase = (phase: Sync.Progress["phase"]) => bump((c) => void (c.phase = phase))
    return {
      counters: () => counters,
      baseline: () => baseline,
      publish,
      tick,
      bump,
      counted,
      countedStream,
      policyStats,
      start,
      phase
    }
  })
