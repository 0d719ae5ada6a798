/**
 * The comparable features of people, in flat arrays (one slot per person, or
 * one run of slots per person for lists): interned name parts, department,
 * site, title, source systems, identifying e-mail addresses and phone numbers,
 * employee number and record references.
 *
 * Every value that can be shared is also known by the id of its block (its
 * *run*: see `blocking.ts`), and how many people hold it is kept per run in one
 * {@link Runs} object shared by every feature table of a resolution: the
 * records' own table and the tables of the people later rounds merge.
 *
 * @internal
 */
import * as ContactPoint from "../../ContactPoint.js"
import * as Label from "../../Label.js"
import type * as Person from "../../Person.js"
import { Int32Column, Uint8Column } from "./columns.js"
import * as Names from "./names.js"
import type * as Store from "./store.js"

/**
 * How many people hold each value, per run; negative when more people hold it
 * than a block may hold (the value is then not identifying).
 *
 * @internal
 */
export interface Runs {
  email: Int32Array
  /** Phone numbers without their extension. */
  phone: Int32Array
  /** Exact phone numbers (with their extension), by exact id. */
  exact: Int32Array
  employee: Int32Array
  /** Family + formal given name (term frequencies only, never negative). */
  fullName: Int32Array
}

/** Interning tables shared by the feature tables of one resolution. @internal */
export interface Tables {
  readonly names: Names.NameTable
  readonly texts: Names.TextTable
  readonly normalized: Map<string, string>
  readonly compacted: Map<string, string>
  readonly systems: Map<string, number>
  /** Canonical employee numbers, interned: id → value, value → id. */
  readonly employeeValues: Array<string>
  readonly employeeIds: Map<string, number>
  /** The employee number id of each record of a store (-2 not yet known), once read. */
  stored: { readonly store: Store.RecordStore; readonly employee: Int32Array } | undefined
}

/** @internal */
export const makeTables = (): Tables => ({
  names: new Names.NameTable(),
  texts: new Names.TextTable(),
  normalized: new Map(),
  compacted: new Map(),
  systems: new Map(),
  employeeValues: [],
  employeeIds: new Map(),
  stored: undefined
})

/** @internal */
export interface Features {
  readonly n: number
  readonly names: Names.NameTable
  readonly texts: Names.TextTable
  /** Holders per run, shared; set by blocking. */
  runs: Runs
  /** Interned name ids (-1 unknown): given (first token), family, and for swapped names the given name as a family name and the family's first token as a given name. */
  readonly givenId: Int32Array
  readonly familyId: Int32Array
  readonly givenAsFamilyId: Int32Array
  readonly familyAsGivenId: Int32Array
  /** Interned ids (-1 unknown) of department, site name, site id and title (lower-case letters and digits). */
  readonly departmentId: Int32Array
  readonly siteNameId: Int32Array
  readonly siteIdId: Int32Array
  readonly titleId: Int32Array
  /** The systems of the provenance, as a bit set. */
  readonly systems: Int32Array
  /** Identifying e-mail addresses: entries `emailStart[i] .. emailStart[i + 1]`, each read with {@link email}. */
  readonly emailStart: Int32Array
  /** E-mail address of entry `k`. */
  readonly email: (k: number) => string
  /** 1 for an address labelled `personal`. */
  readonly emailPersonal: Uint8Array
  /** Run of each address, and of its local part when it has three characters or more (-1 otherwise); set by blocking. */
  readonly emailValue: Int32Array
  readonly emailLocal: Int32Array
  /**
   * What an alias test needs of each local part: its first letter (-1 none),
   * its number of letters, a hash of its letters, of its last four letters and
   * of its digits.
   */
  readonly emailFirst: Int32Array
  readonly emailLetters: Int32Array
  readonly emailLettersHash: Int32Array
  readonly emailTailHash: Int32Array
  readonly emailDigitsHash: Int32Array
  /** Identifying phone numbers (E.164, with `;ext=`): entries `phoneStart[i] .. phoneStart[i + 1]`. */
  readonly phoneStart: Int32Array
  /** Phone number of entry `k`. */
  readonly phone: (k: number) => string
  /** Run of each number without its extension, and id of the exact number; set by blocking. */
  readonly phoneBase: Int32Array
  readonly phoneValue: Int32Array
  /** 1 for a number with an extension. */
  readonly phoneHasExtension: Uint8Array
  /**
   * Canonical employee number, as an id into `employees` (-1 none; equal
   * numbers, equal ids), as written (for reasons), and its run (-1 none).
   */
  readonly employee: Int32Array
  readonly employees: ReadonlyArray<string>
  readonly employeeRaw: (i: number) => string
  readonly employeeRun: Int32Array
  /** Run of the full-name key (family + formal given name; -1 none). */
  readonly fullNameRun: Int32Array
  /** Record references: provenance keys, or their cross-reference group. */
  readonly refStart: Int32Array
  readonly refs: Array<string>
}

