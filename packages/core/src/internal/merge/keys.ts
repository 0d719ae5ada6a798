/**
 * Record keys: the record key of a person (its smallest provenance key) and the
 * resolver of cross-references (groups of keys known to be one person).
 *
 * @internal
 */
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
