/**
 * The records a resolution reads, in canonical order: `Person` objects
 * ({@link fromPeople}) or a compact {@link Store.RecordStore}
 * ({@link fromStore}). The resolution never holds a `Person` per record: it
 * reads features, ids and keys, and asks for a record's `Person` only to
 * survive a cluster.
 *
 * @internal
 */
import * as Person from "../../Person.js"
import type { FeatureBuilder } from "./features.js"
import { recordKey } from "./keys.js"
import { compareStrings } from "./order.js"
import type { Ranking } from "./ranking.js"
import type * as Store from "./store.js"
import { StoredSurvivor } from "./storedSurvivorship.js"

/**
 * An id reference: `r >= 0` is the record key of record `r` (its smallest
 * provenance key, else its id), `~r` the id of record `r`.
 *
 * @internal
 */
export type IdRef = number

/** @internal */
export interface Source {
  /** Number of records. */
  readonly n: number
  /** Record `i` as a `Person` (built on demand for stored records: do not hold it). */
  readonly person: (i: number) => Person.Person
  /** The string of an id reference. */
  readonly idString: (ref: IdRef) => string
  /** A number ordering id references as their strings: equal strings, equal ranks. */
  readonly rank: (ref: IdRef) => number
  readonly hasProvenance: (i: number) => boolean
  readonly provenanceCount: (i: number) => number
  /** Position of record `i` in the input. */
  readonly inputIndex: (i: number) => number
  /** Whether record `i` holds one contact value twice (kind and normalized or trimmed value). */
  readonly hasRepeatedPoint: (i: number) => boolean
  /** Adds the features of record `i` as it is. */
  readonly addFeatures: (builder: FeatureBuilder, i: number) => void
  /** The records `records` (ascending) survived into one person. */
  readonly survive: (records: ReadonlyArray<number>) => Person.Person
  /** Adds the features of `survive(records)`; returns its number of provenance entries. */
  readonly addSurvived: (builder: FeatureBuilder, records: ReadonlyArray<number>) => number
}

/** How a cluster of people becomes one person (`surviveWith` and a ranking). */
export type Survive = (records: ReadonlyArray<Person.Person>) => Person.Person

const canonicalJson = (person: Person.Person): string => JSON.stringify(Person.encode(person))

const repeated = (person: Person.Person): boolean => {
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

/** Ranks of strings: equal strings equal ranks, in string order. */
const ranksOf = (strings: ReadonlyArray<string>): Int32Array => {
  const order = Array.from(strings, (_, i) => i)
  order.sort((x, y) => compareStrings(strings[x]!, strings[y]!) || x - y)
  const ranks = new Int32Array(strings.length)
  let rank = 0
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && strings[order[k]!] !== strings[order[k - 1]!]) rank = k
    ranks[order[k]!] = rank
  }
  return ranks
}

/**
 * People, sorted into canonical order (record key, id, then the canonical
 * JSON): the result depends only on that order.
 *
 * @internal
 */
export const fromPeople = (people: ReadonlyArray<Person.Person>, survive: Survive): Source & { readonly records: ReadonlyArray<Person.Person> } => {
  const decorated = people.map((person, index) => ({ person, key: recordKey(person), index }))
  decorated.sort((x, y) =>
    compareStrings(x.key, y.key) || compareStrings(x.person.id, y.person.id) ||
    (x.person === y.person ? 0 : compareStrings(canonicalJson(x.person), canonicalJson(y.person)))
  )
  const records = decorated.map((d) => d.person)
  const keys = decorated.map((d) => d.key)
  const n = records.length
  const ranks = ranksOf([...keys, ...records.map((p) => p.id)])
  return {
    n,
    records,
    person: (i) => records[i]!,
    idString: (ref) => (ref >= 0 ? keys[ref]! : records[~ref]!.id),
    rank: (ref) => (ref >= 0 ? ranks[ref]! : ranks[n + ~ref]!),
    hasProvenance: (i) => records[i]!.provenance.length > 0,
    provenanceCount: (i) => records[i]!.provenance.length,
    inputIndex: (i) => decorated[i]!.index,
    hasRepeatedPoint: (i) => repeated(records[i]!),
    addFeatures: (builder, i) => builder.addPerson(records[i]!),
    survive: (members) => survive(members.map((i) => records[i]!)),
    addSurvived: (builder, members) => {
      const person = survive(members.map((i) => records[i]!))
      builder.addPerson(person)
      return person.provenance.length
    }
  }
}

/**
 * The records of a store in canonical order: by key (`system:remoteId`, which
 * is also the id), equal keys by the canonical JSON of their `Person`.
 *
 * @internal
 */
export const fromStore = (store: Store.RecordStore, ranking: Ranking): Source => {
  // no growth slack kept through the merge
  store.compact()
  const n = store.size
  const keys = store.keys
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  let tied = false
  const sorted = Array.from(order)
  sorted.sort((x, y) => {
    const c = compareStrings(keys[x]!, keys[y]!)
    if (c !== 0) return c
    tied = true
    return 0
  })
  if (tied) {
    // records of one remote record: by their canonical JSON (stable otherwise)
    const json = new Map<number, string>()
    const jsonOf = (r: number) => {
      let s = json.get(r)
      if (s === undefined) json.set(r, s = canonicalJson(store.person(r)))
      return s
    }
    sorted.sort((x, y) => compareStrings(keys[x]!, keys[y]!) || compareStrings(jsonOf(x), jsonOf(y)))
  }
  order.set(sorted)
  const survivor = new StoredSurvivor(store, ranking)
  // the key is the id: its rank is the first position holding it
  const ranks = new Int32Array(n)
  for (let i = 0; i < n; i++) ranks[i] = i > 0 && keys[order[i]!] === keys[order[i - 1]!] ? ranks[i - 1]! : i
  return {
    n,
    person: (i) => store.person(order[i]!),
    idString: (ref) => keys[order[ref >= 0 ? ref : ~ref]!]!,
    rank: (ref) => ranks[ref >= 0 ? ref : ~ref]!,
    hasProvenance: () => true,
    provenanceCount: () => 1,
    inputIndex: (i) => order[i]!,
    hasRepeatedPoint: (i) => store.hasRepeatedPoint(order[i]!),
    addFeatures: (builder, i) => builder.addStored(store, order[i]!),
    survive: (members) => survivor.person(survivor.view(members.map((i) => order[i]!))),
    addSurvived: (builder, members) => survivor.addFeatures(survivor.view(members.map((i) => order[i]!)), builder)
  }
}
