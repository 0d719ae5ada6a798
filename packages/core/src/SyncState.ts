/**
 * The state store of a sync job: the directory version (ETag) of the last
 * complete run, cross-references (source remote id → target person id) with the
 * fingerprint of what the job last synced for that person, what the job last
 * wrote for each target contact, the webhook events already processed, the
 * size of the last complete read of each side, and the lease of the run that
 * is using it. One store holds the state of one job, and one run at a time uses
 * it: {@link lease} takes an exclusive lease (owner, start, heartbeat, expiry)
 * in the store itself, so a second run on the same state fails at once with
 * {@link StateBusy}, and a crashed run's lease expires and is taken over.
 *
 * `layerMemory` keeps it in memory (tests, one-off runs);
 * `@unified-people/core/SyncState/Sql` persists it on any `@effect/sql` client (the CLI opens a SQLite file with it).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Label from "./Label.js"

/**
 * A state store failed (the database could not be read or written).
 *
 * @since 0.1.0
 * @category errors
 */
export class SyncStateError extends Schema.TaggedError<SyncStateError>("@unified-people/core/SyncStateError")("SyncStateError", {
  /** The store operation, e.g. `recordWrite`. */
  method: Schema.String,
  reason: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return `SyncState.${this.method}: ${this.reason}`
  }
}

/** A length of time for people: `12 s`, `3 min 20 s`. */
const seconds = (millis: number): string => {
  const total = Math.max(0, Math.round(millis / 1000))
  return total < 120 ? `${total} s` : `${Math.floor(total / 60)} min${total % 60 === 0 ? "" : ` ${total % 60} s`}`
}

/**
 * Another run holds the state's lease: this run did not start.
 *
 * @since 0.1.0
 * @category errors
 */
export class StateBusy extends Schema.TaggedError<StateBusy>("@unified-people/core/StateBusy")("StateBusy", {
  /** Who holds the lease (host, process). */
  owner: Schema.String,
  /** When the holder started (epoch milliseconds). */
  startedAt: Schema.Number,
  /** The holder's last heartbeat (epoch milliseconds). */
  heartbeatAt: Schema.Number,
  /** When the lease expires unless renewed (epoch milliseconds). */
  expiresAt: Schema.Number,
  /** When this run looked (epoch milliseconds). */
  checkedAt: Schema.Number
}) {
  /** Worth trying again later: the holder's run ends, or its lease expires. */
  get isRetryable(): boolean {
    return true
  }
  get reason(): string {
    return `the sync state is in use by ${this.owner} (started ${seconds(this.checkedAt - this.startedAt)} ago, ` +
      `last heartbeat ${seconds(this.checkedAt - this.heartbeatAt)} ago): one run at a time; ` +
      `if that run crashed, its lease expires in ${seconds(this.expiresAt - this.checkedAt)}`
  }
  override get message(): string {
    return this.reason
  }
}

/**
 * A lease on a state store: who holds it and until when.
 *
 * @since 0.1.0
 * @category models
 */
export class Lease extends Schema.Class<Lease>("@unified-people/core/SyncState/Lease")({
  owner: Schema.String,
  startedAt: Schema.Number,
  heartbeatAt: Schema.Number,
  expiresAt: Schema.Number
}) {}

/**
 * An import the sync started and has not seen finish: the fingerprint of its
 * rows, and its token once the book answered the upload. The next run polls
 * that token instead of uploading the same rows again.
 *
 * @since 0.1.0
 * @category models
 */
export class PendingImport extends Schema.Class<PendingImport>("@unified-people/core/SyncState/PendingImport")({
  fingerprint: Schema.String,
  token: Schema.optional(Schema.String),
  /** When the upload started (epoch milliseconds): a follow-up export reads what changed since. */
  startedAt: Schema.Number
}) {}

/**
 * The two sides a sync reads in full.
 *
 * @since 0.1.0
 * @category models
 */
export type Side = "source" | "target"

/**
 * A cross-reference: the target person a source person was matched to.
 *
 * @since 0.1.0
 * @category models
 */
export class Xref extends Schema.Class<Xref>("@unified-people/core/SyncState/Xref")({
  sourceId: Schema.String,
  targetId: Schema.String
}) {}

/**
 * A contact the job wrote (created, updated or adopted) and therefore owns.
 *
 * @since 0.1.0
 * @category models
 */
