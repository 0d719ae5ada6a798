/**
 * The directory → contact-book sync job, written on the core ports only.
 *
 * For each person of a source directory (RingCentral) matched to a person of a
 * target directory (the People system) — by normalized e-mail first, then by
 * employee number, then by the cross-reference kept from an earlier run — the
 * contact points the source implies (work e-mail, direct and mobile numbers, fax:
 * the labels the target's label projection can hold) become `integration: true`
 * contacts of the target person.
 *
 * - **Plan, then apply.** {@link Sync.plan} only reads and returns a {@link Plan}
 *   (create / update / delete per contact, each with its reason) that
 *   {@link formatPlan} prints as a dry run; {@link Sync.apply} makes exactly the
 *   calls of the plan.
 * - **Owns only what it wrote.** A contact is the job's when the state store
 *   records it as written by the job and the contact book does not say
 *   `integration: false`. Every other contact is never changed or deleted; when
 *   one already holds a desired value, no duplicate is created.
 * - **Incremental.** The state store keeps the directory version: an unchanged
 *   directory (`NotModified`) costs one directory call and no calls to the target.
 *   In a changed directory, a person whose projection is the one the job last
 *   synced (same target, same desired contacts: a fingerprint in the state) is
 *   skipped without reading its contacts; `verify: true` compares everyone.
 *   {@link Sync.syncPeople} and {@link Sync.applyEvents} re-sync just the people
 *   named (webhook events), reading their current state, so repeated and
 *   out-of-order deliveries converge.
 * - **Resumable.** The state is updated after every successful write. A create
 *   whose answer was lost is found on the next run (same value, `integration:
 *   true`) and adopted instead of created again.
 *
 * Safety (what the job never does):
 * - **Deletes need proof.** Contacts are deleted because a person left the
 *   directory only after a read of the whole directory that is complete (its
 *   pages agree: see `PeopleDirectory.Completeness`) and plausible (not far
 *   smaller than the last complete read, {@link Options.minReadRatio}), and only
 *   once the person's absence is confirmed by a direct read (`NotFound`) or, in
 *   a partial run, by a delete event. The same holds for the target's people: an
 *   incomplete read of them never makes anyone "unmatched". Whatever is in doubt
 *   is held back ({@link PersonPlan.held}) and the directory version is not
 *   stored, so the next run looks again.
 * - **A delete guard.** A run that would delete more contacts, or unmatch more
 *   people, than {@link Options.maxDeletes} / {@link Options.maxDeleteRatio}
 *   allow (default: 10% of what the job owns, at least 10) writes nothing and
 *   fails with {@link MassDeleteRefused}, listing what it would delete, unless
 *   {@link Options.allowMassDelete}.
 * - **One run per state.** Every run that writes takes the state store's lease
 *   (`SyncState.lease`); a second one fails at once with `StateBusy`.
 * - **Partial runs are visible.** A failure for one person (planning or
 *   writing) is recorded with the person and the reason, and the others go on;
 *   after {@link Options.stopAfterFailures} consecutive failures, or when the
 *   credentials are refused, the run stops writing. The summary's `status`
 *   says `complete`, `partial` or `stopped`, with the reasons. Each write and
 *   its state record are uninterruptible: an interrupted run stops between
 *   writes, and the next one continues where it stopped.
 *
 * Matching: a full run reads the target directory once into an index
 * (`match: "index"`, the default: one streamed read instead of one search per
 * person); `match: "search"` searches per person instead (small sources). Partial
 * syncs always search. A target person is given to one source person only: the
 * one already linked to it, else the first in directory order.
 *
 * ```ts
 * import { Sync } from "@unified-people/core"
 * import * as SqlState from "@unified-people/core/SyncState/Sql"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* Sync.make({ source, target, contacts, concurrency: 4 })
 *   const plan = yield* job.plan
 *   console.log(Sync.formatPlan(plan)) // the dry run
 *   const summary = yield* job.apply(plan)
 *   console.log(Sync.formatSummary(summary))
 * }).pipe(Effect.provide(SqlState.layer), Effect.provide(SqliteClient.layer({ filename: "sync-state.db" })))
 * ```
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type * as ContactBook from "./ContactBook.js"
import type * as ContactPoint from "./ContactPoint.js"
import type * as HttpPolicy from "./HttpPolicy.js"
import * as applying from "./internal/sync/apply.js"
import * as steps from "./internal/sync/steps.js"
import type * as errors from "./internal/sync/errors.js"
import type { Env } from "./internal/sync/env.js"
import * as format from "./internal/sync/format.js"
import * as guard from "./internal/sync/guard.js"
import * as planning from "./internal/sync/plan.js"
import * as progressMeter from "./internal/sync/progress.js"
import * as projection from "./internal/sync/project.js"
import * as Tracing from "./internal/tracing.js"
import type * as Label from "./Label.js"
import type * as PeopleDirectory from "./PeopleDirectory.js"
import type { PeopleError } from "./PeopleError.js"
import type { Person } from "./Person.js"
import * as SyncState from "./SyncState.js"

// ---------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------

/**
 * Options of a sync job.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The directory people come from (RingCentral). */
  readonly source: PeopleDirectory.Service
  /** The directory of the people the contacts belong to (the People system). */
  readonly target: PeopleDirectory.Service
  /** The target's contacts. */
  readonly contacts: ContactBook.Service
  /** `run`, `syncPeople` and `applyEvents` plan only: no writes, no state changes. */
  readonly dryRun?: boolean | undefined
  /** People planned and applied at once (default 4). Each person's writes run one after another. */
  readonly concurrency?: number | undefined
  /** Region of phone numbers written without a country code (default `US`). */
  readonly defaultRegion?: string | undefined
  /** Canonical labels projected (default `work`, `mobile`, `fax`). Shared labels (`main`) are never projected. */
  readonly labels?: ReadonlyArray<Label.Label> | undefined
  /** Contact kinds projected (default `email` and `phone`). */
  readonly kinds?: ReadonlyArray<Label.Kind> | undefined
  /**
   * Compare the contacts of every matched person on a full run, even the people
   * whose directory entry projects what the job already synced (default false:
   * those are skipped without reading their contacts). A verifying run repairs
   * changes made outside the job (contacts deleted by hand); run one now and then.
   * Partial runs always compare.
   */
  readonly verify?: boolean | undefined
  /** How a full run finds target people: one streamed index (default) or a search per person. */
  readonly match?: "index" | "search" | undefined
  /**
   * Matches the people no exact key (e-mail, employee number, cross-reference)
   * matched through the identity resolution of `Merge.link` (names, phones,
   * e-mail local parts, department… weighed as evidence): confident matches are
   * used, suggestions are shown and never acted on (default true; full runs
   * with the index only).
   */
  readonly resolve?: boolean | undefined
  /** The adapters' HTTP policy counters, read to report retries and rate-limit waits. */
  readonly stats?: ReadonlyArray<Effect.Effect<HttpPolicy.Stats>> | undefined
  /** Called on every progress change. */
  readonly onProgress?: ((progress: Progress) => Effect.Effect<void>) | undefined
  /**
   * How long processed webhook event ids are remembered to drop repeated
   * deliveries (default 7 days); `applyEvents` forgets older ones.
   */
  readonly eventRetention?: Duration.DurationInput | undefined
  /**
   * The most contacts a run may delete, and the most linked people it may
   * unmatch, before it is refused (default: `maxDeleteRatio` of what the job
   * owns, at least {@link defaultMinimumDeletes}).
   */
  readonly maxDeletes?: number | undefined
  /** The share of the contacts the job owns (and of the linked people) a run may delete (default 0.1). */
  readonly maxDeleteRatio?: number | undefined
  /**
   * Lifts the delete guard and the plausibility check of full reads: for a
   * directory that really lost most of its people. Deletions still need a
   * complete read and a confirmed absence.
   */
  readonly allowMassDelete?: boolean | undefined
  /**
   * A complete full read with fewer records than this share of the last
   * complete read of the same side is implausible: it deletes nothing
   * (default 0.5). An empty read after a non-empty one is always implausible.
   */
  readonly minReadRatio?: number | undefined
  /** Consecutive failed people after which a run stops writing (default 10). */
  readonly stopAfterFailures?: number | undefined
  /** The state lease taken by every run that writes (owner name, time to live). */
  readonly lease?: SyncState.LeaseOptions | undefined
  /**
   * Whether the contact book's batch export and import are used (when it has
   * them, `ContactBook.Service.bulk`): `auto` (default) reads a full run by one
   * export (unless the last complete read of the target had fewer than
   * `bulkReadMinimum` people) and applies by one import when more than
   * `bulkThreshold` people have writes; `always` and `never` say so. People
   * an import cannot write (no primary e-mail, a contact whose owner is
   * unknown, nothing left to keep) are written one by one.
   */
  readonly bulk?: "auto" | "always" | "never" | undefined
  /** In `auto`, the people with writes above which the plan is applied by import (default 20). */
  readonly bulkThreshold?: number | undefined
  /** In `auto`, the target size below which a full run reads people one by one instead of exporting (default 200). */
  readonly bulkReadMinimum?: number | undefined
}

