/**
 * Identity resolution: features, blocks, the model (given, trained on the
 * input, or the defaults for small inputs), scored candidate pairs, and
 * clusters that cannot chain, in rounds until nothing more joins.
 *
 * Round 1 compares the records (records sharing a reference are one cluster
 * from the start). Each later round compares the clusters of the blocks that
 * hold a cluster that changed, level by level at its best over their members,
 * with the holders of each value counted in clusters: merging the result again
 * with the same model therefore finds nothing more.
 *
 * @internal
 */
import type { Contribution, Decision, Skipped } from "../../Merge.js"
import type * as Person from "../../Person.js"
import * as Blocking from "./blocking.js"
import { Clusters, compareClusters } from "./clustering.js"
import * as C from "./comparisons.js"
import { extract, type Features, referenceReason } from "./features.js"
import { referenceResolver } from "./keys.js"
import * as Model from "./model.js"
import { compareStrings } from "./order.js"

/** Inputs smaller than this use the default model instead of training one. @internal */
export const MIN_TRAINING_RECORDS = 1000

/** @internal */
export interface Settings {
  readonly model: Model.ModelData | undefined
  readonly threshold: number | undefined
  readonly suggestionThreshold: number | undefined
  readonly maxBlockSize: number
  readonly maxNameBlockSize: number
  readonly maxClusterSize: number
  readonly crossReferences: ReadonlyArray<ReadonlyArray<string>> | undefined
}

/** A pair of final clusters worth a look, with the evidence. @internal */
export interface RawSuggestion {
  /** Roots of the two final clusters (a < b). */
  readonly a: number
  readonly b: number
  readonly score: number
  readonly probability: number
  readonly reasons: ReadonlyArray<string>
  readonly contributions: ReadonlyArray<Contribution>
  readonly why: string
}

/** @internal */
export interface Outcome {
  /** Clusters of indices into the input, each sorted, ordered by their first index. */
  readonly clusters: Array<Array<number>>
  /** The final root of each input. */
  readonly root: Int32Array
  readonly decisions: Array<Decision>
  readonly suggestions: Array<RawSuggestion>
  readonly skipped: Array<Skipped>
  readonly rounds: number
  readonly model: Model.ModelData
  readonly threshold: number
  readonly suggestionThreshold: number
}

/** The default match and suggestion probabilities. @internal */
export const DEFAULT_THRESHOLD = 0.98
/** @internal */
export const DEFAULT_SUGGESTION_THRESHOLD = 0.5

/** The id of a cluster, as survivorship names the merged person: its smallest provenance key, else its smallest id. @internal */
export const clusterIdOf = (people: ReadonlyArray<Person.Person>, members: ReadonlyArray<number>): string => {
  let best: string | undefined
  let bestId: string | undefined
  for (const m of members) {
    const person = people[m]!
    for (const p of person.provenance) {
      const key = p.key
      if (best === undefined || key < best) best = key
    }
    if (bestId === undefined || person.id < bestId) bestId = person.id
  }
  return best ?? bestId ?? ""
}

interface Pending {
  readonly a: number
  readonly b: number
  readonly weight: number
  /** Index of its decision, or -1 when not reported. */
  readonly decision: number
}

const identifying = (cmp: C.Comparison): boolean =>
  C.emailLevel(cmp) <= C.E_ALIAS || cmp.levels[C.PHONE]! <= C.P_BASE || cmp.levels[C.EMPLOYEE] === C.K_EXACT

/**
 * Resolves `people`, which must be in canonical order (the result depends only
 * on that order).
 *
 * @internal
 */
