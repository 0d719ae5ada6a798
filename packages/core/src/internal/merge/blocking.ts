/**
 * Candidate generation: clusters of records sharing a blocking key become
 * candidate pairs.
 *
 * Keys: record references (they link for certain, never capped), e-mail
 * addresses, e-mail local parts across domains, phone numbers without their
 * extension, employee numbers, and name keys (family name + formal given name,
 * each significant part of a compound family name, the same with given and
 * family swapped, and a phonetic key of both). A key held by more people than
 * a block may hold is not identifying: it is skipped and reported, and the
 * value it stands for (an e-mail address, a number, an employee number) is not
 * compared either.
 *
 * Keys are 64-bit hashes of the records' values, sorted once with a radix
 * sort into runs of equal keys (blocks): the run is the value's id for the
 * whole resolution (a merged person only holds values its records held).
 * Round 1 counts the distinct clusters holding each run (for term frequencies
 * and skipping) and collects the pairs of clusters of the runs small enough,
 * as numbers `a * n + b` (`a < b`), sorted and de-duplicated: the work is
 * linear in the number of keys plus the pairs of bounded blocks. A later round
 * only counts again the runs held by the records of the people that changed
 * (merged people may no longer hold a key one of their records held), so a
 * key that stops being too common once its holders merged is used then.
 *
 * @internal
 */
import { Int32Column, Uint8Column } from "./columns.js"
import type { Features, Runs } from "./features.js"
import { phoneBase } from "./features.js"
import * as Names from "./names.js"

/** Kinds of blocking key. @internal */
export const Kind = { Email: 0, Local: 1, Phone: 2, Employee: 3, Name: 4, FullName: 5, ExactName: 6 } as const

/** @internal */
export type Kind = (typeof Kind)[keyof typeof Kind]

/** @internal */
export const kindNames = ["email", "local", "phone", "employeeNumber", "name", "fullName", "exactName"] as const

// -----------------------------------------------------------------------------
// hashing
// -----------------------------------------------------------------------------

let hashHi = 0
let hashLo = 0

/** Continues both hashes over `s` (FNV-1a and a multiply-xorshift), in one pass. */
const mix = (s: string): void => {
  let h1 = hashHi
  let h2 = hashLo
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  hashHi = h1
  hashLo = h2
}

const fin = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Hashes a key into `hashHi` / `hashLo` (two independent 32-bit halves). */
const hashInto = (a: string, b: string | undefined, kind: number): void => {
  hashHi = 0x811c9dc5 ^ kind
  hashLo = 0x9747b28c + kind
  mix(a)
  if (b !== undefined) {
    hashHi = Math.imul(hashHi ^ 0x7c, 0x01000193)
    hashLo = Math.imul(hashLo ^ 0x7c, 0x5bd1e995)
    mix(b)
  }
  hashHi = fin(hashHi)
  hashLo = fin(hashLo)
}

/** The 64-bit hash of a key of kind `kind` with parts `a` and `b`, as two 32-bit halves. @internal */
export const hashKey = (a: string, b: string | undefined, kind: number): readonly [number, number] => {
  hashInto(a, b, kind)
  return [hashHi, hashLo]
}

/** Tags of keys: numbers, or small numbers (a byte each until one is larger). */
type Tags = Int32Array | Uint8Array

/** Growable arrays of keys: two 32-bit halves of a hash, the owning record and a tag. */
class Keys {
  hi: Uint32Array
  lo: Uint32Array
  owner: Int32Array
  tag: Tags
  length = 0
  /** Where the current record's keys start (to skip a key the record already has). */
  private from = 0
  private readonly tagged: boolean

  /**
   * `tags`: "owner" when every key's tag is its owner (one array holds both),
   * "small" when tags are mostly under 256.
   */
  constructor(capacity: number, tags: "any" | "owner" | "small" = "any") {
    const size = Math.max(1024, capacity)
    this.hi = new Uint32Array(size)
    this.lo = new Uint32Array(size)
    this.owner = new Int32Array(size)
    this.tagged = tags !== "owner"
    this.tag = tags === "owner" ? this.owner : tags === "small" ? new Uint8Array(size) : new Int32Array(size)
  }

