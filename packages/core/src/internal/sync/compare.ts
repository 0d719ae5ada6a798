/**
 * Comparing what a source person implies on a target person with the target's
 * contacts: which desired values the job already holds, which another contact
 * holds (adopted, or skipped when a person owns it), which changed (an update
 * reusing a contact), which are new (creates) and which the job no longer needs
 * (deletes); plus the state-only adopt and forget steps.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as ContactBook from "../../ContactBook.js"
import type * as ContactPoint from "../../ContactPoint.js"
import * as PeopleError from "../../PeopleError.js"
import type * as Sync from "../../Sync.js"
import * as SyncState from "../../SyncState.js"
import type { Env } from "./env.js"
import { normalizedOf } from "./project.js"

/**
 * The steps a comparison found.
 *
 * @internal
 */
export interface Compared {
  readonly actions: Array<Sync.Action>
  readonly adopt: Array<Sync.Adopt>
  readonly forget: Array<Sync.Forget>
  readonly skipped: Array<Sync.Skip>
}

const byId = (a: ContactBook.Contact, b: ContactBook.Contact) =>
  a.id.length !== b.id.length ? a.id.length - b.id.length : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** A person's contacts: from the run's export when there is one, else listed. */
const listContacts = (env: Env, personId: string): Effect.Effect<ReadonlyArray<ContactBook.Contact>, PeopleError.PeopleError> => {
  const exported = env.exported.current
  if (exported !== undefined) {
    const contacts = exported.contacts.get(personId)
    if (contacts !== undefined) return Effect.succeed([...contacts].sort(byId))
    // an export that read everyone and not this person: the person is gone
    if (exported.completeness.complete) {
      return Effect.fail(new PeopleError.NotFound({ module: env.targetSystem, method: "export", reason: `no person ${personId} in the export` }))
    }
  }
  return env.meter.countedStream("contacts", env.options.contacts.list(personId)).pipe(
    Stream.runCollect,
    Effect.map((chunk) => [...Chunk.toReadonlyArray(chunk)].sort(byId))
  )
}

/**
 * Compares what a source person implies on a target person with the target's
 * contacts. `desired` empty means: remove everything the job wrote there for
 * this source.
 *
 * @internal
 */
export const compare = (
  env: Env,
  sourceId: string,
  personId: string,
  desired: ReadonlyArray<ContactPoint.ContactPoint>,
  goneReason: string
) =>
  Effect.gen(function*() {
    const out: Compared = { actions: [], adopt: [], forget: [], skipped: [] }
    const listed = yield* Effect.either(listContacts(env, personId))
    if (listed._tag === "Left") {
      if (listed.left._tag !== "NotFound") return yield* listed.left
      // The target person is gone: whatever the job wrote there went with it.
      for (const w of yield* env.state.written(personId)) {
        out.forget.push({ _tag: "Forget", personId, contactId: w.contactId, reason: "the person no longer exists" })
      }
      out.skipped.push({ _tag: "Skip", sourceId, personId, reason: "the target person no longer exists" })
      return { compared: out, missing: true, current: [] as ReadonlyArray<ContactBook.Contact> }
    }
    const current = listed.right
    const writtenHere = yield* env.state.written(personId)
    const mine = new Map(writtenHere.filter((w) => w.sourceId === sourceId).map((w) => [w.contactId, w]))
    const others = new Map(writtenHere.filter((w) => w.sourceId !== sourceId).map((w) => [w.contactId, w]))
    const currentIds = new Set(current.map((c) => c.id))
    for (const w of mine.values()) {
      if (!currentIds.has(w.contactId)) {
        out.forget.push({ _tag: "Forget", personId, contactId: w.contactId, reason: "the contact no longer exists" })
      }
    }
    const keyOf = (c: ContactBook.Contact) => {
      const normalized = normalizedOf(c.point, env.defaultRegion)
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
        const read = yield* Effect.either(env.meter.counted("contacts", env.options.contacts.get(personId, hit.id)))
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
    return { compared: out, missing: false, current }
  })