/**
 * The least number of deletions the guard allows by default, however few
 * contacts the job owns.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMinimumDeletes: number = guard.defaultMinimumDeletes

/**
 * Creates a contact.
 *
 * @since 0.1.0
 * @category models
 */
export interface Create {
  readonly _tag: "Create"
  /** Target person (contact-book person id). */
  readonly personId: string
  /** Source person (directory remote id). */
  readonly sourceId: string
  readonly point: ContactPoint.ContactPoint
  readonly reason: string
}

/**
 * Updates a contact the job owns (or adopts).
 *
 * @since 0.1.0
 * @category models
 */
export interface Update {
  readonly _tag: "Update"
  readonly personId: string
  readonly sourceId: string
  readonly contactId: string
  /** The new point. */
  readonly point: ContactPoint.ContactPoint
  /** The contact's point before. */
  readonly previous: ContactPoint.ContactPoint
  readonly reason: string
}

/**
 * Deletes a contact the job owns.
 *
 * @since 0.1.0
 * @category models
 */
export interface Delete {
  readonly _tag: "Delete"
  readonly personId: string
  readonly sourceId: string
  readonly contactId: string
  readonly point: ContactPoint.ContactPoint
  readonly reason: string
}

/**
 * A remote write of a plan.
 *
 * @since 0.1.0
 * @category models
 */
