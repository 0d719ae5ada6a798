/**
 * Matching source people to target people: by normalized e-mail, then employee
 * number, then the cross-reference kept from an earlier run; against one
 * streamed index of the target directory or a search per person. `claim` gives
 * each target person to one source person only.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as ContactBook from "../../ContactBook.js"
import * as ContactPoint from "../../ContactPoint.js"
import * as PeopleDirectory from "../../PeopleDirectory.js"
import { isPeopleError, type PeopleError } from "../../PeopleError.js"
import type { Person } from "../../Person.js"
import type * as Sync from "../../Sync.js"
import type { Env } from "./env.js"
import { remoteIdOf } from "./project.js"

/**
 * The target directory read once: its remote ids, and the ids holding each
 * normalized e-mail and each employee number.
 *
 * @internal
 */
export interface Index {
  readonly ids: ReadonlySet<string>
  readonly emails: ReadonlyMap<string, ReadonlyArray<string>>
  readonly employees: ReadonlyMap<string, ReadonlyArray<string>>
  /** Linked target people missing from the read but found by a direct read: the read was not complete. */
  readonly missing: Array<string>
  /** Every person read, by remote id (for the identity resolution). */
  readonly people: ReadonlyMap<string, Person>
}

/**
 * The target directory read once, and what the read said about itself.
 *
 * @internal
 */
export interface TargetRead {
  readonly index: Index
  readonly completeness: PeopleDirectory.Completeness
}

const emailsOf = (person: Person) =>
  person.contactPoints.flatMap((p) => (p.kind === "email" && p.normalized !== undefined ? [p.normalized] : []))

const push = (map: Map<string, Array<string>>, key: string, id: string) => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [id])
  else if (!list.includes(id)) list.push(id)
}

/** @internal */
export type MatchResult =
  | {
    readonly _tag: "Matched"
    readonly personId: string
    readonly by: Sync.MatchedBy
    readonly evidence?: ReadonlyArray<string> | undefined
  }
  | { readonly _tag: "Unmatched"; readonly reason: string; readonly suggestions?: ReadonlyArray<Sync.Suggestion> | undefined }
  /** A read needed to decide failed: the person is neither matched nor unmatched this run. */
  | { readonly _tag: "Unknown"; readonly error: PeopleError }

/** @internal */
export interface Candidate {
  readonly person: Person
  readonly sourceId: string
  readonly matched: MatchResult
}

/** An index of people read one way or another. */
const indexOf = <E>(env: Env, read: Stream.Stream<Person, E>, completeness: Effect.Effect<PeopleDirectory.Completeness>) =>
  Effect.gen(function*() {
    const ids = new Set<string>()
    const emails = new Map<string, Array<string>>()
    const employees = new Map<string, Array<string>>()
    const people = new Map<string, Person>()
    yield* Stream.runForEach(read, (person) =>
      Effect.sync(() => {
        const id = remoteIdOf(person, env.targetSystem)
        ids.add(id)
        people.set(id, person)
        for (const email of emailsOf(person)) push(emails, email, id)
        const employee = person.employeeNumber?.trim()
        if (employee !== undefined && employee !== "") push(employees, employee, id)
      }))
    const done = yield* completeness
    // an unreadable person is still there: a link to them holds
    for (const u of done.unreadable) if (u.remoteId !== undefined) ids.add(u.remoteId)
    return { index: { ids, emails, employees, missing: [], people }, completeness: done } satisfies TargetRead
  })

/** @internal */
export const buildIndex = (env: Env): Effect.Effect<TargetRead, PeopleError> =>
  Effect.gen(function*() {
    const snapshot = yield* env.meter.counted("target", env.options.target.snapshot())
    if (snapshot._tag === "Modified") return yield* indexOf(env, snapshot.people, snapshot.completeness)
    return yield* indexOf(
      env,
      env.options.target.stream,
      Effect.succeed({ ...PeopleDirectory.notRead, issues: ["an unconditional read was answered 'not modified'"] })
    )
  })

/**
 * The index of the people a bulk export read (no further call).
 *
 * @internal
 */
export const exportIndex = (env: Env, exported: ContactBook.Snapshot): Effect.Effect<TargetRead> =>
  indexOf(env, Stream.fromIterable(exported.people), Effect.succeed(exported.completeness))

const searchIds = (env: Env, query: PeopleDirectory.Query) =>
  env.meter.countedStream("target", env.options.target.search(query)).pipe(
    Stream.runCollect,
    Effect.map((people) => [...new Set(Chunk.toReadonlyArray(people).map((p) => remoteIdOf(p, env.targetSystem)))])
  )

const match = (env: Env, person: Person, sourceId: string, index: Index | undefined) =>
  Effect.gen(function*() {
    const notes: Array<string> = []
    const emails = [...new Set(person.contactPoints.filter((p) => p.kind === "email" && ContactPoint.isIdentifying(p)).map((p) => p.normalized!))]
    for (const email of emails) {
      const hits = index === undefined ? yield* searchIds(env, { email }) : (index.emails.get(email) ?? [])
      if (hits.length === 1) return { _tag: "Matched", personId: hits[0]!, by: "email" } as MatchResult
      if (hits.length > 1) notes.push(`e-mail ${email} is ambiguous (${hits.length} people)`)
    }
    const employee = person.employeeNumber?.trim()
    if (employee !== undefined && employee !== "") {
      const hits = index === undefined ? yield* searchIds(env, { employeeNumber: employee }) : (index.employees.get(employee) ?? [])
      if (hits.length === 1) return { _tag: "Matched", personId: hits[0]!, by: "employeeNumber" } as MatchResult
      if (hits.length > 1) notes.push(`employee number ${employee} is ambiguous (${hits.length} people)`)
    }
    const xref = yield* env.state.xref(sourceId)
    if (Option.isSome(xref)) {
      if (index === undefined || index.ids.has(xref.value)) return { _tag: "Matched", personId: xref.value, by: "xref" } as MatchResult
      // The read of the target does not hold the linked person: ask for them before calling this person unmatched.
      const read = yield* Effect.either(env.meter.counted("target", env.options.target.get(xref.value)))
      if (read._tag === "Right") {
        index.missing.push(xref.value)
        return { _tag: "Matched", personId: xref.value, by: "xref" } as MatchResult
      }
      if (read.left._tag !== "NotFound") return { _tag: "Unknown", error: read.left } as MatchResult
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

/** @internal */
export const matchPerson = (env: Env, person: Person, index: Index | undefined) =>
  Effect.gen(function*() {
    const sourceId = remoteIdOf(person, env.sourceSystem)
    const matched = yield* match(env, person, sourceId, index).pipe(
      Effect.catchIf(isPeopleError, (error): Effect.Effect<MatchResult> => Effect.succeed({ _tag: "Unknown", error }))
    )
    return { person, sourceId, matched } satisfies Candidate
  })

/**
 * One source person per target person, so two directory entries never write
 * the same person's contacts: the one already linked to it wins, else the
 * first in directory order. In a partial run, a target linked to a source
 * outside the batch stays with that source.
 *
 * @internal
 */
export const claim = (env: Env, candidates: ReadonlyArray<Candidate>, partial: boolean) =>
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
      const holders = yield* env.state.xrefsTo(target)
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