const emptyRuns = (): Runs => ({ email: new Int32Array(0), phone: new Int32Array(0), exact: new Int32Array(0), employee: new Int32Array(0), fullName: new Int32Array(0) })

/**
 * An employee number for comparison: letters and digits, upper case; with three
 * digits or more only the digits without leading zeros (`E100234`, `00100234`
 * and `100234` are one number).
 *
 * @internal
 */
export const canonicalEmployee = (raw: string | undefined): string => {
  if (raw === undefined) return ""
  const alnum = raw.toUpperCase().replace(/[^A-Z0-9]/g, "")
  const digits = alnum.replace(/[^0-9]/g, "")
  if (digits.length >= 3) return digits.replace(/^0+(?=\d)/, "")
  return alnum
}

/** The part of a phone number before `;ext=`. @internal */
export const phoneBase = (phone: string): string => {
  const cut = phone.indexOf(";")
  return cut < 0 ? phone : phone.slice(0, cut)
}

const NS_CROSS = "\u0001cross-reference"

/** The alias signature of an e-mail local part (see {@link Features.emailFirst}), into `out`. */
const aliasSignature = (email: string, out: Int32Array): void => {
  const at = email.lastIndexOf("@")
  let first = -1
  let letters = 0
  let lettersHash = 0x811c9dc5
  let digitsHash = 0x811c9dc5
  for (let x = 0; x < at; x++) {
    const c = email.charCodeAt(x)
    if (c >= 97 && c <= 122) {
      if (first < 0) first = c
      letters++
      lettersHash = hashStep(lettersHash, c)
    } else if (c >= 48 && c <= 57) digitsHash = hashStep(digitsHash, c)
  }
  let tail = 0x811c9dc5
  let taken = 0
  for (let x = at - 1; x >= 0 && taken < 4; x--) {
    const c = email.charCodeAt(x)
    if (c >= 97 && c <= 122) {
      tail = hashStep(tail, c)
      taken++
    }
  }
  out[0] = first
  out[1] = letters
  out[2] = lettersHash
  out[3] = tail
  out[4] = digitsHash
}

const signature = new Int32Array(5)

/**
 * Builds a feature table one person at a time: from a `Person`
 * ({@link FeatureBuilder.addPerson}), or from a record of a
 * {@link Store.RecordStore} ({@link FeatureBuilder.addStored}) or a merged
 * person of its records ({@link FeatureBuilder.addView}); both give the same
 * features for the same person. A table built from a store keeps no string
 * per e-mail address or phone number: it reads them from the store.
 *
 * @internal
 */
export class FeatureBuilder {
  private readonly givenId = new Int32Column()
  private readonly familyId = new Int32Column()
  private readonly givenAsFamilyId = new Int32Column()
  private readonly familyAsGivenId = new Int32Column()
  private readonly departmentId = new Int32Column()
  private readonly siteNameId = new Int32Column()
  private readonly siteIdId = new Int32Column()
  private readonly titleId = new Int32Column()
  private readonly systems = new Int32Column()
  private readonly emailStart = new Int32Column()
  private readonly phoneStart = new Int32Column()
  private readonly refStart = new Int32Column()
  private readonly personal = new Uint8Column()
  private readonly emailFirst = new Int32Column()
  private readonly emailLetters = new Int32Column()
  private readonly emailLettersHash = new Int32Column()
  private readonly emailTailHash = new Int32Column()
  private readonly emailDigitsHash = new Int32Column()
  private readonly phoneHasExtension = new Uint8Column()
  /** Values as strings (from people) or as points of a store. */
  private readonly emails: Array<string> = []
  private readonly phones: Array<string> = []
  private readonly employeeRaw: Array<string> = []
  private readonly emailPoint = new Int32Column()
  private readonly phonePoint = new Int32Column()
  /** The record whose employee number a person has (-1 none), for a store. */
  private readonly employeeRecord = new Int32Column()
  private store: Store.RecordStore | undefined
  private readonly refs: Array<string> = []
  private readonly employee = new Int32Column()
  // memos by interned id of a record store's strings
  private readonly givenMemo: Array<number> = []
  private readonly familyMemo: Array<number> = []
  private readonly textMemo: Array<number> = []
  private readonly systemMemo: Array<number> = []
  private readonly displayMemo: Array<Names.NameParts | undefined> = []
  private readonly blankMemo: Array<number> = []
  /** The values of the person being added (to skip a value it holds twice). */
  private readonly seen: Array<string> = []

