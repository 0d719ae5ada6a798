/**
 * Identity resolution and survivorship: people read from any number of sources
 * become one merged person per real person.
 *
 * - **Candidate pairs** come from blocking keys: record references (a
 *   provenance key, joined by the known cross-references), normalized e-mail
 *   addresses, e-mail local parts across domains (an old domain after a
 *   rename), identifying phone numbers without their extension (never a shared
 *   or company main number), employee numbers, and name keys (family name +
 *   formal given name, so `Bob` meets `Robert`; parts of compound family names;
 *   given and family swapped; a phonetic key against typos and dropped
 *   accents). A key held by more people than `maxBlockSize` (`maxNameBlockSize`
 *   for names) is not identifying: it is skipped and reported.
 * - **Scoring** is Fellegi–Sunter: each comparison (name, e-mail, phone,
 *   employee number, department, site, source system) falls into a level, and
 *   each level adds its weight `log2(m / u)` in bits to the prior; agreeing on a
 *   rare value (a rare name, a number few people hold) weighs more than on a
 *   common one. The m and u probabilities are estimated on the input itself
 *   (u from random pairs, m by expectation–maximisation, no labels), or taken
 *   from {@link Options.model}; inputs under 1,000 records use
 *   {@link defaultModel}. Every decision keeps its per-comparison
 *   {@link Contribution}s.
 * - **Decisions**: a pair is merged when its match probability reaches the
 *   threshold and something besides the names speaks for it (names alone never
 *   merge). Links are applied strongest first, and two clusters join only if
 *   every member of one is consistent with every member of the other (no two
 *   different employee numbers, no disagreeing names without a shared e-mail
 *   address or employee number) and the cluster stays small: clusters cannot
 *   chain into giants. Merged clusters are compared again, until nothing more
 *   joins, so merging a merged result with the same model changes nothing.
 * - **Suggestions**: pairs of merged people between the suggestion threshold
 *   and the match threshold, names-only pairs and refused links, with their
 *   reasons, for a person to review.
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
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as ContactPoint from "./ContactPoint.js"
import type * as Label from "./Label.js"
import type * as Person from "./Person.js"
import * as Blocking from "./internal/merge/blocking.js"
import * as Comparisons from "./internal/merge/comparisons.js"
import { phoneBase } from "./internal/merge/features.js"
import * as Keys from "./internal/merge/keys.js"
import * as Linking from "./internal/merge/link.js"
import * as Internal from "./internal/merge/model.js"
import { compareStrings, sortRecords } from "./internal/merge/order.js"
import { makeRanking } from "./internal/merge/ranking.js"
import * as Resolver from "./internal/merge/resolution.js"
import * as Source from "./internal/merge/source.js"
import * as Store from "./internal/merge/store.js"
import { surviveWith } from "./internal/merge/survivorship.js"

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * One level of a comparison: its m probability (among pairs of records of one
 * person), its u probability (among pairs of different people) and its weight
 * `log2(m / u)` in bits.
 *
 * @since 0.1.0
 * @category models
 */
export interface Level {
  readonly name: string
  readonly m: number
  readonly u: number
  readonly weight: number
}

/**
 * One comparison of two records and its levels, best first. A pair where a
 * side lacks the field gets no level and no weight.
 *
 * @since 0.1.0
 * @category models
 */
export interface Comparison {
  readonly name: "name" | "email" | "emailGivenName" | "phone" | "employeeNumber" | "department" | "site" | "title" | "system"
  readonly levels: ReadonlyArray<Level>
}

/**
 * How the model was estimated.
 *
 * @since 0.1.0
 * @category models
 */
export interface Training {
  readonly records: number
  readonly candidatePairs: number
  /** Candidate pairs used by expectation–maximisation (a deterministic sample of large inputs). */
  readonly emPairs: number
  /** Random pairs used to estimate the u probabilities. */
  readonly randomPairs: number
  /** One EM session per kind of evidence that found the pairs: pairs, expected matches, iterations. */
  readonly sessions: ReadonlyArray<{ readonly name: string; readonly pairs: number; readonly matches: number; readonly iterations: number }>
}