export const resolveWith = (people: ReadonlyArray<Person.Person>, settings: Settings): Outcome => {
  const n = people.length
  const f = extract(people, referenceResolver(settings.crossReferences))
  const blocks = Blocking.build(f, settings.maxBlockSize, settings.maxNameBlockSize)
  const clusters = new Clusters(n)
  for (const code of blocks.references) {
    const i = Math.floor(code / n)
    clusters.joinCertain(i, code - i * n)
  }
  let roots = clusters.roots()
  let blocked = Blocking.round(f, blocks, roots, undefined)
  const skipped: Array<Skipped> = blocked.skipped.map((s) => ({
    key: s.key,
    size: s.size,
    reason: `held by ${s.size} people (more than ${s.key.startsWith("name:") ? settings.maxNameBlockSize : settings.maxBlockSize}): not identifying`
  }))

  const left: Array<number> = []
  const right: Array<number> = []
  const scratch = C.makeComparison()
  const defaultScorer = Model.scorer(Model.defaultModel, n, blocked.sameValuePairs)
  const model = settings.model ?? (n >= MIN_TRAINING_RECORDS
    ? Model.train(f, blocked.pairs, blocked.sameValuePairs, (a, b, out) =>
      compareClusters(f, clusters, a, b, defaultScorer.levelWeight, out, scratch, left, right))
    : Model.defaultModel)
  const threshold = settings.threshold ?? DEFAULT_THRESHOLD
  const suggestionThreshold = Math.min(threshold, settings.suggestionThreshold ?? DEFAULT_SUGGESTION_THRESHOLD)
  const matchWeight = Model.weightOf(threshold)
  const suggestionWeight = Model.weightOf(suggestionThreshold)

  const decisions: Array<Decision> = []
  const clusterIds = new Map<number, string>()
  const idOf = (root: number, round: number): string => {
    if (round === 1 && clusters.isSingleton(root)) return people[root]!.id
    let id = clusterIds.get(root)
    if (id === undefined) {
      id = clusterIdOf(people, clusters.members(root, left))
      clusterIds.set(root, id)
    }
    return id
  }
  const cmp = C.makeComparison()
  const reasonsOf = (a: number, b: number, extra: ReadonlyArray<string>): Array<string> => {
    const shared = new Set<string>()
    for (const x of clusters.members(a, [])) for (const y of clusters.members(b, [])) for (const v of C.sharedValues(f, x, y)) shared.add(v)
    return [...[...shared].sort(compareStrings), `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`, ...extra]
  }

  // references: certain links, reported with the evidence the model sees
  {
    const scorer = Model.scorer(model, n, blocked.sameValuePairs)
    for (const code of blocks.references) {
      const i = Math.floor(code / n)
      const j = code - i * n
      C.compare(f, i, j, cmp)
      const ref = blocks.referenceKeys.get(code)
      const weight = Model.round(scorer.weight(cmp))
      const idA = people[i]!.id
      const idB = people[j]!.id
      const [a, b] = idA <= idB ? [idA, idB] : [idB, idA]
      decisions.push({
        a,
        b,
        score: weight,
        probability: 1,
        matched: true,
        reasons: [ref === undefined ? "reference" : referenceReason(ref), ...C.sharedValues(f, i, j), `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`],
        contributions: scorer.contributions(cmp),
        round: 1
      })
    }
  }

  const suggestions = new Map<number, { a: number; b: number; why: string }>()
  let round = 0
  let clusterCount = 0
  for (let r = 0; r < n; r++) if (roots[r] === r) clusterCount++
  for (;;) {
    round++
    clusterIds.clear()
    const scorer = Model.scorer(model, clusterCount, blocked.sameValuePairs)
    const pending: Array<Pending> = []
    const pairs = blocked.pairs
    for (let p = 0; p < pairs.length; p++) {
      const code = pairs[p]!
      const a = Math.floor(code / n)
      const b = code - a * n
      compareClusters(f, clusters, a, b, scorer.levelWeight, cmp, scratch, left, right)
      const weight = scorer.weight(cmp)
      const report = weight >= suggestionWeight || identifying(cmp)
      const corroborated = scorer.corroborated(cmp)
      const above = weight >= matchWeight
      let decision = -1
      if (report) {
        decision = decisions.length
        const idA = idOf(a, round)
        const idB = idOf(b, round)
        const [first, second] = idA <= idB ? [idA, idB] : [idB, idA]
        decisions.push({
          a: first,
          b: second,
          score: Model.round(weight),
          probability: Model.round(Model.probability(weight)),
          matched: false,
          reasons: reasonsOf(a, b, above && !corroborated ? ["names only: not merged without other evidence"] : []),
          contributions: scorer.contributions(cmp),
          round
        })
      }
      if (above && corroborated) pending.push({ a, b, weight, decision })
      else if (weight >= suggestionWeight) suggestions.set(code, { a, b, why: above ? "names only" : "below the match threshold" })
    }
    pending.sort((x, y) => y.weight - x.weight || x.a - y.a || x.b - y.b)
    const changed = new Uint8Array(n)
    let joined = 0
    for (const edge of pending) {
      const ra = clusters.find(edge.a)
      const rb = clusters.find(edge.b)
      let refusal: string | undefined
      if (ra !== rb) {
        refusal = clusters.tryJoin(f, ra, rb, settings.maxClusterSize, left, right)
        if (refusal === undefined) {
          joined++
          changed[clusters.find(ra)] = 1
        }
      }
      if (refusal !== undefined) suggestions.set(edge.a * n + edge.b, { a: edge.a, b: edge.b, why: `conflict: ${refusal}` })
      if (edge.decision >= 0) {
        const d = decisions[edge.decision]!
        decisions[edge.decision] = refusal === undefined ? { ...d, matched: true } : { ...d, reasons: [...d.reasons, `conflict: ${refusal}`] }
      }
    }
    if (joined === 0) break
    clusterCount -= joined
    roots = clusters.roots()
    for (let i = 0; i < n; i++) if (changed[i] === 1) changed[roots[i]!] = 1
    blocked = Blocking.round(f, blocks, roots, changed)
  }

  // suggestions between final clusters: the strongest evidence between them
  const finalScorer = Model.scorer(model, clusterCount, blocked.sameValuePairs)
  const byPair = new Map<number, { a: number; b: number; why: string }>()
  for (const s of suggestions.values()) {
    const a = clusters.find(s.a)
    const b = clusters.find(s.b)
    if (a === b) continue
    const code = a < b ? a * n + b : b * n + a
    const previous = byPair.get(code)
    if (previous === undefined || (previous.why === "below the match threshold" && s.why !== previous.why)) byPair.set(code, { a: Math.min(a, b), b: Math.max(a, b), why: s.why })
  }
  const raw: Array<RawSuggestion> = []
  for (const code of [...byPair.keys()].sort((x, y) => x - y)) {
    const s = byPair.get(code)!
    compareClusters(f, clusters, s.a, s.b, finalScorer.levelWeight, cmp, scratch, left, right)
    const weight = finalScorer.weight(cmp)
    if (weight < suggestionWeight) continue
    raw.push({
      a: s.a,
      b: s.b,
      score: Model.round(weight),
      probability: Model.round(Model.probability(weight)),
      reasons: reasonsOf(s.a, s.b, []),
      contributions: finalScorer.contributions(cmp),
      why: s.why
    })
  }

  roots = clusters.roots()
  const grouped = new Map<number, Array<number>>()
  for (let i = 0; i < n; i++) {
    const list = grouped.get(roots[i]!)
    if (list === undefined) grouped.set(roots[i]!, [i])
    else list.push(i)
  }
  decisions.sort((x, y) => x.round - y.round || compareStrings(x.a, y.a) || compareStrings(x.b, y.b))
  return {
    clusters: Array.from(grouped.values()),
    root: roots,
    decisions,
    suggestions: raw,
    skipped,
    rounds: round,
    model,
    threshold,
    suggestionThreshold
  }
}

const levelName = (c: number, level: number): string => C.comparisons[c]!.levels[level] ?? "unknown"

/** The features of `people` (for linking). @internal */
export const features = (people: ReadonlyArray<Person.Person>, crossReferences: ReadonlyArray<ReadonlyArray<string>> | undefined): Features =>
  extract(people, referenceResolver(crossReferences))
