/**
 * Applying a plan: per person, the state-only steps (forget, link, adopt), then
 * the remote writes in order, the state updated after each (a write and its
 * record are uninterruptible together). A write that fails is a failure of that
 * person and the run goes on, until the credentials are refused or too many
 * writes fail in a row: then it stops writing. Then the summary.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Sync from "../../Sync.js"
import type * as SyncState from "../../SyncState.js"
import type { Env } from "./env.js"
import { beginPerson, counted, failed, finishPerson, hasWork, newTally, type Tally, write } from "./steps.js"
import * as bulk from "./bulk.js"
import * as guard from "./guard.js"

const applyPerson = (env: Env, plan: Sync.PersonPlan, tally: Tally, lease: SyncState.HeldLease | undefined) =>
  Effect.gen(function*() {
    if (!hasWork(plan) || !(yield* beginPerson(env, plan, tally, lease))) return
    let complete = true
    for (const action of plan.actions) {
      if (tally.stopped !== undefined) {
        complete = false
        break
      }
      // a write, its state record and its count are one step: an interruption waits for all three
      const ok = yield* Effect.uninterruptible(
        Effect.either(write(env, action)).pipe(
          Effect.flatMap((result) => {
            if (result._tag === "Left") {
              if (result.left._tag === "SyncStateError") return Effect.fail(result.left)
              return Effect.as(failed(env, tally, action, result.left), false)
            }
            return Effect.as(counted(env, tally, action), true)
          })
        )
      )
      if (!ok) complete = false
    }
    if (!complete) {
      if (tally.stopped !== undefined && plan.actions.length > 0 && !tally.failures.some((f) => f.sourceId === plan.sourceId)) {
        tally.notApplied++
      }
      return
    }
    yield* finishPerson(env, plan)
  })

/** Why a run (or a plan, for a dry run) is not complete. */
const issuesOf = (plan: Sync.Plan, tally: Tally): ReadonlyArray<string> => {
  const issues: Array<string> = []
  for (const check of plan.reads) {
    if (!check.trusted) issues.push(`the ${check.side} read proves nothing: ${check.issues.join("; ")}`)
  }
  const held = plan.people.filter((p) => p.held !== undefined).length
  if (held > 0) issues.push(`${held} removal(s) held back for lack of proof`)
  if (plan.guard.tripped) issues.push(`the delete guard refuses this plan (${plan.guard.deletes} deletions, limit ${plan.guard.limit})`)
  if (tally.failures.length > 0) {
    const people = new Set(tally.failures.map((f) => f.sourceId)).size
    issues.push(`${tally.failures.length} failure(s) on ${people} people`)
  }
  issues.push(...tally.notes)
  if (tally.stopped !== undefined) issues.push(tally.stopped)
  return issues
}

/**
 * Ends a run: progress `done` with the retries and rate-limit waits of the run,
 * and the summary of what applying `plan` did.
 *
 * @internal
 */
export const summarize = (env: Env, plan: Sync.Plan, tally: Tally, dryRun: boolean, started: number) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const stats = yield* env.meter.policyStats
    yield* env.meter.bump((c) => {
      c.phase = "done"
      c.retries = stats.retries - env.meter.baseline().retries
      c.rateLimitWaits = stats.waits - env.meter.baseline().waits
    })
    const p = env.meter.counters()
    const issues = issuesOf(plan, tally)
    return {
      mode: plan.mode,
      dryRun,
      unchanged: plan.unchanged,
      peopleRead: plan.peopleRead,
      matched: plan.matched,
      unmatched: plan.unmatched,
      removed: plan.people.filter((x) => x.removed && x.held === undefined && x.failure === undefined).length,
      created: tally.created,
      updated: tally.updated,
      deleted: tally.deleted,
      adopted: tally.adopted,
      forgotten: tally.forgotten,
      skipped: plan.people.reduce((n, x) => n + x.skipped.length, 0),
      held: plan.people.filter((x) => x.held !== undefined).length,
      notApplied: tally.notApplied,
      status: tally.stopped !== undefined ? "stopped" : issues.length > 0 ? "partial" : "complete",
      issues,
      failures: tally.failures,
      calls: { ...p.calls },
      retries: p.retries,
      rateLimitWaits: p.rateLimitWaits,
      durationMillis: now - started
    } satisfies Sync.Summary
  })

/**
 * The failures of a plan's people that could not be planned.
 *
 * @internal
 */
export const planFailures = (plan: Sync.Plan): Array<Sync.Failure> =>
  plan.people.flatMap((p) =>
    p.failure === undefined
      ? []
      : [{ sourceId: p.sourceId, ...(p.personId === undefined ? {} : { personId: p.personId }), error: p.failure }]
  )

/**
 * Makes exactly the writes of a plan, updating the state after each. A plan
 * the delete guard refuses is not applied. A full plan whose reads were trusted
 * stores the size of each read; one applied completely also stores the
 * directory version.
 *
 * @internal
 */
export const applyWith = (
  env: Env,
  plan: Sync.Plan,
  started: number,
  lease: SyncState.HeldLease | undefined
): Effect.Effect<Sync.Summary, Sync.SyncError> =>
  Effect.gen(function*() {
    if (plan.guard.tripped) return yield* guard.refusal(plan)
    yield* env.meter.phase("applying")
    const tally = newTally()
    tally.failures.push(...planFailures(plan))
    // the people an import writes, then everyone else one by one
    const imported = yield* bulk.applyByImport(env, plan, tally, lease)
    yield* Effect.forEach(plan.people.filter((p) => !imported.has(p)), (person) => applyPerson(env, person, tally, lease), {
      concurrency: env.concurrency,
      discard: true
    })
    if (plan.mode === "full" && !plan.unchanged) {
      for (const check of plan.reads) if (check.trusted) yield* env.state.setLastCount(check.side, check.records)
    }
    const summary = yield* summarize(env, plan, tally, false, started)
    if (plan.mode === "full" && summary.status === "complete") {
      const stored = yield* env.state.version
      if (Option.getOrUndefined(stored) !== plan.version) yield* env.state.setVersion(plan.version)
    }
    return summary
  })
