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
import * as ContactPoint from "./ContactPoint.js"
import * as Names from "./internal/mergeNames.js"
import * as Label from "./Label.js"
import * as Person from "./Person.js"

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

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The record key of a person: its smallest provenance key, else its id.
 *
 * @since 0.1.0
 * @category getters
 */
export const recordKey = (person: Person.Person): string => {
  let best: string | undefined
  for (const p of person.provenance) {
    const key = p.key
    if (best === undefined || key < best) best = key
  }
  return best ?? person.id
}

const referenceResolver = (groups: ReadonlyArray<ReadonlyArray<string>> | undefined): ((key: string) => string | undefined) | undefined => {
  if (groups === undefined || groups.length === 0) return undefined
  const parent = new Map<string, string>()
  const find = (key: string): string => {
    let root = key
    let next = parent.get(root)
    while (next !== undefined && next !== root) {
      root = next
      next = parent.get(root)
    }
    let node = key
    while (node !== root) {
      const up = parent.get(node)!
      parent.set(node, root)
      node = up
    }
    return root
  }
  for (const group of groups) {
    for (const key of group) if (!parent.has(key)) parent.set(key, key)
    for (let i = 1; i < group.length; i++) {
      const a = find(group[0]!)
      const b = find(group[i]!)
      // the smaller key becomes the root, so the representative is order independent
      if (a < b) parent.set(b, a)
      else if (b < a) parent.set(a, b)
    }
  }
  return (key) => (parent.has(key) ? find(key) : undefined)
}

// Blocking keys are kept in one table of parallel arrays (kind, namespace, value)
// that reuse the strings already held by the people (normalized values, remote
// ids): large inputs allocate no key strings and no small array per person.
const REFERENCE = 0
const EMAIL = 1
const PHONE = 2
const EMPLOYEE = 3
const kindNames = ["reference", "email", "phone", "employeeNumber"] as const
const NS_EMAIL = "\u0001email"
const NS_PHONE = "\u0001phone"
const NS_EMPLOYEE = "\u0001employeeNumber"
const NS_CROSS = "\u0001cross-reference"
const NS_ID = "\u0001id"

interface KeyTable {
  readonly kinds: Array<number>
  readonly nss: Array<string>
  readonly values: Array<string>
}

const emptyTable = (): KeyTable => ({ kinds: [], nss: [], values: [] })

/** Appends a key to the keys of the person starting at `from`, unless it is already there. */
const pushKey = (table: KeyTable, from: number, kind: number, ns: string, value: string) => {
  const { kinds, nss, values } = table
  for (let k = from; k < kinds.length; k++) if (values[k] === value && nss[k] === ns && kinds[k] === kind) return
  kinds.push(kind)
  nss.push(ns)
  values.push(value)
}

const keyString = (kind: number, ns: string, value: string): string =>
  kind !== REFERENCE || ns === NS_CROSS || ns === NS_ID ? `${kindNames[kind]}:${value}` : `reference:${ns}:${value}`

/** Appends the keys of a person to the table. */
const appendKeys = (table: KeyTable, person: Person.Person, cross: ((key: string) => string | undefined) | undefined): void => {
  const from = table.kinds.length
  if (person.provenance.length === 0) pushKey(table, from, REFERENCE, NS_ID, person.id)
  for (const p of person.provenance) {
    const root = cross === undefined ? undefined : cross(p.key)
    if (root === undefined) pushKey(table, from, REFERENCE, p.system, p.remoteId)
    else pushKey(table, from, REFERENCE, NS_CROSS, root)
  }
  for (const point of person.contactPoints) {
    if (!ContactPoint.isIdentifying(point)) continue
    if (point.kind === "email") pushKey(table, from, EMAIL, NS_EMAIL, point.normalized!)
    else if (point.kind === "phone" && !Label.isShared(point.label)) pushKey(table, from, PHONE, NS_PHONE, point.normalized!)
  }
  const employee = person.employeeNumber?.trim()
  if (employee !== undefined && employee !== "") pushKey(table, from, EMPLOYEE, NS_EMPLOYEE, employee)
}

/**
 * The blocking keys of a person: `reference:`, `email:`, `phone:` and
 * `employeeNumber:` keys. Shared numbers (label `main` or `shared: true`) and
 * values that could not be normalized are never keys.
 *
 * @since 0.1.0
 * @category getters
 */
export const blockingKeys = (person: Person.Person, options?: Pick<Options, "crossReferences">): ReadonlyArray<string> => {
  const table = emptyTable()
  appendKeys(table, person, referenceResolver(options?.crossReferences))
  return table.kinds.map((kind, k) => keyString(kind, table.nss[k]!, table.values[k]!))
}

const kindOfNamespace = (ns: string): number =>
  ns === NS_EMAIL ? EMAIL : ns === NS_PHONE ? PHONE : ns === NS_EMPLOYEE ? EMPLOYEE : REFERENCE