/**
 * A Fellegi–Sunter model: the comparisons with their m and u probabilities, the
 * prior, and the thresholds. Returned by {@link merge} and {@link train}; pass
 * it back as {@link Options.model} to score other records the same way.
 *
 * @since 0.1.0
 * @category models
 */
export interface Model {
  readonly comparisons: ReadonlyArray<Comparison>
  /** log2 of the prior odds that two records are one person. */
  readonly prior: number
  /** Expected matching pairs per record of the data the model was estimated on. */
  readonly matchesPerRecord: number
  /**
   * The average chance that two records share a name (family + formal given
   * name), an e-mail address, a phone number or an employee number, on the
   * data the model was estimated on. Agreeing on a value rarer than that
   * weighs more, on a more common one less (term frequencies). Absent in
   * {@link defaultModel}: no adjustment.
   */
  readonly frequencies?: { readonly name: number; readonly email: number; readonly phone: number; readonly employeeNumber: number }
  /** Match probability at or above which a pair is merged. */
  readonly threshold: number
  /** Probability at or above which an unmerged pair is suggested. */
  readonly suggestionThreshold: number
  /** Absent for {@link defaultModel}. */
  readonly training?: Training
}

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
  /** Match probability at or above which a pair is merged (default: the model's, {@link defaultThreshold}). */
  readonly threshold?: number
  /** Probability at or above which an unmerged pair is suggested (default: the model's, {@link defaultSuggestionThreshold}). */
  readonly suggestionThreshold?: number
  /** A model to score with instead of estimating one on the input. */
  readonly model?: Model
  /** Largest block of people sharing an e-mail address, phone number or employee number (default {@link defaultMaxBlockSize}); references are never capped. */
  readonly maxBlockSize?: number
  /** Largest block of people sharing a name key (default {@link defaultMaxNameBlockSize}). */
  readonly maxNameBlockSize?: number
  /** Largest cluster, in records (records of one remote record count once; default {@link defaultMaxClusterSize}). */
  readonly maxClusterSize?: number
}

/**
 * What one comparison contributed to a pair's match weight.
 *
 * @since 0.1.0
 * @category models
 */
export interface Contribution {
  readonly comparison: string
  readonly level: string
  /** `log2(m / u)` plus the term-frequency adjustment, in bits. */
  readonly weight: number
  /** The term-frequency part of `weight`: positive for a value rarer than average, negative for a common one. */
  readonly frequency?: number
}

/**
 * A scored decision about one candidate pair. `a` and `b` are the ids of the two
 * people compared (`a` <= `b`); in rounds after the first they are the ids the
 * merged people will have.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decision {
  readonly a: string
  readonly b: string
  /** Match weight in bits: the prior plus every contribution. */
  readonly score: number
  /** Match probability, `1 / (1 + 2^-score)` (1 for a shared reference). */
  readonly probability: number
  readonly matched: boolean
  /**
   * What the two share (`reference:…`, `email:…`, `local:…`, `phone:…`,
   * `employeeNumber:…`), the name level (`name:exact`, `name:variant`, …) and,
   * when a pair above the threshold was not merged, why (`conflict: …`,
   * `names only: …`).
   */
  readonly reasons: ReadonlyArray<string>
  readonly contributions: ReadonlyArray<Contribution>
  readonly round: number
}

/**
 * Two merged people that may be one person, for review: their match
 * probability was between the suggestion threshold and the match threshold,
 * or above it but with nothing besides the names, or their link was refused
 * as inconsistent.
 *
 * @since 0.1.0
 * @category models
 */
export interface Suggestion {
  /** Ids of the two merged people (in {@link Result.people}), `a` < `b`. */
  readonly a: string
  readonly b: string
  readonly score: number
  readonly probability: number
  readonly reasons: ReadonlyArray<string>
  readonly contributions: ReadonlyArray<Contribution>
  /** Why they were not merged: `below the match threshold`, `names only`, or `conflict: …`. */
  readonly why: string
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
  /** Decisions on the pairs found by an identifying key, and every pair at or above the suggestion threshold. */
  readonly decisions: ReadonlyArray<Decision>
  /** Pairs of merged people to review, strongest first. */
  readonly suggestions: ReadonlyArray<Suggestion>
  readonly skipped: ReadonlyArray<Skipped>
  /** Resolution rounds run (the last one joined nothing). */
  readonly rounds: number
  /** The model the input was scored with. */
  readonly model: Model
}