  constructor(
    readonly tables: Tables,
    readonly cross: ((key: string) => string | undefined) | undefined
  ) {}

  get size(): number {
    return this.givenId.length
  }

  private normalize = (raw: string | undefined): string => {
    if (raw === undefined) return ""
    const normalized = this.tables.normalized
    let out = normalized.get(raw)
    if (out === undefined) {
      out = Names.normalizeName(raw)
      normalized.set(raw, out)
    }
    return out
  }

  private text(raw: string | undefined): number {
    if (raw === undefined) return -1
    const compacted = this.tables.compacted
    let out = compacted.get(raw)
    if (out === undefined) {
      out = raw.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")
      compacted.set(raw, out)
    }
    return this.tables.texts.id(out)
  }

  private system(name: string): number {
    const systemIndex = this.tables.systems
    let s = systemIndex.get(name)
    if (s === undefined) {
      s = systemIndex.size
      systemIndex.set(name, s)
    }
    return s < 31 ? 1 << s : 0
  }

  private names(given: string, family: string): void {
    const nameTable = this.tables.names
    this.givenId.push(nameTable.given(given))
    this.familyId.push(nameTable.family(family))
    this.givenAsFamilyId.push(nameTable.family(given))
    const cut = family.search(/[\s-]/)
    this.familyAsGivenId.push(nameTable.given(cut < 0 ? family : family.slice(0, cut)))
  }

  /** The id of the canonical form of an employee number as written (-1 none). */
  private employeeOf(raw: string): number {
    if (raw === "") return -1
    const canonical = canonicalEmployee(raw)
    if (canonical === "") return -1
    const { employeeIds, employeeValues } = this.tables
    let id = employeeIds.get(canonical)
    if (id === undefined) {
      id = employeeValues.length
      employeeValues.push(canonical)
      employeeIds.set(canonical, id)
    }
    return id
  }

  /** The employee number id of record `r` of the store (read once per resolution). */
  private storedEmployee(store: Store.RecordStore, r: number): number {
    let stored = this.tables.stored
    if (stored === undefined || stored.store !== store) {
      stored = this.tables.stored = { store, employee: new Int32Array(store.size).fill(-2) }
    }
    let id = stored.employee[r]!
    if (id === -2) {
      const raw = store.employeeNumberOf(r)
      id = stored.employee[r] = raw === undefined ? -1 : this.employeeOf(raw.trim())
    }
    return id
  }

  private refsOf(keys: ReadonlyArray<string>, id: string): void {
    const refs = this.refs
    const refFrom = refs.length
    this.refStart.push(refFrom)
    if (keys.length === 0) refs.push(`\u0001id:${id}`)
    const cross = this.cross
    for (const k of keys) {
      const root = cross === undefined ? undefined : cross(k)
      const key = root === undefined ? k : `${NS_CROSS}:${root}`
      if (!includes(refs, refFrom, key)) refs.push(key)
    }
  }

  private begin(): void {
    this.emailStart.push(this.emailFirst.length)
    this.phoneStart.push(this.phoneHasExtension.length)
    this.seen.length = 0
  }

  /** Adds an e-mail address (unless the person already has it); `point` is its point in the store. */
  private addEmail(value: string, personal: boolean, point: number): void {
    if (this.seen.includes(value)) return
    this.seen.push(value)
    if (this.store === undefined) this.emails.push(value)
    else this.emailPoint.push(point)
    this.personal.push(personal ? 1 : 0)
    aliasSignature(value, signature)
    this.emailFirst.push(signature[0]!)
    this.emailLetters.push(signature[1]!)
    this.emailLettersHash.push(signature[2]!)
    this.emailTailHash.push(signature[3]!)
    this.emailDigitsHash.push(signature[4]!)
  }

