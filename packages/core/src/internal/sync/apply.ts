/**
 * Applying a plan: per person, the state-only steps (forget, link, adopt), then
 * the remote writes in order, the state updated after each; an action the
 * remote side rejects is a failure that does not stop the run. Then the summary.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as ContactPoint from "../../ContactPoint.js"
import type { PeopleError } from "../../PeopleError.js"
import type * as Sync from "../../Sync.js"
import * as SyncState from "../../SyncState.js"
import type { Env } from "./env.js"

/** Errors that reject one action without stopping the run. */
const isActionError = (error: PeopleError) =>
  error._tag === "InvalidRequest" || error._tag === "NotFound" || error._tag === "Conflict" || error._tag === "Forbidden"

const record = (env: Env, personId: string, sourceId: string, contactId: string, point: ContactPoint.ContactPoint) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    env.state.recordWrite(
      new SyncState.Written(
        {
          personId,
          contactId,
          sourceId,
          kind: point.kind,
          normalized: point.normalized ?? point.value,
          label: point.label,
          hash: SyncState.hash({ kind: point.kind, normalized: point.normalized ?? point.value, label: point.label }),
          writtenAt: now
        },
        true
      )
    )
  )

const write = (env: Env, action: Sync.Action): Effect.Effect<void, Sync.SyncError> => {
  switch (action._tag) {
    case "Create":
      return env.meter.counted("contacts", env.options.contacts.create(action.personId, action.point, { integration: true })).pipe(
        Effect.flatMap((contact) => record(env, action.personId, action.sourceId, contact.id, action.point))
      )
    case "Update":
      return env.meter.counted("contacts", env.options.contacts.update(action.personId, action.contactId, { point: action.point })).pipe(
        Effect.flatMap(() => record(env, action.personId, action.sourceId, action.contactId, action.point))
      )
    case "Delete":
      return env.meter.counted("contacts", env.options.contacts.delete(action.personId, action.contactId)).pipe(
        Effect.catchTag("NotFound", () => Effect.void),
        Effect.zipRight(env.state.forgetWrite(action.personId, action.contactId))
      )
  }
}

/**
 * What applying a plan did so far.
 *
 * @internal
 */
export interface Tally {
  created: number
  updated: number
  deleted: number
  adopted: number
  forgotten: number
  failures: Array<Sync.Failure>
}

const applyPerson = (env: Env, plan: Sync.PersonPlan, tally: Tally) =>
  Effect.gen(function*() {
    for (const f of plan.forget) {
      yield* env.state.forgetWrite(f.personId, f.contactId)
      tally.forgotten++
    }
    if (plan.link && plan.personId !== undefined) yield* env.state.setXref(plan.sourceId, plan.personId)
    for (const a of plan.adopt) {
      yield* record(env, a.personId, a.sourceId, a.contactId, a.point)
      tally.adopted++
    }
    let failed = false
    for (const action of plan.actions) {
      const result = yield* Effect.either(write(env, action))
      if (result._tag === "Left") {
        const error = result.left
        if (error._tag === "SyncStateError" || !isActionError(error)) return yield* error
        failed = true
        tally.failures.push({ action, error })
        yield* env.meter.tick((c) => c.failures++)
        continue
      }
      if (action._tag === "Create") tally.created++
      else if (action._tag === "Update") tally.updated++
      else tally.deleted++
      yield* env.meter.tick((c) => c.writes++)
    }
    if (plan.unlink && !failed) yield* env.state.deleteXref(plan.sourceId)
    if (plan.fingerprint !== undefined && !plan.unlink && !failed) yield* env.state.setFingerprint(plan.sourceId, plan.fingerprint)
    yield* env.meter.bump((c) => c.peopleApplied++)
  })

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
    return {
      mode: plan.mode,
      dryRun,
      unchanged: plan.unchanged,
      peopleRead: plan.peopleRead,
      matched: plan.matched,
      unmatched: plan.unmatched,
      removed: plan.people.filter((x) => x.removed).length,
      created: tally.created,
      updated: tally.updated,
      deleted: tally.deleted,
      adopted: tally.adopted,
      forgotten: tally.forgotten,
      skipped: plan.people.reduce((n, x) => n + x.skipped.length, 0),
      failures: tally.failures,
      calls: { ...p.calls },
      retries: p.retries,
      rateLimitWaits: p.rateLimitWaits,
      durationMillis: now - started
    } satisfies Sync.Summary
  })

/** @internal */
export const newTally = (): Tally => ({ created: 0, updated: 0, deleted: 0, adopted: 0, forgotten: 0, failures: [] })

/**
 * Makes exactly the writes of a plan, updating the state after each; a full
 * plan applied without failures stores the directory version.
 *
 * @internal
 */
export const applyWith = (env: Env, plan: Sync.Plan, started: number): Effect.Effect<Sync.Summary, Sync.SyncError> =>
  Effect.gen(function*() {
    yield* env.meter.phase("applying")
    const tally = newTally()
    yield* Effect.forEach(plan.people, (person) => applyPerson(env, person, tally), { concurrency: env.concurrency, discard: true })
    if (plan.mode === "full" && tally.failures.length === 0) {
      const stored = yield* env.state.version
      if (Option.getOrUndefined(stored) !== plan.version) yield* env.state.setVersion(plan.version)
    }
    return yield* summarize(env, plan, tally, false, started)
  })