export class Written extends Schema.Class<Written>("@unified-people/core/SyncState/Written")({
  /** The target person holding the contact. */
  personId: Schema.String,
  /** The contact's remote id in the target contact book. */
  contactId: Schema.String,
  /** The source person (directory remote id) the contact was projected from. */
  sourceId: Schema.String,
  kind: Label.Kind,
  /** The normalized value written. */
  normalized: Schema.String,
  label: Label.Label,
  /** {@link hash} of what was written: detects changes made outside the job. */
  hash: Schema.String,
  /** When it was written (epoch milliseconds). */
  writtenAt: Schema.Number
}) {}

/**
 * A short, stable hash (FNV-1a, 32 bits, hex) of a written contact's kind,
 * normalized value and label.
 *
 * @since 0.1.0
 * @category constructors
 */
export const hash = (input: { readonly kind: string; readonly normalized: string; readonly label: string }): string => {
  const text = `${input.kind}\u0000${input.normalized}\u0000${input.label}`
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, "0")
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The directory version (ETag) stored after the last complete run. */
  readonly version: Effect.Effect<Option.Option<string>, SyncStateError>
  /** Stores (or, with `undefined`, clears) the directory version. */
  readonly setVersion: (version: string | undefined) => Effect.Effect<void, SyncStateError>
  /** The target person a source person was matched to. */
  readonly xref: (sourceId: string) => Effect.Effect<Option.Option<string>, SyncStateError>
  readonly setXref: (sourceId: string, targetId: string) => Effect.Effect<void, SyncStateError>
  /** Deletes a cross-reference and its fingerprint. */
  readonly deleteXref: (sourceId: string) => Effect.Effect<void, SyncStateError>
  /** The fingerprint of what was last synced for a linked source person. */
  readonly fingerprint: (sourceId: string) => Effect.Effect<Option.Option<string>, SyncStateError>
  /** Stores (or, with `undefined`, clears) the fingerprint of a linked source person; ignored when it is not linked. */
  readonly setFingerprint: (sourceId: string, fingerprint: string | undefined) => Effect.Effect<void, SyncStateError>
  /** The source people linked to a target person, sorted. */
  readonly xrefsTo: (targetId: string) => Effect.Effect<ReadonlyArray<string>, SyncStateError>
  /** Every cross-reference, ordered by source id. */
  readonly xrefs: Effect.Effect<ReadonlyArray<Xref>, SyncStateError>
  /** The contacts the job owns on a target person, ordered by contact id. */
  readonly written: (personId: string) => Effect.Effect<ReadonlyArray<Written>, SyncStateError>
  /** The contacts the job owns that were projected from a source person, ordered by person and contact id. */
  readonly writtenFor: (sourceId: string) => Effect.Effect<ReadonlyArray<Written>, SyncStateError>
  /** Records (or replaces) a contact the job wrote. */
  readonly recordWrite: (written: Written) => Effect.Effect<void, SyncStateError>
  /** Forgets a contact: it was deleted, or is no longer the job's. */
  readonly forgetWrite: (personId: string, contactId: string) => Effect.Effect<void, SyncStateError>
  /** Every source id the state knows (from cross-references and written contacts), sorted. */
  readonly sources: Effect.Effect<ReadonlyArray<string>, SyncStateError>
  /** Marks a webhook event processed; `true` when it was not processed before. */
  readonly markEventProcessed: (uuid: string) => Effect.Effect<boolean, SyncStateError>
  readonly isEventProcessed: (uuid: string) => Effect.Effect<boolean, SyncStateError>
  /**
   * Forgets the events processed before `before` and answers how many were
   * forgotten. Deliveries repeat within minutes, so keeping a few days is plenty;
   * without pruning the set grows with every event.
   */
  readonly pruneEvents: (before: Date) => Effect.Effect<number, SyncStateError>
  /** How many contacts the job owns. */
  readonly ownedCount: Effect.Effect<number, SyncStateError>
  /** How many source people are linked to a target person. */
  readonly linkedCount: Effect.Effect<number, SyncStateError>
  /** The number of records of the last complete read of a side. */
  readonly lastCount: (side: Side) => Effect.Effect<Option.Option<number>, SyncStateError>
  readonly setLastCount: (side: Side, count: number) => Effect.Effect<void, SyncStateError>
  /**
   * Takes the lease when it is free, expired, or already `lease.owner`'s (in
   * one atomic step); answers the holder when someone else holds it.
   */
  readonly tryLease: (lease: Lease) => Effect.Effect<Option.Option<Lease>, SyncStateError>
  /** Extends `owner`'s lease; `false` when `owner` no longer holds it. */
  readonly renewLease: (owner: string, heartbeatAt: number, expiresAt: number) => Effect.Effect<boolean, SyncStateError>
  /** Gives up `owner`'s lease (nothing when `owner` does not hold it). */
  readonly releaseLease: (owner: string) => Effect.Effect<void, SyncStateError>
  /** The import started and not seen finished, if any. */
  readonly pendingImport: Effect.Effect<Option.Option<PendingImport>, SyncStateError>
  /** Stores (or, with `undefined`, clears) the pending import. */
  readonly setPendingImport: (pending: PendingImport | undefined) => Effect.Effect<void, SyncStateError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class SyncState extends Context.Tag("@unified-people/core/SyncState")<SyncState, Service>() {}