  private addPhone(value: string, point: number): void {
    // phones are compared with the e-mail addresses seen: a phone never equals an e-mail address
    if (this.seen.includes(value)) return
    this.seen.push(value)
    if (this.store === undefined) this.phones.push(value)
    else this.phonePoint.push(point)
    this.phoneHasExtension.push(value.includes(";") ? 1 : 0)
  }

  private employeeNumber(raw: string): void {
    this.employeeRaw.push(raw)
    this.employee.push(this.employeeOf(raw))
  }

  /** The employee number of record `record` of the store (-1: none). */
  private storedEmployeeNumber(store: Store.RecordStore, record: number): void {
    const has = record >= 0 && store.employeeStart[record]! >= 0
    this.employeeRecord.push(has ? record : -1)
    this.employee.push(has ? this.storedEmployee(store, record) : -1)
  }

  private useStore(store: Store.RecordStore): void {
    if (this.store === undefined) {
      if (this.size > 0) throw new Error("a feature table is built from people or from one store")
      this.store = store
    } else if (this.store !== store) throw new Error("a feature table is built from one store")
  }

  /** Adds the features of a person. */
  addPerson(person: Person.Person): void {
    if (this.store !== undefined) throw new Error("a feature table is built from people or from one store")
    const p = Names.parts(person.name, this.normalize)
    this.names(p.given, p.family)
    this.departmentId.push(this.text(person.department))
    this.siteNameId.push(this.text(person.site?.name))
    this.siteIdId.push(this.text(person.site?.id))
    this.titleId.push(this.text(person.jobTitle))
    let bits = 0
    for (const prov of person.provenance) bits |= this.system(prov.system)
    this.systems.push(bits)
    this.begin()
    for (const point of person.contactPoints) {
      if (!ContactPoint.isIdentifying(point)) continue
      const value = point.normalized!
      if (point.kind === "email") this.addEmail(value, point.label === "personal", -1)
      else if (point.kind === "phone" && !Label.isShared(point.label)) this.addPhone(value, -1)
    }
    this.employeeNumber(person.employeeNumber?.trim() ?? "")
    this.refsOf(person.provenance.length === 0 ? [] : person.provenance.map((prov) => prov.key), person.id)
  }

  /** Adds the features of record `r` of `store` (equal to `addPerson(store.person(r))`). */
  addStored(store: Store.RecordStore, r: number): void {
    this.useStore(store)
    const strings = store.strings.values
    // names: given and family, else the display name
    const givenSid = store.given[r]!
    const familySid = store.family[r]!
    const displaySid = store.display[r]!
    if (this.isBlank(strings, givenSid) && this.isBlank(strings, familySid) && displaySid >= 0) {
      let parts = this.displayMemo[displaySid]
      if (parts === undefined) {
        parts = Names.parts({ display: strings[displaySid]! }, this.normalize)
        this.displayMemo[displaySid] = parts
      }
      this.names(parts.given, parts.family)
    } else {
      const nameTable = this.tables.names
      let g = -1
      if (givenSid >= 0) {
        const known = this.givenMemo[givenSid]
        if (known !== undefined) g = known
        else {
          const normalized = this.normalize(strings[givenSid]!)
          const cut = normalized.search(/[\s-]/)
          g = this.givenMemo[givenSid] = nameTable.given(cut < 0 ? normalized : normalized.slice(0, cut))
        }
      }
      let fa = -1
      if (familySid >= 0) {
        const known = this.familyMemo[familySid]
        fa = known !== undefined ? known : (this.familyMemo[familySid] = nameTable.family(this.normalize(strings[familySid]!)))
      }
      this.givenId.push(g)
      this.familyId.push(fa)
      this.givenAsFamilyId.push(g < 0 ? -1 : nameTable.family(nameTable.givens[g]!))
      if (fa < 0) this.familyAsGivenId.push(-1)
      else {
        const family = nameTable.families[fa]!
        const cut = family.search(/[\s-]/)
        this.familyAsGivenId.push(nameTable.given(cut < 0 ? family : family.slice(0, cut)))
      }
    }
    this.departmentId.push(this.storedText(strings, store.department[r]!))
    this.siteNameId.push(this.storedText(strings, store.siteName(r)))
    this.siteIdId.push(this.storedText(strings, store.siteId(r)))
    this.titleId.push(this.storedText(strings, store.jobTitle[r]!))
    const sid = store.system[r]!
    let bits = this.systemMemo[sid]
    if (bits === undefined) bits = this.systemMemo[sid] = this.system(strings[sid]!)
    this.systems.push(bits)
    this.begin()
    for (let k = store.pointStart[r]!; k < store.pointStart[r + 1]!; k++) {
      if (!store.isNormalized(k) || store.isShared(k)) continue
      const kind = store.pointKind[k]!
      if (kind === KIND_EMAIL) this.addEmail(store.normalizedOf(k)!, store.pointLabel[k] === LABEL_PERSONAL, k)
      else if (kind === KIND_PHONE && !SHARED_LABELS[store.pointLabel[k]!]) this.addPhone(store.normalizedOf(k)!, k)
    }
    this.storedEmployeeNumber(store, r)
    const key = store.keys[r]!
    this.refStart.push(this.refs.length)
    const root = this.cross === undefined ? undefined : this.cross(key)
    this.refs.push(root === undefined ? key : `${NS_CROSS}:${root}`)
  }

