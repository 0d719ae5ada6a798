/**
 * Applying a plan by the contact book's batch import: the people an import can
 * write (a primary e-mail to address them by, every contact's owner known, at
 * least one integration contact left) get one row set each: every
 * integration-owned contact they keep (with its id, so it stays as it is:
 * other integrations' contacts included, unchanged) and the new ones. The
 * import replaces each person's integration contacts by exactly those, so the
 * contacts people typed themselves are never touched. A follow-up export of
 * what changed since the upload checks every person and gives the new contact
 * ids to the state; a person the import did not write as planned is a failure,
 * tried again by the next run. The rows' fingerprint and the import's token are
 * kept in the state before the upload is answered, so an interrupted run's next
 * run polls the same import instead of uploading it again.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as ContactBook from "../../ContactBook.js"
import * as PeopleError from "../../PeopleError.js"
import type * as Sync from "../../Sync.js"
import * as SyncState from "../../SyncState.js"
import type { Env } from "./env.js"
import { normalizedOf } from "./project.js"
import { beginPerson, counted, failed, finishPerson, hasWork, record, type Tally } from "./steps.js"

/**
 * The rows an import would write for a person's plan, or why it cannot.
 *
 * @internal
 */
export const replacementOf = (plan: Sync.PersonPlan): ContactBook.Replacement | string => {
  if (!hasWork(plan) || plan.actions.length === 0) return "nothing to write"
  const personId = plan.personId
  if (personId === undefined || plan.actions.some((a) => a.personId !== personId)) return "writes to more than one person"
  if (plan.primaryEmail === undefined) return "no primary e-mail"
  if (plan.current === undefined) return "contacts not read"
  if (plan.current.some((c) => c.integration === undefined)) return "a contact whose owner is unknown"
  const deleted = new Set(plan.actions.flatMap((a) => (a._tag === "Delete" ? [a.contactId] : [])))
  const updated = new Map(plan.actions.flatMap((a) => (a._tag === "Update" ? [[a.contactId, a.point] as const] : [])))
  const kept = plan.current
    .filter((c) => (c.integration === true || updated.has(c.id)) && !deleted.has(c.id))
    .map((c) => ({ id: c.id, point: updated.get(c.id) ?? c.point }))
  const created = plan.actions.flatMap((a) => (a._tag === "Create" ? [{ point: a.point }] : []))
  const contacts = [...kept, ...created]
  if (contacts.length === 0) return "nothing left to keep (an import cannot empty a person)"
  return { personId, primaryEmail: plan.primaryEmail, contacts }
}

/** A stable fingerprint of an import's rows (two FNV-1a passes, 64 bits). */
const fingerprintOf = (rows: ReadonlyArray<ContactBook.Replacement>): string => {
  const text = JSON.stringify(rows.map((r) => [r.personId, r.primaryEmail, r.contacts.map((c) => [c.id ?? "", c.point.kind, c.point.normalized ?? c.point.value, c.point.label])]))
  return SyncState.hash({ kind: "import", normalized: text, label: "a" }) + SyncState.hash({ kind: "import", normalized: text, label: "b" })
}

