/**
 * Planning a run: a full run reads the directory once (unless unchanged) and
 * plans every person, then the people gone from it; a partial run re-reads just
 * the people named. Each person's plan holds its remote writes and state-only
 * steps; people with nothing to do or to report are left out.
 *
 * Nothing is deleted without proof: removals need a trusted (complete and
 * plausible) full read and a confirmed absence, clean-ups of unmatched people
 * need a trusted read of the target; what lacks proof is held back, and a read
 * that fails for one person makes that person a failure, not a removal.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as ContactPoint from "../../ContactPoint.js"
import type * as PeopleDirectory from "../../PeopleDirectory.js"
import type { Person } from "../../Person.js"
import * as PeopleError from "../../PeopleError.js"
import type * as Sync from "../../Sync.js"
import type * as SyncState from "../../SyncState.js"
import { type Compared, compare } from "./compare.js"
import type { Env } from "./env.js"
import * as guard from "./guard.js"
import { buildIndex, type Candidate, claim, exportIndex, type Index, matchPerson } from "./match.js"
import { fingerprint, project, remoteIdOf } from "./project.js"
import { resolveUnmatched } from "./resolve.js"

const empty = (sourceId: string): Sync.PersonPlan => ({
  sourceId,
  removed: false,
  link: false,
  unlink: false,
  actions: [],
  adopt: [],
  forget: [],
  skipped: []
})

const merge = (plan: Sync.PersonPlan, compared: Compared): Sync.PersonPlan => ({
  ...plan,
  actions: [...plan.actions, ...compared.actions],
  adopt: [...plan.adopt, ...compared.adopt],
  forget: [...plan.forget, ...compared.forget],
  skipped: [...plan.skipped, ...compared.skipped]
})

/** A read for one person failed: the person is a failure of this run, never a removal. */
const orFailure = (plan: Sync.PersonPlan) =>
(
  effect: Effect.Effect<Sync.PersonPlan, PeopleError.PeopleError | SyncState.SyncStateError>
): Effect.Effect<Sync.PersonPlan, SyncState.SyncStateError> =>
  Effect.catchIf(
    effect,
    PeopleError.isPeopleError,
    (error): Effect.Effect<Sync.PersonPlan> => Effect.succeed({ ...plan, failure: error })
  )

/** Removes what the job wrote for `sourceId` on every target person except `keep`. */
const cleanUp = (env: Env, plan: Sync.PersonPlan, keep: string | undefined, reason: string) =>
  Effect.gen(function*() {
    const targets = [...new Set((yield* env.state.writtenFor(plan.sourceId)).map((w) => w.personId))].filter((t) => t !== keep)
    let result = plan
    for (const target of targets) {
      const { compared } = yield* compare(env, plan.sourceId, target, [], reason)
      result = merge(result, compared)
    }
    return result
  })

/** Plans the removal of a source person whose absence is confirmed. */
const planRemoved = (env: Env, sourceId: string) =>
  Effect.gen(function*() {
    const xref = yield* env.state.xref(sourceId)
    const base: Sync.PersonPlan = { ...empty(sourceId), removed: true, unlink: Option.isSome(xref) }
    return yield* cleanUp(env, base, undefined, "the person left the directory").pipe(orFailure(base))
  })

/** A removal held back: the evidence does not prove the person is gone. */
const heldRemoval = (sourceId: string, reason: string): Sync.PersonPlan => ({ ...empty(sourceId), removed: true, held: reason })

/**
 * A removal the guard will refuse anyway: planned from the state alone (what
 * the job wrote for the person), so no call confirms an absence for nothing.
 */
const unconfirmedRemoval = (written: ReadonlyArray<SyncState.Written>, sourceId: string): Sync.PersonPlan => ({
  ...empty(sourceId),
  removed: true,
  actions: written.map((w): Sync.Delete => ({
    _tag: "Delete",
    personId: w.personId,
    sourceId,
    contactId: w.contactId,
    point: new ContactPoint.ContactPoint({ kind: w.kind, value: w.normalized, normalized: w.normalized, label: w.label }, true),
    reason: "the person left the directory (absence not confirmed yet)"
  }))
})