  /**
   * Adds the features of a merged person of a store's records (what
   * `addPerson` reads of it): the name, department, site and title of the
   * records survivorship took them from, the systems of its provenance, its
   * identifying e-mail addresses and phone numbers (the best point of each,
   * with the combined label and sharing), its employee number and provenance
   * keys.
   */
  addView(store: Store.RecordStore, p: {
    readonly name: number
    readonly department: number
    readonly site: number
    readonly jobTitle: number
    readonly employeeNumber: number
    /** Records of the provenance, sorted by key. */
    readonly provenance: ReadonlyArray<number>
    /** Identifying points: the best point, whether its combined label is `personal`. */
    readonly emails: ReadonlyArray<number>
    readonly personal: ReadonlyArray<boolean>
    readonly phones: ReadonlyArray<number>
  }): void {
    this.useStore(store)
    const s = store.strings.values
    const str = (id: number): string | undefined => (id < 0 ? undefined : s[id])
    const parts = Names.parts(
      p.name < 0 ? {} : { given: str(store.given[p.name]!), family: str(store.family[p.name]!), display: str(store.display[p.name]!) },
      this.normalize
    )
    this.names(parts.given, parts.family)
    this.departmentId.push(p.department < 0 ? -1 : this.text(s[store.department[p.department]!]!))
    this.siteNameId.push(p.site < 0 ? -1 : this.text(str(store.siteName(p.site))))
    this.siteIdId.push(p.site < 0 ? -1 : this.text(str(store.siteId(p.site))))
    this.titleId.push(p.jobTitle < 0 ? -1 : this.text(s[store.jobTitle[p.jobTitle]!]!))
    let bits = 0
    for (const r of p.provenance) bits |= this.system(s[store.system[r]!]!)
    this.systems.push(bits)
    this.begin()
    for (let k = 0; k < p.emails.length; k++) this.addEmail(store.normalizedOf(p.emails[k]!)!, p.personal[k]!, p.emails[k]!)
    for (const k of p.phones) this.addPhone(store.normalizedOf(k)!, k)
    this.storedEmployeeNumber(store, p.employeeNumber)
    this.refsOf(p.provenance.map((r) => store.keys[r]!), store.keys[p.provenance[0]!]!)
  }

  private isBlank(strings: ReadonlyArray<string>, sid: number): boolean {
    if (sid < 0) return true
    let blank = this.blankMemo[sid]
    if (blank === undefined) blank = this.blankMemo[sid] = strings[sid]!.trim() === "" ? 1 : 0
    return blank === 1
  }

  private storedText(strings: ReadonlyArray<string>, sid: number): number {
    if (sid < 0) return -1
    let id = this.textMemo[sid]
    if (id === undefined) id = this.textMemo[sid] = this.text(strings[sid]!)
    return id
  }