/**
 * The outcome of {@link resolve}: decisions, suggestions and clusters of input indices.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolution {
  readonly decisions: ReadonlyArray<Decision>
  readonly skipped: ReadonlyArray<Skipped>
  /** Clusters as indices into the input array; each sorted, clusters ordered by their first index. */
  readonly clusters: ReadonlyArray<ReadonlyArray<number>>
  /** Suggestions, with `a` and `b` the ids the merged people of the two clusters would have. */
  readonly suggestions: ReadonlyArray<Suggestion>
  readonly model: Model
}

// -----------------------------------------------------------------------------
// constants
// -----------------------------------------------------------------------------

/**
 * The default match probability of {@link defaultModel}.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultThreshold: number = Resolver.DEFAULT_THRESHOLD

/**
 * The default suggestion probability of {@link defaultModel}.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSuggestionThreshold: number = Resolver.DEFAULT_SUGGESTION_THRESHOLD

/**
 * The default largest block of identifying keys: a key held by more people than this is skipped.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxBlockSize = 32

/**
 * The default largest block of name keys.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxNameBlockSize = 32

/**
 * The default largest cluster.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxClusterSize = 12

const toModel = (data: Internal.ModelData, threshold: number, suggestionThreshold: number): Model => ({
  comparisons: data.comparisons.map((c) => ({
    name: c.name as Comparison["name"],
    levels: c.levels.map((l) => ({ name: l.name, m: l.m, u: l.u, weight: Internal.round(Math.log2(l.m / l.u)) }))
  })),
  prior: data.prior,
  matchesPerRecord: Internal.round(data.matchesPerRecord),
  ...(data.frequencies === undefined ? {} : { frequencies: data.frequencies }),
  threshold,
  suggestionThreshold,
  ...(data.training === undefined ? {} : { training: data.training })
})

const fromModel = (model: Model): Internal.ModelData => {
  const byName = new Map(model.comparisons.map((c) => [c.name, c] as const))
  return {
    comparisons: Comparisons.comparisons.map((c) => {
      const given = byName.get(c.name as Comparison["name"])
      const levels = new Map(given?.levels.map((l) => [l.name, l] as const) ?? [])
      const fallback = Internal.defaultModel.comparisons.find((d) => d.name === c.name)!
      return {
        name: c.name,
        levels: c.levels.map((name, i) => {
          const level = levels.get(name) ?? fallback.levels[i]!
          return { name, m: level.m, u: level.u }
        })
      }
    }),
    prior: model.prior,
    matchesPerRecord: model.matchesPerRecord,
    frequencies: model.frequencies,
    training: model.training
  }
}

/**
 * The model used for inputs too small to estimate one (under 1,000 records):
 * typical of a company directory merged from a few systems.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultModel: Model = toModel(Internal.defaultModel, Resolver.DEFAULT_THRESHOLD, Resolver.DEFAULT_SUGGESTION_THRESHOLD)

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
 * The blocking keys of a person: `reference:`, `email:`, `local:` (an e-mail
 * local part on any domain), `phone:` (without the extension),
 * `employeeNumber:` (its digits) and `name:` keys. Shared numbers (label
 * `main` or `shared: true`) and values that could not be normalized are never
 * keys.
 *
 * @since 0.1.0
 * @category getters
 */
export const blockingKeys = (person: Person.Person, options?: Pick<Options, "crossReferences">): ReadonlyArray<string> => {
  const f = Resolver.features([person], options?.crossReferences)
  const keys: Array<string> = []
  const add = (key: string) => {
    if (!keys.includes(key)) keys.push(key)
  }
  for (let k = f.refStart[0]!; k < f.refStart[1]!; k++) {
    const ref = f.refs[k]!
    add(ref.startsWith("\u0001") ? `reference:${ref.slice(ref.indexOf(":") + 1)}` : `reference:${ref}`)
  }
  const emails = Array.from({ length: f.emailStart[1]! }, (_, k) => f.email(k))
  for (const email of emails) add(`email:${email}`)
  for (const email of emails) if (email.lastIndexOf("@") >= 3) add(`local:${email.slice(0, email.lastIndexOf("@"))}`)
  for (let k = 0; k < f.phoneStart[1]!; k++) add(`phone:${phoneBase(f.phone(k))}`)
  if (f.employee[0]! >= 0) add(`employeeNumber:${f.employees[f.employee[0]!]!}`)
  Blocking.nameKeys(f, 0, (a, b) => add(`name:${a}|${b}`))
  return keys
}

