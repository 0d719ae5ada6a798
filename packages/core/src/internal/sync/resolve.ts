/**
 * The identity resolution of the sync: the source people no exact key matched
 * are linked to the target people no one else matched through `Merge.link`,
 * the same resolution as the merge. Confident links become matches (by
 * `resolution`, with their evidence); possible ones become suggestions on the
 * unmatched person, never acted on.
 *
 * @internal
 */
import * as Merge from "../../Merge.js"
import type * as Sync from "../../Sync.js"
import type { Env } from "./env.js"
import type { Candidate, Index } from "./match.js"
import { remoteIdOf } from "./project.js"

const suggestionsShown = 3

/** @internal */
export const resolveUnmatched = (env: Env, candidates: ReadonlyArray<Candidate>, index: Index): ReadonlyArray<Candidate> => {
  const unmatched = candidates.filter((c) => c.matched._tag === "Unmatched")
  if (unmatched.length === 0 || index.people.size === 0) return candidates
  const taken = new Set(candidates.flatMap((c) => (c.matched._tag === "Matched" ? [c.matched.personId] : [])))
  const right = [...index.people].filter(([id]) => !taken.has(id)).map(([, person]) => person)
  const targetIdOf = new Map(right.map((person) => [person.id, remoteIdOf(person, env.targetSystem)]))
  const result = Merge.link(unmatched.map((c) => c.person), right)
  const matches = new Map(result.matches.map((m) => [m.left, m]))
  const suggestions = new Map<string, Array<Sync.Suggestion>>()
  for (const s of result.suggestions) {
    const personId = targetIdOf.get(s.right)
    if (personId === undefined) continue
    const list = suggestions.get(s.left) ?? []
    if (list.length < suggestionsShown) list.push({ personId, probability: s.probability, reasons: s.reasons, why: s.why })
    suggestions.set(s.left, list)
  }
  return candidates.map((c): Candidate => {
    if (c.matched._tag !== "Unmatched") return c
    const match = matches.get(c.person.id)
    const personId = match === undefined ? undefined : targetIdOf.get(match.right)
    if (match !== undefined && personId !== undefined) {
      return { ...c, matched: { _tag: "Matched", personId, by: "resolution", evidence: match.reasons } }
    }
    const found = suggestions.get(c.person.id)
    return found === undefined ? c : { ...c, matched: { ...c.matched, suggestions: found } }
  })
}