  begin(): void {
    this.from = this.length
  }

  /** Adds a key, unless the record already has it (`dedupe`, the default). */
  push(a: string, b: string | undefined, kind: Kind, owner: number, tag: number, dedupe = true): void {
    hashInto(a, b, kind)
    const hi = hashHi
    const lo = hashLo
    if (dedupe) for (let k = this.from; k < this.length; k++) if (this.hi[k] === hi && this.lo[k] === lo) return
    if (this.length === this.hi.length) this.grow()
    this.hi[this.length] = hi
    this.lo[this.length] = lo
    this.owner[this.length] = owner
    if (this.tagged) {
      if (tag > 255 && this.tag instanceof Uint8Array) this.tag = Int32Array.from(this.tag)
      this.tag[this.length] = tag
    }
    this.length++
  }

  private grow(): void {
    const size = this.hi.length * 2
    const hi = new Uint32Array(size)
    const lo = new Uint32Array(size)
    const owner = new Int32Array(size)
    const tag = !this.tagged ? owner : this.tag instanceof Uint8Array ? new Uint8Array(size) : new Int32Array(size)
    hi.set(this.hi)
    lo.set(this.lo)
    owner.set(this.owner)
    if (this.tagged) tag.set(this.tag)
    this.hi = hi
    this.lo = lo
    this.owner = owner
    this.tag = tag
  }

  /**
   * The blocks: keys sorted by hash (a stable LSD radix sort, 16 bits a pass,
   * moving the keys themselves so every pass reads in order), with the start
   * and hash of each run.
   */
  index(kind: Kind, limit: number, describe: (tag: number, owner: number) => string): Index {
    const n = this.length
    // sorted in place: the keys' own arrays and one more set (an even number of passes
    // ends in the keys' arrays); the keys are emptied, so that only the index holds memory
    let hi = this.hi.subarray(0, n)
    let lo = this.lo.subarray(0, n)
    let owner = this.owner.subarray(0, n)
    let tag = this.tag.subarray(0, n)
    const spare = this.hi.length > n
    this.hi = new Uint32Array(0)
    this.lo = new Uint32Array(0)
    this.owner = new Int32Array(0)
    this.tag = new Int32Array(0)
    this.length = 0
    const tagged = this.tagged
    let hi2: Uint32Array = new Uint32Array(n)
    let lo2: Uint32Array = new Uint32Array(n)
    let owner2: Int32Array = new Int32Array(n)
    let tag2: Tags = !tagged ? owner2 : tag instanceof Uint8Array ? new Uint8Array(n) : new Int32Array(n)
    const counts = new Int32Array(65536)
    for (let pass = 0; pass < 4; pass++) {
      const shift = (pass & 1) * 16
      const source = pass < 2 ? lo : hi
      counts.fill(0)
      for (let i = 0; i < n; i++) counts[(source[i]! >>> shift) & 0xffff]!++
      let sum = 0
      for (let d = 0; d < 65536; d++) {
        const c = counts[d]!
        counts[d] = sum
        sum += c
      }
      for (let i = 0; i < n; i++) {
        const at = counts[(source[i]! >>> shift) & 0xffff]!++
        hi2[at] = hi[i]!
        lo2[at] = lo[i]!
        owner2[at] = owner[i]!
        if (tagged) tag2[at] = tag[i]!
      }
      ;[hi, hi2] = [hi2, hi]
      ;[lo, lo2] = [lo2, lo]
      ;[owner, owner2] = [owner2, owner]
      ;[tag, tag2] = [tag2, tag]
    }
    let runs = 0
    for (let x = 0; x < n; x++) if (x === 0 || hi[x] !== hi[x - 1] || lo[x] !== lo[x - 1]) runs++
    const start = new Int32Array(runs + 1)
    const runHi = new Uint32Array(runs)
    const runLo = new Uint32Array(runs)
    let r = 0
    for (let x = 0; x < n; x++) {
      if (x === 0 || hi[x] !== hi[x - 1] || lo[x] !== lo[x - 1]) {
        start[r] = x
        runHi[r] = hi[x]!
        runLo[r] = lo[x]!
        r++
      }
    }
    start[runs] = n
    // the index keeps arrays of its own length (not the keys' spare capacity)
    if (spare) {
      owner = owner.slice()
      tag = tagged ? tag.slice() : owner
    }
    return { kind, limit, owner, tag, start, runHi, runLo, describe }
  }
}