// -----------------------------------------------------------------------------
// resolution
// -----------------------------------------------------------------------------

const settings = (
  options: Pick<Options, "crossReferences" | "threshold" | "suggestionThreshold" | "model" | "maxBlockSize" | "maxNameBlockSize" | "maxClusterSize">
): Resolver.Settings => ({
  model: options.model === undefined ? undefined : fromModel(options.model),
  threshold: options.threshold ?? options.model?.threshold,
  suggestionThreshold: options.suggestionThreshold ?? options.model?.suggestionThreshold,
  maxBlockSize: options.maxBlockSize ?? defaultMaxBlockSize,
  maxNameBlockSize: options.maxNameBlockSize ?? defaultMaxNameBlockSize,
  maxClusterSize: options.maxClusterSize ?? defaultMaxClusterSize,
  crossReferences: options.crossReferences
})

const rankingOf = (options: Partial<Pick<Options, "sourcePriority" | "fieldPriority">>) =>
  makeRanking({ sourcePriority: options.sourcePriority ?? [], ...(options.fieldPriority === undefined ? {} : { fieldPriority: options.fieldPriority }) })

const surviveWithOptions = (options: Partial<Pick<Options, "sourcePriority" | "fieldPriority">>): Source.Survive => {
  const ranking = rankingOf(options)
  return (records) => surviveWith(records, ranking)
}

/**
 * Estimates a model on `people` (u from random pairs, m by
 * expectation–maximisation on the candidate pairs), whatever their number.
 *
 * @since 0.1.0
 * @category resolution
 */
export const train = (people: ReadonlyArray<Person.Person>, options: Omit<Options, "sourcePriority" | "fieldPriority" | "model"> = {}): Model => {
  const s = settings(options)
  const data = Linking.trainOn(sortRecords(people).records, s)
  return toModel(data, s.threshold ?? Resolver.DEFAULT_THRESHOLD, Math.min(s.threshold ?? 1, s.suggestionThreshold ?? Resolver.DEFAULT_SUGGESTION_THRESHOLD))
}

/**
 * Resolves identities without returning merged people: clusters of input
 * indices, the decisions and the suggestions (between rounds, clusters are
 * survived with no source priority, systems in name order).
 *
 * @since 0.1.0
 * @category resolution
 */
export const resolve = (people: ReadonlyArray<Person.Person>, options: Omit<Options, "sourcePriority" | "fieldPriority"> = {}): Resolution => {
  const source = Source.fromPeople(people, surviveWithOptions({}))
  const outcome = Resolver.resolveWith(source, settings(options))
  const clusters: Array<Array<number>> = []
  for (let k = 0; k + 1 < outcome.start.length; k++) {
    const members: Array<number> = []
    for (let x = outcome.start[k]!; x < outcome.start[k + 1]!; x++) members.push(source.inputIndex(outcome.members[x]!))
    clusters.push(members.sort((x, y) => x - y))
  }
  clusters.sort((x, y) => x[0]! - y[0]!)
  const ids = Array.from(outcome.ids, (ref) => source.idString(ref))
  return {
    decisions: allDecisions(outcome, source),
    skipped: outcome.skipped,
    clusters,
    suggestions: outcome.suggestions.map((s) => toSuggestion(s, (k) => ids[k]!)),
    model: toModel(outcome.model, outcome.threshold, outcome.suggestionThreshold)
  }
}

const allDecisions = (outcome: Resolver.Outcome, source: Source.Source): Array<Decision> => {
  const out: Array<Decision> = []
  for (let k = 0; k < outcome.decisions.length; k++) out.push(outcome.decisions.get(k, source.idString, outcome.scorer))
  return out
}

