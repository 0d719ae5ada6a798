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
 * Matching: a full run reads the target directory once into an index
 * (`match: "index"`, the default: one streamed read instead of one search per
 * person); `match: "search"` searches per person instead (small sources). Partial
 * syncs always search. A target person is given to one source person only: the
 * one already linked to it, else the first in directory order.
 *
 * ```ts
 * import { Sync } from "@unified-people/core"
 * import * as Sqlite from "@unified-people/core/SyncState/Sqlite"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* Sync.make({ source, target, contacts, concurrency: 4 })
 *   const plan = yield* job.plan
 *   console.log(Sync.formatPlan(plan)) // the dry run
 *   const summary = yield* job.apply(plan)
 *   console.log(Sync.formatSummary(summary))
 * }).pipe(Effect.provide(Sqlite.layer({ filename: "sync-state.db" })))
 * ```
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type * as ContactBook from "./ContactBook.js"
import * as ContactPoint from "./ContactPoint.js"
import type * as HttpPolicy from "./HttpPolicy.js"
import * as Label from "./Label.js"
import * as Normalize from "./Normalize.js"
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
  /** The adapters' HTTP policy counters, read to report retries and rate-limit waits. */
  readonly stats?: ReadonlyArray<Effect.Effect<HttpPolicy.Stats>> | undefined
  /** Called on every progress change. */
  readonly onProgress?: ((progress: Progress) => Effect.Effect<void>) | undefined
}

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
export type MatchedBy = "email" | "employeeNumber" | "xref"

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
 * An action that failed without stopping the run (the remote side rejected it:
 * invalid, not found, conflict or forbidden).
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure {
  readonly action: Action
  readonly error: PeopleError
}

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

/**
 * The errors of a run: an adapter's, or the state store's.
 *
 * @since 0.1.0
 * @category models
 */
export type SyncError = PeopleError | SyncState.SyncStateError

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
  /** Plans just the named source people (re-read one by one; absent ones are removals). */
  readonly planPeople: (remoteIds: Iterable<string>) => Effect.Effect<Plan, SyncError>
  /** Makes exactly the writes of a plan, updating the state after each. */
  readonly apply: (plan: Plan) => Effect.Effect<Summary, SyncError>
  /** `plan` then, unless `dryRun`, `apply`. */
  readonly run: Effect.Effect<Report, SyncError>
  /** `planPeople` then, unless `dryRun`, `apply`. */
  readonly syncPeople: (remoteIds: Iterable<string>) => Effect.Effect<Report, SyncError>
  /** Re-syncs the people named by events not processed yet, then marks the events processed. */
  readonly applyEvents: (events: Iterable<DirectoryEvent>) => Effect.Effect<Report, SyncError>
  /** The counters of the current (or last) run. */
  readonly progress: SubscriptionRef.SubscriptionRef<Progress>
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const defaultLabels: ReadonlyArray<Label.Label> = ["work", "mobile", "fax"]
const defaultKinds: ReadonlyArray<Label.Kind> = ["email", "phone"]