/**
 * The blocks of one kind of key: `owner[start[b] .. start[b + 1])` are the
 * records holding block b's key (in record order), `tag` what each key stands
 * for (an e-mail or phone entry, a record, a name key variant).
 *
 * @internal
 */
export interface Index {
  readonly kind: Kind
  readonly limit: number
  readonly owner: Int32Array
  readonly tag: Int32Array | Uint8Array
  readonly start: Int32Array
  /** The key hash of each block (ascending). */
  readonly runHi: Uint32Array
  readonly runLo: Uint32Array
  readonly describe: (tag: number, owner: number) => string
}

/** The block of `index` holding the key hash (`hi`, `lo`), or -1. @internal */
export const findBlock = (index: Index, hi: number, lo: number): number => {
  let a = 0
  let b = index.runHi.length - 1
  while (a <= b) {
    const m = (a + b) >>> 1
    const h = index.runHi[m]!
    const l = index.runLo[m]!
    if (h === hi && l === lo) return m
    if (h < hi || (h === hi && l < lo)) a = m + 1
    else b = m - 1
  }
  return -1
}

/** The run of `index` holding the key (`a`, `b`) of kind `kind`, or -1. @internal */
export const findRun = (index: Index, a: string, b: string | undefined): number => {
  hashInto(a, b, index.kind)
  return findBlock(index, hashHi, hashLo)
}

// -----------------------------------------------------------------------------
// pairs
// -----------------------------------------------------------------------------

/** Removes the repeats of sorted numbers in place; returns how many distinct ones lead. */
const dedupe = (sorted: Float64Array): number => {
  let w = 0
  for (let r = 0; r < sorted.length; r++) if (r === 0 || sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r]!
  return w
}

/** A growable list of pairs, each `i * n + j` with `i < j`. @internal */
export class Pairs {
  values = new Float64Array(4096)
  length = 0
  /** `values[0 .. settled)` are sorted and distinct; what was pushed after them is not yet. */
  private settled = 0
  constructor(readonly n: number) {}

  push(i: number, j: number): void {
    if (this.length === this.values.length) this.makeRoom()
    this.values[this.length++] = i < j ? i * this.n + j : j * this.n + i
  }

  /**
   * Room for more pairs: a large list first drops its duplicates (two people
   * sharing several keys are pushed once per key) and grows only when that
   * leaves it more than two thirds full.
   */
  private makeRoom(): void {
    if (this.length >= 1 << 20) {
      this.settle()
      if (3 * this.length <= 2 * this.values.length) return
    }
    const grown = new Float64Array(Math.max(4096, Math.ceil(this.values.length * 1.5)))
    grown.set(this.values.subarray(0, this.length))
    this.values = grown
  }

  /**
   * Makes `values[0 .. length)` sorted and distinct: sorts only what was pushed
   * since the last time (a third of the list or less once it is large) and
   * merges it into the settled pairs from the end, dropping the pairs both hold.
   */
  private settle(): void {
    const values = this.values
    const from = this.settled
    const added = dedupe(values.subarray(from, this.length).sort())
    if (from === 0 || added === 0) {
      this.length = this.settled = from + added
      return
    }
    const tail = values.slice(from, from + added)
    let a = from - 1
    let b = added - 1
    let w = from + added - 1
    while (b >= 0) {
      const x = tail[b]!
      if (a >= 0 && values[a]! > x) values[w--] = values[a--]!
      else {
        if (a < 0 || values[a] !== x) values[w--] = x
        b--
      }
    }
    // values[0 .. a] are in place; the merged rest starts at w + 1 (later when pairs were dropped)
    values.copyWithin(a + 1, w + 1, from + added)
    this.length = this.settled = from + added - (w - a)
  }