const toSuggestion = (s: Resolver.RawSuggestion, idOf: (k: number) => string): Suggestion => {
  const a = idOf(s.a)
  const b = idOf(s.b)
  const [first, second] = a <= b ? [a, b] : [b, a]
  return {
    a: first,
    b: second,
    score: s.score,
    probability: s.probability,
    reasons: s.reasons,
    contributions: s.contributions,
    why: s.why
  }
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
 * @since 0.1.0
 * @category merging
 */
export const merge = (people: ReadonlyArray<Person.Person>, options: Options): Result => {
  const source = Source.fromPeople(people, surviveWithOptions(options))
  const outcome = Resolver.resolveWith(source, settings(options))
  const merged = makeMerged(source, outcome)
  const out: Array<Person.Person> = []
  const clusters: Array<Cluster> = []
  for (let k = 0; k < merged.size; k++) {
    const person = merged.person(k)
    out.push(person)
    clusters.push({ id: person.id, members: merged.memberIds(k), person })
  }
  return {
    people: out,
    clusters,
    decisions: allDecisions(outcome, source),
    suggestions: merged.suggestions,
    skipped: outcome.skipped,
    rounds: outcome.rounds,
    model: merged.model
  }
}

// -----------------------------------------------------------------------------
// raw records, compact results
// -----------------------------------------------------------------------------

/**
 * A contact point as a source holds it, before normalization: the input of
 * `ContactPoint.make`. `source` defaults to the record it belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawContactPoint {
  readonly kind: Label.Kind
  /** The value as written (`+1 (650) 555-0100`, `Jane@Example.COM`): normalized on the way in. */
  readonly value: string
  readonly label?: Label.Label | undefined
  readonly customLabel?: string | undefined
  readonly primary?: boolean | undefined
  readonly capabilities?: ReadonlyArray<ContactPoint.Capability> | undefined
  readonly shared?: boolean | undefined
  /** Where the value came from (default: this record). */
  readonly source?: { readonly system: string; readonly remoteId?: string | undefined } | undefined
  /** Region of a phone number written without a country code (default `US`). */
  readonly defaultRegion?: string | undefined
  readonly maxLength?: number | undefined
}

/**
 * One record as a source holds it: plain data, contact values as written. Its
 * person (see {@link toPerson}) has the id `system:remoteId` and one
 * provenance; free text is cleaned as `Person` cleans it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawRecord {
  readonly system: string
  readonly remoteId: string
  readonly version?: string | undefined
  /** When the record was read: a `Date`, an ISO 8601 string or epoch milliseconds. */
  readonly readAt?: Date | string | number | undefined
  readonly name?: { readonly given?: string | undefined; readonly family?: string | undefined; readonly display?: string | undefined } | undefined
  readonly jobTitle?: string | undefined
  readonly department?: string | undefined
  readonly company?: { readonly id?: string | undefined; readonly name?: string | undefined } | undefined
  readonly site?: { readonly id?: string | undefined; readonly name?: string | undefined } | undefined
  readonly employeeNumber?: string | undefined
  readonly extensionNumber?: string | undefined
  readonly status?: string | undefined
  readonly contactPoints?: ReadonlyArray<RawContactPoint> | undefined
  readonly customFields?: { readonly [key: string]: string } | undefined
  readonly photo?: { readonly uri?: string | undefined; readonly etag?: string | undefined } | undefined
}

/**
 * The canonical person of a raw record: what {@link merge} reads for it, and
 * what {@link builder} keeps of it in columns. Contact values are normalized by
 * `ContactPoint.make`. Throws a `TypeError` naming the record when a field has
 * the wrong type or `readAt` is not a date.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toPerson: (record: RawRecord) => Person.Person = Store.toPerson

/**
 * The outcome of a merge of raw records ({@link builder}, {@link fromRecords},
 * {@link fromStream}), compact: the merged people as lists of records, the
 * decisions in columns. A merged person, a cluster or a decision is built when
 * asked for and is not kept, so a million records merge within a small,
 * constant factor of their own size. {@link Merged.toResult} builds the whole
 * {@link Result} at once (for inputs that fit in memory as objects).
 *
 * Merged people are sorted by id; records are numbered in the order they were
 * added (from 0).
 *
 * @since 0.1.0
 * @category models
 */