/** How a person plan may clean up what the job wrote for a person who no longer matches. */
type CleanUpPolicy = { readonly _tag: "Allowed" } | { readonly _tag: "Held"; readonly reason: string }

const allowed: CleanUpPolicy = { _tag: "Allowed" }

/** Plans one matched (or unmatched) source person. */
const planPerson = (env: Env, { matched, person, sourceId }: Candidate, verify: boolean, unmatchedCleanUp: CleanUpPolicy) =>
  Effect.gen(function*() {
    const projected = project(person, {
      system: env.sourceSystem,
      sourceId,
      labels: env.options.labels,
      kinds: env.options.kinds,
      defaultRegion: env.defaultRegion,
      maxLength: env.options.contacts.maxLength,
      canHold: env.options.contacts.canHold
    })
    let plan: Sync.PersonPlan = { ...empty(sourceId), name: person.displayName, skipped: [...projected.skipped] }
    if (matched._tag === "Unknown") return { ...plan, failure: matched.error }
    const xref = yield* env.state.xref(sourceId)
    if (matched._tag === "Unmatched") {
      yield* env.meter.tick((c) => c.unmatched++)
      plan = {
        ...plan,
        skipped: [...plan.skipped, { _tag: "Skip", sourceId, reason: matched.reason }],
        ...(matched.suggestions === undefined ? {} : { suggestions: matched.suggestions })
      }
      if (unmatchedCleanUp._tag === "Held") {
        const written = yield* env.state.writtenFor(sourceId)
        return written.length === 0 && Option.isNone(xref) ? plan : { ...plan, held: unmatchedCleanUp.reason }
      }
      return yield* cleanUp(env, { ...plan, unlink: Option.isSome(xref) }, undefined, "the person no longer matches")
    }
    yield* env.meter.tick((c) => c.matched++)
    const personId = matched.personId
    const print = fingerprint(personId, projected.desired)
    const stored = yield* env.state.fingerprint(sourceId)
    const linked = Option.isSome(xref) && xref.value === personId
    if (!verify && linked && Option.getOrUndefined(stored) === print) {
      // Nothing changed since this person was last synced: no need to read the contacts.
      return { ...plan, personId, matchedBy: matched.by, ...(matched.evidence === undefined ? {} : { evidence: matched.evidence }) }
    }
    const { compared, current, missing } = yield* compare(env, sourceId, personId, projected.desired, "no longer in the directory")
    plan = merge(
      {
        ...plan,
        current,
        personId,
        matchedBy: matched.by,
        ...(matched.evidence === undefined ? {} : { evidence: matched.evidence }),
        link: !missing && !linked,
        unlink: missing && Option.isSome(xref),
        fingerprint: missing || Option.getOrUndefined(stored) === print ? undefined : print
      },
      compared
    )
    return yield* cleanUp(env, plan, personId, "the person now matches another person")
  }).pipe(orFailure({ ...empty(sourceId), name: person.displayName }))

const interesting = (plan: Sync.PersonPlan) =>
  plan.removed || plan.link || plan.unlink || plan.fingerprint !== undefined || plan.actions.length > 0 || plan.adopt.length > 0 ||
  plan.forget.length > 0 || plan.skipped.length > 0 || plan.held !== undefined || plan.failure !== undefined ||
  plan.suggestions !== undefined

const planned = (env: Env) => (plan: Sync.PersonPlan) =>
  env.meter.bump((c) => {
    c.peoplePlanned++
    c.actionsPlanned += plan.actions.length
    if (plan.failure !== undefined) c.failures++
  }).pipe(Effect.as(plan))

/**
 * What a full read of one side proves: complete (by the adapter's audit) and
 * plausible against the last complete read of that side.
 */