/** Splits the rows so that no import carries more than `maxRows` contacts (a person's rows stay together). */
const chunked = (rows: ReadonlyArray<ContactBook.Replacement>, maxRows: number | undefined) => {
  if (maxRows === undefined) return [rows]
  const chunks: Array<Array<ContactBook.Replacement>> = []
  let current: Array<ContactBook.Replacement> = []
  let size = 0
  for (const row of rows) {
    if (current.length > 0 && size + row.contacts.length > maxRows) {
      chunks.push(current)
      current = []
      size = 0
    }
    current.push(row)
    size += row.contacts.length
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

const listed = (env: Env, personId: string) => Stream.runCollect(env.options.contacts.list(personId)).pipe(Effect.map(Chunk.toReadonlyArray))

const keyOf = (point: { readonly kind: string; readonly label: string }, normalized: string | undefined) =>
  `${point.kind}|${point.label}|${normalized ?? ""}`

/** Checks a person after the import and records what the job now owns there; the missing rows, if any. */
const settle = (env: Env, plan: Sync.PersonPlan, row: ContactBook.Replacement, after: ReadonlyArray<ContactBook.Contact>) =>
  Effect.gen(function*() {
    const owned = after.filter((c) => c.integration !== false)
    const used = new Set<string>()
    const find = (point: ContactBook.Replacement["contacts"][number]["point"], id: string | undefined) => {
      const byId = id === undefined ? undefined : owned.find((c) => c.id === id && !used.has(c.id))
      const key = keyOf(point, normalizedOf(point, env.defaultRegion))
      const hit = byId !== undefined && keyOf(byId.point, normalizedOf(byId.point, env.defaultRegion)) === key
        ? byId
        : owned.find((c) => !used.has(c.id) && keyOf(c.point, normalizedOf(c.point, env.defaultRegion)) === key)
      if (hit !== undefined) used.add(hit.id)
      return hit
    }
    const missing: Array<string> = []
    const found = new Map<ContactBook.Replacement["contacts"][number], ContactBook.Contact>()
    for (const c of row.contacts) {
      const hit = find(c.point, c.id)
      if (hit === undefined) missing.push(`${c.point.kind} ${c.point.label} ${c.point.normalized ?? c.point.value}`)
      else found.set(c, hit)
    }
    if (missing.length > 0) return missing
    // the job's writes: created and updated contacts get their (new) ids in the state; deleted ones are forgotten
    const mine = new Set(plan.actions.flatMap((a) => (a._tag === "Delete" ? [] : [a.point])))
    for (const [c, hit] of found) {
      if (mine.has(c.point)) yield* record(env, row.personId, plan.sourceId, hit.id, c.point)
    }
    for (const a of plan.actions) if (a._tag === "Delete") yield* env.state.forgetWrite(a.personId, a.contactId)
    return missing
  })

/**
 * Applies what it can of a plan by import; answers the people it took care of
 * (written, or failed), so the rest are written one by one.
 *
 * @internal
 */
export const applyByImport = (
  env: Env,
  plan: Sync.Plan,
  tally: Tally,
  lease: SyncState.HeldLease | undefined
): Effect.Effect<ReadonlySet<Sync.PersonPlan>, Sync.SyncError> =>
  Effect.gen(function*() {
    const bulk = env.options.contacts.bulk
    const mode = env.options.bulk ?? "auto"
    const handled = new Set<Sync.PersonPlan>()
    if (bulk === undefined || mode === "never") return handled
    const candidates = plan.people.flatMap((p) => {
      const row = replacementOf(p)
      return typeof row === "string" ? [] : [[p, row] as const]
    })
    if (candidates.length === 0 || (mode === "auto" && candidates.length <= (env.options.bulkThreshold ?? 20))) return handled
    const planOf = new Map(candidates.map(([p, row]) => [row.personId, p]))
    for (const chunk of chunked(candidates.map(([, row]) => row), bulk.maxRows)) {
      const ready: Array<ContactBook.Replacement> = []
      for (const row of chunk) {
        const p = planOf.get(row.personId)!
        handled.add(p)
        if (yield* beginPerson(env, p, tally, lease)) ready.push(row)
      }
      if (ready.length === 0) continue
      const fingerprint = fingerprintOf(ready)
      const pending = Option.getOrUndefined(yield* env.state.pendingImport)
      const resume = pending?.fingerprint === fingerprint ? pending.token : undefined
      const startedAt = resume !== undefined ? pending!.startedAt : yield* Clock.currentTimeMillis
      if (resume === undefined) yield* env.state.setPendingImport(new SyncState.PendingImport({ fingerprint, startedAt }))
      let uploaded = resume !== undefined
      const imported = yield* Effect.either(
        env.meter.counted(
          "contacts",
          bulk.replaceIntegrationContacts(ready, {
            resume,
            onToken: (token) =>
              Effect.ignore(env.state.setPendingImport(new SyncState.PendingImport({ fingerprint, token, startedAt }))).pipe(
                Effect.tap(() => Effect.sync(() => void (uploaded = true)))
              )
          })
        )
      )
      const failAll = (error: PeopleError.PeopleError) =>
        Effect.forEach(ready, (row) => failed(env, tally, planOf.get(row.personId)!.actions[0]!, error), { discard: true })
      if (imported._tag === "Left") {
        // an import the book ended (refused, or in error) is over: the next run plans again from what is there;
        // one uploaded and lost sight of (a dropped connection) is still running: the next run polls it
        if (!(uploaded && imported.left.isRetryable)) yield* env.state.setPendingImport(undefined)
        yield* failAll(imported.left)
        continue
      }
      const result = imported.right
      const verified = yield* Effect.either(env.meter.counted("contacts", bulk.exportAll({ since: new Date(startedAt) })))
      yield* env.state.setPendingImport(undefined)
      if (verified._tag === "Left") {
        yield* failAll(verified.left)
        continue
      }
      let creates = 0
      let deletes = 0
      for (const row of ready) {
        const p = planOf.get(row.personId)!
        // a person the follow-up export does not list was not changed by the import: read them
        const after = verified.right.contacts.get(row.personId) ??
          (yield* env.meter.counted("contacts", listed(env, row.personId)).pipe(Effect.orElseSucceed(() => [])))
        const missing = yield* settle(env, p, row, after)
        if (missing.length > 0) {
          const reason = `the import did not write ${missing.join(", ")}${result.log.length === 0 ? "" : ` (${result.log.slice(0, 2).join("; ")})`}`
          yield* failed(env, tally, p.actions[0]!, new PeopleError.Unavailable({ module: env.targetSystem, method: "import", reason }))
          continue
        }
        for (const a of p.actions) {
          if (a._tag === "Create") creates++
          if (a._tag === "Delete") deletes++
          yield* counted(env, tally, a)
        }
        yield* finishPerson(env, p)
      }
      if (result.created !== creates || result.deleted !== deletes || result.failures > 0 || result.errors > 0) {
        tally.notes.push(
          `an import of ${ready.length} people reported ${result.created} created, ${result.deleted} deleted, ` +
            `${result.failures} failures, ${result.errors} errors (planned: ${creates} created, ${deletes} deleted)`
        )
      }
    }
    return handled
  })

