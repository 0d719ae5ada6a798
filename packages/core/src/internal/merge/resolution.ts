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
import { extract, type Features, makeTables, referenceReason } from "./features.js"
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

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

interface Pending {
  readonly a: number
  readonly b: number
  readonly weight: number
  /** Index of its decision, or -1 when not reported. */
  readonly decision: number
}

const identifying = (cmp: C.Comparison): boolean =>
  C.emailLevel(cmp) <= C.E_ALIAS || cmp.levels[C.PHONE]! <= C.P_BASE || cmp.levels[C.EMPLOYEE] === C.K_EXACT

/** The runs a merged person holds (from {@link Blocking.attach}) and its position there. */
interface Held {
  readonly table: { readonly start: Int32Array; readonly index: Uint8Array; readonly id: Int32Array }
  readonly at: number
}

/**
 * Resolves `records`, which must be in canonical order (the result depends only
 * on that order). Round 1 compares the records (each as survivorship writes it
 * alone); every later round compares the people the previous round made (each
 * cluster survived into one person) with the same model, in the blocks whose
 * holders changed, until a round joins nothing: that last round is what
 * resolving the result again computes, so resolving the result again with the
 * same model joins nothing.
 *
 * Later rounds reuse the records' features and blocks: only the people a round
 * merged get features of their own, and only the runs their records hold are
 * counted again.
 *
 * @internal
 */