  /**
   * Sorts and removes duplicates, in place; returns the distinct pairs (a copy
   * of their own length only when they fill less than half of the space: no
   * second large array otherwise).
   */
  distinct(): Float64Array {
    this.settle()
    const w = this.length
    const out = 2 * w < this.values.length ? this.values.slice(0, w) : this.values.subarray(0, w)
    this.values = new Float64Array(0)
    this.length = this.settled = 0
    return out
  }
}

// -----------------------------------------------------------------------------
// keys of a record
// -----------------------------------------------------------------------------

/** The name keys of record `i`, in a fixed order; `emit(a, b)` receives each key's two parts. @internal */
export const nameKeys = (f: Features, i: number, emit: (a: string, b: string) => void): void => {
  const givenId = f.givenId[i]!
  const familyId = f.familyId[i]!
  if (givenId < 0 || familyId < 0) return
  const t = f.names
  const given = t.givens[givenId]!
  const roots = Names.givenRoots(given)
  const compactFamily = t.compactFamily(familyId)
  for (const root of roots) emit(compactFamily, root)
  if (t.isCompound(familyId)) {
    for (const token of Names.familyTokens(t.families[familyId]!)) {
      if (Names.isSignificantToken(token) && token !== compactFamily) for (const root of roots) emit(token, root)
    }
  }
  // swapped: the given name read as the family name
  const swapped = f.familyAsGivenId[i]!
  if (swapped >= 0) for (const root of Names.givenRoots(t.givens[swapped]!)) emit(given, root)
  emit(`~${t.phonetic(compactFamily)}`, t.phonetic(given))
}

/** The full-name key of a record, for term frequencies: family + first formal given name. @internal */
export const fullNameKey = (f: Features, i: number): readonly [string, string] | undefined => {
  const givenId = f.givenId[i]!
  const familyId = f.familyId[i]!
  if (givenId < 0 || familyId < 0) return undefined
  return [f.names.compactFamily(familyId), Names.givenRoots(f.names.givens[givenId]!)[0]!]
}

/** The blocks of every kind. @internal */

/** Index positions of each kind in {@link Blocks.indexes}. @internal */
export const EMAIL = 0
/** @internal */
export const LOCAL = 1
/** @internal */
export const PHONE = 2
/** @internal */
export const EMPLOYEE = 3
/** @internal */
export const NAME = 4
/** @internal */
export const FULL_NAME = 5
/** @internal */
export const EXACT_NAME = 6

/** The blocks of every kind, over the records of round 1. @internal */
export interface Blocks {
  /** By kind: email, local, phone, employee, name, full name, exact name. */
  readonly indexes: ReadonlyArray<Index>
  /** The records' feature table (run members are its entries). */
  readonly f: Features
  /** Pairs of records sharing a reference (certain links): each holder with the first, sorted. */
  readonly references: Float64Array
  /** The reference each reference pair shares. */
  readonly referenceKeys: ReadonlyMap<number, string>
  /** The same, as its index in `f.refs`. */
  readonly referenceTags: ReadonlyMap<number, number>
  /** Records of each exact phone number id (for later rounds): the exact id of each entry is `f.phoneValue`. */
  readonly exactIds: number
}

/**
 * Builds the blocks of the records described by `f`, writes the run of every
 * value into `f` and gives `f` its holder counts (all 0 until a round counts).
 *
 * @internal
 */
