/**
 * The delete guard: how many contacts a run may delete and how many linked
 * people it may unmatch, and the refusal listing what a refused run would
 * delete.
 *
 * @internal
 */
import type * as Sync from "../../Sync.js"
import type { Env } from "./env.js"
import { MassDeleteRefused } from "./errors.js"
import { describePoint } from "./project.js"

/**
 * The least number of deletions the guard allows by default.
 *
 * @internal
 */
export const defaultMinimumDeletes = 10

/** @internal */
export const limitOf = (env: Env, total: number): number =>
  env.options.maxDeletes ??
    Math.max(defaultMinimumDeletes, Math.ceil((env.options.maxDeleteRatio ?? 0.1) * total))

/** Linked people a plan unmatches: still in the directory, no longer matched, their link dropped. */
const unmatchedOf = (people: ReadonlyArray<Sync.PersonPlan>) =>
  people.filter((p) => !p.removed && p.personId === undefined && p.unlink).length

/** @internal */
export const evaluate = (env: Env, people: ReadonlyArray<Sync.PersonPlan>, owned: number, linked: number): Sync.Guard => {
  const deletes = people.reduce((n, p) => n + p.actions.filter((a) => a._tag === "Delete").length, 0)
  const unmatched = unmatchedOf(people)
  const limit = limitOf(env, owned)
  const unmatchedLimit = limitOf(env, linked)
  return {
    deletes,
    limit,
    owned,
    unmatched,
    unmatchedLimit,
    linked,
    tripped: env.options.allowMassDelete !== true && (deletes > limit || unmatched > unmatchedLimit)
  }
}

/** @internal */
export const deletionLines = (plan: Sync.Plan): ReadonlyArray<string> =>
  plan.people.flatMap((p) =>
    p.actions.flatMap((a) =>
      a._tag === "Delete" ? [`- delete ${a.contactId} ${describePoint(a.point)} on ${a.personId} (${p.sourceId}): ${a.reason}`] : []
    )
  )

/** @internal */
export const refusal = (plan: Sync.Plan): Sync.MassDeleteRefused =>
  new MassDeleteRefused({ ...plan.guard, deletions: [...deletionLines(plan)] })
