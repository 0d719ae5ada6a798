/**
 * Clusters that cannot chain: union-find over records with each cluster's
 * members in a circular list. Links are applied strongest first, and a link
 * joins two clusters only when the result stays consistent: no member of one
 * may contradict a member of the other (different employee numbers; names
 * that disagree without a shared e-mail address or employee number), and the
 * cluster stays within a bounded size. A refused link leaves the clusters
 * split at their weakest link, with the reason recorded. Record references
 * (the same remote record, or a known cross-reference) join unconditionally.
 *
 * @internal
 */
import * as C from "./comparisons.js"

/** @internal */
export class Clusters {
  readonly parent: Int32Array
  /** Next member in the cluster's circular list. */
  readonly next: Int32Array
  /** Members per root, counting a group of records joined by references as one. */
  readonly size: Int32Array

  /** `sizes`: the records each item already stands for (1 each by default). */
  constructor(readonly n: number, sizes?: ArrayLike<number>) {
    this.parent = new Int32Array(n)
    this.next = new Int32Array(n)
    this.size = sizes === undefined ? new Int32Array(n).fill(1) : Int32Array.from(sizes)
    for (let i = 0; i < n; i++) {
      this.parent[i] = i
      this.next[i] = i
    }
  }

  find(i: number): number {
    let root = i
    while (this.parent[root] !== root) root = this.parent[root]!
    while (this.parent[i] !== root) {
      const up = this.parent[i]!
      this.parent[i] = root
      i = up
    }
    return root
  }

  /** The members of the cluster rooted at `root` (in list order). */
  members(root: number, out: Array<number>): Array<number> {
    out.length = 0
    let x = root
    do {
      out.push(x)
      x = this.next[x]!
    } while (x !== root)
    return out
  }

  isSingleton(root: number): boolean {
    return this.next[root] === root
  }

  private link(a: number, b: number, size: number): number {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra === rb) return ra
    const root = Math.min(ra, rb)
    const other = root === ra ? rb : ra
    this.parent[other] = root
    const t = this.next[ra]!
    this.next[ra] = this.next[rb]!
    this.next[rb] = t
    this.size[root] = size
    return root
  }

  /** Joins the clusters of `a` and `b` unconditionally (a shared record reference). */
  joinCertain(a: number, b: number): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra === rb) return
    this.link(a, b, Math.max(this.size[ra]!, this.size[rb]!))
  }

  /**
   * Joins the clusters rooted at `a` and `b` unless the result would be
   * inconsistent (`conflict` between a member of each, or too many records);
   * returns the reason of a refusal.
   */
  tryJoin(a: number, b: number, maxSize: number, conflict: (x: number, y: number) => string | undefined, left: Array<number>, right: Array<number>): string | undefined {
    if (this.size[a]! + this.size[b]! > maxSize) return `cluster too large (${this.size[a]! + this.size[b]!} records, at most ${maxSize})`
    this.members(a, left)
    this.members(b, right)
    for (const x of left) {
      for (const y of right) {
        const reason = conflict(x, y)
        if (reason !== undefined) return reason
      }
    }
    this.link(a, b, this.size[a]! + this.size[b]!)
    return undefined
  }

  /** The root of every record. */
  roots(): Int32Array {
    const out = new Int32Array(this.n)
    for (let i = 0; i < this.n; i++) out[i] = this.find(i)
    return out
  }
}

/**
 * Compares two clusters: for each comparison, the best level (by its weight)
 * over every pair of their members; two single records are compared directly.
 *
 * @internal
 */
export const compareClusters = (
  clusters: Clusters,
  a: number,
  b: number,
  compare: (x: number, y: number, out: C.Comparison) => void,
  levelWeight: (c: number, level: number, holders: number) => number,
  out: C.Comparison,
  scratch: C.Comparison,
  left: Array<number>,
  right: Array<number>
): void => {
  if (clusters.isSingleton(a) && clusters.isSingleton(b)) {
    compare(a, b, out)
    return
  }
  clusters.members(a, left)
  clusters.members(b, right)
  let first = true
  const best = new Float64Array(C.COUNT)
  for (const x of left) {
    for (const y of right) {
      compare(x, y, first ? out : scratch)
      if (first) {
        for (let c = 0; c < C.COUNT; c++) {
          const level = out.levels[c]!
          best[c] = level === C.nullLevel(c) ? Number.NEGATIVE_INFINITY : levelWeight(c, level, out.holders[c]!)
        }
        first = false
        continue
      }
      for (let c = 0; c < C.COUNT; c++) {
        const level = scratch.levels[c]!
        if (level === C.nullLevel(c)) continue
        const w = levelWeight(c, level, scratch.holders[c]!)
        // the system comparison keeps the worst level: two clusters holding records of one system overlap
        if (c === C.SYSTEM ? w < best[c]! : w > best[c]!) {
          best[c] = w
          out.levels[c] = level
          out.holders[c] = scratch.holders[c]!
        }
      }
    }
  }
}
