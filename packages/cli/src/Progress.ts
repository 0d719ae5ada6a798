/**
 * The progress display of a sync run: people processed, calls per side,
 * writes, retries and rate-limit waits. On a terminal it redraws one line on
 * stderr; otherwise it prints a plain line when the phase changes and at most
 * once per interval while counters move.
 *
 * @since 0.1.0
 */
import type * as Sync from "@unified-people/core/Sync"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type * as Scope from "effect/Scope"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { Output } from "./Output.js"

/**
 * One line describing a progress state.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (p: Sync.Progress): string =>
  `[${p.phase}] people: ${p.peopleRead} read, ${p.peoplePlanned} planned, ${p.peopleApplied} applied ` +
  `(${p.matched} matched, ${p.unmatched} unmatched) · calls: directory ${p.calls.source}, people ${p.calls.target}, ` +
  `contacts ${p.calls.contacts} · writes ${p.writes}/${p.actionsPlanned} · failures ${p.failures} · ` +
  `retries ${p.retries} · rate-limit waits ${p.rateLimitWaits}`

/**
 * Options of {@link track}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How often the display refreshes (default 200 ms on a terminal, 1 s otherwise). */
  readonly interval?: Duration.DurationInput
}

/**
 * Shows the progress of a run for the lifetime of the scope; when the scope
 * closes the final state is printed once more (and the terminal line ended).
 *
 * @since 0.1.0
 * @category constructors
 */
export const track = (
  progress: SubscriptionRef.SubscriptionRef<Sync.Progress>,
  options: Options = {}
): Effect.Effect<void, never, Output | Scope.Scope> =>
  Effect.gen(function*() {
    const output = yield* Output
    const interval = options.interval ?? (output.interactive ? Duration.millis(200) : Duration.seconds(1))
    const intervalMillis = Duration.toMillis(interval)
    let last = ""
    let lastPhase = ""
    let lastShown = 0
    const show = (p: Sync.Progress, now: number, final: boolean) => {
      const text = format(p)
      if (text === last) return output.interactive && final ? output.stderr("\n") : Effect.void
      last = text
      lastPhase = p.phase
      lastShown = now
      return output.interactive ? output.stderr(`\r\x1b[2K${text}${final ? "\n" : ""}`) : output.stderr(`${text}\n`)
    }
    const tick = (final: boolean) =>
      Effect.gen(function*() {
        const p = yield* SubscriptionRef.get(progress)
        const now = Date.now()
        if (final || p.phase !== lastPhase || now - lastShown >= intervalMillis) yield* show(p, now, final)
      })
    const ticker = yield* Effect.forkScoped(Effect.forever(Effect.zipRight(tick(false), Effect.sleep(Duration.millis(50)))))
    yield* Effect.addFinalizer(() => Effect.zipRight(Fiber.interrupt(ticker), tick(true)))
  })
