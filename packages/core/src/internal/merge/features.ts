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
}

/** @internal */
export const makeTables = (): Tables => ({
  names: new Names.NameTable(),
  texts: new Names.TextTable(),
  normalized: new Map(),
  compacted: new Map(),
  systems: new Map()
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
  /** Identifying e-mail addresses: `emails[emailStart[i] .. emailStart[i + 1])`. */
  readonly emailStart: Int32Array
  readonly emails: Array<string>
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
  /** Identifying phone numbers (E.164, with `;ext=`). */
  readonly phoneStart: Int32Array
  readonly phones: Array<string>
  /** Run of each number without its extension, and id of the exact number; set by blocking. */
  readonly phoneBase: Int32Array
  readonly phoneValue: Int32Array
  /** 1 for a number with an extension. */
  readonly phoneHasExtension: Uint8Array
  /** Canonical employee number ("" none), as written (for reasons), and its run (-1 none). */
  readonly employee: Array<string>
  readonly employeeRaw: Array<string>
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

/**
 * Builds a feature table one person at a time: from a `Person`
 * ({@link FeatureBuilder.addPerson}) or from a record of a
 * {@link Store.RecordStore} ({@link FeatureBuilder.addStored}); both give the
 * same features for the same record.
 *
 * @internal
 */
export class FeatureBuilder {
  private readonly givenId: Array<number> = []
  private readonly familyId: Array<number> = []
  private readonly givenAsFamilyId: Array<number> = []
  private readonly familyAsGivenId: Array<number> = []
  private readonly departmentId: Array<number> = []
  private readonly siteNameId: Array<number> = []
  private readonly siteIdId: Array<number> = []
  private readonly titleId: Array<number> = []
  private readonly systems: Array<number> = []
  private readonly emailStart: Array<number> = []
  private readonly phoneStart: Array<number> = []
  private readonly refStart: Array<number> = []
  private readonly emails: Array<string> = []
  private readonly personal: Array<number> = []
  private readonly phones: Array<string> = []
  private readonly refs: Array<string> = []
  private readonly employee: Array<string> = []
  private readonly employeeRaw: Array<string> = []
  // memos by interned id of a record store's strings
  private readonly givenMemo: Array<number> = []
  private readonly familyMemo: Array<number> = []
  private readonly textMemo: Array<number> = []
  private readonly systemMemo: Array<number> = []
  private readonly displayMemo: Array<Names.NameParts | undefined> = []
  private readonly blankMemo: Array<number> = []
  private readonly employeeMemo = new Map<string, string>()

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

  private employeeOf(raw: string): string {
    if (raw === "") return ""
    let out = this.employeeMemo.get(raw)
    if (out === undefined) {
      out = canonicalEmployee(raw)
      if (this.employeeMemo.size < 1 << 20) this.employeeMemo.set(raw, out)
    }
    return out
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

  /** Adds the features of a person. */
  addPerson(person: Person.Person): void {
    const p = Names.parts(person.name, this.normalize)
    this.names(p.given, p.family)
    this.departmentId.push(this.text(person.department))
    this.siteNameId.push(this.text(person.site?.name))
    this.siteIdId.push(this.text(person.site?.id))
    this.titleId.push(this.text(person.jobTitle))
    let bits = 0
    for (const prov of person.provenance) bits |= this.system(prov.system)
    this.systems.push(bits)
    const emails = this.emails
    const phones = this.phones
    this.emailStart.push(emails.length)
    this.phoneStart.push(phones.length)
    const emailFrom = emails.length
    const phoneFrom = phones.length
    for (const point of person.contactPoints) {
      if (!ContactPoint.isIdentifying(point)) continue
      const value = point.normalized!
      if (point.kind === "email") {
        if (!includes(emails, emailFrom, value)) {
          emails.push(value)
          this.personal.push(point.label === "personal" ? 1 : 0)
        }
      } else if (point.kind === "phone" && !Label.isShared(point.label)) {
        if (!includes(phones, phoneFrom, value)) phones.push(value)
      }
    }
    const raw = person.employeeNumber?.trim() ?? ""
    this.employeeRaw.push(raw)
    this.employee.push(this.employeeOf(raw))
    this.refsOf(person.provenance.length === 0 ? [] : person.provenance.map((prov) => prov.key), person.id)
  }

  /**
   * Adds the features of a person given by its fields (what `addPerson`
   * reads): the name parts, department, site, title, provenance systems,
   * identifying e-mail addresses (with their `personal` flags) and phone
   * numbers, employee number and provenance keys.
   */
  addFields(p: {
    readonly given: string | undefined
    readonly family: string | undefined
    readonly display: string | undefined
    readonly department: string | undefined
    readonly siteName: string | undefined
    readonly siteId: string | undefined
    readonly jobTitle: string | undefined
    readonly systems: ReadonlyArray<string>
    readonly emails: ReadonlyArray<string>
    readonly personal: ReadonlyArray<number>
    readonly phones: ReadonlyArray<string>
    readonly employeeNumber: string | undefined
    readonly keys: ReadonlyArray<string>
    readonly id: string
  }): void {
    const parts = Names.parts({ given: p.given, family: p.family, display: p.display }, this.normalize)
    this.names(parts.given, parts.family)
    this.departmentId.push(this.text(p.department))
    this.siteNameId.push(this.text(p.siteName))
    this.siteIdId.push(this.text(p.siteId))
    this.titleId.push(this.text(p.jobTitle))
    let bits = 0
    for (const system of p.systems) bits |= this.system(system)
    this.systems.push(bits)
    this.emailStart.push(this.emails.length)
    this.phoneStart.push(this.phones.length)
    for (let k = 0; k < p.emails.length; k++) {
      this.emails.push(p.emails[k]!)
      this.personal.push(p.personal[k]!)
    }
    for (const phone of p.phones) this.phones.push(phone)
    const raw = p.employeeNumber?.trim() ?? ""
    this.employeeRaw.push(raw)
    this.employee.push(this.employeeOf(raw))
    this.refsOf(p.keys, p.id)
  }

  /** Adds the features of record `r` of `store` (equal to `addPerson(store.person(r))`). */
  addStored(store: Store.RecordStore, r: number): void {
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
    const emails = this.emails
    const phones = this.phones
    this.emailStart.push(emails.length)
    this.phoneStart.push(phones.length)
    const emailFrom = emails.length
    const phoneFrom = phones.length
    for (let k = store.pointStart[r]!; k < store.pointStart[r + 1]!; k++) {
      if (!store.isNormalized(k) || store.isShared(k)) continue
      const kind = store.pointKind[k]!
      if (kind === KIND_EMAIL) {
        const value = store.normalizedOf(k)!
        if (!includes(emails, emailFrom, value)) {
          emails.push(value)
          this.personal.push(store.pointLabel[k] === LABEL_PERSONAL ? 1 : 0)
        }
      } else if (kind === KIND_PHONE && !SHARED_LABELS[store.pointLabel[k]!]) {
        const value = store.normalizedOf(k)!
        if (!includes(phones, phoneFrom, value)) phones.push(value)
      }
    }
    const employee = store.employeeNumber[r]
    const raw = employee === undefined ? "" : employee.trim()
    this.employeeRaw.push(raw)
    this.employee.push(this.employeeOf(raw))
    const key = store.keys[r]!
    this.refStart.push(this.refs.length)
    const root = this.cross === undefined ? undefined : this.cross(key)
    this.refs.push(root === undefined ? key : `${NS_CROSS}:${root}`)
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
    const emails = this.emails
    const phones = this.phones
    const starts = (values: Array<number>, end: number) => {
      const out = new Int32Array(n + 1)
      out.set(values)
      out[n] = end
      return out
    }
    return {
      n,
      names,
      texts,
      runs: emptyRuns(),
      givenId: Int32Array.from(this.givenId),
      familyId: Int32Array.from(this.familyId),
      givenAsFamilyId: Int32Array.from(this.givenAsFamilyId),
      familyAsGivenId: Int32Array.from(this.familyAsGivenId),
      departmentId: Int32Array.from(this.departmentId),
      siteNameId: Int32Array.from(this.siteNameId),
      siteIdId: Int32Array.from(this.siteIdId),
      titleId: Int32Array.from(this.titleId),
      systems: Int32Array.from(this.systems),
      emailStart: starts(this.emailStart, emails.length),
      emails,
      emailPersonal: Uint8Array.from(this.personal),
      emailValue: new Int32Array(emails.length).fill(-1),
      emailLocal: new Int32Array(emails.length).fill(-1),
      ...aliasSignatures(emails),
      phoneStart: starts(this.phoneStart, phones.length),
      phones,
      phoneBase: new Int32Array(phones.length).fill(-1),
      phoneValue: new Int32Array(phones.length).fill(-1),
      phoneHasExtension: Uint8Array.from(phones, (p) => (p.includes(";") ? 1 : 0)),
      employee: this.employee,
      employeeRaw: this.employeeRaw,
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

/** The alias signatures of e-mail local parts (see {@link Features.emailFirst}). */
const aliasSignatures = (emails: ReadonlyArray<string>) => {
  const n = emails.length
  const emailFirst = new Int32Array(n)
  const emailLetters = new Int32Array(n)
  const emailLettersHash = new Int32Array(n)
  const emailTailHash = new Int32Array(n)
  const emailDigitsHash = new Int32Array(n)
  for (let k = 0; k < n; k++) {
    const email = emails[k]!
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
    emailFirst[k] = first
    emailLetters[k] = letters
    emailLettersHash[k] = lettersHash
    emailTailHash[k] = tail
    emailDigitsHash[k] = digitsHash
  }
  return { emailFirst, emailLetters, emailLettersHash, emailTailHash, emailDigitsHash }
}

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
