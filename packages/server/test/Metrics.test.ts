import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Metrics from "../src/Metrics.js"

describe("Metrics", () => {
  it.effect("renders the runs, writes, failures and durations of a tenant as Prometheus text", () =>
    Effect.gen(function*() {
      yield* Metrics.recordRun("metrics-t1", "requested", {
        status: "partial",
        created: 3,
        updated: 1,
        deleted: 0,
        failures: 2,
        durationMillis: 1500
      })
      const text = yield* Metrics.render
      expect(text).toContain("# TYPE unified_people_sync_runs_total counter")
      expect(text).toContain(`unified_people_sync_runs_total{tenant="metrics-t1",kind="requested",status="partial"} 1`)
      expect(text).toContain(`unified_people_sync_writes_total{tenant="metrics-t1",op="create"} 3`)
      expect(text).toContain(`unified_people_sync_writes_total{tenant="metrics-t1",op="update"} 1`)
      expect(text).toContain(`unified_people_sync_failures_total{tenant="metrics-t1"} 2`)
      expect(text).toContain("# TYPE unified_people_sync_duration_seconds histogram")
      expect(text).toMatch(/unified_people_sync_duration_seconds_bucket\{tenant="metrics-t1",le="1\.6"\} 1/)
      expect(text).toContain(`unified_people_sync_duration_seconds_count{tenant="metrics-t1"} 1`)
      // every sample line is `name{labels} value`
      for (const line of text.trim().split("\n").filter((l) => !l.startsWith("#"))) {
        expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfNa]+$/)
      }
    }))
})
