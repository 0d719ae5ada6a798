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
import type { Contribution, Skipped } from "../../Merge.js"
import type * as Person from "../../Person.js"
import * as Blocking from "./blocking.js"
import { Clusters, compareClusters } from "./clustering.js"
import * as C from "./comparisons.js"
import { DecisionTable } from "./decisions.js"
import { extract, FeatureBuilder, type Features, makeTables } from "./features.js"
import { referenceResolver } from "./keys.js"
import * as Model from "./model.js"
import { compareStrings, countingOrder } from "./order.js"
import type { Source } from "./source.js"

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

/**
 * The outcome of a resolution, in columns: the final people as lists of
 * records, their ids, and the decisions in a {@link DecisionTable}. A final
 * person is its records survived (`survive`), built when asked for.
 *
 * @internal
 */
export interface Outcome {
  /** Records (canonical indices, sorted) of final person `p`: `members[start[p] .. start[p + 1])`; people sorted by id. */
  readonly start: Int32Array
  readonly members: Int32Array
  /** The final person of each record. */
  readonly root: Int32Array
  /** The id of each final person. */
  readonly ids: Int32Array
  readonly decisions: DecisionTable
  readonly suggestions: Array<RawSuggestion>
  readonly skipped: Array<Skipped>
  readonly rounds: number
  readonly model: Model.ModelData
  readonly threshold: number
  readonly suggestionThreshold: number
  /** The scorer of a round (term frequencies depend on the number of people compared). */
  readonly scorer: (round: number) => Model.Scorer
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

const identifying = (cmp: C.Comparison): boolean =>
  C.emailLevel(cmp) <= C.E_ALIAS || cmp.levels[C.PHONE]! <= C.P_BASE || cmp.levels[C.EMPLOYEE] === C.K_EXACT

/** The runs the merged people of one feature table hold (from {@link Blocking.attach}). */
type HeldTable = { readonly start: Int32Array; readonly index: Uint8Array; readonly id: Int32Array }

/**
 * Resolves the records of `source` (in canonical order: the result depends
 * only on that order). Round 1 compares the records (each as survivorship
 * writes it alone); every later round compares the people the previous round
 * made (each cluster survived into one person) with the same model, in the
 * blocks whose holders changed, until a round joins nothing: that last round
 * is what resolving the result again computes, so resolving the result again
 * with the same model joins nothing.
 *
 * Later rounds reuse the records' features and blocks: only the people a round
 * merged get features of their own (their records survived, one cluster at a
 * time), and only the runs their records hold are counted again. No round
 * holds a `Person` per record.
 *
 * @internal
 */
export const resolveWith = (source: Source, settings: Settings): Outcome => {
  const cross = referenceResolver(settings.crossReferences)
  const tables = makeTables()
  const total = source.n
  // a record compares as survivorship writes it alone (what merging the result again reads):
  // the same features, unless it holds one value twice (survivorship combines the copies)
  let pSurvived = new Uint8Array(total)
  let pSize = new Int32Array(total)
  let pId = new Int32Array(total)
  const firstBuilder = new FeatureBuilder(tables, cross)
  for (let i = 0; i < total; i++) {
    if (source.hasRepeatedPoint(i)) {
      pSurvived[i] = 1
      pSize[i] = Math.max(1, source.addSurvived(firstBuilder, [i]))
      pId[i] = source.hasProvenance(i) ? i : ~i
    } else {
      source.addFeatures(firstBuilder, i)
      pSize[i] = Math.max(1, source.provenanceCount(i))
      pId[i] = ~i
    }
  }
  const f = firstBuilder.finish()
  /** The blocks (let go of once the rounds are done: what follows reads the feature tables). */
  let allBlocks: Blocking.Blocks | undefined = Blocking.build(f, settings.maxBlockSize, settings.maxNameBlockSize)

  const decisions = new DecisionTable()
  const featureTables = decisions.tables
  featureTables.push(f)
  const heldTables: Array<HeldTable | undefined> = [undefined]
  // record pairs to suggest (the first record of each side), with the reason a link was refused
  const suggestA: Array<number> = []
  const suggestB: Array<number> = []
  const suggestWhy: Array<string | undefined> = []
  const watch = new Map<number, Blocking.SkippedBlock>()
  // the people of the current round: their feature table and position there, the runs they hold, their records
  let n = total
  let pTable = new Int32Array(total)
  let pIdx = Int32Array.from({ length: total }, (_, i) => i)
  let pHeld = new Int32Array(total).fill(-1)
  /** Records of person p: `groupMembers[groupStart[p] .. groupStart[p + 1])`; undefined in round 1 (person p is record p). */
  let groupStart: Int32Array | undefined
  let groupMembers: Int32Array | undefined
  let personOf: Int32Array = Int32Array.from({ length: total }, (_, i) => i)
  /** 1 for the records whose person the last round changed (undefined in round 1). */
  let changedRecords: Uint8Array | undefined
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
  const scorers: Array<Model.Scorer> = []
  let round = 0
  let scorer: Model.Scorer | undefined
  let clusters: Clusters | undefined
  const firstRecord = (p: number): number => (groupStart === undefined ? p : groupMembers![groupStart[p]!]!)
  /** The id a group of people has once merged: its smallest provenance key, else its smallest id. */
  const idOfPeople = (people: ReadonlyArray<number>): number => {
    let best = 0
    let bestRank = -1
    let bestKey = false
    for (const p of people) {
      const from = groupStart === undefined ? p : groupStart[p]!
      const to = groupStart === undefined ? p + 1 : groupStart[p + 1]!
      for (let k = from; k < to; k++) {
        const r = groupMembers === undefined ? k : groupMembers[k]!
        const key = source.hasProvenance(r)
        const ref = key ? r : ~r
        const rank = source.rank(ref)
        if (bestRank < 0 || (key && !bestKey) || (key === bestKey && rank < bestRank)) {
          best = ref
          bestRank = rank
          bestKey = key
        }
      }
    }
    return best
  }
  for (;;) {
    round++
    const blocks = allBlocks!
    // a person stands for its records (the records of one remote record count once)
    const current = new Clusters(n, pSize)
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
    const tableNow = pTable
    const idxNow = pIdx
    const heldNow = pHeld
    const anyMerged = round > 1
    const holding: Blocking.Holding = {
      n,
      personOf: peopleOf,
      holds: !anyMerged ? undefined : (p, _record, ix, run) => {
        const at = heldNow[p]!
        if (at < 0) return true
        const { start, index, id } = heldTables[tableNow[p]!]!
        for (let k = start[at]!; k < start[at + 1]!; k++) if (index[k] === ix && id[k] === run) return true
        return false
      },
      exact: !anyMerged ? undefined : (p, entry, run, out) => {
        if (heldNow[p]! < 0) {
          out.push(f.phoneValue[entry]!)
          return false
        }
        const m = featureTables[tableNow[p]!]!
        const i = idxNow[p]!
        for (let k = m.phoneStart[i]!; k < m.phoneStart[i + 1]!; k++) if (m.phoneBase[k] === run && m.phoneValue[k]! >= 0) out.push(m.phoneValue[k]!)
        return true
      }
    }
    let active = changedRecords === undefined ? undefined : Blocking.activeRuns(blocks, changedRecords)
    changedRecords = undefined
    let blocked: Blocking.RoundBlocks | undefined = Blocking.round(blocks, holding, active, watch)
    active = undefined
    const comparePeople = (a: number, b: number, out: C.Comparison) =>
      C.compare(featureTables[tableNow[a]!]!, idxNow[a]!, featureTables[tableNow[b]!]!, idxNow[b]!, out)
    if (model === undefined) {
      const defaultScorer = Model.scorer(Model.defaultModel, n)
      model = n >= MIN_TRAINING_RECORDS
        ? Model.train(f, blocked.pairs, blocked.sameValuePairs, (a, b, out) =>
          compareClusters(current, a, b, comparePeople, defaultScorer.levelWeight, out, scratch, left, right))
        : Model.defaultModel
    }
    const score = Model.scorer(model, n)
    scorer = score
    scorers[round] = score
    decisions.peopleOfRound.push(n)
    const idOf = (root: number): number => (current.isSingleton(root) ? pId[root]! : idOfPeople(current.members(root, left)))
    const ordered = (x: number, y: number): readonly [number, number] => (source.rank(x) <= source.rank(y) ? [x, y] : [y, x])
    /** The values two people share, as the reasons of the last decision. */
    const share = (a: number, b: number) => {
      if (current.isSingleton(a) && current.isSingleton(b)) {
        decisions.share(tableNow[a]!, idxNow[a]!, tableNow[b]!, idxNow[b]!)
        return
      }
      for (const x of current.members(a, [])) {
        for (const y of current.members(b, [])) decisions.share(tableNow[x]!, idxNow[x]!, tableNow[y]!, idxNow[y]!)
      }
    }

    // references: certain links, reported with the evidence the model sees
    if (round === 1) {
      for (const code of blocks.references) {
        const i = Math.floor(code / n)
        const j = code - i * n
        C.compare(f, i, f, j, cmp)
        const [a, b] = ordered(pId[i]!, pId[j]!)
        decisions.push(a, b, score.weight(cmp), cmp, round, true, false)
        decisions.shareReference(0, blocks.referenceTags.get(code) ?? -1)
        decisions.share(0, i, 0, j)
      }
    }

    // scored pairs (the round's pairs are let go of once scored)
    let pairs = blocked.pairs
    blocked = undefined
    const pendingA: Array<number> = []
    const pendingB: Array<number> = []
    const pendingWeight: Array<number> = []
    const pendingDecision: Array<number> = []
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
        const [first, second] = ordered(idOf(a), idOf(b))
        decision = decisions.push(first, second, weight, cmp, round, false, above && !corroborated)
        share(a, b)
      }
      if (above && corroborated) {
        pendingA.push(a)
        pendingB.push(b)
        pendingWeight.push(weight)
        pendingDecision.push(decision)
      } else if (weight >= suggestionWeight) {
        suggestA.push(firstRecord(a))
        suggestB.push(firstRecord(b))
        suggestWhy.push(undefined)
      }
    }