const initialProgress: Progress = {
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

/**
 * The remote id of a person in a system: its provenance record for that system,
 * else its canonical id without the `system:` prefix.
 *
 * @since 0.1.0
 * @category getters
 */
export const remoteIdOf = (person: Person, system: string): string => {
  const record = person.provenance.find((p) => p.system === system)
  if (record !== undefined) return record.remoteId
  return person.id.startsWith(`${system}:`) ? person.id.slice(system.length + 1) : person.id
}

const normalizedOf = (point: ContactPoint.ContactPoint, defaultRegion: string | undefined): string | undefined => {
  if (point.normalized !== undefined) return point.normalized
  const result = Normalize.value(point.kind, point.value, defaultRegion === undefined ? {} : { defaultRegion })
  return result._tag === "Normalized" ? result.value : undefined
}

const describePoint = (point: ContactPoint.ContactPoint) => `${point.kind} ${point.label} ${point.normalized ?? point.value}`

const byId = (a: ContactBook.Contact, b: ContactBook.Contact) =>
  a.id.length !== b.id.length ? a.id.length - b.id.length : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** Errors that reject one action without stopping the run. */
const isActionError = (error: PeopleError) =>
  error._tag === "InvalidRequest" || error._tag === "NotFound" || error._tag === "Conflict" || error._tag === "Forbidden"

/**
 * The contact points of a source person the job projects (desired contacts), and
 * the ones it skips with the reason.
 *
 * @since 0.1.0
 * @category planning
 */
export const project = (
  person: Person,
  options: {
    readonly system: string
    readonly sourceId: string
    readonly labels?: ReadonlyArray<Label.Label> | undefined
    readonly kinds?: ReadonlyArray<Label.Kind> | undefined
    readonly defaultRegion?: string | undefined
  }
): { readonly desired: ReadonlyArray<ContactPoint.ContactPoint>; readonly skipped: ReadonlyArray<Skip> } => {
  const labels = options.labels ?? defaultLabels
  const kinds = options.kinds ?? defaultKinds
  const desired: Array<ContactPoint.ContactPoint> = []
  const skipped: Array<Skip> = []
  const seen = new Map<string, ContactPoint.ContactPoint>()
  const skip = (point: ContactPoint.ContactPoint, reason: string) =>
    skipped.push({ _tag: "Skip", sourceId: options.sourceId, point, reason })
  for (const point of person.contactPoints) {
    if (!kinds.includes(point.kind)) {
      skip(point, `kind ${point.kind} is not projected`)
      continue
    }
    if (point.shared === true || Label.isShared(point.label)) {
      skip(point, "shared number (company main): never projected")
      continue
    }
    if (!labels.includes(point.label)) {
      skip(point, `label ${point.label}${point.customLabel === undefined ? "" : ` (${point.customLabel})`} is not projected`)
      continue
    }
    if (!Label.isAllowed(point.label, point.kind) || Label.peopleContacts.toRemote({ label: point.label }) === undefined) {
      skip(point, `the contact book cannot hold a ${point.kind} labelled ${point.label}`)
      continue
    }
    const normalized = normalizedOf(point, options.defaultRegion)
    if (normalized === undefined) {
      skip(point, `unnormalized value: ${point.issue ?? "invalid"}`)
      continue
    }
    const key = `${point.kind}:${normalized}`
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      skip(point, `duplicate of ${describePoint(earlier)}`)
      continue
    }
    // Built from values already checked: no second validation or normalization.
    const made = new ContactPoint.ContactPoint(
      {
        kind: point.kind,
        value: normalized,
        normalized,
        label: point.label,
        source: new ContactPoint.SourceRef({ system: options.system, remoteId: options.sourceId }, true)
      },
      true
    )
    seen.set(key, made)
    desired.push(made)
  }
  return { desired, skipped }
}

/** What the job syncs for a person: the target and the desired contacts, in order. */
const fingerprint = (personId: string, desired: ReadonlyArray<ContactPoint.ContactPoint>): string =>
  JSON.stringify([personId, ...desired.map((d) => [d.kind, d.normalized, d.label])])

interface Index {
  readonly ids: ReadonlySet<string>
  readonly emails: ReadonlyMap<string, ReadonlyArray<string>>
  readonly employees: ReadonlyMap<string, ReadonlyArray<string>>
}

const emailsOf = (person: Person) =>
  person.contactPoints.flatMap((p) => (p.kind === "email" && p.normalized !== undefined ? [p.normalized] : []))

const push = (map: Map<string, Array<string>>, key: string, id: string) => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [id])
  else if (!list.includes(id)) list.push(id)
}