const checkRead = (
  env: Env,
  side: SyncState.Side,
  completeness: PeopleDirectory.Completeness,
  records: number
): Effect.Effect<Sync.ReadCheck, SyncState.SyncStateError> =>
  Effect.gen(function*() {
    const previous = Option.getOrUndefined(yield* env.state.lastCount(side))
    const issues = [...completeness.issues]
    const system = side === "source" ? env.sourceSystem : env.targetSystem
    if (env.options.allowMassDelete !== true && previous !== undefined && previous > 0) {
      const ratio = env.options.minReadRatio ?? 0.5
      if (records === 0) {
        issues.push(`the ${system} read is empty, the last complete read had ${previous}: implausible`)
      } else if (records < previous * ratio) {
        issues.push(
          `the ${system} read has ${records} people, the last complete read had ${previous}: implausible (under ${Math.round(ratio * 100)}%)`
        )
      }
    }
    return {
      side,
      trusted: issues.length === 0,
      records,
      ...(previous === undefined ? {} : { previous }),
      issues,
      unreadable: completeness.unreadable
    }
  })

const distrust = (check: Sync.ReadCheck, issue: string): Sync.ReadCheck => ({
  ...check,
  trusted: false,
  issues: [...check.issues, issue]
})

/** A person of the source the read could not decode: not gone, but not plannable this run. */
const unreadablePlan = (env: Env, u: PeopleDirectory.Unreadable & { readonly remoteId: string }): Sync.PersonPlan => ({
  ...empty(u.remoteId),
  failure: new PeopleError.DecodeError({ module: env.sourceSystem, method: "snapshot", path: u.path, reason: u.reason })
})

/**
 * Plans the people absent from a full read. Only a trusted read can prove an
 * absence, and each absence is confirmed by a direct read (`NotFound`) unless
 * the guard will refuse the run anyway.
 */
const planAbsent = (env: Env, absent: ReadonlyArray<string>, sourceCheck: Sync.ReadCheck) =>
  Effect.gen(function*() {
    if (absent.length === 0) return { plans: [], check: sourceCheck }
    if (!sourceCheck.trusted) {
      const reason = `absent from a read of the directory that proves nothing (${sourceCheck.issues.join("; ")}): not removed`
      return { plans: absent.map((id) => heldRemoval(id, reason)), check: sourceCheck }
    }
    const written = yield* Effect.forEach(absent, (id) => env.state.writtenFor(id))
    const wouldDelete = written.reduce((n, w) => n + w.length, 0)
    if (env.options.allowMassDelete !== true && wouldDelete > guard.limitOf(env, yield* env.state.ownedCount)) {
      return { plans: absent.map((id, i) => unconfirmedRemoval(written[i]!, id)), check: sourceCheck }
    }
    const present: Array<string> = []
    const plans = yield* Effect.forEach(
      absent,
      (id) =>
        Effect.either(env.meter.counted("source", env.options.source.get(id))).pipe(
          Effect.flatMap((read) => {
            if (read._tag === "Left" && read.left._tag === "NotFound") return planRemoved(env, id)
            if (read._tag === "Right") {
              present.push(id)
              return Effect.succeed(heldRemoval(id, "missing from the directory listing but found by a direct read: not removed"))
            }
            return Effect.succeed(heldRemoval(id, `the absence could not be confirmed (${read.left.message}): not removed`))
          })
        ),
      { concurrency: env.concurrency }
    )
    const check = present.length === 0
      ? sourceCheck
      : distrust(sourceCheck, `${present.length} people missing from the listing were found by a direct read (${present.slice(0, 3).join(", ")})`)
    return { plans, check }
  })

const finishPlan = (
  env: Env,
  base: Omit<Sync.Plan, "guard" | "people" | "matched" | "unmatched">,
  people: ReadonlyArray<Sync.PersonPlan>
) =>
  Effect.gen(function*() {
    const kept = people.filter(interesting)
    const owned = yield* env.state.ownedCount
    const linked = yield* env.state.linkedCount
    return {
      ...base,
      matched: env.meter.counters().matched,
      unmatched: env.meter.counters().unmatched,
      people: kept,
      guard: guard.evaluate(env, kept, owned, linked)
    } satisfies Sync.Plan
  })