export type Action = Create | Update | Delete

/**
 * A state-only step: an `integration: true` contact already holding a desired
 * value (a create whose answer was lost) becomes the job's without a write.
 *
 * @since 0.1.0
 * @category models
 */
export interface Adopt {
  readonly _tag: "Adopt"
  readonly personId: string
  readonly sourceId: string
  readonly contactId: string
  readonly point: ContactPoint.ContactPoint
  readonly reason: string
}

/**
 * A state-only step: the state forgets a contact (it is gone, or a person took
 * it over with `integration: false`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Forget {
  readonly _tag: "Forget"
  readonly personId: string
  readonly contactId: string
  readonly reason: string
}

/**
 * Something the job did not project or did not touch, and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Skip {
  readonly _tag: "Skip"
  readonly sourceId: string
  readonly personId?: string | undefined
  readonly point?: ContactPoint.ContactPoint | undefined
  readonly reason: string
}

/**
 * How a source person was matched to a target person.
 *
 * @since 0.1.0
 * @category models
 */
export type MatchedBy = "email" | "employeeNumber" | "xref" | "resolution"

/**
 * A possible match the identity resolution found for an unmatched source
 * person, not acted on: shown by the plan, confirmed by linking the two
 * (`SyncState.setXref`, the CLI's `link` command), after which the next run
 * matches them by cross-reference.
 *
 * @since 0.1.0
 * @category models
 */
export interface Suggestion {
  /** The target person suggested. */
  readonly personId: string
  readonly probability: number
  /** The evidence, as the merge states it (`name:exact`, `phone:+1650…`). */
  readonly reasons: ReadonlyArray<string>
  /** Why it was not made a match (`below the match threshold`, `names only`, `ambiguous: …`). */
  readonly why: string
}