export const build = (f: Features, maxBlockSize: number, maxNameBlockSize: number): Blocks => {
  const n = f.n
  // references
  const references = new Pairs(n)
  const referenceKeys = new Map<number, string>()
  const referenceTags = new Map<number, number>()
  {
    const keys = new Keys(f.refs.length)
    for (let i = 0; i < n; i++) {
      keys.begin()
      for (let k = f.refStart[i]!; k < f.refStart[i + 1]!; k++) keys.push(f.refs[k]!, undefined, Kind.Email, i, k)
    }
    const index = keys.index(Kind.Email, Infinity, () => "")
    for (let b = 0; b + 1 < index.start.length; b++) {
      const from = index.start[b]!
      const to = index.start[b + 1]!
      for (let x = from + 1; x < to; x++) {
        const a = index.owner[from]!
        const c = index.owner[x]!
        if (a === c) continue
        references.push(a, c)
        const code = a < c ? a * n + c : c * n + a
        if (!referenceKeys.has(code)) {
          referenceKeys.set(code, f.refs[index.tag[from]!]!)
          referenceTags.set(code, index.tag[from]!)
        }
      }
    }
  }

  const emails = new Keys(f.emailStart[n]!)
  const locals = new Keys(f.emailStart[n]!)
  const phones = new Keys(f.phoneStart[n]!)
  const employees = new Keys(n, "owner")
  const names = new Keys(5 * n, "small")
  const fullNames = new Keys(n, "owner")
  const exactNames = new Keys(n, "owner")
  for (let i = 0; i < n; i++) {
    emails.begin()
    locals.begin()
    for (let k = f.emailStart[i]!; k < f.emailStart[i + 1]!; k++) {
      const email = f.email(k)
      emails.push(email, undefined, Kind.Email, i, k)
      const at = email.lastIndexOf("@")
      if (at >= 3) locals.push(email.slice(0, at), undefined, Kind.Local, i, k)
    }
    phones.begin()
    // every number gets its entry (two numbers of a record may share a base)
    for (let k = f.phoneStart[i]!; k < f.phoneStart[i + 1]!; k++) phones.push(phoneBase(f.phone(k)), undefined, Kind.Phone, i, k, false)
    employees.begin()
    if (f.employee[i]! >= 0) employees.push(f.employees[f.employee[i]!]!, undefined, Kind.Employee, i, i)
    names.begin()
    let variant = 0
    nameKeys(f, i, (a, b) => names.push(a, b, Kind.Name, i, variant++))
    fullNames.begin()
    exactNames.begin()
    const full = fullNameKey(f, i)
    if (full !== undefined) {
      fullNames.push(full[0], full[1], Kind.FullName, i, i)
      exactNames.push(f.names.givens[f.givenId[i]!]!, f.names.families[f.familyId[i]!]!, Kind.ExactName, i, i)
    }
  }
  const indexes = [
    emails.index(Kind.Email, maxBlockSize, (tag) => f.email(tag)),
    locals.index(Kind.Local, maxBlockSize, (tag) => {
      const email = f.email(tag)
      return email.slice(0, email.lastIndexOf("@"))
    }),
    phones.index(Kind.Phone, maxBlockSize, (tag) => phoneBase(f.phone(tag))),
    employees.index(Kind.Employee, maxBlockSize, (tag) => f.employeeRaw(tag)),
    names.index(Kind.Name, maxNameBlockSize, (tag, owner) => {
      let variant = 0
      let out = ""
      nameKeys(f, owner, (a, b) => {
        if (variant++ === tag) out = `${a}|${b}`
      })
      return out
    }),
    // term frequencies and training only: never a source of pairs
    fullNames.index(Kind.FullName, 0, (tag) => {
      const key = fullNameKey(f, tag)
      return key === undefined ? "" : `${key[0]}|${key[1]}`
    }),
    exactNames.index(Kind.ExactName, 0, (tag) => `${describe(f, tag)}`)
  ] as const
  const [emailIndex, localIndex, phoneIndex, employeeIndex, , fullNameIndex] = indexes

  // the run of every value
  eachRun(emailIndex, (b, from, to) => {
    for (let x = from; x < to; x++) f.emailValue[emailIndex.tag[x]!] = b
  })
  eachRun(localIndex, (b, from, to) => {
    for (let x = from; x < to; x++) f.emailLocal[localIndex.tag[x]!] = b
  })
  eachRun(employeeIndex, (b, from, to) => {
    for (let x = from; x < to; x++) f.employeeRun[employeeIndex.tag[x]!] = b
  })
  eachRun(fullNameIndex, (b, from, to) => {
    for (let x = from; x < to; x++) f.fullNameRun[fullNameIndex.tag[x]!] = b
  })
  // exact numbers: the same base and the same extension; small runs compare in place
  let exactIds = 0
  const values: Array<string> = []
  eachRun(phoneIndex, (b, from, to) => {
    const ids = to - from > 16 ? new Map<string, number>() : undefined
    values.length = 0
    for (let x = from; x < to; x++) {
      const entry = phoneIndex.tag[x]!
      f.phoneBase[entry] = b
      // a run of one: its own number
      if (to - from === 1) {
        f.phoneValue[entry] = exactIds++
        continue
      }
      const value = f.phone(entry)
      values.push(value)
      let id: number | undefined
      if (ids !== undefined) id = ids.get(value)
      else {
        for (let y = from; y < x; y++) {
          if (values[y - from] === value) {
            id = f.phoneValue[phoneIndex.tag[y]!]!
            break
          }
        }
      }
      if (id === undefined) {
        id = exactIds++
        ids?.set(value, id)
      }
      f.phoneValue[entry] = id
    }
  })
  f.runs = {
    email: new Int32Array(runCount(emailIndex)),
    phone: new Int32Array(runCount(phoneIndex)),
    exact: new Int32Array(exactIds),
    employee: new Int32Array(runCount(employeeIndex)),
    fullName: new Int32Array(runCount(fullNameIndex))
  }

  return { indexes, f, references: references.distinct(), referenceKeys, referenceTags, exactIds }
}