// -----------------------------------------------------------------------------
// resolution
// -----------------------------------------------------------------------------

const nameWeight = (outcome: Names.Outcome, w: Weights): number => {
  switch (outcome) {
    case "agree":
      return w.nameAgree
    case "partial":
      return w.namePartial
    case "family-conflict":
      return w.familyConflict
    case "given-conflict":
      return w.givenConflict
    case "conflict":
      return w.nameConflict
    case "unknown":
      return 0
  }
}

const nameReasons: Readonly<Record<Names.Outcome, string>> = {
  agree: "name:agree",
  partial: "name:partial",
  "given-conflict": "name:given-conflict",
  "family-conflict": "name:family-conflict",
  conflict: "name:conflict",
  unknown: "name:unknown"
}

/**
 * What a later round knows from the previous one: which people changed (were
 * merged) and which keys were skipped. A pair of unchanged people sharing only
 * keys that were not skipped before was already decided (unmatched) with the
 * same score, so it is not decided again.
 */
interface Previous {
  readonly changed: ReadonlyArray<boolean>
  /** Skipped keys: namespace → values. */
  readonly skippedKeys: ReadonlyMap<string, ReadonlySet<string>>
}

const addTo = (map: Map<string, Set<string>>, ns: string, value: string) => {
  const set = map.get(ns)
  if (set === undefined) map.set(ns, new Set([value]))
  else set.add(value)
}

