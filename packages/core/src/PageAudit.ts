/**
 * The audit of a paged read: adapters feed it what each page said (records,
 * page sizes, totals, the server's next-page link, record ids) and it answers
 * whether the read as a whole is complete, and if not, why. A sync deletes only
 * on the strength of a complete read (see `PeopleDirectory.Completeness`).
 *
 * The checks, each one issue when it fails:
 * - no page before the last is empty or shorter than the page size;
 * - the totals (`totalElements`, `totalPages`) do not change during the read: a
 *   change means the directory changed while it was read, so pages shifted and
 *   someone may have been skipped;
 * - a page's first record is where its number says (`pageStart`);
 * - the read ends where the server says it ends: no next-page link, and not
 *   before the announced `totalPages`;
 * - as many records arrived as were announced (`totalElements`);
 * - no record id appears twice;
 * - every unreadable record has an id (an unreadable record without one could be
 *   anyone).
 *
 * ```ts
 * const audit = PageAudit.make()
 * audit.page({ number: 1, records: 2000, perPage: 2000, totalElements: 3100, hasNext: true, ids })
 * audit.page({ number: 2, records: 1100, perPage: 2000, totalElements: 3100, hasNext: false, ids })
 * audit.finish() // { complete: true, issues: [], records: 3100, pages: 2, announced: 3100, unreadable: [] }
 * ```
 *
 * @since 0.1.0
 */
import * as Memory from "./internal/memory.js"
import type * as PeopleDirectory from "./PeopleDirectory.js"

/**
 * What one page said.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page {
  /** The page number requested (1-based; cursor-paged APIs count pages from 1). */
  readonly number: number
  /** Records on the page, readable or not. */
  readonly records: number
  /** The page size the server used (or, when it did not say, the one requested). */
  readonly perPage?: number | undefined
  /** The number of the page the server says it answered. */
  readonly page?: number | undefined
  /** The 0-based index of the page's first record, when the server said. */
  readonly pageStart?: number | undefined
  readonly totalPages?: number | undefined
  readonly totalElements?: number | undefined
  /**
   * Whether the server's own next-page link says there is more; `undefined`
   * when the server sends no links at all.
   */
  readonly hasNext?: boolean | undefined
  /** The remote ids of the page's records (readable or not), when known. */
  readonly ids?: Iterable<string> | undefined
  /** Records of this page that could not be decoded and were skipped. */
  readonly unreadable?: ReadonlyArray<PeopleDirectory.Unreadable> | undefined
}

/**
 * An audit in progress.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageAudit {
  /**
   * Records a page; call it for every page in order, the last one included.
   * Returns how many of the page's ids were already seen on earlier pages.
   */
  readonly page: (page: Page) => number
  /**
   * Records unreadable records of the page recorded last, found after it was
   * recorded (a page whose records are decoded as the read is consumed), as if
   * they had come with it.
   */
  readonly unreadable: (records: ReadonlyArray<PeopleDirectory.Unreadable>) => void
  /** Records why the read stopped before its end (a failure, a loop guard). */
  readonly stopped: (reason: string) => void
  /** The completeness of what was recorded; the read is over. */
  readonly finish: () => PeopleDirectory.Completeness
}

/**
 * Whether a page is the last one by what the server said: its next-page link
 * when it sends links (authoritative), else the announced page count, else a
 * page shorter than the page size (or empty).
 *
 * @since 0.1.0
 * @category paging
 */
export const isLast = (page: Page): boolean => {
  if (page.hasNext !== undefined) return !page.hasNext
  if (page.records === 0) return true
  if (page.totalPages !== undefined) return (page.page ?? page.number) >= page.totalPages
  if (page.totalElements !== undefined && page.perPage !== undefined && page.pageStart !== undefined) {
    return page.pageStart + page.records >= page.totalElements
  }
  return page.perPage === undefined || page.records < page.perPage
}

/** A canonical decimal integer below 2^53 (no sign, no leading zero): the id as a number, else `undefined`. */
const canonicalInteger = (id: string): number | undefined => {
  const n = id.length
  if (n === 0 || n > 15 || (n > 1 && id.charCodeAt(0) === 48)) return undefined
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i)
    if (c < 48 || c > 57) return undefined
  }
  return Number(id)
}

/**
 * The remote ids an audit has seen, compactly: a listing of a million numeric
 * ids (RingCentral's) costs a 16 MiB table instead of a million strings in a
 * `Set` (about 110 bytes each). Ids that are canonical decimal integers are
 * kept as numbers in an open-addressing table, any other id as a string.
 */
class IdSet {
  private table = new Float64Array(1024).fill(Number.NaN)
  private count = 0
  private readonly others = new Set<string>()

