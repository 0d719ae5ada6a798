/**
 * Identity resolution and survivorship: people read from any number of sources
 * become one merged person per real person.
 *
 * - **Candidate pairs** come only from blocking keys: normalized e-mail
 *   addresses, identifying phone numbers (never a shared / company main number),
 *   employee numbers, and record references (a provenance key, joined by the
 *   known cross-references). Names never create a candidate; they only raise or
 *   lower the score of a pair found by a key. A key held by more than
 *   `maxBlockSize` records is not identifying: it is skipped and reported.
 * - **Decisions**: every candidate pair gets a score with its reasons, and pairs at
 *   or above the threshold are matched. Matches are closed transitively into
 *   clusters, and the merged people are compared again until nothing more
 *   matches, so merging a merged result changes nothing.
 * - **Survivorship**: each single-valued field comes from the best source (field
 *   priority, then source priority, then the most recent `readAt`, then the
 *   smallest record key); custom fields likewise, per key; contact points are
 *   unioned and de-duplicated on {@link ContactPoint.ContactPoint.key}; every
 *   field of the result records its source in `fieldSources`.
 *
 * The result does not depend on the order of the input.
 *
 * @since 0.1.0
 */
import type * as Person from "./Person.js"
import * as Keys from "./internal/merge/keys.js"
import { compareStrings, sortRecords } from "./internal/merge/order.js"
import { makeRanking } from "./internal/merge/ranking.js"
import { type Previous, resolveWith, type Settings } from "./internal/merge/resolution.js"
import { surviveWith } from "./internal/merge/survivorship.js"

/**
 * Score contributions. A kind of key counts once per pair, however many keys of
 * that kind the two records share.
 *
 * @since 0.1.0
 * @category models
 */
export interface Weights {
  /** The records share a provenance key, directly or through a cross-reference. */
  readonly reference: number
  /** The records share a normalized e-mail address. */
  readonly email: number
  /** The records share an employee number. */
  readonly employeeNumber: number
  /** The records share an identifying (personal, not shared) phone number. */
  readonly phone: number
  /** Given and family names agree (nicknames, accents, case and initials allowed). */
  readonly nameAgree: number
  /** One name part agrees and the other is unknown. */
  readonly namePartial: number
  /** Given names agree, family names differ (usually a name change). */
  readonly familyConflict: number
  /** Family names agree, given names differ (usually relatives sharing a number). */
  readonly givenConflict: number
  /** Both name parts differ. */
  readonly nameConflict: number
}

/**
 * The default weights. With the default threshold (0.75): a shared reference or
 * e-mail address matches whatever the names say; an employee number matches
 * unless the names disagree; a personal phone number matches only when the names
 * agree.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWeights: Weights = {
  reference: 2,
  email: 1.3,
  employeeNumber: 0.8,
  phone: 0.6,
  nameAgree: 0.3,
  namePartial: 0.15,
  familyConflict: -0.2,
  givenConflict: -0.35,
  nameConflict: -0.5
}

/**
 * The default matching threshold.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultThreshold = 0.75

/**
 * The default largest block: a key held by more records than this is skipped.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxBlockSize = 32

/**
 * A field survivorship can pick a source for.
 *
 * @since 0.1.0
 * @category models
 */
export type Field = Person.SingleValuedField | "contactPoints" | "customFields"

/**
 * Options of {@link merge}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Source systems, best first. Systems not listed come after, in name order. */
  readonly sourcePriority: ReadonlyArray<string>
  /** Per-field source priority overriding `sourcePriority`. */
  readonly fieldPriority?: Partial<Record<Field, ReadonlyArray<string>>>
  /** Groups of `system:remoteId` keys known to be the same person. */
  readonly crossReferences?: ReadonlyArray<ReadonlyArray<string>>
  /** Minimum score of a match (default {@link defaultThreshold}). */
  readonly threshold?: number
  readonly weights?: Partial<Weights>
  /** Largest block of records sharing a key (default {@link defaultMaxBlockSize}); references are never capped. */
  readonly maxBlockSize?: number
}

/**
 * A scored decision about one candidate pair. `a` and `b` are the ids of the two
 * people compared (`a` <= `b`); in rounds after the first they are merged people.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decision {
  readonly a: string
  readonly b: string
  readonly score: number
  readonly matched: boolean
  /** The shared keys (`email:…`, `phone:…`, `employeeNumber:…`, `reference:…`) and the name outcome (`name:agree`, …). */
  readonly reasons: ReadonlyArray<string>
  readonly round: number
}

/**
 * A blocking key that was not used, and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Skipped {
  readonly key: string
  readonly size: number
  readonly reason: string
}

/**
 * One resolved person: the ids of the input people it merges and the merged person.
 *
 * @since 0.1.0
 * @category models
 */
export interface Cluster {
  readonly id: string
  /** Ids of the input people in this cluster, sorted. */
  readonly members: ReadonlyArray<string>
  readonly person: Person.Person
}

/**
 * The outcome of {@link merge}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  /** The merged people, sorted by id. */
  readonly people: ReadonlyArray<Person.Person>
  /** The clusters, in the order of `people`. */
  readonly clusters: ReadonlyArray<Cluster>
  readonly decisions: ReadonlyArray<Decision>
  readonly skipped: ReadonlyArray<Skipped>
  /** Resolution rounds run (the last one matched nothing). */
  readonly rounds: number
}

