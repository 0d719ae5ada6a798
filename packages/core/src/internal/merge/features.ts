/**
 * The comparable features of every record, in flat arrays (one slot per record,
 * or one run of slots per record for lists): normalized name parts, department,
 * site, source system, identifying e-mail addresses and phone numbers,
 * employee number and record references. Strings are shared with the people
 * or interned, so large inputs allocate little per record.
 *
 * @internal
 */
import * as ContactPoint from "../../ContactPoint.js"
import * as Label from "../../Label.js"
import type * as Person from "../../Person.js"
import * as Names from "./names.js"

/** @internal */
export interface Features {
  readonly n: number
  readonly names: Names.NameTable
  /** Interned name ids (-1 unknown): given, family, and for swapped names the given name as a family name and the family's first token as a given name. */
  readonly givenId: Int32Array
  readonly familyId: Int32Array
  readonly givenAsFamilyId: Int32Array
  readonly familyAsGivenId: Int32Array
  readonly texts: Names.TextTable
  /** Interned ids (-1 unknown) of department, site name, site id and title. */
  readonly departmentId: Int32Array
  readonly siteNameId: Int32Array
  readonly siteIdId: Int32Array
  readonly titleId: Int32Array
  /** Id of each distinct address, and of its local part when it has three characters or more (-1 otherwise); set by blocking. */
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
  /** Id of each distinct number, and of the number without its extension; set by blocking. */
  readonly phoneValue: Int32Array
  readonly phoneBase: Int32Array
  /** 1 for a number with an extension. */
  readonly phoneHasExtension: Uint8Array
  /** First given token, normalized ("" unknown). */
  readonly given: Array<string>
  /** Family name, normalized ("" unknown). */
  readonly family: Array<string>
  /** Department, lower-case letters and digits only ("" unknown). */
  readonly department: Array<string>
  /** Site name and id, lower-case letters and digits only ("" unknown). */
  readonly siteName: Array<string>
  readonly siteId: Array<string>
  /** Job title, lower-case letters and digits only ("" unknown). */
  readonly title: Array<string>
  /** The systems of the record's provenance, as a bit set over {@link systems}. */
  readonly systems: Int32Array
  readonly systemNames: Array<string>
  /** Identifying e-mail addresses: `emails[emailStart[i] .. emailStart[i + 1])`. */
  readonly emailStart: Int32Array
  readonly emails: Array<string>
  /** 1 for an address labelled `personal`. */
  readonly emailPersonal: Uint8Array
  /** Records holding the address (set by blocking; 0 before). */
  readonly emailHolders: Int32Array
  /** Identifying phone numbers (E.164, with `;ext=`). */
  readonly phoneStart: Int32Array
  readonly phones: Array<string>
  readonly phoneHolders: Int32Array
  /** Records holding the number without its extension. */
  readonly phoneBaseHolders: Int32Array
  /** Canonical employee number ("" none). */
  readonly employee: Array<string>
  /** The employee number as written (for reasons). */
  readonly employeeRaw: Array<string>
  readonly employeeHolders: Int32Array
  /** Record references: provenance keys, or their cross-reference group. */
  readonly refStart: Int32Array
  readonly refs: Array<string>
  /** Records holding the record's full-name key (family + formal given name); 0 unknown. */
  readonly nameHolders: Int32Array
}

const compactLower = (s: string | undefined): string => (s === undefined ? "" : s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ""))

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
export const extract = (people: ReadonlyArray<Person.Person>, cross: ((key: string) => string | undefined) | undefined): Features => {
  const n = people.length
  const names = new Map<string, string>()
  const normalize = (raw: string | undefined): string => {
    if (raw === undefined) return ""
    let out = names.get(raw)
    if (out === undefined) {
      out = Names.normalizeName(raw)
      names.set(raw, out)
    }
    return out
  }
  const text = new Map<string, string>()
  const intern = (raw: string | undefined): string => {
    if (raw === undefined) return ""
    let out = text.get(raw)
    if (out === undefined) {
      out = compactLower(raw)
      text.set(raw, out)
    }
    return out
  }
  const systemIndex = new Map<string, number>()
  const systemNames: Array<string> = []
  const given: Array<string> = new Array(n)
  const family: Array<string> = new Array(n)
  const department: Array<string> = new Array(n)
  const siteName: Array<string> = new Array(n)
  const siteId: Array<string> = new Array(n)
  const title: Array<string> = new Array(n)
  const personal: Array<number> = []
  const nameTable = new Names.NameTable()
  const texts = new Names.TextTable()
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
  const phones: Array<string> = []
  const refs: Array<string> = []
  const employee: Array<string> = new Array(n)
  const employeeRaw: Array<string> = new Array(n)
  for (let i = 0; i < n; i++) {
    const person = people[i]!
    const p = Names.parts(person.name, normalize)
    given[i] = p.given
    family[i] = p.family
    department[i] = intern(person.department)
    siteName[i] = intern(person.site?.name)
    siteId[i] = intern(person.site?.id)
    title[i] = intern(person.jobTitle)
    givenId[i] = nameTable.given(p.given)
    familyId[i] = nameTable.family(p.family)
    givenAsFamilyId[i] = nameTable.family(p.given)
    const cut = p.family.search(/[\s-]/)
    familyAsGivenId[i] = nameTable.given(cut < 0 ? p.family : p.family.slice(0, cut))
    departmentId[i] = texts.id(department[i]!)
    siteNameId[i] = texts.id(siteName[i]!)
    siteIdId[i] = texts.id(siteId[i]!)
    titleId[i] = texts.id(title[i]!)
    let bits = 0
    for (const prov of person.provenance) {
      let s = systemIndex.get(prov.system)
      if (s === undefined) {
        s = systemNames.length
        systemIndex.set(prov.system, s)
        systemNames.push(prov.system)
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
    givenId,
    familyId,
    givenAsFamilyId,
    familyAsGivenId,
    texts,
    departmentId,
    siteNameId,
    siteIdId,
    titleId,
    emailValue: new Int32Array(emails.length),
    emailLocal: new Int32Array(emails.length),
    ...aliasSignatures(emails),
    phoneValue: new Int32Array(phones.length),
    phoneBase: new Int32Array(phones.length),
    phoneHasExtension: Uint8Array.from(phones, (p) => (p.includes(";") ? 1 : 0)),
    given,
    family,
    department,
    siteName,
    siteId,
    title,
    systems,
    systemNames,
    emailStart,
    emails,
    emailPersonal: Uint8Array.from(personal),
    emailHolders: new Int32Array(emails.length),
    phoneStart,
    phones,
    phoneHolders: new Int32Array(phones.length),
    phoneBaseHolders: new Int32Array(phones.length),
    employee,
    employeeRaw,
    employeeHolders: new Int32Array(n),
    refStart,
    refs,
    nameHolders: new Int32Array(n)
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

/** The reason string of a reference key (`reference:hr:E1`, `reference:<group root>`). @internal */
export const referenceReason = (ref: string): string =>
  ref.startsWith(NS_CROSS) ? `reference:${ref.slice(NS_CROSS.length + 1)}` : ref.startsWith("\u0001id:") ? `reference:${ref.slice(4)}` : `reference:${ref}`
