/**
 * Planning a run: a full run reads the directory once (unless unchanged) and
 * plans every person, then the people gone from it; a partial run re-reads just
 * the people named. Each person's plan holds its remote writes and state-only
 * steps; people with nothing to do or to report are left out.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Sync from "../../Sync.js"
import { type Compared, compare } from "./compare.js"
import type { Env } from "./env.js"
import { buildIndex, type Candidate, claim, matchPerson } from "./match.js"
import { fingerprint, project, remoteIdOf } from "./project.js"

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

/** Plans the removal of a source person gone from the directory. */
const planRemoved = (env: Env, sourceId: string) =>
  Effect.gen(function*() {
    const xref = yield* env.state.xref(sourceId)
    const base: Sync.PersonPlan = { ...empty(sourceId), removed: true, unlink: Option.isSome(xref) }
    return yield* cleanUp(env, base, undefined, "the person left the directory")
  })

/** Plans one matched (or unmatched) source person. */
const planPerson = (env: Env, { matched, person, sourceId }: Candidate, verify: boolean) =>
  Effect.gen(function*() {
    const projected = project(person, {
      system: env.sourceSystem,
      sourceId,
      labels: env.options.labels,
      kinds: env.options.kinds,
      defaultRegion: env.defaultRegion
    })
    const xref = yield* env.state.xref(sourceId)
    let plan: Sync.PersonPlan = { ...empty(sourceId), name: person.displayName, skipped: [...projected.skipped] }
    if (matched._tag === "Unmatched") {
      yield* env.meter.tick((c) => c.unmatched++)
      plan = {
        ...plan,
        unlink: Option.isSome(xref),
        skipped: [...plan.skipped, { _tag: "Skip", sourceId, reason: matched.reason }]
      }
      return yield* cleanUp(env, plan, undefined, "the person no longer matches")
    }
    yield* env.meter.tick((c) => c.matched++)
    const personId = matched.personId
    const print = fingerprint(personId, projected.desired)
    const stored = yield* env.state.fingerprint(sourceId)
    const linked = Option.isSome(xref) && xref.value === personId
    if (!verify && linked && Option.getOrUndefined(stored) === print) {
      // Nothing changed since this person was last synced: no need to read the contacts.
      return { ...plan, personId, matchedBy: matched.by }
    }
    const { compared, missing } = yield* compare(env, sourceId, personId, projected.desired, "no longer in the directory")
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
    return yield* cleanUp(env, plan, personId, "the person now matches another person")
  })

const interesting = (plan: Sync.PersonPlan) =>
  plan.removed || plan.link || plan.unlink || plan.fingerprint !== undefined || plan.actions.length > 0 || plan.adopt.length > 0 ||
  plan.forget.length > 0 || plan.skipped.length > 0

const planned = (env: Env) => (plan: Sync.PersonPlan) =>
  env.meter.bump((c) => {
    c.peoplePlanned++
    c.actionsPlanned += plan.actions.length
  }).pipe(Effect.as(plan))

/**
 * Plans a full run: reads the directory unless unchanged, matches, compares.
 *
 * @internal
 */
export const planFull = (env: Env): Effect.Effect<Sync.Plan, Sync.SyncError> =>
  Effect.gen(function*() {
    yield* env.meter.start("reading")
    const stored = yield* env.state.version
    const snapshot = yield* env.meter.counted("source", env.options.source.snapshot({ ifNoneMatch: Option.getOrUndefined(stored) }))
    if (snapshot._tag === "NotModified") {
      return { mode: "full", unchanged: true, version: snapshot.version, peopleRead: 0, matched: 0, unmatched: 0, people: [] } satisfies Sync.Plan
    }
    const index = env.options.match === "search" ? undefined : yield* buildIndex(env)
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
    yield* env.meter.phase("planning")
    const matches = yield* Effect.forEach(read, (person) => matchPerson(env, person, index), { concurrency: env.concurrency })
    const candidates = yield* claim(env, matches, false)
    const people = yield* Effect.forEach(candidates, (c) => Effect.flatMap(planPerson(env, c, env.options.verify === true), planned(env)), {
      concurrency: env.concurrency
    })
    const removed = (yield* env.state.sources).filter((id) => !seen.has(id))
    const removals = yield* Effect.forEach(removed, (id) => Effect.flatMap(planRemoved(env, id), planned(env)), {
      concurrency: env.concurrency
    })
    return {
      mode: "full",
      unchanged: false,
      version: snapshot.version,
      peopleRead: seen.size,
      matched: env.meter.counters().matched,
      unmatched: env.meter.counters().unmatched,
      people: [...people, ...removals].filter(interesting)
    } satisfies Sync.Plan
  })

/**
 * Plans just the named source people (re-read one by one; absent ones are removals).
 *
 * @internal
 */
export const planPeople = (env: Env, remoteIds: Iterable<string>): Effect.Effect<Sync.Plan, Sync.SyncError> =>
  Effect.gen(function*() {
    yield* env.meter.start("planning")
    const ids = [...new Set(remoteIds)]
    const read = yield* Effect.forEach(
      ids,
      (id) =>
        env.meter.counted("source", env.options.source.get(id)).pipe(
          Effect.tap(() => env.meter.tick((c) => c.peopleRead++)),
          Effect.map(Option.some),
          Effect.catchTag("NotFound", () => Effect.succeedNone)
        ),
      { concurrency: env.concurrency }
    )
    const present = read.flatMap((p) => (Option.isSome(p) ? [p.value] : []))
    const matches = yield* Effect.forEach(present, (person) => matchPerson(env, person, undefined), { concurrency: env.concurrency })
    const candidates = yield* claim(env, matches, true)
    const personPlans = yield* Effect.forEach(candidates, (c) => Effect.flatMap(planPerson(env, c, true), planned(env)), {
      concurrency: env.concurrency
    })
    const gone = ids.filter((_, i) => Option.isNone(read[i]!))
    const removals = yield* Effect.forEach(gone, (id) => Effect.flatMap(planRemoved(env, id), planned(env)), {
      concurrency: env.concurrency
    })
    const people = [...personPlans, ...removals]
    return {
      mode: "partial",
      unchanged: false,
      version: undefined,
      peopleRead: ids.length,
      matched: env.meter.counters().matched,
      unmatched: env.meter.counters().unmatched,
      people: people.filter(interesting)
    } satisfies Sync.Plan
  })