/** The kinds whose runs a later round counts again: the kinds that make pairs, and full names. */
const RECOUNTED = [EMAIL, LOCAL, PHONE, EMPLOYEE, NAME, FULL_NAME] as const

/**
 * The runs a later round counts again (per index, 1 for a run): the runs of
 * the recounted kinds held by a record whose person changed (`changed[r]` is
 * 1), found by one pass over the blocks (no list of runs per record is kept).
 *
 * @internal
 */
export const activeRuns = (blocks: Blocks, changed: Uint8Array): Array<Uint8Array> => {
  const active = blocks.indexes.map((index) => new Uint8Array(Math.max(0, index.start.length - 1)))
  for (const ix of RECOUNTED) {
    const { owner, start } = blocks.indexes[ix]!
    const marks = active[ix]!
    for (let b = 0; b + 1 < start.length; b++) {
      for (let x = start[b]!; x < start[b + 1]!; x++) {
        if (changed[owner[x]!] === 1) {
          marks[b] = 1
          break
        }
      }
    }
  }
  return active
}

const runCount = (index: Index): number => index.start.length - 1

const eachRun = (index: Index, f: (run: number, from: number, to: number) => void): void => {
  for (let b = 0; b + 1 < index.start.length; b++) f(b, index.start[b]!, index.start[b + 1]!)
}

const describe = (f: Features, i: number): string => `${f.names.givens[f.givenId[i]!]!}|${f.names.families[f.familyId[i]!]!}`

/**
 * Gives a table of merged people (features extracted from their survived
 * form) the runs of its values, found by their hashes among the runs of the
 * records (a merged person holds nothing its records did not), and returns the
 * runs each person holds.
 *
 * @internal
 */
export const attach = (m: Features, blocks: Blocks): { readonly start: Int32Array; readonly index: Uint8Array; readonly id: Int32Array } => {
  const { indexes, f } = blocks
  m.runs = f.runs
  const start = new Int32Array(m.n + 1)
  // typed columns, not arrays of numbers: no heap garbage while they grow
  const index = new Uint8Column(4 * m.n)
  const id = new Int32Column(4 * m.n)
  const hold = (ix: number, run: number) => {
    if (run < 0) return
    const indexData = index.data
    const idData = id.data
    for (let k = start[start.length - 1]!; k < index.length; k++) if (indexData[k] === ix && idData[k] === run) return
    index.push(ix)
    id.push(run)
  }
  for (let i = 0; i < m.n; i++) {
    start[i] = index.length
    start[start.length - 1] = index.length
    for (let k = m.emailStart[i]!; k < m.emailStart[i + 1]!; k++) {
      const email = m.email(k)
      m.emailValue[k] = findRun(indexes[EMAIL]!, email, undefined)
      hold(EMAIL, m.emailValue[k]!)
      const at = email.lastIndexOf("@")
      m.emailLocal[k] = at >= 3 ? findRun(indexes[LOCAL]!, email.slice(0, at), undefined) : -1
      hold(LOCAL, m.emailLocal[k]!)
    }
    for (let k = m.phoneStart[i]!; k < m.phoneStart[i + 1]!; k++) {
      const value = m.phone(k)
      const run = findRun(indexes[PHONE]!, phoneBase(value), undefined)
      m.phoneBase[k] = run
      hold(PHONE, run)
      m.phoneValue[k] = run < 0 ? -1 : exactIdIn(blocks, run, value)
    }
    if (m.employee[i]! >= 0) {
      m.employeeRun[i] = findRun(indexes[EMPLOYEE]!, m.employees[m.employee[i]!]!, undefined)
      hold(EMPLOYEE, m.employeeRun[i]!)
    }
    nameKeys(m, i, (a, b) => hold(NAME, findRun(indexes[NAME]!, a, b)))
    const full = fullNameKey(m, i)
    if (full !== undefined) {
      m.fullNameRun[i] = findRun(indexes[FULL_NAME]!, full[0], full[1])
      hold(FULL_NAME, m.fullNameRun[i]!)
    }
  }
  start[m.n] = index.length
  return { start, index: index.trim(), id: id.trim() }
}

