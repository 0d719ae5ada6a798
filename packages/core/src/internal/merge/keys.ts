/**
 * Blocking keys: the record key of a person, the cross-reference resolver and
 * the table of keys (e-mail, identifying phone, employee number, reference)
 * that candidate pairs are found through.
 *
 * @internal
 */
import * as ContactPoint from "../../ContactPoint.js"
import * as Label from "../../Label.js"
import type * as Person from "../../Person.js"

/** @internal */
export const recordKey = (person: Person.Person): string => {
  let best: string | undefined
  for (const p of person.provenance) {
    const key = p.key
    if (best === undefined || key < best) best = key
  }
  return best ?? person.id
}

/** @internal */
export const referenceResolver = (groups: ReadonlyArray<ReadonlyArray<string>> | undefined): ((key: string) => string | undefined) | undefined => {
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
/** @internal */
export const REFERENCE = 0
/** @internal */
export const EMAIL = 1
/** @internal */
export const PHONE = 2
const EMPLOYEE = 3
const kindNames = ["reference", "email", "phone", "employeeNumber"] as const
const NS_EMAIL = "\u0001email"
const NS_PHONE = "\u0001phone"
const NS_EMPLOYEE = "\u0001employeeNumber"
/** @internal */
export const NS_CROSS = "\u0001cross-reference"
const NS_ID = "\u0001id"

/** @internal */
export interface KeyTable {
  readonly kinds: Array<number>
  readonly nss: Array<string>
  readonly values: Array<string>
}

/** @internal */
export const emptyTable = (): KeyTable => ({ kinds: [], nss: [], values: [] })

/** Appends a key to the keys of the person starting at `from`, unless it is already there. */
const pushKey = (table: KeyTable, from: number, kind: number, ns: string, value: string) => {
  const { kinds, nss, values } = table
  for (let k = from; k < kinds.length; k++) if (values[k] === value && nss[k] === ns && kinds[k] === kind) return
  kinds.push(kind)
  nss.push(ns)
  values.push(value)
}

/** @internal */
export const keyString = (kind: number, ns: string, value: string): string =>
  kind !== REFERENCE || ns === NS_CROSS || ns === NS_ID ? `${kindNames[kind]}:${value}` : `reference:${ns}:${value}`

/** Appends the keys of a person to the table. @internal */
export const appendKeys = (table: KeyTable, person: Person.Person, cross: ((key: string) => string | undefined) | undefined): void => {
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

/** @internal */
export const kindOfNamespace = (ns: string): number =>
  ns === NS_EMAIL ? EMAIL : ns === NS_PHONE ? PHONE : ns === NS_EMPLOYEE ? EMPLOYEE : REFERENCE
