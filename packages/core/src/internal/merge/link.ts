/**
 * Linking two sources (a directory and a People system, say) through the same
 * resolution as merging: the same keys, comparisons and model, one-to-one.
 *
 * @internal
 */
import type { Link, LinkSuggestion } from "../../Merge.js"
import type * as Person from "../../Person.js"
import * as Blocking from "./blocking.js"
import * as C from "./comparisons.js"
import { extract, referenceReason } from "./features.js"
import { referenceResolver } from "./keys.js"
import * as Model from "./model.js"
import { compareStrings, sortRecords } from "./order.js"
import { DEFAULT_SUGGESTION_THRESHOLD, DEFAULT_THRESHOLD, MIN_TRAINING_RECORDS, type Settings } from "./resolution.js"

/** How close (in bits) another link of the same person makes a link ambiguous. */
const AMBIGUITY_BITS = 2

const prepare = (people: ReadonlyArray<Person.Person>, settings: Settings) => {
  const n = people.length
  const f = extract(people, referenceResolver(settings.crossReferences))
  const blocks = Blocking.build(f, settings.maxBlockSize, settings.maxNameBlockSize)
  const personOf = Int32Array.from(people, (_, i) => i)
  const holding: Blocking.Holding = {
    n,
    personOf,
    holds: undefined,
    exact: undefined
  }
  const blocked = Blocking.round(blocks, holding, undefined, new Map())
  return { f, blocks, blocked }
}

/** Trains a model on `people` (in canonical order), whatever their number. @internal */
export const trainOn = (people: ReadonlyArray<Person.Person>, settings: Settings): Model.ModelData => {
  const { f, blocked } = prepare(people, settings)
  return Model.train(f, blocked.pairs, blocked.sameValuePairs, (a, b, out) => C.compare(f, a, f, b, out))
}

/** @internal */
export interface LinkOutcome {
  readonly matches: Array<Link>
  readonly suggestions: Array<LinkSuggestion>
  readonly unmatchedLeft: Array<string>
  readonly unmatchedRight: Array<string>
  readonly model: Model.ModelData
  readonly threshold: number
  readonly suggestionThreshold: number
}

interface Candidate {
  readonly i: number
  readonly j: number
  readonly weight: number
  readonly corroborated: boolean
  readonly reference: string | undefined
}

/** @internal */
export const linkWith = (left: ReadonlyArray<Person.Person>, right: ReadonlyArray<Person.Person>, settings: Settings): LinkOutcome => {
  const l = sortRecords(left).records
  const r = sortRecords(right).records
  const people = [...l, ...r]
  const nl = l.length
  const n = people.length
  const { f, blocks, blocked } = prepare(people, settings)
  const model = settings.model ??
    (n >= MIN_TRAINING_RECORDS ? Model.train(f, blocked.pairs, blocked.sameValuePairs, (a, b, out) => C.compare(f, a, f, b, out)) : Model.defaultModel)
  const threshold = settings.threshold ?? DEFAULT_THRESHOLD
  const suggestionThreshold = Math.min(threshold, settings.suggestionThreshold ?? DEFAULT_SUGGESTION_THRESHOLD)
  const matchWeight = Model.weightOf(threshold)
  const suggestionWeight = Model.weightOf(suggestionThreshold)
  const scorer = Model.scorer(model, n)
  const cmp = C.makeComparison()

  const candidates: Array<Candidate> = []
  const seen = new Set<number>()
  const consider = (code: number, reference: string | undefined) => {
    const i = Math.floor(code / n)
    const j = code - i * n
    if (!(i < nl && j >= nl) || seen.has(code)) return
    C.compare(f, i, f, j, cmp)
    const weight = scorer.weight(cmp)
    if (reference === undefined && weight < suggestionWeight) return
    seen.add(code)
    candidates.push({ i, j, weight, corroborated: scorer.corroborated(cmp), reference })
  }
  for (const code of blocks.references) consider(code, blocks.referenceKeys.get(code) ?? "")
  for (const code of blocked.pairs) consider(code, undefined)
  candidates.sort((x, y) =>
    (x.reference === undefined ? 1 : 0) - (y.reference === undefined ? 1 : 0) || y.weight - x.weight || x.i - y.i || x.j - y.j
  )

  const describe = (c: Candidate): Link => {
    C.compare(f, c.i, f, c.j, cmp)
    return {
      left: people[c.i]!.id,
      right: people[c.j]!.id,
      score: Model.round(c.weight),
      probability: c.reference === undefined ? Model.round(Model.probability(c.weight)) : 1,
      reasons: [
        ...(c.reference === undefined ? [] : [c.reference === "" ? "reference" : referenceReason(c.reference)]),
        ...C.sharedValues(f, c.i, f, c.j),
        `name:${C.comparisons[C.NAME]!.levels[cmp.levels[C.NAME]!] ?? "unknown"}`
      ],
      contributions: scorer.contributions(cmp)
    }
  }

  const byLeft = new Map<number, Array<Candidate>>()
  const byRight = new Map<number, Array<Candidate>>()
  for (const c of candidates) {
    byLeft.set(c.i, [...(byLeft.get(c.i) ?? []), c])
    byRight.set(c.j, [...(byRight.get(c.j) ?? []), c])
  }
  const takenLeft = new Map<number, Candidate>()
  const takenRight = new Map<number, Candidate>()
  const matches: Array<Link> = []
  const suggestions: Array<LinkSuggestion> = []
  for (const c of candidates) {
    const holderL = takenLeft.get(c.i)
    const holderR = takenRight.get(c.j)
    if (holderL !== undefined || holderR !== undefined) {
      if (c.weight >= suggestionWeight || c.reference !== undefined) {
        const other = holderL !== undefined ? `${people[c.i]!.id} is linked to ${people[holderL.j]!.id}` : `${people[c.j]!.id} is linked to ${people[holderR!.i]!.id}`
        suggestions.push({ ...describe(c), why: `ambiguous: ${other}` })
      }
      continue
    }
    if (c.reference === undefined) {
      if (c.weight < matchWeight) {
        suggestions.push({ ...describe(c), why: "below the match threshold" })
        continue
      }
      if (!c.corroborated) {
        suggestions.push({ ...describe(c), why: "names only" })
        continue
      }
      // another plausible link of either person, nearly as strong: not confident
      const rival = [...(byLeft.get(c.i) ?? []), ...(byRight.get(c.j) ?? [])].find((o) =>
        o !== c && o.weight >= Math.max(suggestionWeight, c.weight - AMBIGUITY_BITS) && !takenLeft.has(o.i) && !takenRight.has(o.j)
      )
      if (rival !== undefined) {
        suggestions.push({ ...describe(c), why: `ambiguous: ${people[rival.i]!.id} ~ ${people[rival.j]!.id} is nearly as likely` })
        continue
      }
    }
    takenLeft.set(c.i, c)
    takenRight.set(c.j, c)
    matches.push(describe(c))
  }
  matches.sort((x, y) => compareStrings(x.left, y.left) || compareStrings(x.right, y.right))
  suggestions.sort((x, y) => y.score - x.score || compareStrings(x.left, y.left) || compareStrings(x.right, y.right))
  const unmatchedLeft = l.filter((_, i) => !takenLeft.has(i)).map((p) => p.id).sort(compareStrings)
  const unmatchedRight = r.filter((_, j) => !takenRight.has(nl + j)).map((p) => p.id).sort(compareStrings)
  return { matches, suggestions, unmatchedLeft, unmatchedRight, model, threshold, suggestionThreshold }
}