/**
 * The plan for one source person.
 *
 * @since 0.1.0
 * @category models
 */
export interface PersonPlan {
  readonly sourceId: string
  /** The source person's display name, when it is still in the directory. */
  readonly name?: string | undefined
  /** The matched target person. */
  readonly personId?: string | undefined
  readonly matchedBy?: MatchedBy | undefined
  /** With `matchedBy: "resolution"`: the evidence of the match. */
  readonly evidence?: ReadonlyArray<string> | undefined
  /** Possible matches of an unmatched person, for review; never acted on. */
  readonly suggestions?: ReadonlyArray<Suggestion> | undefined
  /** The source person is gone from the directory. */
  readonly removed: boolean
  /** Store the cross-reference `sourceId → personId` (new or changed). */
  readonly link: boolean
  /** Delete the cross-reference once the actions succeeded. */
  readonly unlink: boolean
  /** Store this fingerprint of what was synced once the actions succeeded. */
  readonly fingerprint?: string | undefined
  /** Remote writes, in the order they are made: deletes, updates, creates. */
  readonly actions: ReadonlyArray<Action>
  readonly adopt: ReadonlyArray<Adopt>
  readonly forget: ReadonlyArray<Forget>
  readonly skipped: ReadonlyArray<Skip>
  /**
   * Why a removal (or a clean-up of an unmatched person) is held back instead
   * of planned: the evidence was not enough to delete anything.
   */
  readonly held?: string | undefined
  /** The person could not be planned (a read failed); nothing is written for them this run. */
  readonly failure?: PeopleError | undefined
  /** The target person's contacts as the plan read them (what a bulk import starts from). */
  readonly current?: ReadonlyArray<ContactBook.Contact> | undefined
  /** The target person's primary e-mail, by which an import addresses them. */
  readonly primaryEmail?: string | undefined
}

/**
 * What a full read of one side proved.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadCheck {
  readonly side: SyncState.Side
  /** Complete and plausible: someone absent from it is gone (once confirmed). */
  readonly trusted: boolean
  /** Records read. */
  readonly records: number
  /** Records of the last complete read of this side, when there was one. */
  readonly previous?: number | undefined
  /** Why it is not trusted. */
  readonly issues: ReadonlyArray<string>
  /** Records that could not be read (skipped). */
  readonly unreadable: ReadonlyArray<PeopleDirectory.Unreadable>
}

/**
 * The delete guard's verdict on a plan.
 *
 * @since 0.1.0
 * @category models
 */
export interface Guard {
  /** Contacts the plan deletes. */
  readonly deletes: number
  /** The most deletions allowed. */
  readonly limit: number
  /** Contacts the job owns. */
  readonly owned: number
  /** Linked people the plan unmatches. */
  readonly unmatched: number
  /** The most unmatched people allowed. */
  readonly unmatchedLimit: number
  /** Linked people. */
  readonly linked: number
  /** The plan goes over a limit (and `allowMassDelete` is off): it is not applied. */
  readonly tripped: boolean
}

/**
 * A plan: what a run would do.
 *
 * @since 0.1.0
 * @category models
 */
export interface Plan {
  /** `full`: the whole directory; `partial`: the people named to `planPeople`. */
  readonly mode: "full" | "partial"
  /** How the target's contacts were read: one `export`, or `rest` (listed person by person). */
  readonly read?: "export" | "rest" | undefined
  /** The directory was not modified since the stored version: nothing to do. */
  readonly unchanged: boolean
  /** The directory version stored once a full plan is applied without failures. */
  readonly version: string | undefined
  /** Source people read. */
  readonly peopleRead: number
  /** Source people matched to a target person. */
  readonly matched: number
  /** Source people with no target person. */
  readonly unmatched: number
  /** The people with something to do or to report, in directory order, removed people last. */
  readonly people: ReadonlyArray<PersonPlan>
  /** What the full reads of a full plan proved (empty for unchanged and partial plans). */
  readonly reads: ReadonlyArray<ReadCheck>
  /** The delete guard's verdict. */
  readonly guard: Guard
}

