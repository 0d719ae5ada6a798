/**
 * Orderings shared by resolution and survivorship: plain string comparison and
 * the canonical order of input records, which makes the result independent of
 * the order of the input.
 *
 * @internal
 */
import * as Person from "../../Person.js"
import { recordKey } from "./keys.js"

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
