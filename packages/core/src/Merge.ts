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
  for (const email of f.emails) add(`email:${email}`)
  for (const email of f.emails) if (email.lastIndexOf("@") >= 3) add(`local:${email.slice(0, email.lastIndexOf("@"))}`)
  for (const phone of f.phones) add(`phone:${phoneBase(phone)}`)
  if (f.employee[0] !== "") add(`employeeNumber:${f.employee[0]!}`)
  Blocking.nameKeys(f, 0, (a, b) => add(`name:${a}|${b}`))
  return keys
}

// -----------------------------------------------------------------------------
// resolution
// -----------------------------------------------------------------------------

const settings = (
  options: Pick<Options, "crossReferences" | "threshold" | "suggestionThreshold" | "model" | "maxBlockSize" | "maxNameBlockSize" | "maxClusterSize"> & Partial<Pick<Options, "sourcePriority" | "fieldPriority">>
): Resolver.Settings => {
  const ranking = makeRanking({ sourcePriority: options.sourcePriority ?? [], ...(options.fieldPriority === undefined ? {} : { fieldPriority: options.fieldPriority }) })
  return {
  model: options.model === undefined ? undefined : fromModel(options.model),
  threshold: options.threshold ?? options.model?.threshold,
  suggestionThreshold: options.suggestionThreshold ?? options.model?.suggestionThreshold,
  maxBlockSize: options.maxBlockSize ?? defaultMaxBlockSize,
  maxNameBlockSize: options.maxNameBlockSize ?? defaultMaxNameBlockSize,
  maxClusterSize: options.maxClusterSize ?? defaultMaxClusterSize,
  crossReferences: options.crossReferences,
  survive: (records) => surviveWith(records, ranking)
  }
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
  const sorted = sortRecords(people).records
  // map each sorted position back to an input index (equal people are interchangeable)
  const positions = new Map<Person.Person, Array<number>>()
  people.forEach((person, index) => {
    const list = positions.get(person)
    if (list === undefined) positions.set(person, [index])
    else list.push(index)
  })
  const inputIndex = sorted.map((person) => positions.get(person)!.shift()!)
  const outcome = Resolver.resolveWith(sorted, settings(options))
  const clusters = outcome.clusters.map((members) => members.map((i) => inputIndex[i]!).sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!)
  return {
    decisions: outcome.decisions,
    skipped: outcome.skipped,
    clusters,
    suggestions: outcome.suggestions.map((s) => toSuggestion(s, outcome.people.map((p) => p.id))),
    model: toModel(outcome.model, outcome.threshold, outcome.suggestionThreshold)
  }
}

const toSuggestion = (s: Resolver.RawSuggestion, ids: ReadonlyArray<string>): Suggestion => {
  const a = ids[s.a]!
  const b = ids[s.b]!
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
  const { records } = sortRecords(people)
  const outcome = Resolver.resolveWith(records, settings(options))
  const ids = outcome.people.map((p) => p.id)
  const suggestions = outcome.suggestions.map((s) => toSuggestion(s, ids))
  suggestions.sort((x, y) => y.score - x.score || compareStrings(x.a, y.a) || compareStrings(x.b, y.b))
  return {
    people: outcome.people,
    clusters: outcome.people.map((person, p) => ({ id: person.id, members: outcome.clusters[p]!.map((r) => records[r]!.id).sort(compareStrings), person })),
    decisions: outcome.decisions,
    suggestions,
    skipped: outcome.skipped,
    rounds: outcome.rounds,
    model: toModel(outcome.model, outcome.threshold, outcome.suggestionThreshold)
  }
}

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
