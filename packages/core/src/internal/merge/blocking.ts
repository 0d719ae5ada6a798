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
 * Keys are 64-bit hashes sorted once with a radix sort into runs of equal
 * keys (blocks). A round counts the distinct clusters of each block (holders of
 * the value, for term frequencies) and collects the pairs of clusters of the
 * blocks that are small enough, as numbers `a * n + b` (`a < b`), sorted and
 * de-duplicated: the work is linear in the number of keys plus the pairs of
 * bounded blocks. Later rounds only look at blocks holding a cluster that
 * changed, so a key that stops being too common once its holders merged is
 * used then.
 *
 * @internal
 */
import type { Features } from "./features.js"
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

/** Continues an FNV-1a hash over `s`. */
const fnv = (h: number, s: string): number => {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h
}

/** Continues a second, independent hash over `s`. */
const mur = (h: number, s: string): number => {
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995)
    h ^= h >>> 15
  }
  return h
}

const fin = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** The 64-bit hash of a key of kind `kind` with parts `a` and `b`, as two 32-bit halves. @internal */
export const hashKey = (a: string, b: string | undefined, kind: number): readonly [number, number] => {
  let h1 = fnv(0x811c9dc5 ^ kind, a)
  let h2 = mur(0x9747b28c + kind, a)
  if (b !== undefined) {
    h1 = fnv(Math.imul(h1 ^ 0x7c, 0x01000193), b)
    h2 = mur(Math.imul(h2 ^ 0x7c, 0x5bd1e995), b)
  }
  return [fin(h1), fin(h2)]
}

/** Growable arrays of keys: two 32-bit halves of a hash, the owning record and a tag. */
class Keys {
  hi = new Uint32Array(1024)
  lo = new Uint32Array(1024)
  owner = new Int32Array(1024)
  tag = new Int32Array(1024)
  length = 0
  /** Where the current record's keys start (to skip a key the record already has). */
  private from = 0

  begin(): void {
    this.from = this.length
  }

  /** Adds a key, unless the record already has it (`dedupe`, the default). */
  push(a: string, b: string | undefined, kind: Kind, owner: number, tag: number, dedupe = true): void {
    const [hi, lo] = hashKey(a, b, kind)
    if (dedupe) for (let k = this.from; k < this.length; k++) if (this.hi[k] === hi && this.lo[k] === lo) return
    if (this.length === this.hi.length) this.grow()
    this.hi[this.length] = hi
    this.lo[this.length] = lo
    this.owner[this.length] = owner
    this.tag[this.length] = tag
    this.length++
  }

  private grow(): void {
    const size = this.hi.length * 2
    const hi = new Uint32Array(size)
    const lo = new Uint32Array(size)
    const owner = new Int32Array(size)
    const tag = new Int32Array(size)
    hi.set(this.hi)
    lo.set(this.lo)
    owner.set(this.owner)
    tag.set(this.tag)
    this.hi = hi
    this.lo = lo
    this.owner = owner
    this.tag = tag
  }

