/**
 * Identity resolution, one round: blocks of people sharing a key, a scored
 * decision for every candidate pair, and union-find over the matches. A later
 * round only decides the pairs that the previous round's merges can change.
 *
 * @internal
 */
import type { Decision, Resolution, Skipped, Weights } from "../../Merge.js"
import type * as Person from "../../Person.js"
import { appendKeys, EMAIL, emptyTable, keyString, kindOfNamespace, NS_CROSS, PHONE, REFERENCE, referenceResolver } from "./keys.js"
import * as Names from "./names.js"
import { compareStrings } from "./order.js"
import { nameReasons, nameWeight } from "./scoring.js"

/**
 * What a later round knows from the previous one: which people changed (were
 * merged) and which keys were skipped. A pair of unchanged people sharing only
 * keys that were not skipped before was already decided (unmatched) with the
 * same score, so it is not decided again.
 *
 * @internal
 */
export interface Previous {
  readonly changed: ReadonlyArray<boolean>
  /** Skipped keys: namespace → values. */
  readonly skippedKeys: ReadonlyMap<string, ReadonlySet<string>>
}

const addTo = (map: Map<string, Set<string>>, ns: string, value: string) => {
  const set = map.get(ns)
  if (set === undefined) map.set(ns, new Set([value]))
  else set.add(value)
}

/**
 * The options of {@link resolveWith}, defaults applied.
 *
 * @internal
 */
export interface Settings {
  readonly weights: Weights
  readonly threshold: number
  readonly maxBlockSize: number
  readonly crossReferences: ReadonlyArray<ReadonlyArray<string>> | undefined
}

/**
 * One resolution round: finds the candidate pairs through the blocks of shared
 * keys, scores them and closes the matches into clusters of indices.
 *
 * @internal
 */
