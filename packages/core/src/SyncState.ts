/**
 * The state store of a sync job: the directory version (ETag) of the last
 * complete run, cross-references (source remote id → target person id) with the
 * fingerprint of what the job last synced for that person, what the job last
 * wrote for each target contact, and the webhook events already processed. One store holds the state of one job.
 *
 * `layerMemory` keeps it in memory (tests, one-off runs);
 * `@unified-people/core/SyncState/Sqlite` persists it in an embedded SQLite file.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
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
      })
  }
})

/**
 * An in-memory state store (lost when the process ends).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<SyncState> = Layer.effect(SyncState, makeMemory)