/**
 * Counters of a run, updated as it goes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  readonly phase: "idle" | "reading" | "planning" | "applying" | "done"
  /** Source people read so far. */
  readonly peopleRead: number
  /** Source people planned so far. */
  readonly peoplePlanned: number
  /** People whose plan was applied so far. */
  readonly peopleApplied: number
  readonly matched: number
  readonly unmatched: number
  readonly actionsPlanned: number
  /** Remote writes made (creates, updates, deletes). */
  readonly writes: number
  readonly failures: number
  /** Calls made to each port (a streamed read counts once). */
  readonly calls: { readonly source: number; readonly target: number; readonly contacts: number }
  /** Retries made by the adapters' HTTP policies (from `Options.stats`). */
  readonly retries: number
  /** Times the adapters' rate limiters made a request wait (from `Options.stats`). */
  readonly rateLimitWaits: number
}

/**
 * A person the run could not plan or whose write failed; the run went on with
 * the others, and the next run tries again.
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure {
  readonly sourceId: string
  readonly personId?: string | undefined
  /** The write that failed; absent when the person could not be planned. */
  readonly action?: Action | undefined
  readonly error: PeopleError
}

/**
 * How a run ended: `complete` (everything planned was written and the reads
 * proved what they had to), `partial` (it ran to its end, but some people
 * failed, removals were held back or a read was in doubt: the next run goes on
 * from there), `stopped` (it stopped writing before the end).
 *
 * @since 0.1.0
 * @category models
 */
export type Status = "complete" | "partial" | "stopped"

/**
 * The outcome of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  readonly mode: "full" | "partial"
  readonly dryRun: boolean
  readonly unchanged: boolean
  readonly peopleRead: number
  readonly matched: number
  readonly unmatched: number
  readonly removed: number
  readonly created: number
  readonly updated: number
  readonly deleted: number
  readonly adopted: number
  readonly forgotten: number
  readonly skipped: number
  /** Removals and clean-ups held back for lack of proof. */
  readonly held: number
  /** People whose plan was not applied because the run stopped. */
  readonly notApplied: number
  readonly status: Status
  /** Why the run is not `complete`, one sentence each. */
  readonly issues: ReadonlyArray<string>
  readonly failures: ReadonlyArray<Failure>
  readonly calls: Progress["calls"]
  readonly retries: number
  readonly rateLimitWaits: number
  readonly durationMillis: number
}

/**
 * A plan and what applying it did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly plan: Plan
  readonly summary: Summary
}

/**
 * A webhook event of the source directory, as the adapter parsed it: its `uuid`
 * (deliveries repeat) and the people it names. The job re-reads each person, so
 * the change type only documents the event.
 *
 * @since 0.1.0
 * @category models
 */
export interface DirectoryEvent {
  readonly uuid: string
  readonly timestamp?: Date | undefined
  readonly changes: ReadonlyArray<{ readonly type?: string | undefined; readonly remoteId: string }>
}

export {
  /**
   * A run refused by the delete guard: it would delete more than allowed.
   * Nothing was written.
   *
   * @since 0.1.0
   * @category errors
   */
  MassDeleteRefused
} from "./internal/sync/errors.js"

/**
 * The errors of a run: an adapter's, the state store's, a busy state, or the
 * delete guard's refusal.
 *
 * @since 0.1.0
 * @category models
 */
export type SyncError = PeopleError | SyncState.SyncStateError | SyncState.StateBusy | errors.MassDeleteRefused

/**
 * Options of a partial run.
 *
 * @since 0.1.0
 * @category models
 */
export interface PeopleOptions {
  /** Source people whose removal is confirmed (by a delete event): removed when a direct read does not find them. */
  readonly removed?: Iterable<string> | undefined
}