  /** The blocks: key indices sorted by hash (equal hashes in record order) and the start of each run. */
  index(kind: Kind, limit: number, describe: (tag: number, owner: number) => string): Index {
    const n = this.length
    let order = new Int32Array(n)
    let next = new Int32Array(n)
    for (let i = 0; i < n; i++) order[i] = i
    const counts = new Int32Array(65536)
    const passes: ReadonlyArray<readonly [Uint32Array, number]> = [[this.lo, 0], [this.lo, 16], [this.hi, 0], [this.hi, 16]]
    for (const [values, shift] of passes) {
      counts.fill(0)
      for (let i = 0; i < n; i++) counts[(values[order[i]!]! >>> shift) & 0xffff]!++
      let sum = 0
      for (let d = 0; d < 65536; d++) {
        const c = counts[d]!
        counts[d] = sum
        sum += c
      }
      for (let i = 0; i < n; i++) {
        const k = order[i]!
        next[counts[(values[k]! >>> shift) & 0xffff]!++] = k
      }
      const t = order
      order = next
      next = t
    }
    const owner = new Int32Array(n)
    const tag = new Int32Array(n)
    const starts: Array<number> = []
    const runHi: Array<number> = []
    const runLo: Array<number> = []
    for (let x = 0; x < n; x++) {
      const k = order[x]!
      owner[x] = this.owner[k]!
      tag[x] = this.tag[k]!
      if (x === 0 || this.hi[k] !== this.hi[order[x - 1]!] || this.lo[k] !== this.lo[order[x - 1]!]) {
        starts.push(x)
        runHi.push(this.hi[k]!)
        runLo.push(this.lo[k]!)
      }
    }
    starts.push(n)
    return { kind, limit, owner, tag, start: Int32Array.from(starts), runHi: Uint32Array.from(runHi), runLo: Uint32Array.from(runLo), describe }
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
  readonly tag: Int32Array
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

/**
 * Every key of record `i` that can make pairs, by kind (e-mail, local part,
 * phone, employee number, name), as `emit(kind, a, b)`. @internal
 */
export const forEachKey = (f: Features, i: number, emit: (kind: Kind, a: string, b: string | undefined) => void): void => {
  for (let k = f.emailStart[i]!; k < f.emailStart[i + 1]!; k++) {
    const email = f.emails[k]!
    emit(Kind.Email, email, undefined)
    const at = email.lastIndexOf("@")
    if (at >= 3) emit(Kind.Local, email.slice(0, at), undefined)
  }
  for (let k = f.phoneStart[i]!; k < f.phoneStart[i + 1]!; k++) emit(Kind.Phone, phoneBase(f.phones[k]!), undefined)
  if (f.employee[i] !== "") emit(Kind.Employee, f.employee[i]!, undefined)
  nameKeys(f, i, (a, b) => emit(Kind.Name, a, b))
}

// -----------------------------------------------------------------------------
// pairs
// -----------------------------------------------------------------------------

/** A growable list of pairs, each `i * n + j` with `i < j`. @internal */
export class Pairs {
  values = new Float64Array(4096)
  length = 0
  constructor(readonly n: number) {}

  push(i: number, j: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.length++] = i < j ? i * this.n + j : j * this.n + i
  }

  /** Sorts and removes duplicates; returns the distinct pairs. */
  distinct(): Float64Array {
    const sorted = this.values.subarray(0, this.length).sort()
    let w = 0
    for (let r = 0; r < sorted.length; r++) if (r === 0 || sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r]!
    return sorted.slice(0, w)
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
export interface Blocks {
  readonly indexes: ReadonlyArray<Index>
  /** Pairs of records sharing a reference (certain links): each holder with the first, sorted. */
  readonly references: Float64Array
  /** The reference each reference pair shares. */
  readonly referenceKeys: ReadonlyMap<number, string>
}

/**
 * Builds the blocks of the records described by `f`.
 *
 * @internal
 */
export const build = (f: Features, maxBlockSize: number, maxNameBlockSize: number): Blocks => {
  const n = f.n
  // references
  const references = new Pairs(n)
  const referenceKeys = new Map<number, string>()
  {
    const keys = new Keys()
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
        if (!referenceKeys.has(code)) referenceKeys.set(code, f.refs[index.tag[from]!]!)
      }
    }
  }

  const emails = new Keys()
  const locals = new Keys()
  const phones = new Keys()
  const employees = new Keys()
  const names = new Keys()
  const fullNames = new Keys()
  const exactNames = new Keys()
  for (let i = 0; i < n; i++) {
    emails.begin()
    locals.begin()
    for (let k = f.emailStart[i]!; k < f.emailStart[i + 1]!; k++) {
      const email = f.emails[k]!
      emails.push(email, undefined, Kind.Email, i, k)
      const at = email.lastIndexOf("@")
      if (at >= 3) locals.push(email.slice(0, at), undefined, Kind.Local, i, k)
    }
    phones.begin()
    // every number gets its entry (two numbers of a record may share a base)
    for (let k = f.phoneStart[i]!; k < f.phoneStart[i + 1]!; k++) phones.push(phoneBase(f.phones[k]!), undefined, Kind.Phone, i, k, false)
    employees.begin()
    if (f.employee[i] !== "") employees.push(f.employee[i]!, undefined, Kind.Employee, i, i)
    names.begin()
    let variant = 0
    nameKeys(f, i, (a, b) => names.push(a, b, Kind.Name, i, variant++))
    fullNames.begin()
    const full = fullNameKey(f, i)
    if (full !== undefined) fullNames.push(full[0], full[1], Kind.FullName, i, i)
    exactNames.begin()
    if (full !== undefined) exactNames.push(f.given[i]!, f.family[i]!, Kind.ExactName, i, i)
  }
  const emailIndex = emails.index(Kind.Email, maxBlockSize, (tag) => f.emails[tag]!)
  for (let b = 0; b + 1 < emailIndex.start.length; b++) for (let x = emailIndex.start[b]!; x < emailIndex.start[b + 1]!; x++) f.emailValue[emailIndex.tag[x]!] = b
  f.emailLocal.fill(-1)
  const localIndex = locals.index(Kind.Local, maxBlockSize, (tag) => {
    const email = f.emails[tag]!
    return email.slice(0, email.lastIndexOf("@"))
  })
  for (let b = 0; b + 1 < localIndex.start.length; b++) for (let x = localIndex.start[b]!; x < localIndex.start[b + 1]!; x++) f.emailLocal[localIndex.tag[x]!] = b
  const phoneIndex = phones.index(Kind.Phone, maxBlockSize, (tag) => phoneBase(f.phones[tag]!))
  let phoneValues = 0
  for (let b = 0; b + 1 < phoneIndex.start.length; b++) {
    const from = phoneIndex.start[b]!
    const to = phoneIndex.start[b + 1]!
    const ids = new Map<string, number>()
    for (let x = from; x < to; x++) {
      const entry = phoneIndex.tag[x]!
      f.phoneBase[entry] = b
      const value = f.phones[entry]!
      let id = ids.get(value)
      if (id === undefined) {
        id = phoneValues++
        ids.set(value, id)
      }
      f.phoneValue[entry] = id
    }
  }
  const indexes = [
    emailIndex,
    localIndex,
    phoneIndex,
    employees.index(Kind.Employee, maxBlockSize, (tag) => f.employeeRaw[tag]!),
    names.index(Kind.Name, maxNameBlockSize, (tag, owner) => {
      let variant = 0
      let out = ""
      nameKeys(f, owner, (a, b) => {
        if (variant++ === tag) out = `${a}|${b}`
      })
      return out
    }),
    // term frequencies only: never a source of pairs
    fullNames.index(Kind.FullName, 0, (tag) => {
      const key = fullNameKey(f, tag)
      return key === undefined ? "" : `${key[0]}|${key[1]}`
    }),
    exactNames.index(Kind.ExactName, 0, (tag) => `${f.given[tag]!}|${f.family[tag]!}`)
  ]
  return { indexes, references: references.distinct(), referenceKeys }
}

// -----------------------------------------------------------------------------
// a round
// -----------------------------------------------------------------------------

/** A skipped key: what it is, how many people hold it (updated by later rounds), its limit and hash. @internal */
export interface SkippedBlock {
  readonly key: string
  size: number
  readonly limit: number
  readonly hi: number
  readonly lo: number
}

/** Skipped keys by hash, so later rounds can count their holders again. @internal */
export type Watch = Map<number, Map<number, SkippedBlock>>

/** @internal */
export interface RoundBlocks {
  /** Candidate pairs of clusters (roots), sorted, distinct. */
  readonly pairs: Float64Array
  readonly skipped: Array<SkippedBlock>
  /**
   * Σ h(h − 1) over the values of identifying e-mail addresses, phone numbers,
   * employee numbers, full names (family + formal given name) and exact names
   * (h: holders).
   */
  readonly sameValuePairs: { email: number; phone: number; employee: number; name: number; exactName: number }
}

/**
 * One round: counts the distinct clusters holding each key (written into the
 * holder arrays of `f`; negative when the key is skipped) and collects the
 * candidate pairs of clusters from the blocks holding a changed cluster (every
 * block when `changed` is undefined).
 *
 * @internal
 */
export const round = (
  f: Features,
  blocks: Blocks,
  root: Int32Array,
  changed: Uint8Array | undefined,
  /** Blocks to look at whatever they hold, per index (blocks a changed person's former records were in). */
  touched?: ReadonlyArray<Uint8Array>,
  /** Keys skipped earlier: their holders are counted again when their block is looked at. */
  watch?: Watch
): RoundBlocks => {
  const n = f.n
  const pairs = new Pairs(n)
  const skipped: Array<SkippedBlock> = []
  const sameValuePairs = { email: 0, phone: 0, employee: 0, name: 0, exactName: 0 }
  const stamp = new Int32Array(n).fill(-1)
  let stampValue = 0
  const roots: Array<number> = []
  blocks.indexes.forEach((index, ix) => {
    const { owner, tag, start, limit, kind } = index
    const forced = touched?.[ix]
    for (let b = 0; b + 1 < start.length; b++) {
      const from = start[b]!
      const to = start[b + 1]!
      // distinct clusters of the block, in record order
      stampValue++
      roots.length = 0
      let active = changed === undefined || forced?.[b] === 1
      for (let x = from; x < to; x++) {
        const r = root[owner[x]!]!
        if (stamp[r] === stampValue) continue
        stamp[r] = stampValue
        roots.push(r)
        if (!active && changed![r] === 1) active = true
      }
      const size = roots.length
      const skip = size > limit
      switch (kind) {
        case Kind.Email:
          if (!skip) sameValuePairs.email += size * (size - 1)
          for (let x = from; x < to; x++) f.emailHolders[tag[x]!] = skip ? -size : size
          break
        case Kind.Phone:
          for (let x = from; x < to; x++) f.phoneBaseHolders[tag[x]!] = skip ? -size : size
          if (!skip) {
            // holders of the exact number (with its extension)
            for (let x = from; x < to; x++) {
              const entry = tag[x]!
              stampValue++
              let exact = 0
              for (let y = from; y < to; y++) {
                const r = root[owner[y]!]!
                if (stamp[r] !== stampValue && f.phoneValue[tag[y]!] === f.phoneValue[entry]) {
                  stamp[r] = stampValue
                  exact++
                }
              }
              f.phoneHolders[entry] = exact
            }
            sameValuePairs.phone += exactPairs(f, tag, from, to)
          } else for (let x = from; x < to; x++) f.phoneHolders[tag[x]!] = -size
          break
        case Kind.Employee:
          if (!skip) sameValuePairs.employee += size * (size - 1)
          for (let x = from; x < to; x++) f.employeeHolders[tag[x]!] = skip ? -size : size
          break
        case Kind.FullName:
          sameValuePairs.name += size * (size - 1)
          for (let x = from; x < to; x++) f.nameHolders[tag[x]!] = size
          continue
        case Kind.ExactName:
          sameValuePairs.exactName += size * (size - 1)
          continue
      }
      if (active && watch !== undefined) {
        const entry = watch.get(index.runHi[b]!)?.get(index.runLo[b]!)
        if (entry !== undefined) entry.size = size
      }
      if (size < 2) continue
      if (skip) {
        if (changed === undefined) {
          skipped.push({ key: `${kindNames[kind]}:${index.describe(tag[from]!, owner[from]!)}`, size, limit, hi: index.runHi[b]!, lo: index.runLo[b]! })
        }
        continue
      }
      if (!active) continue
      for (let x = 0; x < size; x++) for (let y = x + 1; y < size; y++) pairs.push(roots[x]!, roots[y]!)
    }
  })
  skipped.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
  return { pairs: pairs.distinct(), skipped, sameValuePairs }
}

/** Σ h(h − 1) over the exact numbers of one phone block (records, not clusters: an estimate). */
const exactPairs = (f: Features, tag: Int32Array, from: number, to: number): number => {
  let same = 0
  for (let x = from; x < to; x++) for (let y = from; y < to; y++) if (x !== y && f.phoneValue[tag[x]!] === f.phoneValue[tag[y]!]) same++
  return same
}