export const resolveWith = (
  people: ReadonlyArray<Person.Person>,
  settings: Settings,
  round: number,
  previous?: Previous,
  /** The record keys of `people`, when `people` is sorted by them. */
  sortedKeys?: ReadonlyArray<string>
): Resolution & { readonly skippedKeys: ReadonlyMap<string, ReadonlySet<string>> } => {
  const { weights, threshold, maxBlockSize } = settings
  const cross = referenceResolver(settings.crossReferences)
  const n = people.length

  const table = emptyTable()
  const { kinds, nss, values } = table
  const start = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) {
    start[i] = kinds.length
    appendKeys(table, people[i]!, cross)
  }
  start[n] = kinds.length
  // blocks: namespace → value → the people holding the key (one index, or several)
  const blocks = new Map<string, Map<string, number | Array<number>>>()
  const innerOf = (ns: string): Map<string, number | Array<number>> => {
    let inner = blocks.get(ns)
    if (inner === undefined) {
      inner = new Map()
      blocks.set(ns, inner)
    }
    return inner
  }
  const insert = (i: number, ns: string, value: string) => {
    const inner = innerOf(ns)
    const block = inner.get(value)
    if (block === undefined) inner.set(value, i)
    else if (typeof block === "number") inner.set(value, [block, i])
    else block.push(i)
  }
  if (previous === undefined && sortedKeys !== undefined) {
    // Sorted by record key, the plain reference of a person read from one record (its
    // only provenance key, not cross-referenced) can only be shared within its run of
    // equal record keys: those references skip the map unless another person holds them.
    const plain = (i: number, k: number) => kinds[k] === REFERENCE && nss[k] !== NS_CROSS && people[i]!.provenance.length === 1
    for (let i = 0; i < n; i++) {
      for (let k = start[i]!; k < start[i + 1]!; k++) if (kinds[k] === REFERENCE && !plain(i, k)) insert(i, nss[k]!, values[k]!)
    }
    let runStart = 0
    for (let i = 0; i < n; i++) {
      if (i > 0 && sortedKeys[i] !== sortedKeys[i - 1]) runStart = i
      for (let k = start[i]!; k < start[i + 1]!; k++) {
        if (kinds[k] !== REFERENCE) {
          insert(i, nss[k]!, values[k]!)
          continue
        }
        if (!plain(i, k)) continue
        const ns = nss[k]!
        const value = values[k]!
        let shared = blocks.get(ns)?.has(value) === true
        for (let m = runStart; !shared && m < i; m++) {
          for (let q = start[m]!; q < start[m + 1]!; q++) {
            if (values[q] === value && nss[q] === ns && kinds[q] === REFERENCE) {
              shared = true
              if (blocks.get(ns)?.has(value) !== true) insert(m, ns, value)
              break
            }
          }
        }
        if (shared) insert(i, ns, value)
      }
    }
  } else if (previous === undefined) {
    for (let i = 0; i < n; i++) for (let k = start[i]!; k < start[i + 1]!; k++) insert(i, nss[k]!, values[k]!)
  } else {
    // in a later round only the keys of changed people, and the keys skipped before,
    // can give new pairs: unchanged people only join the blocks of those keys
    for (const [ns, skippedValues] of previous.skippedKeys) {
      const inner = innerOf(ns)
      for (const value of skippedValues) inner.set(value, [])
    }
    for (let i = 0; i < n; i++) {
      if (previous.changed[i]) for (let k = start[i]!; k < start[i + 1]!; k++) insert(i, nss[k]!, values[k]!)
    }
    for (let i = 0; i < n; i++) {
      if (previous.changed[i]) continue
      for (let k = start[i]!; k < start[i + 1]!; k++) {
        const inner = blocks.get(nss[k]!)
        if (inner === undefined) continue
        const value = values[k]!
        const block = inner.get(value)
        if (block === undefined) continue
        if (typeof block === "number") inner.set(value, [block, i])
        else block.push(i)
      }
    }
  }

  const skipped: Array<Skipped> = []
  const skippedKeys = new Map<string, Set<string>>()
  const skippedBlocks = new Set<Array<number>>()
  for (const [ns, inner] of blocks) {
    if (kindOfNamespace(ns) === REFERENCE) continue
    for (const [value, block] of inner) {
      if (typeof block === "number" || block.length <= maxBlockSize) continue
      const key = keyString(kindOfNamespace(ns), ns, value)
      skippedBlocks.add(block)
      addTo(skippedKeys, ns, value)
      skipped.push({ key, size: block.length, reason: `held by ${block.length} records (more than ${maxBlockSize}): not identifying` })
    }
  }
  skipped.sort((x, y) => compareStrings(x.key, y.key))
  // which entries of the key table are skipped keys
  const skippedEntry = new Uint8Array(kinds.length)
  for (const [ns, skippedValues] of skippedKeys) {
    const inner = blocks.get(ns)!
    for (const value of skippedValues) {
      for (const i of inner.get(value) as Array<number>) {
        for (let k = start[i]!; k < start[i + 1]!; k++) if (values[k] === value && nss[k] === ns) skippedEntry[k] = 1
      }
    }
  }
  const wasSkipped = (ns: string, value: string): boolean => previous?.skippedKeys.get(ns)?.has(value) === true

  const names: Array<Names.NameParts | undefined> = new Array(n)
  const nameOf = (i: number): Names.NameParts => (names[i] ??= Names.parts(people[i]!.name))

  const parent = new Int32Array(n)
  for (let i = 0; i < n; i++) parent[i] = i
  const find = (i: number): number => {
    let root = i
    while (parent[root] !== root) root = parent[root]!
    while (parent[i] !== root) {
      const up = parent[i]!
      parent[i] = root
      i = up
    }
    return root
  }
  const union = (i: number, j: number) => {
    const a = find(i)
    const b = find(j)
    if (a < b) parent[b] = a
    else if (b < a) parent[a] = b
  }

  const decisions: Array<Decision> = []
  const shared: Array<number> = []
  /**
   * Decides the pair (i, j) found in the block `ns`/`value`, unless another block
   * is designated for it: the first shared key (in i's order) that is not
   * skipped, and for two unchanged people in a later round, that was skipped
   * before.
   */
  const decide = (i: number, j: number, ns: string, value: string, onlyNew: boolean, force: boolean) => {
    if (j < i) {
      // one orientation per pair, whatever the order of the block
      const t = i
      i = j
      j = t
    }
    shared.length = 0
    let designated: number | undefined
    const jFrom = start[j]!
    const jTo = start[j + 1]!
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const kkind = kinds[k]!
      const kns = nss[k]!
      const kvalue = values[k]!
      let inJ = false
      for (let m = jFrom; m < jTo; m++) {
        if (values[m] === kvalue && nss[m] === kns && kinds[m] === kkind) {
          inJ = true
          break
        }
      }
      if (!inJ || skippedEntry[k] === 1) continue
      if (designated === undefined && (!onlyNew || wasSkipped(kns, kvalue))) designated = k
      shared.push(k)
    }
    if (!force && (designated === undefined || nss[designated] !== ns || values[designated] !== value)) return
    let reference = false
    let email = false
    let employee = false
    let phone = false
    const reasons: Array<string> = []
    for (const k of shared) {
      const kind = kinds[k]!
      if (kind === REFERENCE) reference = true
      else if (kind === EMAIL) email = true
      else if (kind === PHONE) phone = true
      else employee = true
      reasons.push(keyString(kind, nss[k]!, values[k]!))
    }
    reasons.sort(compareStrings)
    const outcome = Names.compare(nameOf(i), nameOf(j))
    reasons.push(nameReasons[outcome])
    let score = 0
    if (reference) score += weights.reference
    if (email) score += weights.email
    if (employee) score += weights.employeeNumber
    if (phone) score += weights.phone
    score += nameWeight(outcome, weights)
    score = Math.round(score * 1e6) / 1e6
    const matched = score >= threshold
    if (matched) union(i, j)
    const idA = people[i]!.id
    const idB = people[j]!.id
    decisions.push(
      idA <= idB
        ? { a: idA, b: idB, score, matched, reasons, round }
        : { a: idB, b: idA, score, matched, reasons, round }
    )
  }

  for (const [ns, inner] of blocks) {
    for (const [value, block] of inner) {
      if (typeof block === "number" || skippedBlocks.has(block)) continue
      const everyPair = previous === undefined || wasSkipped(ns, value)
      if (!everyPair && !block.some((i) => previous!.changed[i])) continue
      if (block.length > maxBlockSize) {
        // an oversized reference block: every record is the same record; link each to the first
        for (let k = 1; k < block.length; k++) decide(block[0]!, block[k]!, ns, value, false, true)
        continue
      }
      for (let x = 0; x < block.length; x++) {
        for (let y = x + 1; y < block.length; y++) {
          const i = block[x]!
          const j = block[y]!
          const onlyNew = previous !== undefined && !previous.changed[i] && !previous.changed[j]
          if (onlyNew && !everyPair) continue
          decide(i, j, ns, value, onlyNew, false)
        }
      }
    }
  }

  const byRoot = new Map<number, Array<number>>()
  for (let i = 0; i < n; i++) {
    const root = find(i)
    const cluster = byRoot.get(root)
    if (cluster === undefined) byRoot.set(root, [i])
    else cluster.push(i)
  }
  return { decisions, skipped, skippedKeys, clusters: Array.from(byRoot.values()) }
}
