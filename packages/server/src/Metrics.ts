/**
 * The service's metrics, as Effect `Metric`s labelled by tenant, and the
 * Prometheus text exposition of every metric of the process ({@link render}:
 * these, and the cluster's own `effect_cluster_*` when a runner is running).
 *
 * | metric | type | labels | what |
 * |---|---|---|---|
 * | `unified_people_sync_runs_total` | counter | tenant, kind, status | syncs run (`kind`: `scheduled`, `startup`, `requested`, `events`, and in a cluster `plan` (a refused plan) and `chunk` (a workflow step); `status`: `complete`, `partial`, `stopped`, `failed`) |
 * | `unified_people_sync_writes_total` | counter | tenant, op | contacts created, updated, deleted |
 * | `unified_people_sync_failures_total` | counter | tenant | people whose plan or write failed, and runs that failed |
 * | `unified_people_http_429_total` | counter | tenant, side | `429` answers received from RingCentral or the People system |
 * | `unified_people_events_received_total` | counter | tenant | directory events accepted by the webhook and handed over |
 * | `unified_people_events_applied_total` | counter | tenant | directory events applied |
 * | `unified_people_event_lag_seconds` | gauge | tenant | the age of the last applied event when it was applied |
 * | `unified_people_last_sync_timestamp_seconds` | gauge | tenant | the end of the last complete sync (Unix time) |
 * | `unified_people_sync_duration_seconds` | histogram | tenant | how long syncs took |
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricState from "effect/MetricState"
import * as Option from "effect/Option"

/**
 * @since 0.1.0
 * @category metrics
 */
export const syncRuns = Metric.counter("unified_people_sync_runs_total", { description: "Sync runs by kind and outcome." })

/**
 * @since 0.1.0
 * @category metrics
 */
export const writes = Metric.counter("unified_people_sync_writes_total", { description: "Contacts written (created, updated, deleted)." })

/**
 * @since 0.1.0
 * @category metrics
 */
export const failures = Metric.counter("unified_people_sync_failures_total", {
  description: "People whose plan or write failed, and runs that failed."
})

/**
 * @since 0.1.0
 * @category metrics
 */
export const rateLimited = Metric.counter("unified_people_http_429_total", { description: "429 answers received, by side." })

/**
 * @since 0.1.0
 * @category metrics
 */
export const eventsReceived = Metric.counter("unified_people_events_received_total", {
  description: "Directory events accepted by the webhook and handed over."
})

/**
 * @since 0.1.0
 * @category metrics
 */
export const eventsApplied = Metric.counter("unified_people_events_applied_total", { description: "Directory events applied." })

/**
 * @since 0.1.0
 * @category metrics
 */
export const eventLag = Metric.gauge("unified_people_event_lag_seconds", {
  description: "Age of the last applied directory event when it was applied."
})

/**
 * @since 0.1.0
 * @category metrics
 */
export const lastSync = Metric.gauge("unified_people_last_sync_timestamp_seconds", {
  description: "End of the last complete sync, Unix time."
})

/**
 * @since 0.1.0
 * @category metrics
 */
export const syncDuration = Metric.histogram(
  "unified_people_sync_duration_seconds",
  MetricBoundaries.exponential({ start: 0.05, factor: 2, count: 14 }),
  "Sync run durations."
)

/**
 * The outcome of a run, as the metrics count it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOutcome {
  readonly status: "complete" | "partial" | "stopped" | "failed"
  readonly created: number
  readonly updated: number
  readonly deleted: number
  readonly failures: number
  readonly durationMillis: number
}

/**
 * Records a run of a tenant.
 *
 * @since 0.1.0
 * @category recording
 */