type MatchResult =
  | { readonly _tag: "Matched"; readonly personId: string; readonly by: MatchedBy }
  | { readonly _tag: "Unmatched"; readonly reason: string }

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
    const progress = yield* SubscriptionRef.make(initialProgress)
    const concurrency = Math.max(1, options.concurrency ?? 4)
    const defaultRegion = options.defaultRegion
    const sourceSystem = options.source.system
    const targetSystem = options.target.system

    // Counters are plain numbers bumped in place; subscribers see a copy at each
    // person planned or applied and at each phase change.
    type Counters = { -readonly [K in keyof Progress]: Progress[K] } & { calls: { source: number; target: number; contacts: number } }
    const fresh = (phase: Progress["phase"]): Counters => ({ ...initialProgress, phase, calls: { ...initialProgress.calls } })
    let counters = fresh("idle")
    const publish = Effect.suspend(() => {
      const snapshot: Progress = { ...counters, calls: { ...counters.calls } }
      return SubscriptionRef.set(progress, snapshot).pipe(
        Effect.zipRight(options.onProgress === undefined ? Effect.void : options.onProgress(snapshot))
      )
    })
    const tick = (f: (c: Counters) => void) => Effect.sync(() => f(counters))
    const bump = (f: (c: Counters) => void) => Effect.zipRight(tick(f), publish)
    const count = (port: keyof Progress["calls"]) => tick((c) => c.calls[port]++)
    const counted = <A, E, R>(port: keyof Progress["calls"], effect: Effect.Effect<A, E, R>) =>
      Effect.zipRight(count(port), effect)
    const countedStream = <A, E, R>(port: keyof Progress["calls"], stream: Stream.Stream<A, E, R>) =>
      Stream.unwrap(Effect.as(count(port), stream))
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

    // -- matching ------------------------------------------------------------

    const buildIndex = Effect.gen(function*() {
      const ids = new Set<string>()
      const emails = new Map<string, Array<string>>()
      const employees = new Map<string, Array<string>>()
      yield* countedStream("target", options.target.stream).pipe(
        Stream.runForEach((person) =>
          Effect.sync(() => {
            const id = remoteIdOf(person, targetSystem)
            ids.add(id)
            for (const email of emailsOf(person)) push(emails, email, id)
            const employee = person.employeeNumber?.trim()
            if (employee !== undefined && employee !== "") push(employees, employee, id)
          })
        )
      )
      return { ids, emails, employees } satisfies Index
    })

    const searchIds = (query: PeopleDirectory.Query) =>
      countedStream("target", options.target.search(query)).pipe(
        Stream.runCollect,
        Effect.map((people) => [...new Set(Chunk.toReadonlyArray(people).map((p) => remoteIdOf(p, targetSystem)))])
      )

    const match = (person: Person, sourceId: string, index: Index | undefined) =>
      Effect.gen(function*() {
        const notes: Array<string> = []
        const emails = [...new Set(person.contactPoints.filter((p) => p.kind === "email" && ContactPoint.isIdentifying(p)).map((p) => p.normalized!))]
        for (const email of emails) {
          const hits = index === undefined ? yield* searchIds({ email }) : (index.emails.get(email) ?? [])
          if (hits.length === 1) return { _tag: "Matched", personId: hits[0]!, by: "email" } as MatchResult
          if (hits.length > 1) notes.push(`e-mail ${email} is ambiguous (${hits.length} people)`)
        }
        const employee = person.employeeNumber?.trim()
        if (employee !== undefined && employee !== "") {
          const hits = index === undefined ? yield* searchIds({ employeeNumber: employee }) : (index.employees.get(employee) ?? [])
          if (hits.length === 1) return { _tag: "Matched", personId: hits[0]!, by: "employeeNumber" } as MatchResult
          if (hits.length > 1) notes.push(`employee number ${employee} is ambiguous (${hits.length} people)`)
        }
        const xref = yield* state.xref(sourceId)
        if (Option.isSome(xref) && (index === undefined || index.ids.has(xref.value))) {
          return { _tag: "Matched", personId: xref.value, by: "xref" } as MatchResult
        }
        const tried = [
          emails.length === 0 ? "no e-mail" : `e-mail ${emails.join(", ")}`,
          employee === undefined || employee === "" ? "no employee number" : `employee number ${employee}`
        ]
        return {
          _tag: "Unmatched",
          reason: notes.length > 0 ? notes.join("; ") : `no matching person (${tried.join(", ")})`
        } as MatchResult
      })

    // -- comparing -----------------------------------------------------------

    interface Compared {
      readonly actions: Array<Action>
      readonly adopt: Array<Adopt>
      readonly forget: Array<Forget>
      readonly skipped: Array<Skip>
    }

    const listContacts = (personId: string) =>
      countedStream("contacts", options.contacts.list(personId)).pipe(
        Stream.runCollect,
        Effect.map((chunk) => [...Chunk.toReadonlyArray(chunk)].sort(byId))
      )

    /**
     * Compares what a source person implies on a target person with the target's
     * contacts. `desired` empty means: remove everything the job wrote there for
     * this source.
     */
    const compare = (
      sourceId: string,
      personId: string,
      desired: ReadonlyArray<ContactPoint.ContactPoint>,
      goneReason: string
    ) =>
      Effect.gen(function*() {
        const out: Compared = { actions: [], adopt: [], forget: [], skipped: [] }
        const listed = yield* Effect.either(listContacts(personId))
        if (listed._tag === "Left") {
          if (listed.left._tag !== "NotFound") return yield* listed.left
          // The target person is gone: whatever the job wrote there went with it.
          for (const w of yield* state.written(personId)) {
            out.forget.push({ _tag: "Forget", personId, contactId: w.contactId, reason: "the person no longer exists" })
          }
          out.skipped.push({ _tag: "Skip", sourceId, personId, reason: "the target person no longer exists" })
          return { compared: out, missing: true }
        }
        const current = listed.right
        const writtenHere = yield* state.written(personId)
        const mine = new Map(writtenHere.filter((w) => w.sourceId === sourceId).map((w) => [w.contactId, w]))
        const others = new Map(writtenHere.filter((w) => w.sourceId !== sourceId).map((w) => [w.contactId, w]))
        const currentIds = new Set(current.map((c) => c.id))
        for (const w of mine.values()) {
          if (!currentIds.has(w.contactId)) {
            out.forget.push({ _tag: "Forget", personId, contactId: w.contactId, reason: "the contact no longer exists" })
          }
        }
        const keyOf = (c: ContactBook.Contact) => {
          const normalized = normalizedOf(c.point, defaultRegion)
          return normalized === undefined ? undefined : `${c.point.kind}:${normalized}`
        }
        const owned: Array<ContactBook.Contact> = []
        const foreign: Array<ContactBook.Contact> = []
        for (const c of current) {
          if (mine.has(c.id)) {
            if (c.integration === false) {
              out.forget.push({
                _tag: "Forget",
                personId,
                contactId: c.id,
                reason: "marked integration: false: a person owns it now"
              })
              foreign.push(c)
            } else {
              owned.push(c)
            }
          } else {
            foreign.push(c)
          }
        }
        const used = new Set<string>()
        const pending: Array<ContactPoint.ContactPoint> = []
        // 1. desired values the job already holds
        for (const d of desired) {
          const hit = owned.find((c) => !used.has(c.id) && keyOf(c) === d.key)
          if (hit === undefined) {
            pending.push(d)
            continue
          }
          used.add(hit.id)
          if (hit.point.label !== d.label) {
            out.actions.push({
              _tag: "Update",
              personId,
              sourceId,
              contactId: hit.id,
              point: d,
              previous: hit.point,
              reason: `label changed ${hit.point.label} → ${d.label}`
            })
          } else {
            const w = mine.get(hit.id)!
            if (w.hash !== SyncState.hash({ kind: d.kind, normalized: d.normalized!, label: d.label })) {
              out.adopt.push({ _tag: "Adopt", personId, sourceId, contactId: hit.id, point: d, reason: "state refreshed" })
            }
          }
        }
        // 2. desired values some other contact already holds
        const creatable: Array<ContactPoint.ContactPoint> = []
        for (const d of pending) {
          const hit = foreign.find((c) => !used.has(c.id) && keyOf(c) === d.key)
          if (hit === undefined) {
            creatable.push(d)
            continue
          }
          used.add(hit.id)
          if (others.has(hit.id) && hit.integration !== false) {
            out.skipped.push({
              _tag: "Skip",
              sourceId,
              personId,
              point: d,
              reason: `already present, written for directory person ${others.get(hit.id)!.sourceId}`
            })
            continue
          }
          let integration = hit.integration
          if (integration === undefined && !mine.has(hit.id)) {
            // The list did not say who owns it: ask for the contact itself.
            const read = yield* Effect.either(counted("contacts", options.contacts.get(personId, hit.id)))
            if (read._tag === "Left" && read.left._tag !== "NotFound") return yield* read.left
            integration = read._tag === "Right" ? read.right.integration : undefined
          }
          if (integration === true && !mine.has(hit.id)) {
            if (hit.point.label === d.label) {
              out.adopt.push({
                _tag: "Adopt",
                personId,
                sourceId,
                contactId: hit.id,
                point: d,
                reason: "already present with integration: true (an earlier write whose answer was lost): adopted"
              })
            } else {
              out.actions.push({
                _tag: "Update",
                personId,
                sourceId,
                contactId: hit.id,
                point: d,
                previous: hit.point,
                reason: "adopted an integration contact holding the value, relabelled"
              })
            }
            continue
          }
          out.skipped.push({ _tag: "Skip", sourceId, personId, point: d, reason: "already present, owned by a person" })
        }
        // 3. a changed value: reuse a contact of the same kind and label, then of the same kind
        const spare = () => owned.filter((c) => !used.has(c.id))
        for (const d of creatable) {
          const hit = spare().find((c) => c.point.kind === d.kind && c.point.label === d.label) ??
            spare().find((c) => c.point.kind === d.kind && !desired.some((x) => x.key === keyOf(c)))
          if (hit === undefined) {
            out.actions.push({ _tag: "Create", personId, sourceId, point: d, reason: "new in the directory" })
            continue
          }
          used.add(hit.id)
          out.actions.push({
            _tag: "Update",
            personId,
            sourceId,
            contactId: hit.id,
            point: d,
            previous: hit.point,
            reason: `value changed ${hit.point.normalized ?? hit.point.value} → ${d.normalized}`
          })
        }
        // 4. whatever the job owns and no longer needs
        for (const c of spare()) {
          const duplicate = desired.some((d) => d.key === keyOf(c))
          out.actions.push({
            _tag: "Delete",
            personId,
            sourceId,
            contactId: c.id,
            point: c.point,
            reason: duplicate ? "duplicate of another contact the job wrote" : goneReason
          })
        }
        const order = { Delete: 0, Update: 1, Create: 2 } as const
        out.actions.sort((a, b) => order[a._tag] - order[b._tag])
        return { compared: out, missing: false }
      })

    // -- planning ------------------------------------------------------------

    const empty = (sourceId: string): PersonPlan => ({
      sourceId,
      removed: false,
      link: false,
      unlink: false,
      actions: [],
      adopt: [],
      forget: [],
      skipped: []
    })

    const merge = (plan: PersonPlan, compared: Compared): PersonPlan => ({
      ...plan,
      actions: [...plan.actions, ...compared.actions],
      adopt: [...plan.adopt, ...compared.adopt],
      forget: [...plan.forget, ...compared.forget],
      skipped: [...plan.skipped, ...compared.skipped]
    })

    /** Removes what the job wrote for `sourceId` on every target person except `keep`. */
    const cleanUp = (plan: PersonPlan, keep: string | undefined, reason: string) =>
      Effect.gen(function*() {
        const targets = [...new Set((yield* state.writtenFor(plan.sourceId)).map((w) => w.personId))].filter((t) => t !== keep)
        let result = plan
        for (const target of targets) {
          const { compared } = yield* compare(plan.sourceId, target, [], reason)
          result = merge(result, compared)
        }
        return result
      })

    const planRemoved = (sourceId: string) =>
      Effect.gen(function*() {
        const xref = yield* state.xref(sourceId)
        const base: PersonPlan = { ...empty(sourceId), removed: true, unlink: Option.isSome(xref) }
        return yield* cleanUp(base, undefined, "the person left the directory")
      })

    interface Candidate {
      readonly person: Person
      readonly sourceId: string
      readonly matched: MatchResult
    }

    const matchPerson = (person: Person, index: Index | undefined) =>
      Effect.gen(function*() {
        const sourceId = remoteIdOf(person, sourceSystem)
        const matched = yield* match(person, sourceId, index)
        return { person, sourceId, matched } satisfies Candidate
      })

    /**
     * One source person per target person, so two directory entries never write
     * the same person's contacts: the one already linked to it wins, else the
     * first in directory order. In a partial run, a target linked to a source
     * outside the batch stays with that source.
     */
    const claim = (candidates: ReadonlyArray<Candidate>, partial: boolean) =>
      Effect.gen(function*() {
        const byTarget = new Map<string, Array<Candidate>>()
        for (const c of candidates) {
          if (c.matched._tag !== "Matched") continue
          const list = byTarget.get(c.matched.personId)
          if (list === undefined) byTarget.set(c.matched.personId, [c])
          else list.push(c)
        }
        const batch = new Set(candidates.map((c) => c.sourceId))
        const losers = new Map<Candidate, string>()
        for (const [target, list] of byTarget) {
          if (list.length === 1 && !partial) continue
          const holders = yield* state.xrefsTo(target)
          const outside = partial ? holders.find((h) => !batch.has(h)) : undefined
          const winner = outside ?? list.find((c) => holders.includes(c.sourceId))?.sourceId ?? list[0]!.sourceId
          for (const c of list) {
            if (c.sourceId !== winner) losers.set(c, `person ${target} is matched to directory person ${winner}`)
          }
        }
        return candidates.map((c): Candidate => {
          const reason = losers.get(c)
          return reason === undefined ? c : { ...c, matched: { _tag: "Unmatched", reason } }
        })
      })

    const planPerson = ({ matched, person, sourceId }: Candidate, verify: boolean) =>
      Effect.gen(function*() {
        const projected = project(person, {
          system: sourceSystem,
          sourceId,
          labels: options.labels,
          kinds: options.kinds,
          defaultRegion
        })
        const xref = yield* state.xref(sourceId)
        let plan: PersonPlan = { ...empty(sourceId), name: person.displayName, skipped: [...projected.skipped] }
        if (matched._tag === "Unmatched") {
          yield* tick((c) => c.unmatched++)
          plan = {
            ...plan,
            unlink: Option.isSome(xref),
            skipped: [...plan.skipped, { _tag: "Skip", sourceId, reason: matched.reason }]
          }
          return yield* cleanUp(plan, undefined, "the person no longer matches")
        }
        yield* tick((c) => c.matched++)
        const personId = matched.personId
        const print = fingerprint(personId, projected.desired)
        const stored = yield* state.fingerprint(sourceId)
        const linked = Option.isSome(xref) && xref.value === personId
        if (!verify && linked && Option.getOrUndefined(stored) === print) {
          // Nothing changed since this person was last synced: no need to read the contacts.
          return { ...plan, personId, matchedBy: matched.by }
        }
        const { compared, missing } = yield* compare(sourceId, personId, projected.desired, "no longer in the directory")
        plan = merge(
          {
            ...plan,
            personId,
            matchedBy: matched.by,
            link: !missing && !linked,
            unlink: missing && Option.isSome(xref),
            fingerprint: missing || Option.getOrUndefined(stored) === print ? undefined : print
          },
          compared
        )
        return yield* cleanUp(plan, personId, "the person now matches another person")
      })

    const interesting = (plan: PersonPlan) =>
      plan.removed || plan.link || plan.unlink || plan.fingerprint !== undefined || plan.actions.length > 0 || plan.adopt.length > 0 ||
      plan.forget.length > 0 || plan.skipped.length > 0

    const planned = (plan: PersonPlan) =>
      bump((c) => {
        c.peoplePlanned++
        c.actionsPlanned += plan.actions.length
      }).pipe(Effect.as(plan))

    const start = (phase: Progress["phase"]) =>
      Effect.flatMap(policyStats, (stats) => {
        baseline = stats
        counters = fresh(phase)
        return publish
      })
    const phase = (phase: Progress["phase"]) => bump((c) => void (c.phase = phase))

    const plan: Effect.Effect<Plan, SyncError> = Effect.gen(function*() {
      yield* start("reading")
      const stored = yield* state.version
      const snapshot = yield* counted("source", options.source.snapshot({ ifNoneMatch: Option.getOrUndefined(stored) }))
      if (snapshot._tag === "NotModified") {
        return { mode: "full", unchanged: true, version: snapshot.version, peopleRead: 0, matched: 0, unmatched: 0, people: [] } satisfies Plan
      }
      const index = options.match === "search" ? undefined : yield* buildIndex
      const seen = new Set<string>()
      const read = yield* snapshot.people.pipe(
        Stream.tap(() => tick((c) => c.peopleRead++)),
        Stream.filter((person) => {
          const id = remoteIdOf(person, sourceSystem)
          if (seen.has(id)) return false
          seen.add(id)
          return true
        }),
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      yield* phase("planning")
      const candidates = yield* claim(yield* Effect.forEach(read, (person) => matchPerson(person, index), { concurrency }), false)
      const people = yield* Effect.forEach(candidates, (c) => Effect.flatMap(planPerson(c, options.verify === true), planned), {
        concurrency
      })
      const removed = (yield* state.sources).filter((id) => !seen.has(id))
      const removals = yield* Effect.forEach(removed, (id) => Effect.flatMap(planRemoved(id), planned), { concurrency })
      return {
        mode: "full",
        unchanged: false,
        version: snapshot.version,
        peopleRead: seen.size,
        matched: counters.matched,
        unmatched: counters.unmatched,
        people: [...people, ...removals].filter(interesting)
      } satisfies Plan
    })

    const planPeople = (remoteIds: Iterable<string>): Effect.Effect<Plan, SyncError> =>
      Effect.gen(function*() {
        yield* start("planning")
        const ids = [...new Set(remoteIds)]
        const read = yield* Effect.forEach(
          ids,
          (id) =>
            counted("source", options.source.get(id)).pipe(
              Effect.tap(() => tick((c) => c.peopleRead++)),
              Effect.map(Option.some),
              Effect.catchTag("NotFound", () => Effect.succeedNone)
            ),
          { concurrency }
        )
        const present = read.flatMap((p) => (Option.isSome(p) ? [p.value] : []))
        const candidates = yield* claim(yield* Effect.forEach(present, (person) => matchPerson(person, undefined), { concurrency }), true)
        const personPlans = yield* Effect.forEach(candidates, (c) => Effect.flatMap(planPerson(c, true), planned), { concurrency })
        const gone = ids.filter((_, i) => Option.isNone(read[i]!))
        const removals = yield* Effect.forEach(gone, (id) => Effect.flatMap(planRemoved(id), planned), { concurrency })
        const people = [...personPlans, ...removals]
        return {
          mode: "partial",
          unchanged: false,
          version: undefined,
          peopleRead: ids.length,
          matched: counters.matched,
          unmatched: counters.unmatched,
          people: people.filter(interesting)
        } satisfies Plan
      })

    // -- applying ------------------------------------------------------------

    const record = (personId: string, sourceId: string, contactId: string, point: ContactPoint.ContactPoint) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        state.recordWrite(
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

    const write = (action: Action): Effect.Effect<void, SyncError> => {
      switch (action._tag) {
        case "Create":
          return counted("contacts", options.contacts.create(action.personId, action.point, { integration: true })).pipe(
            Effect.flatMap((contact) => record(action.personId, action.sourceId, contact.id, action.point))
          )
        case "Update":
          return counted("contacts", options.contacts.update(action.personId, action.contactId, { point: action.point })).pipe(
            Effect.flatMap(() => record(action.personId, action.sourceId, action.contactId, action.point))
          )
        case "Delete":
          return counted("contacts", options.contacts.delete(action.personId, action.contactId)).pipe(
            Effect.catchTag("NotFound", () => Effect.void),
            Effect.zipRight(state.forgetWrite(action.personId, action.contactId))
          )
      }
    }

    interface Tally {
      created: number
      updated: number
      deleted: number
      adopted: number
      forgotten: number
      failures: Array<Failure>
    }

    const applyPerson = (plan: PersonPlan, tally: Tally) =>
      Effect.gen(function*() {
        for (const f of plan.forget) {
          yield* state.forgetWrite(f.personId, f.contactId)
          tally.forgotten++
        }
        if (plan.link && plan.personId !== undefined) yield* state.setXref(plan.sourceId, plan.personId)
        for (const a of plan.adopt) {
          yield* record(a.personId, a.sourceId, a.contactId, a.point)
          tally.adopted++
        }
        let failed = false
        for (const action of plan.actions) {
          const result = yield* Effect.either(write(action))
          if (result._tag === "Left") {
            const error = result.left
            if (error._tag === "SyncStateError" || !isActionError(error)) return yield* error
            failed = true
            tally.failures.push({ action, error })
            yield* tick((c) => c.failures++)
            continue
          }
          if (action._tag === "Create") tally.created++
          else if (action._tag === "Update") tally.updated++
          else tally.deleted++
          yield* tick((c) => c.writes++)
        }
        if (plan.unlink && !failed) yield* state.deleteXref(plan.sourceId)
        if (plan.fingerprint !== undefined && !plan.unlink && !failed) yield* state.setFingerprint(plan.sourceId, plan.fingerprint)
        yield* bump((c) => c.peopleApplied++)
      })

    const summarize = (plan: Plan, tally: Tally, dryRun: boolean, started: number) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const stats = yield* policyStats
        yield* bump((c) => {
          c.phase = "done"
          c.retries = stats.retries - baseline.retries
          c.rateLimitWaits = stats.waits - baseline.waits
        })
        const p = counters
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
        } satisfies Summary
      })

    const newTally = (): Tally => ({ created: 0, updated: 0, deleted: 0, adopted: 0, forgotten: 0, failures: [] })

    const applyWith = (plan: Plan, started: number): Effect.Effect<Summary, SyncError> =>
      Effect.gen(function*() {
        yield* phase("applying")
        const tally = newTally()
        yield* Effect.forEach(plan.people, (person) => applyPerson(person, tally), { concurrency, discard: true })
        if (plan.mode === "full" && tally.failures.length === 0) {
          const stored = yield* state.version
          if (Option.getOrUndefined(stored) !== plan.version) yield* state.setVersion(plan.version)
        }
        return yield* summarize(plan, tally, false, started)
      })

    const timed = <A>(f: (started: number) => Effect.Effect<A, SyncError>) => Effect.flatMap(Clock.currentTimeMillis, f)

    const finish = (plan: Plan, started: number) =>
      options.dryRun === true
        ? Effect.map(summarize(plan, newTally(), true, started), (summary): Report => ({ plan, summary }))
        : Effect.map(applyWith(plan, started), (summary): Report => ({ plan, summary }))

    const run = timed((started) => Effect.flatMap(plan, (p) => finish(p, started)))

    const syncPeople = (remoteIds: Iterable<string>) =>
      timed((started) => Effect.flatMap(planPeople(remoteIds), (p) => finish(p, started)))

    const applyEvents = (events: Iterable<DirectoryEvent>) =>
      Effect.gen(function*() {
        const fresh: Array<DirectoryEvent> = []
        const uuids = new Set<string>()
        for (const event of events) {
          if (uuids.has(event.uuid)) continue
          uuids.add(event.uuid)
          if (!(yield* state.isEventProcessed(event.uuid))) fresh.push(event)
        }
        const report = yield* syncPeople(fresh.flatMap((e) => e.changes.map((c) => c.remoteId)))
        if (options.dryRun !== true && report.summary.failures.length === 0) {
          for (const event of fresh) yield* state.markEventProcessed(event.uuid)
        }
        return report
      })

    return {
      plan,
      planPeople,
      apply: (p) => timed((started) => applyWith(p, started)),
      run,
      syncPeople,
      applyEvents,
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
export const actions = (plan: Plan): ReadonlyArray<Action> => plan.people.flatMap((p) => p.actions)

/**
 * Counts of a plan's steps.
 *
 * @since 0.1.0
 * @category getters
 */
export const counts = (plan: Plan) => {
  const all = actions(plan)
  return {
    create: all.filter((a) => a._tag === "Create").length,
    update: all.filter((a) => a._tag === "Update").length,
    delete: all.filter((a) => a._tag === "Delete").length,
    adopt: plan.people.reduce((n, p) => n + p.adopt.length, 0),
    forget: plan.people.reduce((n, p) => n + p.forget.length, 0),
    skip: plan.people.reduce((n, p) => n + p.skipped.length, 0)
  }
}

/**
 * Prints a plan as a dry run: one line per person, one indented line per step.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatPlan = (plan: Plan): string => {
  if (plan.unchanged) return `Plan (${plan.mode}): directory unchanged (version ${plan.version ?? "-"}): nothing to do`
  const c = counts(plan)
  const lines = [
    `Plan (${plan.mode}${plan.version === undefined ? "" : `, directory version ${plan.version}`}): ${plan.peopleRead} people read, ` +
    `${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.adopt} to adopt, ${c.skip} skipped`
  ]
  for (const p of plan.people) {
    const who = `${p.sourceId}${p.name === undefined ? "" : ` (${p.name})`}`
    const where = p.removed
      ? "removed from the directory"
      : p.personId === undefined
      ? "unmatched"
      : `→ ${p.personId} (by ${p.matchedBy})`
    lines.push(`${who} ${where}${p.link ? " [link]" : ""}${p.unlink ? " [unlink]" : ""}`)
    for (const a of p.actions) {
      switch (a._tag) {
        case "Create":
          lines.push(`  + create ${describePoint(a.point)} on ${a.personId}: ${a.reason}`)
          break
        case "Update":
          lines.push(`  ~ update ${a.contactId} ${describePoint(a.previous)} → ${describePoint(a.point)}: ${a.reason}`)
          break
        case "Delete":
          lines.push(`  - delete ${a.contactId} ${describePoint(a.point)} on ${a.personId}: ${a.reason}`)
          break
      }
    }
    for (const a of p.adopt) lines.push(`  = adopt ${a.contactId} ${describePoint(a.point)}: ${a.reason}`)
    for (const f of p.forget) lines.push(`  · forget ${f.contactId} on ${f.personId}: ${f.reason}`)
    for (const s of p.skipped) lines.push(`  · skip ${s.point === undefined ? "" : `${describePoint(s.point)}: `}${s.reason}`)
  }
  return lines.join("\n")
}

/**
 * Prints a summary in one line.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatSummary = (s: Summary): string =>
  `${s.dryRun ? "Dry run" : "Sync"} (${s.mode}${s.unchanged ? ", directory unchanged" : ""}): ${s.peopleRead} read, ` +
  `${s.matched} matched, ${s.unmatched} unmatched, ${s.removed} removed; ${s.created} created, ${s.updated} updated, ` +
  `${s.deleted} deleted, ${s.adopted} adopted, ${s.skipped} skipped, ${s.failures.length} failed; calls: ` +
  `source ${s.calls.source}, target ${s.calls.target}, contacts ${s.calls.contacts}; ${s.retries} retries, ` +
  `${s.rateLimitWaits} rate-limit waits; ${s.durationMillis} ms`

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