/** The plan of a directory unchanged since the stored version. */
const unchangedPlan = (version: string): Sync.Plan => ({
  mode: "full",
  unchanged: true,
  version,
  peopleRead: 0,
  matched: 0,
  unmatched: 0,
  people: [],
  reads: [],
  guard: { deletes: 0, limit: 0, owned: 0, unmatched: 0, unmatchedLimit: 0, linked: 0, tripped: false }
})

/** Whether a full run reads the target's contacts by one export or person by person. */
const readMode = (env: Env): Effect.Effect<"export" | "rest", SyncState.SyncStateError> =>
  Effect.gen(function*() {
    const mode = env.options.bulk ?? "auto"
    if (env.options.contacts.bulk === undefined || mode === "never" || env.options.match === "search") return "rest"
    if (mode === "always") return "export"
    const last = Option.getOrUndefined(yield* env.state.lastCount("target"))
    return last !== undefined && last < (env.options.bulkReadMinimum ?? 200) ? "rest" : "export"
  })

/** A person's primary e-mail, as the target's mapping marks it. */
const primaryEmailOf = (person: Person | undefined): string | undefined =>
  person?.contactPoints.find((p) => p.kind === "email" && p.primary === true)?.value

/**
 * Plans a full run: reads the directory unless unchanged, matches, compares.
 *
 * @internal
 */
export const planFull = (env: Env): Effect.Effect<Sync.Plan, Sync.SyncError> =>
  planFullWith(env).pipe(Effect.ensuring(Effect.sync(() => void (env.exported.current = undefined))))

const planFullWith = (env: Env): Effect.Effect<Sync.Plan, Sync.SyncError> =>
  Effect.gen(function*() {
    yield* env.meter.start("reading")
    const stored = yield* env.state.version
    const snapshot = yield* env.meter.counted("source", env.options.source.snapshot({ ifNoneMatch: Option.getOrUndefined(stored) }))
    if (snapshot._tag === "NotModified") return unchangedPlan(snapshot.version)
    env.exported.current = undefined
    let readBy = yield* readMode(env)
    if (readBy === "export") {
      // an export that fails (other than for the credentials) is not the run's end: the contacts are read person by person
      const exported = yield* env.meter.counted("contacts", env.options.contacts.bulk!.exportAll()).pipe(
        Effect.map(Option.some),
        Effect.catchIf(
          (error) => error._tag !== "Unauthorized" && error._tag !== "Forbidden",
          (error) =>
            Effect.as(
              Effect.logWarning(`the export of ${env.targetSystem} failed (${error.reason}): its contacts are read person by person`),
              Option.none()
            )
        )
      )
      if (Option.isSome(exported)) env.exported.current = exported.value
      else readBy = "rest"
    }
    const target = env.options.match === "search"
      ? undefined
      : env.exported.current === undefined
      ? yield* buildIndex(env)
      : yield* exportIndex(env, env.exported.current)
    const index: Index | undefined = target?.index
    const seen = new Set<string>()
    const read = yield* snapshot.people.pipe(
      Stream.tap(() => env.meter.tick((c) => c.peopleRead++)),
      Stream.filter((person) => {
        const id = remoteIdOf(person, env.sourceSystem)
        if (seen.has(id)) return false
        seen.add(id)
        return true
      }),
      Stream.runCollect,
      Effect.map(Chunk.toReadonlyArray)
    )
    const completeness = yield* snapshot.completeness
    const unreadable: Array<Sync.PersonPlan> = []
    for (const u of completeness.unreadable) {
      if (u.remoteId === undefined || seen.has(u.remoteId)) continue
      seen.add(u.remoteId)
      unreadable.push(unreadablePlan(env, { ...u, remoteId: u.remoteId }))
    }
    const sourceCheck = yield* checkRead(env, "source", completeness, seen.size)
    yield* env.meter.phase("planning")
    const exact = yield* Effect.forEach(read, (person) => matchPerson(env, person, index), { concurrency: env.concurrency })
    const matches = index === undefined || env.options.resolve === false ? exact : resolveUnmatched(env, exact, index)
    let targetCheck = target === undefined ? undefined : yield* checkRead(env, "target", target.completeness, target.index.ids.size)
    if (targetCheck !== undefined && index !== undefined && index.missing.length > 0) {
      targetCheck = distrust(targetCheck, `${index.missing.length} linked people missing from the listing were found by a direct read`)
    }
    const cleanUpPolicy: CleanUpPolicy = targetCheck === undefined || targetCheck.trusted ? allowed : {
      _tag: "Held",
      reason: `not matched, but the read of ${env.targetSystem} proves nothing (${targetCheck.issues.join("; ")}): nothing removed`
    }
    const candidates = yield* claim(env, matches, false)
    const people = yield* Effect.forEach(
      candidates,
      (c) => Effect.flatMap(planPerson(env, c, env.options.verify === true, cleanUpPolicy), planned(env)),
      { concurrency: env.concurrency }
    )
    const absent = (yield* env.state.sources).filter((id) => !seen.has(id))
    const removals = yield* planAbsent(env, absent, sourceCheck)
    for (const p of [...unreadable, ...removals.plans]) yield* planned(env)(p)
    const emails = env.exported.current?.primaryEmails
    env.exported.current = undefined
    const withEmail = (p: Sync.PersonPlan): Sync.PersonPlan => {
      if (p.personId === undefined) return p
      const email = emails?.get(p.personId) ?? (index === undefined ? undefined : primaryEmailOf(index.people.get(p.personId)))
      return email === undefined ? p : { ...p, primaryEmail: email }
    }
    return yield* finishPlan(env, {
      mode: "full",
      read: readBy,
      unchanged: false,
      version: snapshot.version,
      peopleRead: seen.size,
      reads: targetCheck === undefined ? [removals.check] : [removals.check, targetCheck]
    }, [...people, ...unreadable, ...removals.plans].map(withEmail))
  })