const exactCache = new WeakMap<Blocks, Map<number, Map<string, number>>>()

/** The exact id of `value` in phone run `run` (the id of a record entry with the same number). */
const exactIdIn = (blocks: Blocks, run: number, value: string): number => {
  const index = blocks.indexes[PHONE]!
  const from = index.start[run]!
  const to = index.start[run + 1]!
  const f = blocks.f
  if (to - from <= 16) {
    for (let x = from; x < to; x++) if (f.phone(index.tag[x]!) === value) return f.phoneValue[index.tag[x]!]!
    return -1
  }
  let cache = exactCache.get(blocks)
  if (cache === undefined) exactCache.set(blocks, cache = new Map())
  let ids = cache.get(run)
  if (ids === undefined) {
    ids = new Map()
    for (let x = from; x < to; x++) ids.set(f.phone(index.tag[x]!), f.phoneValue[index.tag[x]!]!)
    cache.set(run, ids)
  }
  return ids.get(value) ?? -1
}

// -----------------------------------------------------------------------------
// rounds
// -----------------------------------------------------------------------------

/** A skipped key: what it is, how many people hold it (updated by later rounds), its limit and hash. @internal */
export interface SkippedBlock {
  readonly key: string
  size: number
  readonly limit: number
}

/**
 * Σ h(h − 1) over the values of identifying e-mail addresses, phone numbers,
 * employee numbers, full names (family + formal given name) and exact names
 * (h: holders).
 *
 * @internal
 */
export interface SameValuePairs {
  email: number
  phone: number
  employee: number
  name: number
  exactName: number
}

/**
 * Who holds the values in a round: each record's person, and whether a person
 * still holds a run (a merged person may not hold every run of its records).
 *
 * @internal
 */
export interface Holding {
  /** The person of each record. */
  readonly personOf: Int32Array
  /** Whether person `p` (met through record `record`; the answer is the same for each of its records) holds run `run` of index `ix`; every record's person holds its runs when absent. */
  readonly holds: ((p: number, record: number, ix: number, run: number) => boolean) | undefined
  /**
   * The exact phone ids person `p` holds in phone run `run` (through record
   * entry `entry`), into `out`; the entry's own when absent. True when they are
   * all of the person's ids in the run (whatever the entry), so its other
   * entries there add nothing.
   */
  readonly exact: ((p: number, entry: number, run: number, out: Array<number>) => boolean) | undefined
  /** Number of people. */
  readonly n: number
}

/** @internal */
export interface RoundBlocks {
  /** Candidate pairs of people, sorted, distinct. */
  readonly pairs: Float64Array
  /** Keys first found too common (round 1 only); later rounds update their sizes. */
  readonly skipped: Array<SkippedBlock>
  readonly sameValuePairs: SameValuePairs
}

/**
 * Counts the holders of runs and collects the candidate pairs of the runs small
 * enough: every run in round 1 (`active` undefined), else the runs marked
 * `active` (per index). Holder counts are written into `blocks.f.runs`.
 *
 * @internal
 */
