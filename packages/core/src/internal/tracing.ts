/**
 * Spans only where someone reads them. Effect's default tracer builds a span
 * for every traced operation and hands it to nobody, yet each one costs its
 * allocation, its attributes and, for an HTTP request, its propagation
 * headers: on a sync that is a good part of each request's and each SQL
 * statement's CPU time.
 * With a tracer provided (OpenTelemetry, …) everything is traced as before.
 *
 * @internal
 */
import * as Effect from "effect/Effect"

/** The tracer of a runtime given none. */
const defaultTracer = Effect.runSync(Effect.tracer)

/**
 * Runs `effect` with tracing off when the tracer is Effect's default (its
 * spans go nowhere), unchanged otherwise.
 *
 * @internal
 */
export const untracedByDefault = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.tracerWith((tracer) => tracer === defaultTracer ? Effect.withTracerEnabled(effect, false) : effect)
