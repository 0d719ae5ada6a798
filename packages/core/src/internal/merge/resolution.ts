/**
 * Identity resolution: features, blocks, the model (given, trained on the
 * input, or the defaults for small inputs), scored candidate pairs, and
 * clusters that cannot chain, in rounds until nothing more joins.
 *
 * Round 1 compares the records (records sharing a reference are one cluster
 * from the start). Each later round compares the people the previous round
 * made, each cluster survived into one person, only in the blocks holding a
 * person that changed: the last round is a resolution of the result itself,
 * so resolving the result again with the same model finds nothing more.
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
  /** Merges the records of one cluster into one person (between rounds). */
  readonly survive: (records: ReadonlyArray<Person.Person>) => Person.Person
}

/** A pair of final people worth a look, with the evidence. @internal */
export interface RawSuggestion {
  /** Indices of the two final people (a < b). */
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
  /** The records of each final person (indices into the input, sorted), in the order of `people`. */
  readonly clusters: Array<Array<number>>
  /** The final person of each input record. */
  readonly root: Int32Array
  /** The final people, each cluster survived into one person (sorted by id). */
  readonly people: ReadonlyArray<Person.Person>
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
 * Resolves `records`, which must be in canonical order (the result depends only
 * on that order). Round 1 compares the records (each as survivorship writes it
 * alone); every later round compares the
 * people the previous round made (each cluster survived into one person) with
 * the same model, only in the blocks holding a person that changed, until a
 * round joins nothing: that last round is what resolving the result again
 * computes, so resolving the result again with the same model joins nothing.
 *
 * @internal
 */
export const resolveWith = (records: ReadonlyArray<Person.Person>, settings: Settings): Outcome => {
  const cross = referenceResolver(settings.crossReferences)
  const decisions: Array<Decision> = []
  // record pairs to suggest, with the reason a link was refused
  const pendingSuggestions: Array<readonly [number, number, string | undefined]> = []
  // a record compares as survivorship writes it alone (what merging the result again reads):
  // the same features, unless it holds one value twice (survivorship combines the copies)
  let people: ReadonlyArray<Person.Person> = records.map((r) => (hasRepeatedPoint(r) ? settings.survive([r]) : r))
  let survived: Uint8Array = Uint8Array.from(records, (r, i) => (people[i] === r ? 0 : 1))
  let groups: Array<Array<number>> = records.map((_, i) => [i])
  let changed: Uint8Array | undefined
  // the previous round's features, and the previous people each changed person was made of
  let previous: { f: Features; parts: Array<Array<number>> } | undefined
  let model = settings.model
  const watch: Blocking.Watch = new Map()
  const threshold = settings.threshold ?? DEFAULT_THRESHOLD
  const suggestionThreshold = Math.min(threshold, settings.suggestionThreshold ?? DEFAULT_SUGGESTION_THRESHOLD)
  const matchWeight = Model.weightOf(threshold)
  const suggestionWeight = Model.weightOf(suggestionThreshold)
  const left: Array<number> = []
  const right: Array<number> = []
  const scratch = C.makeComparison()
  const cmp = C.makeComparison()
  let round = 0
  let last: { f: Features; clusters: Clusters; scorer: Model.Scorer } | undefined
  for (;;) {
    round++
    const n = people.length
    const f = extract(people, cross)
    const blocks = Blocking.build(f, settings.maxBlockSize, settings.maxNameBlockSize)
    // a person stands for its records (the records of one remote record count once)
    const clusters = new Clusters(n, people.map((p) => Math.max(1, p.provenance.length)))
    let joined = 0
    for (const code of blocks.references) {
      const i = Math.floor(code / n)
      const j = code - i * n
      if (clusters.find(i) !== clusters.find(j)) joined++
      clusters.joinCertain(i, j)
    }
    const roots = clusters.roots()
    let active: Uint8Array | undefined
    if (changed !== undefined) {
      active = new Uint8Array(n)
      for (let i = 0; i < n; i++) if (changed[i] === 1) active[roots[i]!] = 1
    }
    let touched: Array<Uint8Array> | undefined
    if (previous !== undefined) {
      // blocks that held a former part of a changed person: its merged person may no longer hold the key
      const { f: before, parts } = previous
      touched = blocks.indexes.map((index) => new Uint8Array(Math.max(0, index.start.length - 1)))
      const kindIndex = new Map(blocks.indexes.map((index, ix) => [index.kind as number, ix] as const))
      for (const group of parts) {
        for (const q of group) {
          Blocking.forEachKey(before, q, (kind, a, b) => {
            const ix = kindIndex.get(kind)
            if (ix === undefined) return
            const [hi, lo] = Blocking.hashKey(a, b, kind)
            const run = Blocking.findBlock(blocks.indexes[ix]!, hi, lo)
            if (run >= 0) touched![ix]![run] = 1
          })
        }
      }
    }
    const blocked = Blocking.round(f, blocks, roots, active, touched, watch)
    for (const s of blocked.skipped) {
      let inner = watch.get(s.hi)
      if (inner === undefined) watch.set(s.hi, inner = new Map())
      inner.set(s.lo, s)
    }
    if (model === undefined) {
      const defaultScorer = Model.scorer(Model.defaultModel, n)
      model = n >= MIN_TRAINING_RECORDS
        ? Model.train(f, blocked.pairs, blocked.sameValuePairs, (a, b, out) =>
          compareClusters(f, clusters, a, b, defaultScorer.levelWeight, out, scratch, left, right))
        : Model.defaultModel
    }
    const scorer = Model.scorer(model, n)
    last = { f, clusters, scorer }
    const idOf = (root: number): string => (clusters.isSingleton(root) ? people[root]!.id : clusterIdOf(people, clusters.members(root, left)))
    const reasonsOf = (a: number, b: number, extra: ReadonlyArray<string>): Array<string> => {
      const shared = new Set<string>()
      for (const x of clusters.members(a, [])) for (const y of clusters.members(b, [])) for (const v of C.sharedValues(f, x, y)) shared.add(v)
      return [...[...shared].sort(compareStrings), `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`, ...extra]
    }

    // references: certain links, reported with the evidence the model sees
    for (const code of blocks.references) {
      const i = Math.floor(code / n)
      const j = code - i * n
      C.compare(f, i, j, cmp)
      const ref = blocks.referenceKeys.get(code)
      const [a, b] = people[i]!.id <= people[j]!.id ? [people[i]!.id, people[j]!.id] : [people[j]!.id, people[i]!.id]
      decisions.push({
        a,
        b,
        score: Model.round(scorer.weight(cmp)),
        probability: 1,
        matched: true,
        reasons: [ref === undefined ? "reference" : referenceReason(ref), ...C.sharedValues(f, i, j), `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`],
        contributions: scorer.contributions(cmp),
        round
      })
    }

    // scored pairs
    const pending: Array<Pending> = []
    const pairs = blocked.pairs
    for (let p = 0; p < pairs.length; p++) {
      const code = pairs[p]!
      const a = Math.floor(code / n)
      const b = code - a * n
      compareClusters(f, clusters, a, b, scorer.levelWeight, cmp, scratch, left, right)
      const weight = scorer.weight(cmp)
      const above = weight >= matchWeight
      const corroborated = above && scorer.corroborated(cmp)
      let decision = -1
      if (weight >= suggestionWeight || identifying(cmp)) {
        decision = decisions.length
        const idA = idOf(a)
        const idB = idOf(b)
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
      else if (weight >= suggestionWeight) pendingSuggestions.push([groups[a]![0]!, groups[b]![0]!, undefined])
    }

    // links, strongest first, each only if the joined cluster stays consistent
    pending.sort((x, y) => y.weight - x.weight || x.a - y.a || x.b - y.b)
    for (const edge of pending) {
      const ra = clusters.find(edge.a)
      const rb = clusters.find(edge.b)
      let refusal: string | undefined
      if (ra !== rb) {
        refusal = clusters.tryJoin(f, ra, rb, settings.maxClusterSize, left, right)
        if (refusal === undefined) joined++
        else pendingSuggestions.push([groups[edge.a]![0]!, groups[edge.b]![0]!, refusal])
      }
      if (edge.decision >= 0) {
        const d = decisions[edge.decision]!
        decisions[edge.decision] = refusal === undefined ? { ...d, matched: true } : { ...d, reasons: [...d.reasons, `conflict: ${refusal}`] }
      }
    }
    if (joined === 0) break

    // the people of the next round: each cluster survived into one person
    const byRoot = new Map<number, Array<number>>()
    for (let i = 0; i < n; i++) {
      const r = clusters.find(i)
      const list = byRoot.get(r)
      if (list === undefined) byRoot.set(r, [i])
      else list.push(i)
    }
    const next: Array<{ person: Person.Person; group: Array<number>; parts: Array<number> | undefined; survived: boolean }> = []
    for (const members of byRoot.values()) {
      if (members.length === 1) {
        next.push({ person: people[members[0]!]!, group: groups[members[0]!]!, parts: undefined, survived: survived[members[0]!] === 1 })
        continue
      }
      const group = members.flatMap((m) => groups[m]!).sort((x, y) => x - y)
      next.push({ person: settings.survive(group.map((r) => records[r]!)), group, parts: members, survived: true })
    }
    next.sort((x, y) => compareStrings(x.person.id, y.person.id) || x.group[0]! - y.group[0]!)
    previous = { f, parts: next.flatMap((x) => (x.parts === undefined ? [] : [x.parts])) }
    people = next.map((x) => x.person)
    groups = next.map((x) => x.group)
    changed = Uint8Array.from(next, (x) => (x.parts === undefined ? 0 : 1))
    survived = Uint8Array.from(next, (x) => (x.survived ? 1 : 0))
  }

  // suggestions between final people: the evidence between them now
  const { f, clusters, scorer } = last
  const personOf = new Int32Array(records.length)
  groups.forEach((group, p) => {
    for (const r of group) personOf[r] = p
  })
  const found = new Map<number, string | undefined>()
  const n = people.length
  for (const [ra, rb, refusal] of pendingSuggestions) {
    const a = Math.min(personOf[ra]!, personOf[rb]!)
    const b = Math.max(personOf[ra]!, personOf[rb]!)
    if (a === b) continue
    const code = a * n + b
    if (!found.has(code) || (found.get(code) === undefined && refusal !== undefined)) found.set(code, refusal)
  }
  const raw: Array<RawSuggestion> = []
  for (const code of [...found.keys()].sort((x, y) => x - y)) {
    const a = Math.floor(code / n)
    const b = code - a * n
    const refusal = found.get(code)
    C.compare(f, a, b, cmp)
    const weight = scorer.weight(cmp)
    // a refused link is always suggested; anything else only while it stays plausible
    if (refusal === undefined && weight < suggestionWeight) continue
    const why = refusal !== undefined
      ? `conflict: ${refusal}`
      : weight < matchWeight
      ? "below the match threshold"
      : !scorer.corroborated(cmp)
      ? "names only"
      : `conflict: ${C.cannotLink(f, a, b, scratch) ?? (clusters.size[a]! + clusters.size[b]! > settings.maxClusterSize ? "cluster too large" : "refused")}`
    const shared = C.sharedValues(f, a, b)
    C.compare(f, a, b, cmp)
    raw.push({
      a,
      b,
      score: Model.round(weight),
      probability: Model.round(Model.probability(weight)),
      reasons: [...shared, `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`],
      contributions: scorer.contributions(cmp),
      why
    })
  }
  decisions.sort((x, y) => x.round - y.round || compareStrings(x.a, y.a) || compareStrings(x.b, y.b))
  const root = new Int32Array(records.length)
  for (let r = 0; r < records.length; r++) root[r] = personOf[r]!
  // the keys still held by too many people at the end
  const skipped: Array<Skipped> = []
  for (const inner of watch.values()) {
    for (const s of inner.values()) {
      if (s.size > s.limit) skipped.push({ key: s.key, size: s.size, reason: `held by ${s.size} people (more than ${s.limit}): not identifying` })
    }
  }
  skipped.sort((x, y) => compareStrings(x.key, y.key))
  return {
    clusters: groups,
    root,
    people: people.map((p, i) => (survived[i] === 1 ? p : settings.survive([p]))),
    decisions,
    suggestions: raw,
    skipped,
    rounds: round,
    model: model ?? Model.defaultModel,
    threshold,
    suggestionThreshold
  }
}

/** Whether a person holds one contact value twice (kind and normalized value). */
const hasRepeatedPoint = (person: Person.Person): boolean => {
  const points = person.contactPoints
  for (let a = 1; a < points.length; a++) {
    const pa = points[a]!
    const va = pa.normalized ?? pa.value.trim()
    for (let b = 0; b < a; b++) {
      const pb = points[b]!
      if (pb.kind === pa.kind && (pb.normalized ?? pb.value.trim()) === va) return true
    }
  }
  return false
}

const levelName = (c: number, level: number): string => C.comparisons[c]!.levels[level] ?? "unknown"

/** The features of `people` (for linking). @internal */
export const features = (people: ReadonlyArray<Person.Person>, crossReferences: ReadonlyArray<ReadonlyArray<string>> | undefined): Features =>
  extract(people, referenceResolver(crossReferences))