/**
 * The outcome of {@link resolve}: decisions and clusters of input indices.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolution {
  readonly decisions: ReadonlyArray<Decision>
  readonly skipped: ReadonlyArray<Skipped>
  /** Clusters as indices into the input array; each sorted, clusters ordered by their first index. */
  readonly clusters: ReadonlyArray<ReadonlyArray<number>>
}

// -----------------------------------------------------------------------------
// keys
// -----------------------------------------------------------------------------

/**
 * The record key of a person: its smallest provenance key, else its id.
 *
 * @since 0.1.0
 * @category getters
 */
export const recordKey: (person: Person.Person) => string = Keys.recordKey

/**
 * The blocking keys of a person: `reference:`, `email:`, `phone:` and
 * `employeeNumber:` keys. Shared numbers (label `main` or `shared: true`) and
 * values that could not be normalized are never keys.
 *
 * @since 0.1.0
 * @category getters
 */
export const blockingKeys = (person: Person.Person, options?: Pick<Options, "crossReferences">): ReadonlyArray<string> => {
  const table = Keys.emptyTable()
  Keys.appendKeys(table, person, Keys.referenceResolver(options?.crossReferences))
  return table.kinds.map((kind, k) => Keys.keyString(kind, table.nss[k]!, table.values[k]!))
}

// -----------------------------------------------------------------------------
// resolution
// -----------------------------------------------------------------------------

/** The options of a resolution round, defaults applied. */
const settings = (options: Options): Settings => ({
  weights: { ...defaultWeights, ...options.weights },
  threshold: options.threshold ?? defaultThreshold,
  maxBlockSize: options.maxBlockSize ?? defaultMaxBlockSize,
  crossReferences: options.crossReferences
})

/**
 * Scores the candidate pairs of the given people and closes the matches into
 * clusters (one round, no survivorship).
 *
 * @since 0.1.0
 * @category resolution
 */
export const resolve = (people: ReadonlyArray<Person.Person>, options: Options): Resolution => {
  const { clusters, decisions, skipped } = resolveWith(people, settings(options), 1)
  return { clusters, decisions, skipped }
}

// -----------------------------------------------------------------------------
// survivorship
// -----------------------------------------------------------------------------

/**
 * Merges the people of one cluster into one person, field by field. Merging a
 * single merged person returns an equal person.
 *
 * @since 0.1.0
 * @category survivorship
 */
export const survive = (members: ReadonlyArray<Person.Person>, options: Options): Person.Person =>
  surviveWith(members, makeRanking(options))

// -----------------------------------------------------------------------------
// merge
// -----------------------------------------------------------------------------

/**
 * Resolves identities and merges each cluster into one person.
 *
 * Rounds: the records are resolved into clusters and merged; the merged people
 * are resolved again (their union of keys may now link them), and so on until a
 * round matches nothing. The returned people therefore never match each other,
 * which makes merging them again a no-op.
 *
 * @since 0.1.0
 * @category merging
 */
export const merge = (people: ReadonlyArray<Person.Person>, options: Options): Result => {
  const { records, keys: recordKeys } = sortRecords(people)
  const ranking = makeRanking(options)
  const resolved = settings(options)
  const decisions: Array<Decision> = []
  const skipped: Array<Skipped> = []

  let groups: Array<Array<Person.Person>> = []
  let merged: Array<Person.Person> = []
  let current: ReadonlyArray<Person.Person> = records
  let currentGroups: ReadonlyArray<ReadonlyArray<Person.Person>> = records.map((r) => [r])
  let previous: Previous | undefined
  let round = 0
  for (;;) {
    round++
    const resolution = resolveWith(current, resolved, round, previous, round === 1 ? recordKeys : undefined)
    for (const d of resolution.decisions) decisions.push(d)
    if (round === 1) for (const s of resolution.skipped) skipped.push(s)
    const matchedNothing = resolution.clusters.length === current.length
    if (round > 1 && matchedNothing) break
    groups = resolution.clusters.map((cluster) => cluster.flatMap((i) => currentGroups[i]!))
    // after the first round a person that matched nothing is already merged: merging it alone changes nothing
    merged = resolution.clusters.map((cluster, c) =>
      round > 1 && cluster.length === 1 ? current[cluster[0]!]! : surviveWith(groups[c]!, ranking)
    )
    const order = merged.map((_, i) => i).sort((x, y) => compareStrings(merged[x]!.id, merged[y]!.id))
    groups = order.map((i) => groups[i]!)
    merged = order.map((i) => merged[i]!)
    // a first round that matched nothing leaves every record alone: its keys, and so its decisions, cannot change
    if (matchedNothing) break
    const changed = resolution.clusters.map((cluster) => cluster.length > 1)
    previous = { changed: order.map((i) => changed[i]!), skippedKeys: resolution.skippedKeys }
    current = merged
    currentGroups = groups
  }

  const clusters: Array<Cluster> = merged.map((person, i) => ({
    id: person.id,
    members: groups[i]!.map((p) => p.id).sort(compareStrings),
    person
  }))
  return { people: merged, clusters, decisions, skipped, rounds: round }
}
