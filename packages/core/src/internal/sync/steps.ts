/**
 * The steps of applying one person, shared by the write-by-write path and the
 * bulk import: recording what the job wrote, a failed write, the state-only
 * steps before the writes and the ones after, and the run's tally.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as ContactPoint from "../../ContactPoint.js"
import type { PeopleError } from "../../PeopleError.js"
import type * as Sync from "../../Sync.js"
import * as SyncState from "../../SyncState.js"
import type { Env } from "./env.js"

/** Records a contact the job wrote. @internal */
export const record = (env: Env, personId: string, sourceId: string, contactId: string, point: ContactPoint.ContactPoint) =>
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

/** Makes one write of a plan and records it. @internal */
export const write = (env: Env, action: Sync.Action): Effect.Effect<void, PeopleError | SyncState.SyncStateError> => {
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
  /** People not applied because the run stopped. */
  notApplied: number
  /** Why the run stopped writing, once it did. */
  stopped: string | undefined
  /** Failed writes since the last successful one. */
  consecutiveFailures: number
  /** Further reasons the run is not complete (an import that did more or less than planned). */
  notes: Array<string>
}

/** @internal */
export const newTally = (): Tally => ({
  created: 0,
  updated: 0,
  deleted: 0,
  adopted: 0,
  forgotten: 0,
  failures: [],
  notApplied: 0,
  stopped: undefined,
  consecutiveFailures: 0,
  notes: []
})

/** Records a failed write of a person. @internal */
export const failed = (env: Env, tally: Tally, action: Sync.Action, error: PeopleError) =>
  Effect.gen(function*() {
    tally.failures.push({ sourceId: action.sourceId, personId: action.personId, action, error })
    tally.consecutiveFailures++
    yield* env.meter.tick((c) => c.failures++)
    const limit = env.options.stopAfterFailures ?? 10
    if (tally.stopped !== undefined) return
    if (error._tag === "Unauthorized") {
      tally.stopped = `stopped writing: the credentials were refused (${error.message})`
    } else if (tally.consecutiveFailures >= limit) {
      tally.stopped = `stopped writing after ${tally.consecutiveFailures} failures in a row (last: ${error.message})`
    }
  })

/** Whether a person's plan has anything to apply (writes or state steps). */
export const hasWork = (plan: Sync.PersonPlan) =>
  plan.failure === undefined && plan.held === undefined &&
  (plan.actions.length > 0 || plan.adopt.length > 0 || plan.forget.length > 0 || plan.link || plan.unlink || plan.fingerprint !== undefined)

/**
 * Starts applying a person: `false` when the run stopped writing (the person
 * is counted as not applied); otherwise the state-only steps (forget, link,
 * adopt) are made.
 *
 * @internal
 */
export const beginPerson = (env: Env, plan: Sync.PersonPlan, tally: Tally, lease: SyncState.HeldLease | undefined) =>
  Effect.gen(function*() {
    if (tally.stopped === undefined && lease !== undefined && (yield* lease.lost)) {
      tally.stopped = "stopped writing: another run took over the state's lease (this run stalled past its expiry)"
    }
    if (tally.stopped !== undefined) {
      tally.notApplied++
      return false
    }
    for (const f of plan.forget) {
      yield* env.state.forgetWrite(f.personId, f.contactId)
      tally.forgotten++
    }
    if (plan.link && plan.personId !== undefined) yield* env.state.setXref(plan.sourceId, plan.personId)
    for (const a of plan.adopt) {
      yield* record(env, a.personId, a.sourceId, a.contactId, a.point)
      tally.adopted++
    }
    return true
  })

/**
 * Ends a person whose writes all succeeded: the link dropped or the
 * fingerprint stored, the person counted as applied.
 *
 * @internal
 */
export const finishPerson = (env: Env, plan: Sync.PersonPlan) =>
  Effect.gen(function*() {
    if (plan.unlink) yield* env.state.deleteXref(plan.sourceId)
    if (plan.fingerprint !== undefined && !plan.unlink) yield* env.state.setFingerprint(plan.sourceId, plan.fingerprint)
    yield* env.meter.bump((c) => c.peopleApplied++)
  })

/** Counts a write made (for a bulk import too). @internal */
export const counted = (env: Env, tally: Tally, action: Sync.Action) =>
  Effect.suspend(() => {
    tally.consecutiveFailures = 0
    if (action._tag === "Create") tally.created++
    else if (action._tag === "Update") tally.updated++
    else tally.deleted++
    return env.meter.bump((c) => c.writes++)
  })