    pairs = new Float64Array(0)
    // links, strongest first, each only if the joined cluster stays consistent
    const conflict = (x: number, y: number) =>
      C.cannotLink(featureTables[tableNow[x]!]!, idxNow[x]!, featureTables[tableNow[y]!]!, idxNow[y]!, conflictScratch, score.weights)
    const order = Array.from({ length: pendingA.length }, (_, k) => k)
    order.sort((x, y) => pendingWeight[y]! - pendingWeight[x]! || pendingA[x]! - pendingA[y]! || pendingB[x]! - pendingB[y]!)
    for (const e of order) {
      const ea = pendingA[e]!
      const eb = pendingB[e]!
      const ra = current.find(ea)
      const rb = current.find(eb)
      let refusal: string | undefined
      if (ra !== rb) {
        refusal = current.tryJoin(ra, rb, settings.maxClusterSize, conflict, left, right)
        if (refusal === undefined) joined++
        else {
          suggestA.push(firstRecord(ea))
          suggestB.push(firstRecord(eb))
          suggestWhy.push(refusal)
        }
      }
      const d = pendingDecision[e]!
      if (d >= 0) {
        if (refusal === undefined) decisions.setMatched(d)
        else decisions.addConflict(d, refusal)
      }
    }
    // the round's links are done with: their lists go before the survivors are built
    pendingA.length = 0
    pendingB.length = 0
    pendingWeight.length = 0
    pendingDecision.length = 0
    order.length = 0
    if (joined === 0) break