const resolveWith = (
  people: ReadonlyArray<Person.Person>,
  options: Options,
  round: number,
  previous?: Previous,
  /** The record keys of `people`, when `people` is sorted by them. */
  sortedKeys?: ReadonlyArray<string>
): Resolution & { readonly skippedKeys: ReadonlyMap<string, ReadonlySet<string>> } => {
  const weights: Weights = { ...defaultWeights, ...options.weights }
  const threshold = options.threshold ?? defaultThreshold
  const maxBlockSize = options.maxBlockSize ?? defaultMaxBlockSize
  const cross = referenceResolver(options.crossReferences)
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

const canonicalJson = (person: Person.Person): string => JSON.stringify(Person.encode(person))

const compareRecords = (a: Person.Person, b: Person.Person): number =>
  compareStrings(recordKey(a), recordKey(b)) || compareStrings(a.id, b.id) || compareStrings(canonicalJson(a), canonicalJson(b))

const sortRecords = (people: ReadonlyArray<Person.Person>): { readonly records: Array<Person.Person>; readonly keys: Array<string> } => {
  const decorated = people.map((person) => ({ person, key: recordKey(person) }))
  decorated.sort((x, y) =>
    compareStrings(x.key, y.key) || compareStrings(x.person.id, y.person.id) ||
    (x.person === y.person ? 0 : compareRecords(x.person, y.person))
  )
  return { records: decorated.map((d) => d.person), keys: decorated.map((d) => d.key) }
}

/**
 * Scores the candidate pairs of the given people and closes the matches into
 * clusters (one round, no survivorship).
 *
 * @since 0.1.0
 * @category resolution
 */
export const resolve = (people: ReadonlyArray<Person.Person>, options: Options): Resolution => {
  const { clusters, decisions, skipped } = resolveWith(people, options, 1)
  return { clusters, decisions, skipped }
}

// -----------------------------------------------------------------------------
// survivorship
// -----------------------------------------------------------------------------

interface Ranking {
  readonly rank: (field: Field, system: string) => number
}

const makeRanking = (options: Options): Ranking => {
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

/** The system a field of a person came from: its recorded source, else its best ranked provenance. */
const recordSystem = (person: Person.Person, field: Field, ranking: Ranking): string => {
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

const readAtOf = (person: Person.Person, system: string): number => {
  let latest = Number.NEGATIVE_INFINITY
  for (const p of person.provenance) {
    if (p.system === system && p.readAt !== undefined) latest = Math.max(latest, p.readAt.getTime())
  }
  return latest
}

interface Candidate<A> {
  readonly value: A
  readonly system: string
  readonly rank: number
  readonly readAt: number
  readonly record: string
}

const compareCandidates = <A>(x: Candidate<A>, y: Candidate<A>): number =>
  x.rank - y.rank ||
  compareStrings(x.system, y.system) ||
  (y.readAt > x.readAt ? 1 : y.readAt < x.readAt ? -1 : 0) ||
  compareStrings(x.record, y.record) ||
  (x.value === y.value ? 0 : compareStrings(JSON.stringify(x.value), JSON.stringify(y.value)))

const best = <A>(candidates: ReadonlyArray<Candidate<A>>): Candidate<A> | undefined => {
  let winner: Candidate<A> | undefined
  for (const candidate of candidates) {
    if (winner === undefined || compareCandidates(candidate, winner) < 0) winner = candidate
  }
  return winner
}

const hasName = (name: Person.Name): boolean =>
  (name.given !== undefined && name.given !== "") ||
  (name.family !== undefined && name.family !== "") ||
  (name.display !== undefined && name.display !== "")

const capabilityOrder: ReadonlyArray<ContactPoint.Capability> = ContactPoint.Capability.literals

const kindIndex = (kind: Label.Kind): number => Label.kinds.indexOf(kind)

const combinePoints = (candidates: ReadonlyArray<Candidate<ContactPoint.ContactPoint>>): ContactPoint.ContactPoint => {
  const sorted = candidates.length === 1 ? candidates : [...candidates].sort(compareCandidates)
  const first = sorted[0]!
  const top = first.value
  const labelled = sorted.find((c) => c.value.label !== "other")?.value ?? top
  const primary = sorted.some((c) => c.value.primary === true) ? true : top.primary
  const shared = sorted.some((c) => c.value.shared === true) ? true : top.shared
  let capabilities: Array<ContactPoint.Capability> | undefined
  for (const c of sorted) {
    if (c.value.capabilities === undefined) continue
    capabilities ??= []
    for (const capability of c.value.capabilities) if (!capabilities.includes(capability)) capabilities.push(capability)
  }
  if (capabilities !== undefined && capabilities.length > 1) capabilities.sort((a, b) => capabilityOrder.indexOf(a) - capabilityOrder.indexOf(b))
  const sameCapabilities = capabilities === undefined
    ? top.capabilities === undefined
    : top.capabilities !== undefined && top.capabilities.length === capabilities.length && top.capabilities.every((c, i) => c === capabilities[i])
  if (
    top.source !== undefined && sameCapabilities && labelled.label === top.label && labelled.customLabel === top.customLabel &&
    primary === top.primary && shared === top.shared
  ) {
    // the combination is the best point itself
    return top
  }
  const source = top.source ?? new ContactPoint.SourceRef({ system: first.system, remoteId: first.record.slice(first.record.indexOf(":") + 1) }, true)
  return new ContactPoint.ContactPoint(
    {
      kind: top.kind,
      value: top.value,
      ...(top.normalized === undefined ? {} : { normalized: top.normalized }),
      ...(top.issue === undefined ? {} : { issue: top.issue }),
      label: labelled.label,
      ...(labelled.customLabel === undefined ? {} : { customLabel: labelled.customLabel }),
      ...(primary === undefined ? {} : { primary }),
      ...(capabilities === undefined ? {} : { capabilities }),
      ...(shared === undefined ? {} : { shared }),
      source
    },
    true
  )
}

/**
 * Merges the people of one cluster into one person, field by field. Merging a
 * single merged person returns an equal person.
 *
 * @since 0.1.0
 * @category survivorship
 */
export const survive = (members: ReadonlyArray<Person.Person>, options: Options): Person.Person =>
  surviveWith(members, makeRanking(options))

const surviveWith = (members: ReadonlyArray<Person.Person>, ranking: Ranking): Person.Person => {
  const fieldSources: Record<string, string> = {}
  const keyed = members.map((person) => ({ person, record: recordKey(person) }))

  const single = keyed.length === 1 ? members[0]! : undefined
  const pick = <A>(field: Field, get: (person: Person.Person) => A | undefined): A | undefined => {
    if (single !== undefined) {
      const value = get(single)
      if (value !== undefined) fieldSources[field] = recordSystem(single, field, ranking)
      return value
    }
    let winner: Candidate<A> | undefined
    for (const { person, record } of keyed) {
      const value = get(person)
      if (value === undefined) continue
      const system = recordSystem(person, field, ranking)
      const candidate = { value, system, rank: ranking.rank(field, system), readAt: readAtOf(person, system), record }
      if (winner === undefined || compareCandidates(candidate, winner) < 0) winner = candidate
    }
    if (winner !== undefined) fieldSources[field] = winner.system
    return winner?.value
  }

  const name = pick("name", (p) => (hasName(p.name) ? p.name : undefined)) ?? new Person.Name({}, true)
  const jobTitle = pick("jobTitle", (p) => p.jobTitle)
  const department = pick("department", (p) => p.department)
  const company = pick("company", (p) => p.company)
  const site = pick("site", (p) => p.site)
  const employeeNumber = pick("employeeNumber", (p) => p.employeeNumber)
  const extensionNumber = pick("extensionNumber", (p) => p.extensionNumber)
  const status = pick("status", (p) => p.status)
  const photo = pick("photo", (p) => p.photo)

  // custom fields, per key
  const customCandidates = new Map<string, Array<Candidate<string>>>()
  for (const { person, record } of keyed) {
    for (const [key, value] of Object.entries(person.customFields)) {
      const sourceKey = `customFields.${key}`
      const system = person.fieldSources?.[sourceKey] ?? recordSystem(person, "customFields", ranking)
      const list = customCandidates.get(key) ?? []
      list.push({ value, system, rank: ranking.rank("customFields", system), readAt: readAtOf(person, system), record })
      customCandidates.set(key, list)
    }
  }
  const customFields: Record<string, string> = {}
  for (const key of Array.from(customCandidates.keys()).sort(compareStrings)) {
    const winner = best(customCandidates.get(key)!)!
    customFields[key] = winner.value
    fieldSources[`customFields.${key}`] = winner.system
  }

  // contact points, unioned on their key (kind + normalized value); a linear scan
  // beats a map for the few points of one person
  const pointKinds: Array<Label.Kind> = []
  const pointValues: Array<string> = []
  const pointCandidates: Array<Array<Candidate<ContactPoint.ContactPoint>>> = []
  for (const member of keyed) {
    const person = member.person
    const fallback = recordSystem(person, "contactPoints", ranking)
    for (const point of person.contactPoints) {
      const system = point.source?.system ?? fallback
      const value = point.normalized ?? point.value.trim()
      let group = -1
      for (let g = 0; g < pointValues.length; g++) {
        if (pointValues[g] === value && pointKinds[g] === point.kind) {
          group = g
          break
        }
      }
      const candidate = { value: point, system, rank: ranking.rank("contactPoints", system), readAt: readAtOf(person, system), record: member.record }
      if (group >= 0) pointCandidates[group]!.push(candidate)
      else {
        pointKinds.push(point.kind)
        pointValues.push(value)
        pointCandidates.push([candidate])
      }
    }
  }
  const points: Array<{ readonly point: ContactPoint.ContactPoint; readonly value: string; readonly rank: number }> = []
  for (let g = 0; g < pointCandidates.length; g++) {
    const point = combinePoints(pointCandidates[g]!)
    points.push({ point, value: pointValues[g]!, rank: ranking.rank("contactPoints", point.source!.system) })
  }
  // the same order as by kind, then primary, then source, then key (kind + value)
  points.sort((x, y) =>
    kindIndex(x.point.kind) - kindIndex(y.point.kind) ||
    (x.point.primary === true ? 0 : 1) - (y.point.primary === true ? 0 : 1) ||
    x.rank - y.rank ||
    compareStrings(x.value, y.value)
  )
  if (points.length > 0) {
    const systems = Array.from(new Set(points.map((p) => p.point.source!.system)))
    systems.sort((x, y) => ranking.rank("contactPoints", x) - ranking.rank("contactPoints", y) || compareStrings(x, y))
    fieldSources["contactPoints"] = systems.join(",")
  }

  // provenance, unioned on its key (the latest read wins)
  let provenance: Array<Person.Provenance>
  if (single !== undefined && single.provenance.length <= 1) {
    provenance = [...single.provenance]
  } else {
    provenance = []
    for (const { person } of keyed) {
      for (const p of person.provenance) {
        const at = provenance.findIndex((q) => q.remoteId === p.remoteId && q.system === p.system)
        if (at < 0) provenance.push(p)
        else if (compareProvenance(p, provenance[at]!) < 0) provenance[at] = p
      }
    }
    if (provenance.length > 1) {
      const keys = new Map(provenance.map((p) => [p, p.key] as const))
      provenance.sort((x, y) => compareStrings(keys.get(x)!, keys.get(y)!))
    }
  }
  const id = provenance[0]?.key ?? keyed.map((k) => k.person.id).sort(compareStrings)[0] ?? ""


  return new Person.Person(
    {
      id,
      name,
      ...(jobTitle === undefined ? {} : { jobTitle }),
      ...(department === undefined ? {} : { department }),
      ...(company === undefined ? {} : { company }),
      ...(site === undefined ? {} : { site }),
      ...(employeeNumber === undefined ? {} : { employeeNumber }),
      ...(extensionNumber === undefined ? {} : { extensionNumber }),
      ...(status === undefined ? {} : { status }),
      contactPoints: points.map((p) => p.point),
      customFields,
      ...(photo === undefined ? {} : { photo }),
      provenance,
      fieldSources
    },
    true
  )
}

/** Latest read first, then the larger version, then a stable serialization. */
const compareProvenance = (x: Person.Provenance, y: Person.Provenance): number => {
  const rx = x.readAt?.getTime() ?? Number.NEGATIVE_INFINITY
  const ry = y.readAt?.getTime() ?? Number.NEGATIVE_INFINITY
  if (rx !== ry) return ry - rx > 0 ? 1 : -1
  return compareStrings(y.version ?? "", x.version ?? "")
}

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
    const resolution = resolveWith(current, options, round, previous, round === 1 ? recordKeys : undefined)
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