/**
 * Plans just the named source people, re-read one by one. A person the direct
 * read does not find is removed only when `removed` confirms it (a delete
 * event); otherwise the removal is held for the next full run.
 *
 * @internal
 */
export const planPeople = (
  env: Env,
  remoteIds: Iterable<string>,
  removed: ReadonlySet<string> = new Set()
): Effect.Effect<Sync.Plan, Sync.SyncError> =>
  Effect.gen(function*() {
    yield* env.meter.start("planning")
    const ids = [...new Set(remoteIds)]
    const read = yield* Effect.forEach(
      ids,
      (id) =>
        env.meter.counted("source", env.options.source.get(id)).pipe(
          Effect.tap(() => env.meter.tick((c) => c.peopleRead++)),
          Effect.either
        ),
      { concurrency: env.concurrency }
    )
    const present = read.flatMap((r) => (r._tag === "Right" ? [r.right] : []))
    const matches = yield* Effect.forEach(present, (person) => matchPerson(env, person, undefined), { concurrency: env.concurrency })
    const candidates = yield* claim(env, matches, true)
    const personPlans = yield* Effect.forEach(
      candidates,
      (c) => Effect.flatMap(planPerson(env, c, true, allowed), planned(env)),
      { concurrency: env.concurrency }
    )
    const others = yield* Effect.forEach(
      ids.flatMap((id, i) => {
        const r = read[i]!
        return r._tag === "Left" ? [[id, r.left] as const] : []
      }),
      ([id, error]) => {
        if (error._tag !== "NotFound") return planned(env)({ ...empty(id), failure: error })
        if (removed.has(id)) return Effect.flatMap(planRemoved(env, id), planned(env))
        return Effect.flatMap(
          env.state.writtenFor(id),
          (written) =>
            planned(env)(
              written.length === 0
                ? empty(id)
                : heldRemoval(id, "not found by a direct read, but no delete event confirms it: left for the next full run")
            )
        )
      },
      { concurrency: env.concurrency }
    )
    return yield* finishPlan(env, {
      mode: "partial",
      unchanged: false,
      version: undefined,
      peopleRead: ids.length,
      reads: []
    }, [...personPlans, ...others])
  })
