/**
 * Orderings shared by resolution and survivorship: plain string comparison and
 * the canonical order of input records, which makes the result independent of
 * the order of the input.
 *
 * @internal
 */
import * as Person from "../../Person.js"
import { recordKey } from "./keys.js"

/**
 * The items `0 .. n - 1` ordered by `keys`, the last the most significant,
 * then by their own order: one stable counting sort per key (non-negative
 * integer keys; no comparisons, no arrays of objects).
 *
 * @internal
 */
export const countingOrder = (n: number, keys: ReadonlyArray<(item: number) => number>): Int32Array => {
  let order = new Int32Array(n)
  for (let p = 0; p < n; p++) order[p] = p
  let next = new Int32Array(n)
  const key = new Int32Array(n)
  for (const keyOf of keys) {
    let max = 0
    for (let p = 0; p < n; p++) {
      key[p] = keyOf(p)
      if (key[p]! > max) max = key[p]!
    }
    const counts = new Int32Array(max + 2)
    for (let p = 0; p < n; p++) counts[key[p]! + 1]!++
    for (let v = 0; v <= max; v++) counts[v + 1]! += counts[v]!
    for (let x = 0; x < n; x++) {
      const p = order[x]!
      next[counts[key[p]!]!++] = p
    }
    ;[order, next] = [next, order]
  }
  return order
}

/** @internal */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const canonicalJson = (person: Person.Person): string => JSON.stringify(Person.encode(person))

const compareRecords = (a: Person.Person, b: Person.Person): number =>
  compareStrings(recordKey(a), recordKey(b)) || compareStrings(a.id, b.id) || compareStrings(canonicalJson(a), canonicalJson(b))

/** @internal */
export const sortRecords = (people: ReadonlyArray<Person.Person>): { readonly records: Array<Person.Person>; readonly keys: Array<string> } => {
  const decorated = people.map((person) => ({ person, key: recordKey(person) }))
  decorated.sort((x, y) =>
    compareStrings(x.key, y.key) || compareStrings(x.person.id, y.person.id) ||
    (x.person === y.person ? 0 : compareRecords(x.person, y.person))
  )
  return { records: decorated.map((d) => d.person), keys: decorated.map((d) => d.key) }
}