export interface Merged {
  /** Number of records merged. */
  readonly records: number
  /** Number of merged people. */
  readonly size: number
  /** Merged person `k`, survived from its records (built on each call). */
  readonly person: (k: number) => Person.Person
  /** Every merged person, in order, one at a time. */
  readonly people: () => IterableIterator<Person.Person>
  /** The id of merged person `k`. */
  readonly id: (k: number) => string
  /** The records (positions in the order added) merged into person `k`, ascending. */
  readonly members: (k: number) => ReadonlyArray<number>
  /** The ids of the records merged into person `k`, sorted. */
  readonly memberIds: (k: number) => ReadonlyArray<string>
  /** The merged person (its index) of the record added at position `record`. */
  readonly personOf: (record: number) => number
  /** Cluster `k`: its id, member ids and person. */
  readonly cluster: (k: number) => Cluster
  /** Number of decisions. */
  readonly decisionCount: number
  /** Decision `k`, in the order of {@link Result.decisions} (built on each call). */
  readonly decision: (k: number) => Decision
  /** Every decision, in order, one at a time. */
  readonly decisions: () => IterableIterator<Decision>
  /** Pairs of merged people to review, strongest first. */
  readonly suggestions: ReadonlyArray<Suggestion>
  readonly skipped: ReadonlyArray<Skipped>
  readonly rounds: number
  readonly model: Model
  /** The whole {@link Result} (every person and decision as objects). */
  readonly toResult: () => Result
}

const makeMerged = (source: Source.Source, outcome: Resolver.Outcome): Merged => {
  const { start, members, root, ids } = outcome
  const size = start.length - 1
  const recordsOf = (k: number): Array<number> => {
    const out: Array<number> = []
    for (let x = start[k]!; x < start[k + 1]!; x++) out.push(members[x]!)
    return out
  }
  const person = (k: number): Person.Person => source.survive(recordsOf(k))
  const idOf = (k: number): string => source.idString(ids[k]!)
  const memberIds = (k: number): Array<string> => recordsOf(k).map((r) => source.idString(~r)).sort(compareStrings)
  const suggestions = outcome.suggestions.map((s) => toSuggestion(s, idOf))
  suggestions.sort((x, y) => y.score - x.score || compareStrings(x.a, y.a) || compareStrings(x.b, y.b))
  const model = toModel(outcome.model, outcome.threshold, outcome.suggestionThreshold)
  const decision = (k: number): Decision => outcome.decisions.get(k, source.idString, outcome.scorer)
  // record positions: canonical → input
  const positionOf = Int32Array.from({ length: source.n }, (_, i) => source.inputIndex(i))
  const personOfInput = new Int32Array(source.n)
  for (let i = 0; i < source.n; i++) personOfInput[positionOf[i]!] = root[i]!
  const merged: Merged = {
    records: source.n,
    size,
    person,
    people: function*() {
      for (let k = 0; k < size; k++) yield person(k)
    },
    id: idOf,
    members: (k) => recordsOf(k).map((r) => positionOf[r]!).sort((x, y) => x - y),
    memberIds,
    personOf: (record) => personOfInput[record]!,
    cluster: (k) => {
      const p = person(k)
      return { id: p.id, members: memberIds(k), person: p }
    },
    decisionCount: outcome.decisions.length,
    decision,
    decisions: function*() {
      for (let k = 0; k < outcome.decisions.length; k++) yield decision(k)
    },
    suggestions,
    skipped: outcome.skipped,
    rounds: outcome.rounds,
    model,
    toResult: () => {
      const people: Array<Person.Person> = []
      const clusters: Array<Cluster> = []
      for (let k = 0; k < size; k++) {
        const p = person(k)
        people.push(p)
        clusters.push({ id: p.id, members: memberIds(k), person: p })
      }
      return { people, clusters, decisions: allDecisions(outcome, source), suggestions, skipped: outcome.skipped, rounds: outcome.rounds, model }
    }
  }
  return merged
}

/**
 * Collects raw records into a compact store (contact values normalized on
 * the way in, strings interned, values in one byte array: no `Person` per
 * record), then merges them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Builder {
  /** Adds a record; throws a `TypeError` naming the record when it is malformed (see {@link toPerson}). */
  readonly add: (record: RawRecord) => Builder
  /** Adds every record of an iterable. */
  readonly addAll: (records: Iterable<RawRecord>) => Builder
  /** Records added so far. */
  readonly size: number
  /** Resolves and survives the records added: the same outcome as {@link merge} of their {@link toPerson}s, in compact form. */
  readonly merge: () => Merged
}

