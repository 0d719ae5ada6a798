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
  const n = people.length
  const { names: nameTable, texts, normalized, compacted, systems: systemIndex } = tables
  const normalize = (raw: string | undefined): string => {
    if (raw === undefined) return ""
    let out = normalized.get(raw)
    if (out === undefined) {
      out = Names.normalizeName(raw)
      normalized.set(raw, out)
    }
    return out
  }
  const text = (raw: string | undefined): number => {
    if (raw === undefined) return -1
    let out = compacted.get(raw)
    if (out === undefined) {
      out = raw.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")
      compacted.set(raw, out)
    }
    return texts.id(out)
  }
  const givenId = new Int32Array(n)
  const familyId = new Int32Array(n)
  const givenAsFamilyId = new Int32Array(n)
  const familyAsGivenId = new Int32Array(n)
  const departmentId = new Int32Array(n)
  const siteNameId = new Int32Array(n)
  const siteIdId = new Int32Array(n)
  const titleId = new Int32Array(n)
  const systems = new Int32Array(n)
  const emailStart = new Int32Array(n + 1)
  const phoneStart = new Int32Array(n + 1)
  const refStart = new Int32Array(n + 1)
  const emails: Array<string> = []
  const personal: Array<number> = []
  const phones: Array<string> = []
  const refs: Array<string> = []
  const employee: Array<string> = new Array(n)
  const employeeRaw: Array<string> = new Array(n)
  for (let i = 0; i < n; i++) {
    const person = people[i]!
    const p = Names.parts(person.name, normalize)
    givenId[i] = nameTable.given(p.given)
    familyId[i] = nameTable.family(p.family)
    givenAsFamilyId[i] = nameTable.family(p.given)
    const cut = p.family.search(/[\s-]/)
    familyAsGivenId[i] = nameTable.given(cut < 0 ? p.family : p.family.slice(0, cut))
    departmentId[i] = text(person.department)
    siteNameId[i] = text(person.site?.name)
    siteIdId[i] = text(person.site?.id)
    titleId[i] = text(person.jobTitle)
    let bits = 0
    for (const prov of person.provenance) {
      let s = systemIndex.get(prov.system)
      if (s === undefined) {
        s = systemIndex.size
        systemIndex.set(prov.system, s)
      }
      if (s < 31) bits |= 1 << s
    }
    systems[i] = bits
    emailStart[i] = emails.length
    phoneStart[i] = phones.length
    const emailFrom = emails.length
    const phoneFrom = phones.length
    for (const point of person.contactPoints) {
      if (!ContactPoint.isIdentifying(point)) continue
      const value = point.normalized!
      if (point.kind === "email") {
        if (!includes(emails, emailFrom, value)) {
          emails.push(value)
          personal.push(point.label === "personal" ? 1 : 0)
        }
      } else if (point.kind === "phone" && !Label.isShared(point.label)) {
        if (!includes(phones, phoneFrom, value)) phones.push(value)
      }
    }
    const raw = person.employeeNumber?.trim() ?? ""
    employeeRaw[i] = raw
    employee[i] = canonicalEmployee(raw)
    refStart[i] = refs.length
    const refFrom = refs.length
    if (person.provenance.length === 0) refs.push(`\u0001id:${person.id}`)
    for (const prov of person.provenance) {
      const root = cross === undefined ? undefined : cross(prov.key)
      const key = root === undefined ? prov.key : `${NS_CROSS}:${root}`
      if (!includes(refs, refFrom, key)) refs.push(key)
    }
  }
  nameTable.freeze()
  texts.freeze()
  emailStart[n] = emails.length
  phoneStart[n] = phones.length
  refStart[n] = refs.length
  return {
    n,
    names: nameTable,
    texts,
    runs: emptyRuns(),
    givenId,
    familyId,
    givenAsFamilyId,
    familyAsGivenId,
    departmentId,
    siteNameId,
    siteIdId,
    titleId,
    systems,
    emailStart,
    emails,
    emailPersonal: Uint8Array.from(personal),
    emailValue: new Int32Array(emails.length).fill(-1),
    emailLocal: new Int32Array(emails.length).fill(-1),
    ...aliasSignatures(emails),
    phoneStart,
    phones,
    phoneBase: new Int32Array(phones.length).fill(-1),
    phoneValue: new Int32Array(phones.length).fill(-1),
    phoneHasExtension: Uint8Array.from(phones, (p) => (p.includes(";") ? 1 : 0)),
    employee,
    employeeRaw,
    employeeRun: new Int32Array(n).fill(-1),
    fullNameRun: new Int32Array(n).fill(-1),
    refStart,
    refs
  }
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