export const resolveWith = (records: ReadonlyArray<Person.Person>, settings: Settings): Outcome => {
  const cross = referenceResolver(settings.crossReferences)
  const tables = makeTables()
  const total = records.length
  // a record compares as survivorship writes it alone (what merging the result again reads):
  // the same features, unless it holds one value twice (survivorship combines the copies)
  const first = records.map((r) => (hasRepeatedPoint(r) ? settings.survive([r]) : r))
  const f = extract(first, cross, tables)
  const blocks = Blocking.build(f, settings.maxBlockSize, settings.maxNameBlockSize)

  const decisions: Array<Decision> = []
  // record pairs to suggest, with the reason a link was refused
  const pendingSuggestions: Array<readonly [number, number, string | undefined]> = []
  const watch = new Map<number, Blocking.SkippedBlock>()
  // the people of the current round: who they are, their records, where their features are
  let people: Array<Person.Person> = first
  let groups: Array<Array<number>> = records.map((_, i) => [i])
  let feat: Array<Features> = records.map(() => f)
  let idx: Int32Array = Int32Array.from(records, (_, i) => i)
  let held: Array<Held | undefined> = records.map(() => undefined)
  let survived: Uint8Array = Uint8Array.from(records, (r, i) => (first[i] === r ? 0 : 1))
  let personOf: Int32Array = Int32Array.from(records, (_, i) => i)
  let changedRecords: Array<number> | undefined
  let model = settings.model
  const threshold = settings.threshold ?? DEFAULT_THRESHOLD
  const suggestionThreshold = Math.min(threshold, settings.suggestionThreshold ?? DEFAULT_SUGGESTION_THRESHOLD)
  const matchWeight = Model.weightOf(threshold)
  const suggestionWeight = Model.weightOf(suggestionThreshold)
  const left: Array<number> = []
  const right: Array<number> = []
  const scratch = C.makeComparison()
  const conflictScratch = C.makeComparison()
  const cmp = C.makeComparison()
  let round = 0
  let scorer: Model.Scorer | undefined
  let clusters: Clusters | undefined
  for (;;) {
    round++
    const n = people.length
    // a person stands for its records (the records of one remote record count once)
    const current = new Clusters(n, people.map((p) => Math.max(1, p.provenance.length)))
    clusters = current
    let joined = 0
    if (round === 1) {
      for (const code of blocks.references) {
        const i = Math.floor(code / n)
        const j = code - i * n
        if (current.find(i) !== current.find(j)) joined++
        current.joinCertain(i, j)
      }
    }
    const roots = round === 1 ? current.roots() : undefined
    const peopleOf = roots ?? personOf
    const heldNow = held
    const featNow = feat
    const idxNow = idx
    const anyMerged = round > 1
    const holding: Blocking.Holding = {
      n,
      personOf: peopleOf,
      holds: !anyMerged ? undefined : (p, _record, ix, run) => {
        const h = heldNow[p]
        if (h === undefined) return true
        const { start, index, id } = h.table
        for (let k = start[h.at]!; k < start[h.at + 1]!; k++) if (index[k] === ix && id[k] === run) return true
        return false
      },
      exact: !anyMerged ? undefined : (p, entry, run, out) => {
        if (heldNow[p] === undefined) {
          out.push(f.phoneValue[entry]!)
          return
        }
        const m = featNow[p]!
        const i = idxNow[p]!
        for (let k = m.phoneStart[i]!; k < m.phoneStart[i + 1]!; k++) if (m.phoneBase[k] === run && m.phoneValue[k]! >= 0) out.push(m.phoneValue[k]!)
      }
    }
    let active: Array<Uint8Array> | undefined
    if (changedRecords !== undefined) {
      active = blocks.indexes.map((index) => new Uint8Array(Math.max(0, index.start.length - 1)))
      for (const r of changedRecords) {
        for (let k = blocks.runStart[r]!; k < blocks.runStart[r + 1]!; k++) active[blocks.runIndex[k]!]![blocks.runId[k]!] = 1
      }
    }
    const blocked = Blocking.round(blocks, holding, active, watch)
    const comparePeople = (a: number, b: number, out: C.Comparison) => C.compare(featNow[a]!, idxNow[a]!, featNow[b]!, idxNow[b]!, out)
    if (model === undefined) {
      const defaultScorer = Model.scorer(Model.defaultModel, n)
      model = n >= MIN_TRAINING_RECORDS
        ? Model.train(f, blocked.pairs, blocked.sameValuePairs, (a, b, out) =>
          compareClusters(current, a, b, comparePeople, defaultScorer.levelWeight, out, scratch, left, right))
        : Model.defaultModel
    }
    const score = Model.scorer(model, n)
    scorer = score
    const idOf = (root: number): string => (current.isSingleton(root) ? people[root]!.id : clusterIdOf(people, current.members(root, left)))
    const reasonsOf = (a: number, b: number, extra: ReadonlyArray<string>): Array<string> => {
      let shared: Array<string>
      if (current.isSingleton(a) && current.isSingleton(b)) shared = C.sharedValues(featNow[a]!, idxNow[a]!, featNow[b]!, idxNow[b]!)
      else {
        const all = new Set<string>()
        for (const x of current.members(a, [])) {
          for (const y of current.members(b, [])) for (const v of C.sharedValues(featNow[x]!, idxNow[x]!, featNow[y]!, idxNow[y]!)) all.add(v)
        }
        shared = [...all].sort(compareStrings)
      }
      return [...shared, `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`, ...extra]
    }

    // references: certain links, reported with the evidence the model sees
    if (round === 1) {
      for (const code of blocks.references) {
        const i = Math.floor(code / n)
        const j = code - i * n
        C.compare(f, i, f, j, cmp)
        const ref = blocks.referenceKeys.get(code)
        const [a, b] = people[i]!.id <= people[j]!.id ? [people[i]!.id, people[j]!.id] : [people[j]!.id, people[i]!.id]
        decisions.push({
          a,
          b,
          score: Model.round(score.weight(cmp)),
          probability: 1,
          matched: true,
          reasons: [ref === undefined ? "reference" : referenceReason(ref), ...C.sharedValues(f, i, f, j), `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`],
          contributions: score.contributions(cmp),
          round
        })
      }
    }

    // scored pairs
    const pending: Array<Pending> = []
    const pairs = blocked.pairs
    for (let p = 0; p < pairs.length; p++) {
      const code = pairs[p]!
      const a = Math.floor(code / n)
      const b = code - a * n
      compareClusters(current, a, b, comparePeople, score.levelWeight, cmp, scratch, left, right)
      const weight = score.weight(cmp)
      const above = weight >= matchWeight
      const corroborated = above && score.corroborated(cmp)
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
          contributions: score.contributions(cmp),
          round
        })
      }
      if (above && corroborated) pending.push({ a, b, weight, decision })
      else if (weight >= suggestionWeight) pendingSuggestions.push([groups[a]![0]!, groups[b]![0]!, undefined])
    }

    // links, strongest first, each only if the joined cluster stays consistent
    const conflict = (x: number, y: number) => C.cannotLink(featNow[x]!, idxNow[x]!, featNow[y]!, idxNow[y]!, conflictScratch, score.weights)
    pending.sort((x, y) => y.weight - x.weight || x.a - y.a || x.b - y.b)
    for (const edge of pending) {
      const ra = current.find(edge.a)
      const rb = current.find(edge.b)
      let refusal: string | undefined
      if (ra !== rb) {
        refusal = current.tryJoin(ra, rb, settings.maxClusterSize, conflict, left, right)
        if (refusal === undefined) joined++
        else pendingSuggestions.push([groups[edge.a]![0]!, groups[edge.b]![0]!, refusal])
      }
      if (edge.decision >= 0) {
        const d = decisions[edge.decision]! as Mutable<Decision>
        if (refusal === undefined) d.matched = true
        else d.reasons = [...d.reasons, `conflict: ${refusal}`]
      }
    }
    if (joined === 0) break

    // the people of the next round: each cluster survived into one person; the merged ones get features
    const byRoot = new Map<number, Array<number>>()
    for (let i = 0; i < n; i++) {
      const r = current.find(i)
      const list = byRoot.get(r)
      if (list === undefined) byRoot.set(r, [i])
      else list.push(i)
    }
    const next: Array<{ person: Person.Person; group: Array<number>; previous: number; merged: boolean; survived: boolean }> = []
    for (const members of byRoot.values()) {
      if (members.length === 1) {
        const p = members[0]!
        next.push({ person: people[p]!, group: groups[p]!, previous: p, merged: false, survived: survived[p] === 1 })
        continue
      }
      const group = members.flatMap((m) => groups[m]!).sort((x, y) => x - y)
      next.push({ person: settings.survive(group.map((r) => records[r]!)), group, previous: -1, merged: true, survived: true })
    }
    // a deterministic order: by first record
    next.sort((x, y) => x.group[0]! - y.group[0]!)
    const mergedPeople = next.filter((x) => x.merged)
    const m = extract(mergedPeople.map((x) => x.person), cross, tables)
    const table = Blocking.attach(m, blocks)
    let mi = 0
    people = next.map((x) => x.person)
    groups = next.map((x) => x.group)
    feat = next.map((x) => (x.merged ? m : featNow[x.previous]!))
    idx = Int32Array.from(next, (x) => (x.merged ? mi++ : idxNow[x.previous]!))
    mi = 0
    held = next.map((x) => (x.merged ? { table, at: mi++ } : heldNow[x.previous]))
    survived = Uint8Array.from(next, (x) => (x.survived ? 1 : 0))
    personOf = new Int32Array(total)
    next.forEach((x, p) => {
      for (const r of x.group) personOf[r] = p
    })
    changedRecords = mergedPeople.flatMap((x) => x.group)
  }

  // suggestions between final people: the evidence between them now
  const score = scorer!
  const finalClusters = clusters!
  const n = people.length
  const final = n === total && round === 1 ? finalClusters.roots() : personOf
  const found = new Map<number, string | undefined>()
  for (const [ra, rb, refusal] of pendingSuggestions) {
    const a = Math.min(final[ra]!, final[rb]!)
    const b = Math.max(final[ra]!, final[rb]!)
    if (a === b) continue
    const code = a * n + b
    if (!found.has(code) || (found.get(code) === undefined && refusal !== undefined)) found.set(code, refusal)
  }
  const raw: Array<RawSuggestion> = []
  for (const code of [...found.keys()].sort((x, y) => x - y)) {
    const a = Math.floor(code / n)
    const b = code - a * n
    const refusal = found.get(code)
    compareClusters(finalClusters, a, b, (x, y, out) => C.compare(feat[x]!, idx[x]!, feat[y]!, idx[y]!, out), score.levelWeight, cmp, scratch, left, right)
    const weight = score.weight(cmp)
    // a refused link is always suggested; anything else only while it stays plausible
    if (refusal === undefined && weight < suggestionWeight) continue
    const why = refusal !== undefined
      ? `conflict: ${refusal}`
      : weight < matchWeight
      ? "below the match threshold"
      : !score.corroborated(cmp)
      ? "names only"
      : "refused"
    raw.push({
      a,
      b,
      score: Model.round(weight),
      probability: Model.round(Model.probability(weight)),
      reasons: [...C.sharedValues(feat[a]!, idx[a]!, feat[b]!, idx[b]!), `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`],
      contributions: score.contributions(cmp),
      why
    })
  }
  decisions.sort((x, y) => x.round - y.round || compareStrings(x.a, y.a) || compareStrings(x.b, y.b))
  // the keys still held by too many people at the end
  const skipped: Array<Skipped> = []
  for (const s of watch.values()) {
    if (s.size > s.limit) skipped.push({ key: s.key, size: s.size, reason: `held by ${s.size} people (more than ${s.limit}): not identifying` })
  }
  skipped.sort((x, y) => compareStrings(x.key, y.key))
  // a round that joined only references leaves clusters of records: the final people are those clusters
  let outPeople = people
  let outGroups = groups
  let outSurvived = survived
  if (round === 1) {
    const byRoot = new Map<number, Array<number>>()
    for (let i = 0; i < n; i++) {
      const r = finalClusters.find(i)
      const list = byRoot.get(r)
      if (list === undefined) byRoot.set(r, [i])
      else list.push(i)
    }
    outGroups = [...byRoot.values()]
    outPeople = outGroups.map((g) => (g.length === 1 ? people[g[0]!]! : settings.survive(g.map((r) => records[r]!))))
    outSurvived = Uint8Array.from(outGroups, (g) => (g.length === 1 ? survived[g[0]!]! : 1))
  }
  const root = new Int32Array(total)
  outGroups.forEach((g, p) => {
    for (const r of g) root[r] = p
  })
  const order = outPeople.map((_, p) => p)
  const finalPeople = outPeople.map((p, i) => (outSurvived[i] === 1 ? p : settings.survive([p])))
  order.sort((x, y) => compareStrings(finalPeople[x]!.id, finalPeople[y]!.id) || outGroups[x]![0]! - outGroups[y]![0]!)
  const position = new Int32Array(order.length)
  order.forEach((p, k) => {
    position[p] = k
  })
  for (let r = 0; r < total; r++) root[r] = position[root[r]!]!
  return {
    clusters: order.map((p) => outGroups[p]!),
    root,
    people: order.map((p) => finalPeople[p]!),
    decisions,
    suggestions: raw.map((s) => ({ ...s, a: Math.min(position[s.a]!, position[s.b]!), b: Math.max(position[s.a]!, position[s.b]!) })),
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