  /** Adds `id`; `false` when it was already there. */
  add(id: string): boolean {
    const n = canonicalInteger(id)
    if (n === undefined) {
      if (this.others.has(id)) return false
      this.others.add(id)
      return true
    }
    if (2 * (this.count + 1) > this.table.length) this.grow()
    if (!this.insert(this.table, n)) return false
    this.count++
    return true
  }

  private insert(table: Float64Array, n: number): boolean {
    const mask = table.length - 1
    let h = Math.imul((n % 4294967296) ^ Math.floor(n / 4294967296), 0x9e3779b1)
    h ^= h >>> 15
    for (let k = h & mask;; k = (k + 1) & mask) {
      const v = table[k]!
      if (v === n) return false
      if (Number.isNaN(v)) {
        table[k] = n
        return true
      }
    }
  }

  private grow(): void {
    const previous = this.table
    const next = new Float64Array(previous.length * 2).fill(Number.NaN)
    for (const v of previous) if (!Number.isNaN(v)) this.insert(next, v)
    this.table = next
    // freed now: half the size of the new table, 8 MiB for a million ids
    Memory.release(previous)
  }
}

/**
 * Starts an audit.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): PageAudit => {
  const issues: Array<string> = []
  const unreadable: Array<PeopleDirectory.Unreadable> = []
  const seen = new IdSet()
  const repeated: Array<string> = []
  let records = 0
  let pages = 0
  let last: Page | undefined
  let totalElements: number | undefined
  let totalPages: number | undefined
  let stoppedEarly = false
  let finished = false

  const note = (issue: string) => {
    if (!issues.includes(issue)) issues.push(issue)
  }

  const addUnreadable = (records: ReadonlyArray<PeopleDirectory.Unreadable>) => {
    if (finished) return
    for (const u of records) {
      unreadable.push(u)
      if (u.remoteId === undefined) note(`a record could not be read and has no id (${u.path}: ${u.reason})`)
    }
  }

  const page = (p: Page): number => {
    if (finished) return 0
    if (last !== undefined && !isLast(last)) {
      // the previous page was not the last: it had to be full
      if (last.records === 0) note(`page ${last.number} was empty before the end of the listing`)
      else if (last.perPage !== undefined && last.records < last.perPage) {
        note(`page ${last.number} had ${last.records} of ${last.perPage} records before the end of the listing`)
      }
    }
    pages++
    records += p.records
    if (p.page !== undefined && p.page !== p.number) note(`page ${p.number} was answered as page ${p.page}`)
    if (p.pageStart !== undefined && p.perPage !== undefined && p.pageStart !== (p.number - 1) * p.perPage) {
      note(`page ${p.number} starts at record ${p.pageStart}, expected ${(p.number - 1) * p.perPage}`)
    }
    if (p.totalElements !== undefined) {
      if (totalElements !== undefined && totalElements !== p.totalElements) {
        note(`the total changed from ${totalElements} to ${p.totalElements} during the read (the directory changed while it was read)`)
      }
      totalElements = p.totalElements
    }
    if (p.totalPages !== undefined) {
      if (totalPages !== undefined && totalPages !== p.totalPages) {
        note(`the page count changed from ${totalPages} to ${p.totalPages} during the read (the directory changed while it was read)`)
      }
      totalPages = p.totalPages
    }
    const repeatedBefore = repeated.length
    for (const id of p.ids ?? []) if (!seen.add(id)) repeated.push(id)
    addUnreadable(p.unreadable ?? [])
    // without its ids and records: the audit outlives the page's records
    last = { ...p, ids: undefined, unreadable: undefined }
    return repeated.length - repeatedBefore
  }

  const finish = (): PeopleDirectory.Completeness => {
    if (!finished) {
      finished = true
      if (last === undefined) {
        note("no page was read")
      } else if (!stoppedEarly) {
        if (last.hasNext === true) note(`the read stopped at page ${last.number} although the server links a next page`)
        const lastNumber = last.page ?? last.number
        if (totalPages !== undefined && lastNumber < totalPages) {
          note(`the read ended at page ${lastNumber} of ${totalPages} announced`)
        }
        if (totalElements !== undefined && records !== totalElements) {
          note(`${records} records were read, ${totalElements} announced`)
        }
      }
      if (repeated.length > 0) {
        const shown = repeated.slice(0, 3).join(", ")
        note(
          `${repeated.length} record(s) appeared twice (${shown}${repeated.length > 3 ? ", …" : ""}): the pages shifted during the read`
        )
      }
    }
    return {
      complete: issues.length === 0,
      issues: [...issues],
      records,
      pages,
      ...(totalElements === undefined ? {} : { announced: totalElements }),
      unreadable: [...unreadable]
    }
  }

  return {
    page,
    unreadable: addUnreadable,
    stopped: (reason) => {
      stoppedEarly = true
      note(reason)
    },
    finish
  }
}