/**
 * A sync job. Run one operation of a job at a time (its progress counters are
 * shared), and one job per state store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Sync {
  /** Plans a full run: reads the directory unless unchanged, matches, compares. No writes. */
  readonly plan: Effect.Effect<Plan, SyncError>
  /**
   * Plans just the named source people, re-read one by one. One the direct
   * read does not find is removed only when `options.removed` names it (a
   * delete event confirms it); otherwise its removal is held for the next full run.
   */
  readonly planPeople: (remoteIds: Iterable<string>, options?: PeopleOptions) => Effect.Effect<Plan, SyncError>
  /** Makes exactly the writes of a plan, updating the state after each. */
  readonly apply: (plan: Plan) => Effect.Effect<Summary, SyncError>
  /** `plan` then, unless `dryRun`, `apply`. */
  readonly run: Effect.Effect<Report, SyncError>
  /** `planPeople` then, unless `dryRun`, `apply`. */
  readonly syncPeople: (remoteIds: Iterable<string>, options?: PeopleOptions) => Effect.Effect<Report, SyncError>
  /**
   * Re-syncs the people named by events not processed yet (a `Delete` change
   * confirms a removal), then, when the run is complete, marks the events
   * processed; otherwise a repeated delivery tries again.
   */
  readonly applyEvents: (events: Iterable<DirectoryEvent>) => Effect.Effect<Report, SyncError>
  /** The counters of the current (or last) run. */
  readonly progress: SubscriptionRef.SubscriptionRef<Progress>
}

// ---------------------------------------------------------------------------
// Projection
// ---------------------------------------------------------------------------

/**
 * The remote id of a person in a system: its provenance record for that system,
 * else its canonical id without the `system:` prefix.
 *
 * @since 0.1.0
 * @category getters
 */
export const remoteIdOf: (person: Person, system: string) => string = projection.remoteIdOf

/**
 * The contact points of a source person the job projects (desired contacts), and
 * the ones it skips with the reason.
 *
 * @since 0.1.0
 * @category planning
 */
export const project = projection.project

// ---------------------------------------------------------------------------
// The job
// ---------------------------------------------------------------------------

/**
 * Builds a sync job on the ports in `options` and the `SyncState` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Sync, never, SyncState.SyncState> =>
  Effect.gen(function*() {
    const state = yield* SyncState.SyncState
    const progress = yield* SubscriptionRef.make(progressMeter.initialProgress)
    const env: Env = {
      options,
      state,
      meter: yield* progressMeter.makeMeter(progress, options),
      concurrency: Math.max(1, options.concurrency ?? 4),
      defaultRegion: options.defaultRegion,
      sourceSystem: options.source.system,
      targetSystem: options.target.system,
      exported: { current: undefined }
    }
    const leaseOptions: SyncState.LeaseOptions = { ...options.lease, owner: options.lease?.owner ?? SyncState.defaultOwner() }

    /** Runs `f` under the state's lease, unless nothing is written (a dry run). */
    const leased = <A>(f: (lease: SyncState.HeldLease | undefined) => Effect.Effect<A, SyncError>): Effect.Effect<A, SyncError> =>
      options.dryRun === true
        ? f(undefined)
        : Effect.scoped(Effect.flatMap(SyncState.lease(leaseOptions).pipe(Effect.provideService(SyncState.SyncState, state)), f))

    const plan = planning.planFull(env)
    const planPeople = (remoteIds: Iterable<string>, peopleOptions?: PeopleOptions) =>
      planning.planPeople(env, remoteIds, new Set(peopleOptions?.removed ?? []))

    const timed = <A>(f: (started: number) => Effect.Effect<A, SyncError>) => Effect.flatMap(Clock.currentTimeMillis, f)

    const finish = (plan: Plan, started: number, lease: SyncState.HeldLease | undefined) =>
      options.dryRun === true
        ? Effect.map(
          applying.summarize(env, plan, { ...steps.newTally(), failures: applying.planFailures(plan) }, true, started),
          (summary): Report => ({ plan, summary })
        )
        : Effect.map(applying.applyWith(env, plan, started, lease), (summary): Report => ({ plan, summary }))

    const syncPeopleWith = (remoteIds: Iterable<string>, peopleOptions: PeopleOptions | undefined, lease: SyncState.HeldLease | undefined) =>
      timed((started) => Effect.flatMap(planPeople(remoteIds, peopleOptions), (p) => finish(p, started, lease)))

    const applyEvents = (events: Iterable<DirectoryEvent>) =>
      leased((lease) =>
        Effect.gen(function*() {
          const fresh: Array<DirectoryEvent> = []
          const uuids = new Set<string>()
          for (const event of events) {
            if (uuids.has(event.uuid)) continue
            uuids.add(event.uuid)
            if (!(yield* state.isEventProcessed(event.uuid))) fresh.push(event)
          }
          const changes = fresh.flatMap((e) => e.changes)
          const removed = changes.filter((c) => c.type?.toLowerCase() === "delete").map((c) => c.remoteId)
          const report = yield* syncPeopleWith(changes.map((c) => c.remoteId), { removed }, lease)
          if (options.dryRun !== true && report.summary.status === "complete") {
            for (const event of fresh) yield* state.markEventProcessed(event.uuid)
            const now = yield* Clock.currentTimeMillis
            yield* state.pruneEvents(new Date(now - Duration.toMillis(options.eventRetention ?? Duration.days(7))))
          }
          return report
        })
      )

    // every operation without spans unless a tracer is provided: a run makes a few
    // SQL statements and HTTP requests per contact, each of which would carry a span
    const quiet = Tracing.untracedByDefault
    return {
      plan: quiet(plan),
      planPeople: (remoteIds, peopleOptions) => quiet(planPeople(remoteIds, peopleOptions)),
      apply: (p) => quiet(leased((lease) => timed((started) => applying.applyWith(env, p, started, lease)))),
      run: quiet(leased((lease) => timed((started) => Effect.flatMap(plan, (p) => finish(p, started, lease))))),
      syncPeople: (remoteIds, peopleOptions) => quiet(leased((lease) => syncPeopleWith(remoteIds, peopleOptions, lease))),
      applyEvents: (events) => quiet(applyEvents(events)),
      progress
    } satisfies Sync
  })

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