const byContact = (a: Written, b: Written) =>
  a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0

const addTo = <K, V>(map: Map<K, Map<string, V>>, key: K, id: string, value: V) => {
  const inner = map.get(key)
  if (inner === undefined) map.set(key, new Map([[id, value]]))
  else inner.set(id, value)
}

const removeFrom = <K, V>(map: Map<K, Map<string, V>>, key: K, id: string) => {
  const inner = map.get(key)
  if (inner === undefined) return
  inner.delete(id)
  if (inner.size === 0) map.delete(key)
}

/**
 * Builds an in-memory state store, indexed by target person and by source person.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<Service> = Effect.sync((): Service => {
  let version: string | undefined
  const xrefs = new Map<string, string>()
  const byPerson = new Map<string, Map<string, Written>>()
  const bySource = new Map<string, Map<string, Written>>()
  /** uuid → when it was processed (epoch ms) */
  const events = new Map<string, number>()
  const fingerprints = new Map<string, string>()
  const counts = new Map<Side, number>()
  let held: Lease | undefined
  let pending: PendingImport | undefined
  const key = (personId: string, contactId: string) => `${personId}\u0000${contactId}`
  const forget = (personId: string, contactId: string) => {
    const previous = byPerson.get(personId)?.get(contactId)
    if (previous === undefined) return
    removeFrom(byPerson, personId, contactId)
    removeFrom(bySource, previous.sourceId, key(personId, contactId))
  }
  return {
    version: Effect.sync(() => Option.fromNullable(version)),
    setVersion: (next) => Effect.sync(() => void (version = next)),
    xref: (sourceId) => Effect.sync(() => Option.fromNullable(xrefs.get(sourceId))),
    setXref: (sourceId, targetId) => Effect.sync(() => void xrefs.set(sourceId, targetId)),
    deleteXref: (sourceId) =>
      Effect.sync(() => {
        xrefs.delete(sourceId)
        fingerprints.delete(sourceId)
      }),
    fingerprint: (sourceId) => Effect.sync(() => Option.fromNullable(fingerprints.get(sourceId))),
    setFingerprint: (sourceId, fingerprint) =>
      Effect.sync(() => {
        if (fingerprint === undefined) fingerprints.delete(sourceId)
        else if (xrefs.has(sourceId)) fingerprints.set(sourceId, fingerprint)
      }),
    xrefsTo: (targetId) => Effect.sync(() => [...xrefs.entries()].flatMap(([s, t]) => (t === targetId ? [s] : [])).sort()),
    xrefs: Effect.sync(() =>
      [...xrefs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sourceId, targetId]) => new Xref({ sourceId, targetId }))
    ),
    written: (personId) => Effect.sync(() => [...(byPerson.get(personId)?.values() ?? [])].sort(byContact)),
    writtenFor: (sourceId) => Effect.sync(() => [...(bySource.get(sourceId)?.values() ?? [])].sort(byContact)),
    recordWrite: (written) =>
      Effect.sync(() => {
        forget(written.personId, written.contactId)
        addTo(byPerson, written.personId, written.contactId, written)
        addTo(bySource, written.sourceId, key(written.personId, written.contactId), written)
      }),
    forgetWrite: (personId, contactId) => Effect.sync(() => forget(personId, contactId)),
    sources: Effect.sync(() => [...new Set([...xrefs.keys(), ...bySource.keys()])].sort()),
    markEventProcessed: (uuid) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        if (events.has(uuid)) return false
        events.set(uuid, now)
        return true
      }),
    isEventProcessed: (uuid) => Effect.sync(() => events.has(uuid)),
    pruneEvents: (before) =>
      Effect.sync(() => {
        let pruned = 0
        for (const [uuid, at] of events) {
          if (at < before.getTime()) {
            events.delete(uuid)
            pruned++
          }
        }
        return pruned
      }),
    ownedCount: Effect.sync(() => {
      let n = 0
      for (const inner of byPerson.values()) n += inner.size
      return n
    }),
    linkedCount: Effect.sync(() => xrefs.size),
    lastCount: (side) => Effect.sync(() => Option.fromNullable(counts.get(side))),
    setLastCount: (side, count) => Effect.sync(() => void counts.set(side, count)),
    tryLease: (lease) =>
      Effect.sync(() => {
        if (held === undefined || held.expiresAt <= lease.startedAt || held.owner === lease.owner) {
          held = lease
          return Option.none()
        }
        return Option.some(held)
      }),
    renewLease: (owner, heartbeatAt, expiresAt) =>
      Effect.sync(() => {
        if (held === undefined || held.owner !== owner) return false
        held = new Lease({ ...held, heartbeatAt, expiresAt })
        return true
      }),
    releaseLease: (owner) =>
      Effect.sync(() => {
        if (held?.owner === owner) held = undefined
      }),
    pendingImport: Effect.sync(() => Option.fromNullable(pending)),
    setPendingImport: (next) => Effect.sync(() => void (pending = next))
  }
})