export const round = (blocks: Blocks, holding: Holding, active: ReadonlyArray<Uint8Array> | undefined, watch: Map<number, SkippedBlock>): RoundBlocks => {
  const { indexes, f } = blocks
  const runs: Runs = f.runs
  const pairs = new Pairs(holding.n)
  const skipped: Array<SkippedBlock> = []
  const same: SameValuePairs = { email: 0, phone: 0, employee: 0, name: 0, exactName: 0 }
  const stamp = new Int32Array(holding.n).fill(-1)
  let stampValue = 0
  const people: Array<number> = []
  const exactIds: Array<number> = []
  const seenPeople: Array<number> = []
  const seenIds: Array<number> = []
  indexes.forEach((index, ix) => {
    const { owner, tag, start, limit } = index
    const marks = active?.[ix]
    for (let b = 0; b + 1 < start.length; b++) {
      if (marks !== undefined && marks[b] !== 1) continue
      const from = start[b]!
      const to = start[b + 1]!
      stampValue++
      people.length = 0
      for (let x = from; x < to; x++) {
        const record = owner[x]!
        const p = holding.personOf[record]!
        if (stamp[p] === stampValue) continue
        // whether a person holds a run does not depend on the record it is met through
        stamp[p] = stampValue
        if (holding.holds === undefined || holding.holds(p, record, ix, b)) people.push(p)
      }
      const size = people.length
      const skip = size > limit
      switch (ix) {
        case EMAIL:
          runs.email[b] = skip ? -size : size
          if (!skip) same.email += size * (size - 1)
          break
        case PHONE:
          runs.phone[b] = skip ? -size : size
          if (skip) break
          // holders of each exact number (with its extension): distinct (person, number) pairs of a small block
          seenPeople.length = 0
          seenIds.length = 0
          // marks the people whose every exact id in this run is already seen
          stampValue++
          for (let x = from; x < to; x++) {
            const record = owner[x]!
            const p = holding.personOf[record]!
            if (stamp[p] === stampValue || (holding.holds !== undefined && !holding.holds(p, record, ix, b))) continue
            exactIds.length = 0
            if (holding.exact === undefined) exactIds.push(f.phoneValue[tag[x]!]!)
            else if (holding.exact(p, tag[x]!, b, exactIds)) stamp[p] = stampValue
            for (const id of exactIds) {
              let seen = false
              for (let k = 0; k < seenIds.length; k++) {
                if (seenIds[k] === id && seenPeople[k] === p) {
                  seen = true
                  break
                }
              }
              if (seen) continue
              seenIds.push(id)
              seenPeople.push(p)
            }
          }
          for (const id of seenIds) runs.exact[id] = 0
          for (const id of seenIds) runs.exact[id]!++
          for (let k = 0; k < seenIds.length; k++) {
            const id = seenIds[k]!
            if (seenIds.indexOf(id) !== k) continue
            const count = runs.exact[id]!
            same.phone += count * (count - 1)
          }
          break
        case EMPLOYEE:
          runs.employee[b] = skip ? -size : size
          if (!skip) same.employee += size * (size - 1)
          break
        case FULL_NAME:
          runs.fullName[b] = size
          same.name += size * (size - 1)
          continue
        case EXACT_NAME:
          same.exactName += size * (size - 1)
          continue
      }
      if (active !== undefined) {
        const entry = watch.get(ix * 2 ** 32 + b)
        if (entry !== undefined) entry.size = size
      }
      if (size < 2) continue
      if (skip) {
        if (active === undefined) {
          const entry: SkippedBlock = { key: `${kindNames[index.kind]}:${index.describe(tag[from]!, owner[from]!)}`, size, limit }
          skipped.push(entry)
          watch.set(ix * 2 ** 32 + b, entry)
        }
        continue
      }
      for (let x = 0; x < size; x++) for (let y = x + 1; y < size; y++) pairs.push(people[x]!, people[y]!)
    }
  })
  return { pairs: pairs.distinct(), skipped, sameValuePairs: same }
}
