/**
 * Source ranking for survivorship: the priority of a system for a field, the
 * system a field of a person came from, and the order of competing candidate
 * values (rank, system, latest read, record key).
 *
 * @internal
 */
import type { Field, Options } from "../../Merge.js"
import type * as Person from "../../Person.js"
import { compareStrings } from "./order.js"

/** @internal */
export interface Ranking {
  readonly rank: (field: Field, system: string) => number
}

/** @internal */
export const makeRanking = (options: Options): Ranking => {
  const cache = new Map<ReadonlyArray<string>, Map<string, number>>()
  const indexOf = (order: ReadonlyArray<string>) => {
    let map = cache.get(order)
    if (map === undefined) {
      map = new Map(order.map((system, i) => [system, i] as const))
      cache.set(order, map)
    }
    return map
  }
  return {
    rank: (field, system) => {
      const order = options.fieldPriority?.[field] ?? options.sourcePriority
      const index = indexOf(order).get(system)
      return index ?? order.length
    }
  }
}

const UNKNOWN_SYSTEM = "unknown"

/** The system a field of a person came from: its recorded source, else its best ranked provenance. @internal */
export const recordSystem = (person: Person.Person, field: Field, ranking: Ranking): string => {
  const own = person.fieldSources?.[field]
  if (own !== undefined) return own
  let best: string | undefined
  for (const p of person.provenance) {
    if (best === undefined) best = p.system
    else {
      const diff = ranking.rank(field, p.system) - ranking.rank(field, best)
      if (diff < 0 || (diff === 0 && p.system < best)) best = p.system
    }
  }
  return best ?? UNKNOWN_SYSTEM
}

/** @internal */
export const readAtOf = (person: Person.Person, system: string): number => {
  let latest = Number.NEGATIVE_INFINITY
  for (const p of person.provenance) {
    if (p.system === system && p.readAt !== undefined) latest = Math.max(latest, p.readAt.getTime())
  }
  return latest
}

/** @internal */
export interface Candidate<A> {
  readonly value: A
  readonly system: string
  readonly rank: number
  readonly readAt: number
  readonly record: string
}

/** @internal */
export const compareCandidates = <A>(x: Candidate<A>, y: Candidate<A>): number =>
  x.rank - y.rank ||
  compareStrings(x.system, y.system) ||
  (y.readAt > x.readAt ? 1 : y.readAt < x.readAt ? -1 : 0) ||
  compareStrings(x.record, y.record) ||
  (x.value === y.value ? 0 : compareStrings(JSON.stringify(x.value), JSON.stringify(y.value)))

/** @internal */
export const best = <A>(candidates: ReadonlyArray<Candidate<A>>): Candidate<A> | undefined => {
  let winner: Candidate<A> | undefined
  for (const candidate of candidates) {
    if (winner === undefined || compareCandidates(candidate, winner) < 0) winner = candidate
  }
  return winner
}
