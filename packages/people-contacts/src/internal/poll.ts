/**
 * Polling an asynchronous job of the bulk APIs (an import or an export) on a
 * `Schedule`: the first poll at once, then after about 1 s, doubling up to
 * 30 s (the vendor's SDK polls every 30 s), all of it bounded by a total. A
 * poll that fails transiently (after the client's own retries) counts as "not
 * yet" and is tried again on the same schedule: the job's token is never lost
 * to a dropped connection. A poll refused for good fails at once.
 *
 * @internal
 */
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schedule from "effect/Schedule"
import { module } from "../PeopleContactsClient.js"

/**
 * How a job is awaited.
 *
 * @internal
 */
export interface PollOptions {
  /** The wait before the second poll (default 1 s); each next wait doubles. */
  readonly interval?: Duration.DurationInput | undefined
  /** The longest wait between two polls (default 30 s). */
  readonly cap?: Duration.DurationInput | undefined
  /** How long to poll in all before giving up (default 30 minutes); the job itself goes on. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** @internal */
export const defaults = {
  interval: Duration.seconds(1),
  cap: Duration.seconds(30),
  timeout: Duration.minutes(30)
} as const

/**
 * The schedule between polls: exponential from `interval`, capped at `cap`,
 * for at most `timeout` in all.
 *
 * @internal
 */
export const schedule = (options: PollOptions = {}): Schedule.Schedule<Duration.Duration> => {
  const cap = Duration.decode(options.cap ?? defaults.cap)
  return Schedule.exponential(options.interval ?? defaults.interval, 2).pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, cap)),
    Schedule.upTo(options.timeout ?? defaults.timeout)
  )
}

/**
 * Polls `read` until `finished` says the job is over; answers its last state.
 * Gives up after the schedule's total with a retryable `Unavailable` naming
 * the job (its token is in `what`), so the caller may poll the same job later.
 *
 * @internal
 */
export const until = <A>(
  what: string,
  method: string,
  read: Effect.Effect<A, PeopleError.PeopleError>,
  finished: (state: A) => boolean,
  describe: (state: A) => string,
  options: PollOptions = {}
): Effect.Effect<A, PeopleError.PeopleError> =>
  Effect.gen(function*() {
    const driver = yield* Schedule.driver(schedule(options))
    const timeout = Duration.format(Duration.decode(options.timeout ?? defaults.timeout))
    while (true) {
      const polled = yield* Effect.either(read)
      if (Either.isRight(polled) && finished(polled.right)) return polled.right
      if (Either.isLeft(polled)) {
        if (!polled.left.isRetryable) return yield* polled.left
        yield* Effect.logDebug("polling failed, trying again").pipe(
          Effect.annotateLogs({ module, method, error: polled.left._tag, reason: polled.left.reason })
        )
      }
      const next = yield* Effect.either(driver.next(undefined))
      if (Either.isLeft(next)) {
        const last = Either.isRight(polled) ? describe(polled.right) : `the last poll failed: ${polled.left.reason}`
        return yield* new PeopleError.Unavailable({
          module,
          method,
          reason: `${what} did not finish within ${timeout} (${last}); it may still finish: poll it again`
        })
      }
    }
  })