  /** The feature table (the builder is not used afterwards). */
  finish(): Features {
    const n = this.givenId.length
    const { names, texts } = this.tables
    names.freeze()
    texts.freeze()
    const emailCount = this.emailFirst.length
    const phoneCount = this.phoneHasExtension.length
    const starts = (column: Int32Column, end: number) => {
      column.push(end)
      return column.trim()
    }
    const store = this.store
    let email: (k: number) => string
    let phone: (k: number) => string
    let employeeRaw: (i: number) => string
    if (store === undefined) {
      const emails = this.emails
      const phones = this.phones
      const raws = this.employeeRaw
      email = (k) => emails[k]!
      phone = (k) => phones[k]!
      employeeRaw = (i) => raws[i]!
    } else {
      const emailPoint = this.emailPoint.trim()
      const phonePoint = this.phonePoint.trim()
      const employeeRecord = this.employeeRecord.trim()
      email = (k) => store.normalizedOf(emailPoint[k]!)!
      phone = (k) => store.normalizedOf(phonePoint[k]!)!
      employeeRaw = (i) => {
        const r = employeeRecord[i]!
        return r < 0 ? "" : store.employeeNumberOf(r)!.trim()
      }
    }
    return {
      n,
      names,
      texts,
      runs: emptyRuns(),
      givenId: this.givenId.trim(),
      familyId: this.familyId.trim(),
      givenAsFamilyId: this.givenAsFamilyId.trim(),
      familyAsGivenId: this.familyAsGivenId.trim(),
      departmentId: this.departmentId.trim(),
      siteNameId: this.siteNameId.trim(),
      siteIdId: this.siteIdId.trim(),
      titleId: this.titleId.trim(),
      systems: this.systems.trim(),
      emailStart: starts(this.emailStart, emailCount),
      email,
      emailPersonal: this.personal.trim(),
      emailValue: new Int32Array(emailCount).fill(-1),
      emailLocal: new Int32Array(emailCount).fill(-1),
      emailFirst: this.emailFirst.trim(),
      emailLetters: this.emailLetters.trim(),
      emailLettersHash: this.emailLettersHash.trim(),
      emailTailHash: this.emailTailHash.trim(),
      emailDigitsHash: this.emailDigitsHash.trim(),
      phoneStart: starts(this.phoneStart, phoneCount),
      phone,
      phoneBase: new Int32Array(phoneCount).fill(-1),
      phoneValue: new Int32Array(phoneCount).fill(-1),
      phoneHasExtension: this.phoneHasExtension.trim(),
      employee: this.employee.trim(),
      employees: this.tables.employeeValues,
      employeeRaw,
      employeeRun: new Int32Array(n).fill(-1),
      fullNameRun: new Int32Array(n).fill(-1),
      refStart: starts(this.refStart, this.refs.length),
      refs: this.refs
    }
  }
}

const KIND_EMAIL = Label.kinds.indexOf("email")
const KIND_PHONE = Label.kinds.indexOf("phone")
const LABEL_PERSONAL = Label.labels.indexOf("personal")
const SHARED_LABELS: ReadonlyArray<boolean> = Label.labels.map((l) => Label.isShared(l))

/**
 * Extracts the features of `people`. `cross` maps a provenance key to its
 * cross-reference group, when it has one.
 *
 * @internal
 */
export const extract = (
  people: ReadonlyArray<Person.Person>,
  cross: ((key: string) => string | undefined) | undefined,
  tables: Tables = makeTables()
): Features => {
  const builder = new FeatureBuilder(tables, cross)
  for (const person of people) builder.addPerson(person)
  return builder.finish()
}

const hashStep = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193)

const includes = (values: ReadonlyArray<string>, from: number, value: string): boolean => {
  for (let k = from; k < values.length; k++) if (values[k] === value) return true
  return false
}

/** The given and family name of person `i` as text (for reasons). @internal */
export const describeName = (f: Features, i: number): string => {
  const g = f.givenId[i]!
  const fa = f.familyId[i]!
  return [g < 0 ? "" : f.names.givens[g]!, fa < 0 ? "" : f.names.families[fa]!].filter((s) => s !== "").join(" ")
}

/** The reason string of a reference key (`reference:hr:E1`, `reference:<group root>`). @internal */
export const referenceReason = (ref: string): string =>
  ref.startsWith(NS_CROSS) ? `reference:${ref.slice(NS_CROSS.length + 1)}` : ref.startsWith("\u0001id:") ? `reference:${ref.slice(4)}` : `reference:${ref}`