/**
 * The writes of a plan, in order.
 *
 * @since 0.1.0
 * @category getters
 */
export const actions: (plan: Plan) => ReadonlyArray<Action> = format.actions

/**
 * Counts of a plan's steps.
 *
 * @since 0.1.0
 * @category getters
 */
export const counts: (plan: Plan) => {
  create: number
  update: number
  delete: number
  adopt: number
  forget: number
  skip: number
} = format.counts

/**
 * The progress of a job that has not started: every counter at zero, phase `idle`.
 *
 * @since 0.1.0
 * @category constants
 */
export const initialProgress: Progress = progressMeter.initialProgress

/**
 * Prints a plan as a dry run: one line per person, one indented line per step.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatPlan: (plan: Plan) => string = format.formatPlan

/**
 * Prints a summary in one line.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatSummary: (s: Summary) => string = format.formatSummary

/**
 * Prints a failure in one line: the person, the write (or that the person
 * could not be planned) and the reason.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatFailure: (failure: Failure) => string = format.formatFailure

// ---------------------------------------------------------------------------
// Shortcuts
// ---------------------------------------------------------------------------

/**
 * Plans a full run (a dry run: no writes).
 *
 * @since 0.1.0
 * @category shortcuts
 */
export const plan = (options: Options): Effect.Effect<Plan, SyncError, SyncState.SyncState> =>
  Effect.flatMap(make(options), (job) => job.plan)

/**
 * Applies a plan made with the same options.
 *
 * @since 0.1.0
 * @category shortcuts
 */
export const apply = (options: Options, plan: Plan): Effect.Effect<Summary, SyncError, SyncState.SyncState> =>
  Effect.flatMap(make(options), (job) => job.apply(plan))

/**
 * Plans and applies a full run.
 *
 * @since 0.1.0
 * @category shortcuts
 */
export const run = (options: Options): Effect.Effect<Report, SyncError, SyncState.SyncState> =>
  Effect.flatMap(make(options), (job) => job.run)