    // the people of the next round, in the order of their first record (the root of a
    // cluster is its smallest person, and people are in the order of their first record):
    // each cluster survived into one person; the merged ones get features
    const rootOf = current.roots()
    const count = new Int32Array(n + 1)
    for (let p = 0; p < n; p++) count[rootOf[p]! + 1]!++
    for (let p = 0; p < n; p++) count[p + 1]! += count[p]!
    const byRoot = new Int32Array(n)
    {
      const fill = count.slice(0, n)
      for (let p = 0; p < n; p++) byRoot[fill[rootOf[p]!]!++] = p
    }
    let next = 0
    for (let p = 0; p < n; p++) if (rootOf[p] === p) next++
    const builder = new FeatureBuilder(tables, cross)
    const tableIndex = featureTables.length
    const nTable = new Int32Array(next)
    const nIdx = new Int32Array(next)
    const nHeld = new Int32Array(next)
    const nSurvived = new Uint8Array(next)
    const nSize = new Int32Array(next)
    const nId = new Int32Array(next)
    const nStart = new Int32Array(next + 1)
    const nMembers = new Int32Array(total)
    const nPersonOf = new Int32Array(total)
    const changed = new Uint8Array(total)
    let q = 0
    let w = 0
    const records: Array<number> = []
    for (let root = 0; root < n; root++) {
      if (rootOf[root] !== root) continue
      const from = count[root]!
      const to = count[root + 1]!
      nStart[q] = w
      if (to - from === 1) {
        const p = byRoot[from]!
        nTable[q] = tableNow[p]!
        nIdx[q] = idxNow[p]!
        nHeld[q] = heldNow[p]!
        nSurvived[q] = pSurvived[p]!
        nSize[q] = pSize[p]!
        nId[q] = pId[p]!
        if (groupStart === undefined) nMembers[w++] = p
        else for (let k = groupStart[p]!; k < groupStart[p + 1]!; k++) nMembers[w++] = groupMembers![k]!
      } else {
        records.length = 0
        const people: Array<number> = []
        for (let x = from; x < to; x++) {
          const p = byRoot[x]!
          people.push(p)
          if (groupStart === undefined) records.push(p)
          else for (let k = groupStart[p]!; k < groupStart[p + 1]!; k++) records.push(groupMembers![k]!)
        }
        records.sort((x, y) => x - y)
        nTable[q] = tableIndex
        nIdx[q] = builder.size
        nHeld[q] = builder.size
        nSurvived[q] = 1
        nSize[q] = Math.max(1, source.addSurvived(builder, records))
        nId[q] = idOfPeople(people)
        for (const r of records) {
          nMembers[w++] = r
          changed[r] = 1
        }
      }
      for (let k = nStart[q]!; k < w; k++) nPersonOf[nMembers[k]!] = q
      q++
    }
    nStart[next] = w
    const m = builder.finish()
    featureTables.push(m)
    heldTables.push(Blocking.attach(m, blocks))
    n = next
    pTable = nTable
    pIdx = nIdx
    pHeld = nHeld
    pSurvived = nSurvived
    pSize = nSize
    pId = nId
    groupStart = nStart
    groupMembers = nMembers
    personOf = nPersonOf
    changedRecords = changed
  }

  allBlocks = undefined
  heldTables.length = 0
  // suggestions between final people: the evidence between them now
  const score = scorer!
  const finalClusters = clusters!
  const final = n === total && round === 1 ? finalClusters.roots() : personOf
  const found = new Map<number, string | undefined>()
  for (let s = 0; s < suggestA.length; s++) {
    const ra = suggestA[s]!
    const rb = suggestB[s]!
    const refusal = suggestWhy[s]
    const a = Math.min(final[ra]!, final[rb]!)
    const b = Math.max(final[ra]!, final[rb]!)
    if (a === b) continue
    const code = a * n + b
    if (!found.has(code) || (found.get(code) === undefined && refusal !== undefined)) found.set(code, refusal)
  }
  const raw: Array<RawSuggestion> = []
  const featOf = (p: number) => featureTables[pTable[p]!]!
  for (const code of [...found.keys()].sort((x, y) => x - y)) {
    const a = Math.floor(code / n)
    const b = code - a * n
    const refusal = found.get(code)
    compareClusters(finalClusters, a, b, (x, y, out) => C.compare(featOf(x), pIdx[x]!, featOf(y), pIdx[y]!, out), score.levelWeight, cmp, scratch, left, right)
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
      reasons: [...C.sharedValues(featOf(a), pIdx[a]!, featOf(b), pIdx[b]!), `name:${levelName(C.NAME, cmp.levels[C.NAME]!)}`],
      contributions: score.contributions(cmp),
      why
    })
  }
  decisions.sort(source.rank)
  // the keys still held by too many people at the end
  const skipped: Array<Skipped> = []
  for (const s of watch.values()) {
    if (s.size > s.limit) skipped.push({ key: s.key, size: s.size, reason: `held by ${s.size} people (more than ${s.limit}): not identifying` })
  }
  skipped.sort((x, y) => compareStrings(x.key, y.key))

  // the final people: each group of records (a round that joined nothing leaves every record alone)
  let outStart: Int32Array
  let outMembers: Int32Array
  if (groupStart === undefined) {
    outStart = Int32Array.from({ length: n + 1 }, (_, p) => p)
    outMembers = Int32Array.from({ length: n }, (_, p) => p)
  } else {
    outStart = groupStart
    outMembers = groupMembers!
  }
  // a person never survived is a record alone: survivorship names it by its record key
  const finalId = Int32Array.from({ length: n }, (_, p) => {
    if (pSurvived[p] === 1) return pId[p]!
    const r = outMembers[outStart[p]!]!
    return source.hasProvenance(r) ? r : ~r
  })
  // by the rank of the id, then the first record (distinct): two stable counting sorts
  const order = countingOrder(n, [(p) => outMembers[outStart[p]!]!, (p) => source.rank(finalId[p]!)])
  const position = new Int32Array(n)
  for (let k = 0; k < n; k++) position[order[k]!] = k
  const start = new Int32Array(n + 1)
  const members = new Int32Array(total)
  const ids = new Int32Array(n)
  let w = 0
  for (let k = 0; k < n; k++) {
    const p = order[k]!
    start[k] = w
    ids[k] = finalId[p]!
    for (let x = outStart[p]!; x < outStart[p + 1]!; x++) members[w++] = outMembers[x]!
  }
  start[n] = w
  const root = new Int32Array(total)
  for (let k = 0; k < n; k++) for (let x = start[k]!; x < start[k + 1]!; x++) root[members[x]!] = k
  return {
    start,
    members,
    root,
    ids,
    decisions,
    suggestions: raw.map((s) => ({ ...s, a: Math.min(position[s.a]!, position[s.b]!), b: Math.max(position[s.a]!, position[s.b]!) })),
    skipped,
    rounds: round,
    model: model ?? Model.defaultModel,
    threshold,
    suggestionThreshold,
    scorer: (r) => scorers[r] ?? score
  }
}

const levelName = (c: number, level: number): string => C.comparisons[c]!.levels[level] ?? "unknown"

/** The features of `people` (for linking). @internal */
export const features = (people: ReadonlyArray<Person.Person>, crossReferences: ReadonlyArray<ReadonlyArray<string>> | undefined): Features =>
  extract(people, referenceResolver(crossReferences))