/**
 * An in-memory state store (lost when the process ends).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<SyncState> = Layer.effect(SyncState, makeMemory)

/**
 * Options of {@link lease}.
 *
 * @since 0.1.0
 * @category models
 */
export interface LeaseOptions {
  /** Who takes the lease, shown to a run that finds the state busy (default: a random name with the process id). */
  readonly owner?: string | undefined
  /** How long the lease lasts without a heartbeat (default 60 s): a crashed run blocks others this long. */
  readonly ttl?: Duration.DurationInput | undefined
  /** How often the lease is renewed (default a third of `ttl`). */
  readonly heartbeat?: Duration.DurationInput | undefined
}

/**
 * A lease held for the length of a scope.
 *
 * @since 0.1.0
 * @category models
 */
export interface HeldLease {
  readonly owner: string
  /** `true` once a heartbeat found the lease taken over (this run stalled past its expiry): stop writing. */
  readonly lost: Effect.Effect<boolean>
}

/**
 * A default lease owner: the process id when there is one, and a random tag.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultOwner = (): string => {
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid
  const tag = Math.random().toString(36).slice(2, 8)
  return pid === undefined ? `run ${tag}` : `process ${pid} (${tag})`
}

/**
 * Takes the state's exclusive lease for the length of the scope, renews it in
 * the background, and gives it up when the scope closes. Fails at once with
 * {@link StateBusy} when another run holds it; a lease whose holder stopped
 * renewing it (a crash) is taken over once expired.
 *
 * @since 0.1.0
 * @category lease
 */
export const lease = (
  options: LeaseOptions = {}
): Effect.Effect<HeldLease, StateBusy | SyncStateError, SyncState | Scope.Scope> =>
  Effect.gen(function*() {
    const state = yield* SyncState
    const owner = options.owner ?? defaultOwner()
    const ttl = Duration.toMillis(options.ttl ?? Duration.seconds(60))
    const every = options.heartbeat === undefined ? Duration.millis(Math.max(1, Math.floor(ttl / 3))) : options.heartbeat
    const now = yield* Clock.currentTimeMillis
    const holder = yield* Effect.acquireRelease(
      state.tryLease(new Lease({ owner, startedAt: now, heartbeatAt: now, expiresAt: now + ttl })),
      (holder) => Option.isNone(holder) ? Effect.ignore(state.releaseLease(owner)) : Effect.void
    )
    if (Option.isSome(holder)) {
      return yield* new StateBusy({ ...holder.value, checkedAt: now })
    }
    const lost = yield* Ref.make(false)
    const renew = Effect.flatMap(Clock.currentTimeMillis, (at) => state.renewLease(owner, at, at + ttl)).pipe(
      Effect.flatMap((ours) => ours ? Effect.void : Ref.set(lost, true)),
      // a failed renewal is tried again at the next beat; the lease only lapses after `ttl`
      Effect.catchAll((error) => Effect.logWarning(`sync state lease: renewal failed: ${error.message}`))
    )
    yield* Effect.forkScoped(Effect.repeat(Effect.delay(renew, every), Schedule.forever))
    return { owner, lost: Ref.get(lost) }
  })