/**
 * A {@link Builder}: add raw records one at a time, then merge them. This is
 * the way to merge large inputs: a million records take well under a gigabyte
 * (the records handed to {@link merge} as `Person` objects would take several).
 *
 * @since 0.1.0
 * @category constructors
 */
export const builder = (options: Options): Builder => {
  const store = new Store.RecordStore()
  const self: Builder = {
    add: (record) => {
      store.add(record)
      return self
    },
    addAll: (records) => {
      for (const record of records) store.add(record)
      return self
    },
    get size() {
      return store.size
    },
    merge: () => {
      const source = Source.fromStore(store, rankingOf(options))
      return makeMerged(source, Resolver.resolveWith(source, settings(options)))
    }
  }
  return self
}

/**
 * Merges raw records read from an iterable (a generator reading a file, say):
 * {@link builder}, every record added, merged.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRecords = (records: Iterable<RawRecord>, options: Options): Merged => builder(options).addAll(records).merge()

/**
 * Merges the raw records of a stream, chunk by chunk: a source's pages, say.
 * A malformed record fails with the `TypeError` {@link toPerson} describes, as
 * a defect.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromStream = <E, R>(records: Stream.Stream<RawRecord, E, R>, options: Options): Effect.Effect<Merged, E, R> =>
  Effect.suspend(() => {
    const b = builder(options)
    return Stream.runForEachChunk(records, (chunk) => Effect.sync(() => b.addAll(chunk))).pipe(Effect.map(() => b.merge()))
  })

// -----------------------------------------------------------------------------
// linking
// -----------------------------------------------------------------------------

/**
 * Options of {@link link}.
 *
 * @since 0.1.0
 * @category models
 */
export type LinkOptions = Omit<Options, "sourcePriority" | "fieldPriority" | "maxClusterSize">

/**
 * A link between a left person and a right person.
 *
 * @since 0.1.0
 * @category models
 */
export interface Link {
  /** Id of the left person. */
  readonly left: string
  /** Id of the right person. */
  readonly right: string
  readonly score: number
  readonly probability: number
  /** As in {@link Decision.reasons}. */
  readonly reasons: ReadonlyArray<string>
  readonly contributions: ReadonlyArray<Contribution>
}

/**
 * A possible link, for review, and why it was not made.
 *
 * @since 0.1.0
 * @category models
 */
export interface LinkSuggestion extends Link {
  /** `below the match threshold`, `names only`, `conflict: …`, or `ambiguous: …` (another link is as likely). */
  readonly why: string
}

/**
 * The outcome of {@link link}.
 *
 * @since 0.1.0
 * @category models
 */
export interface LinkResult {
  /** Confident one-to-one links, sorted by left id. */
  readonly matches: ReadonlyArray<Link>
  /** Possible links not made, strongest first. */
  readonly suggestions: ReadonlyArray<LinkSuggestion>
  /** Ids of the left people without a confident link, sorted. */
  readonly unmatchedLeft: ReadonlyArray<string>
  /** Ids of the right people without a confident link, sorted. */
  readonly unmatchedRight: ReadonlyArray<string>
  readonly model: Model
}

/**
 * Matches the people of one source (`left`, e.g. a directory) to the people of
 * another (`right`, e.g. a People system) through the same resolution as
 * {@link merge}: the same candidate keys, comparisons and model (estimated on
 * both sides together unless {@link Options.model} is given), and a shared
 * reference (`crossReferences`, e.g. a stored sync cross-reference) is a
 * certain link. Each person is linked at most once: links are made strongest
 * first, and a link is confident only when its probability reaches the
 * threshold, it is corroborated by more than names, and no other link of
 * either person comes close (within 2 bits). Everything else above the
 * suggestion threshold is a suggestion, never acted on without confirmation.
 *
 * @since 0.1.0
 * @category linking
 */
export const link = (left: ReadonlyArray<Person.Person>, right: ReadonlyArray<Person.Person>, options: LinkOptions = {}): LinkResult => {
  const s = settings(options)
  const outcome = Linking.linkWith(left, right, s)
  return { ...outcome, model: toModel(outcome.model, outcome.threshold, outcome.suggestionThreshold) }
}