export const recordRun = (tenant: string, kind: string, outcome: RunOutcome): Effect.Effect<void> =>
  Effect.gen(function*() {
    yield* Metric.update(syncRuns.pipe(Metric.tagged("tenant", tenant), Metric.tagged("kind", kind), Metric.tagged("status", outcome.status)), 1)
    const w = writes.pipe(Metric.tagged("tenant", tenant))
    if (outcome.created > 0) yield* Metric.update(Metric.tagged(w, "op", "create"), outcome.created)
    if (outcome.updated > 0) yield* Metric.update(Metric.tagged(w, "op", "update"), outcome.updated)
    if (outcome.deleted > 0) yield* Metric.update(Metric.tagged(w, "op", "delete"), outcome.deleted)
    const f = outcome.failures + (outcome.status === "failed" ? 1 : 0)
    if (f > 0) yield* Metric.update(Metric.tagged(failures, "tenant", tenant), f)
    yield* Metric.update(Metric.tagged(syncDuration, "tenant", tenant), outcome.durationMillis / 1000)
    if (outcome.status === "complete") yield* Metric.set(Metric.tagged(lastSync, "tenant", tenant), Date.now() / 1000)
  })

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, "\\\"")

const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_:]/g, "_")

const labels = (tags: ReadonlyArray<{ readonly key: string; readonly value: string }>, extra: ReadonlyArray<readonly [string, string]> = []) => {
  const all = [...tags.map((t) => [sanitize(t.key), t.value] as const), ...extra]
  return all.length === 0 ? "" : `{${all.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`
}

const num = (n: number | bigint) => typeof n === "bigint" ? n.toString() : Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN"

/**
 * Every metric of the process in the Prometheus text format (version 0.0.4).
 *
 * @since 0.1.0
 * @category rendering
 */
export const render: Effect.Effect<string> = Effect.sync(() => {
  const families = new Map<string, { type: string; help: string | undefined; lines: Array<string> }>()
  const family = (name: string, type: string, help: Option.Option<string>) => {
    let f = families.get(name)
    if (f === undefined) {
      f = { type, help: Option.getOrUndefined(help), lines: [] }
      families.set(name, f)
    }
    return f
  }
  for (const pair of Metric.unsafeSnapshot()) {
    const key = pair.metricKey
    const name = sanitize(key.name)
    const state = pair.metricState
    if (MetricState.isCounterState(state)) {
      family(name, "counter", key.description).lines.push(`${name}${labels(key.tags)} ${num(state.count)}`)
    } else if (MetricState.isGaugeState(state)) {
      family(name, "gauge", key.description).lines.push(`${name}${labels(key.tags)} ${num(state.value)}`)
    } else if (MetricState.isHistogramState(state)) {
      const f = family(name, "histogram", key.description)
      for (const [bound, count] of state.buckets) {
        f.lines.push(`${name}_bucket${labels(key.tags, [["le", num(bound)]])} ${count}`)
      }
      f.lines.push(`${name}_bucket${labels(key.tags, [["le", "+Inf"]])} ${state.count}`)
      f.lines.push(`${name}_sum${labels(key.tags)} ${num(state.sum)}`)
      f.lines.push(`${name}_count${labels(key.tags)} ${state.count}`)
    } else if (MetricState.isFrequencyState(state)) {
      const f = family(name, "counter", key.description)
      for (const [value, count] of state.occurrences) f.lines.push(`${name}${labels(key.tags, [["key", value]])} ${count}`)
    } else if (MetricState.isSummaryState(state)) {
      const f = family(name, "summary", key.description)
      for (const [q, value] of state.quantiles) {
        if (Option.isSome(value)) f.lines.push(`${name}${labels(key.tags, [["quantile", String(q)]])} ${num(value.value)}`)
      }
      f.lines.push(`${name}_sum${labels(key.tags)} ${num(state.sum)}`)
      f.lines.push(`${name}_count${labels(key.tags)} ${state.count}`)
    }
  }
  const out: Array<string> = []
  for (const [name, f] of [...families].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (f.help !== undefined) out.push(`# HELP ${name} ${f.help.replace(/\n/g, " ")}`)
    out.push(`# TYPE ${name} ${f.type}`)
    out.push(...f.lines.sort())
  }
  return out.join("\n") + "\n"
})
