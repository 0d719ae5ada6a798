/**
 * The comparisons of a pair of records, each giving one level (the last level
 * of every comparison, `null`, means a side lacks the field: no evidence):
 *
 * | comparison | levels |
 * |---|---|
 * | name | exact, variant (nickname, initial, compound family name), swapped (given ↔ family), fuzzy (typo), partial (one part known and agreeing), family-only, given-only, different |
 * | email | exact, local-part (same mailbox name on another domain, neither personal), alias (the same name on a personal address, same letters, or same initial and ending), different: for pairs whose names do not agree |
 * | emailGivenName | the same levels, for pairs whose names agree (exact, variant, swapped or fuzzy): a mailbox name is usually built from the name, so among namesakes an alias is common and says less; this comparison has its own m and u |
 * | phone | exact, base (the same number, one side with an extension), different |
 * | employeeNumber | exact, different |
 * | department | exact, similar (abbreviation or typo), different |
 * | site | exact, different |
 * | title | exact, different |
 * | system | same (both records come from one system), other |
 *
 * Values held by more records than a block may hold (skipped keys) are not
 * compared: a company main number recorded as a work number says nothing.
 *
 * @internal
 */
import type { Features } from "./features.js"
import { phoneBase } from "./features.js"
import * as Names from "./names.js"

/** @internal */
export const NAME = 0
/** @internal */
export const EMAIL = 1
/** @internal */
export const EMAIL_NAMED = 2
/** @internal */
export const PHONE = 3
/** @internal */
export const EMPLOYEE = 4
/** @internal */
export const DEPARTMENT = 5
/** @internal */
export const SITE = 6
/** @internal */
export const TITLE = 7
/** @internal */
export const SYSTEM = 8

/** The comparisons and their levels, best first; a comparison's null level is `levels.length`. @internal */
export const comparisons: ReadonlyArray<{ readonly name: string; readonly levels: ReadonlyArray<string> }> = [
  { name: "name", levels: ["exact", "variant", "swapped", "fuzzy", "partial", "family-only", "given-only", "different"] },
  { name: "email", levels: ["exact", "local-part", "alias", "different"] },
  { name: "emailGivenName", levels: ["exact", "local-part", "alias", "different"] },
  { name: "phone", levels: ["exact", "base", "different"] },
  { name: "employeeNumber", levels: ["exact", "different"] },
  { name: "department", levels: ["exact", "similar", "different"] },
  { name: "site", levels: ["exact", "different"] },
  { name: "title", levels: ["exact", "different"] },
  { name: "system", levels: ["same", "other"] }
]

/** @internal */
export const COUNT = comparisons.length

/** Level indices. @internal */
export const N_EXACT = 0
/** @internal */
export const N_VARIANT = 1
/** @internal */
export const N_SWAPPED = 2
/** @internal */
export const N_FUZZY = 3
/** @internal */
export const N_PARTIAL = 4
/** @internal */
export const N_FAMILY_ONLY = 5
/** @internal */
export const N_GIVEN_ONLY = 6
/** @internal */
export const N_DIFFERENT = 7
/** @internal */
export const E_EXACT = 0
/** @internal */
export const E_LOCAL = 1
/** @internal */
export const E_ALIAS = 2
/** @internal */
export const E_DIFFERENT = 3
/** @internal */
export const P_EXACT = 0
/** @internal */
export const P_BASE = 1
/** @internal */
export const P_DIFFERENT = 2
/** @internal */
export const K_EXACT = 0
/** @internal */
export const S_SAME = 0

/** The e-mail level of a compared pair, whichever of the two e-mail comparisons holds it. @internal */
export const emailLevel = (cmp: Comparison): number => Math.min(cmp.levels[EMAIL]!, cmp.levels[EMAIL_NAMED]!)

/** The null level of comparison `c`. @internal */
export const nullLevel = (c: number): number => comparisons[c]!.levels.length

/** Radix of each comparison in a pattern code (levels + null). @internal */
export const radix: ReadonlyArray<number> = comparisons.map((c) => c.levels.length + 1)

/** Encodes levels as one number. @internal */
export const encode = (levels: ArrayLike<number>): number => {
  let code = 0
  for (let c = COUNT - 1; c >= 0; c--) code = code * radix[c]! + levels[c]!
  return code
}

/** Decodes a pattern code into `out`. @internal */
export const decode = (code: number, out: Uint8Array): void => {
  for (let c = 0; c < COUNT; c++) {
    const r = radix[c]!
    out[c] = code % r
    code = Math.floor(code / r)
  }
}

/**
 * The outcome of comparing two records: a level per comparison and, for levels
 * adjusted by term frequency, the number of records holding the agreeing value.
 *
 * @internal
 */
export interface Comparison {
  readonly levels: Uint8Array
  /** Holders of the agreeing value (0: no adjustment). */
  readonly holders: Int32Array
}

/** @internal */
export const makeComparison = (): Comparison => ({ levels: new Uint8Array(COUNT), holders: new Int32Array(COUNT) })

// -----------------------------------------------------------------------------
// names
// -----------------------------------------------------------------------------

/** The name level of records `i` and `j`. @internal */
export const nameLevel = (f: Features, i: number, j: number): number => {
  const t = f.names
  const ga = f.givenId[i]!
  const fa = f.familyId[i]!
  const gb = f.givenId[j]!
  const fb = f.familyId[j]!
  if ((ga < 0 && fa < 0) || (gb < 0 && fb < 0)) return N_DIFFERENT + 1
  const given = ga < 0 || gb < 0 ? -1 : t.givenLevel(ga, gb)
  const family = fa < 0 || fb < 0 ? -1 : t.familyLevel(fa, fb)
  if (given < 0 && family < 0) return N_DIFFERENT + 1
  if (given < 0 || family < 0) {
    const known = given < 0 ? family : given
    return known <= Names.Given.Similar ? N_PARTIAL : N_DIFFERENT
  }
  if (given === Names.Given.Same && family === Names.Family.Same) return N_EXACT
  if (given <= Names.Given.Variant && family <= Names.Family.Variant) return N_VARIANT
  if (given <= Names.Given.Similar && family <= Names.Family.Similar) return N_FUZZY
  const swappedGiven = t.givenLevel(ga, f.familyAsGivenId[j]!)
  const swappedFamily = t.familyLevel(fa, f.givenAsFamilyId[j]!)
  if (
    swappedGiven <= Names.Given.Similar && swappedFamily <= Names.Family.Similar &&
    (swappedGiven === Names.Given.Same || swappedFamily === Names.Family.Same)
  ) return N_SWAPPED
  if (family <= Names.Family.Similar) return N_FAMILY_ONLY
  if (given <= Names.Given.Variant) return N_GIVEN_ONLY
  return N_DIFFERENT
}

// -----------------------------------------------------------------------------
// e-mail
// -----------------------------------------------------------------------------

/**
 * Two mailbox names (entries `a` and `b`) that are likely the same person's:
 * the same letters (`john.smith` / `johnsmith`), or the same initial and the
 * same last four letters (`jsmith` / `john.smith`); never two with different
 * digits (numbered namesakes: `john.smith` / `john.smith2`).
 *
 * @internal
 */
export const aliasLocal = (f: Features, a: number, b: number): boolean => {
  if (f.emailDigitsHash[a] !== f.emailDigitsHash[b]) return false
  const first = f.emailFirst[a]!
  if (first < 0 || first !== f.emailFirst[b]) return false
  const la = f.emailLetters[a]!
  const lb = f.emailLetters[b]!
  if (la === lb) return la >= 3 && f.emailLettersHash[a] === f.emailLettersHash[b]
  return la >= 5 && lb >= 5 && f.emailTailHash[a] === f.emailTailHash[b]
}

// -----------------------------------------------------------------------------
// the comparison of two records
// -----------------------------------------------------------------------------

/** Compares records `i` and `j` of `f` into `out`. Symmetric. @internal */
export const compare = (f: Features, i: number, j: number, out: Comparison): void => {
  const { levels, holders } = out
  holders.fill(0)

  // name
  const name = nameLevel(f, i, j)
  levels[NAME] = name
  if (name === N_EXACT || name === N_VARIANT) holders[NAME] = Math.max(f.nameHolders[i]!, f.nameHolders[j]!)

  // e-mail
  let email = E_DIFFERENT + 1
  let emailHolders = 0
  const emailEnd = f.emailStart[j + 1]!
  for (let a = f.emailStart[i]!; a < f.emailStart[i + 1]! && email !== E_EXACT; a++) {
    if (f.emailHolders[a]! < 0) continue
    const va = f.emailValue[a]!
    const la = f.emailLocal[a]!
    for (let b = f.emailStart[j]!; b < emailEnd; b++) {
      if (f.emailHolders[b]! < 0) continue
      if (va === f.emailValue[b]) {
        email = E_EXACT
        emailHolders = f.emailHolders[a]!
        break
      }
      if (la >= 0 && la === f.emailLocal[b] && f.emailPersonal[a] === 0 && f.emailPersonal[b] === 0) email = Math.min(email, E_LOCAL)
      else if (email > E_ALIAS && aliasLocal(f, a, b)) email = E_ALIAS
      else if (email > E_DIFFERENT) email = E_DIFFERENT
    }
  }
  // with agreeing names, the e-mail comparison has its own parameters
  const slot = name <= N_FUZZY ? EMAIL_NAMED : EMAIL
  levels[EMAIL] = E_DIFFERENT + 1
  levels[EMAIL_NAMED] = E_DIFFERENT + 1
  levels[slot] = email
  if (email === E_EXACT) holders[slot] = emailHolders

  // phone
  let phone = P_DIFFERENT + 1
  let phoneHolders = 0
  const phoneEnd = f.phoneStart[j + 1]!
  for (let a = f.phoneStart[i]!; a < f.phoneStart[i + 1]! && phone !== P_EXACT; a++) {
    if (f.phoneBaseHolders[a]! < 0) continue
    const va = f.phoneValue[a]!
    const ba = f.phoneBase[a]!
    for (let b = f.phoneStart[j]!; b < phoneEnd; b++) {
      if (f.phoneBaseHolders[b]! < 0) continue
      if (va === f.phoneValue[b]) {
        phone = P_EXACT
        phoneHolders = f.phoneHolders[a]!
        break
      }
      // the same number, one side with an extension (both with different extensions are different lines)
      if (ba === f.phoneBase[b] && (f.phoneHasExtension[a] === 0 || f.phoneHasExtension[b] === 0)) {
        if (phone > P_BASE) {
          phone = P_BASE
          phoneHolders = f.phoneBaseHolders[a]!
        }
      } else if (phone > P_DIFFERENT) phone = P_DIFFERENT
    }
  }
  levels[PHONE] = phone
  if (phone === P_EXACT || phone === P_BASE) holders[PHONE] = phoneHolders

  // employee number
  const ka = f.employee[i]!
  const kb = f.employee[j]!
  if (ka === "" || kb === "" || f.employeeHolders[i]! < 0 || f.employeeHolders[j]! < 0) levels[EMPLOYEE] = 2
  else if (ka === kb) {
    levels[EMPLOYEE] = K_EXACT
    holders[EMPLOYEE] = f.employeeHolders[i]!
  } else levels[EMPLOYEE] = 1

  // department
  const da = f.departmentId[i]!
  const db = f.departmentId[j]!
  levels[DEPARTMENT] = da < 0 || db < 0 ? 3 : da === db ? 0 : f.texts.similar(da, db) ? 1 : 2

  // site
  const sna = f.siteNameId[i]!
  const sia = f.siteIdId[i]!
  const snb = f.siteNameId[j]!
  const sib = f.siteIdId[j]!
  if ((sna < 0 && sia < 0) || (snb < 0 && sib < 0)) levels[SITE] = 2
  else levels[SITE] = (sna >= 0 && (sna === snb || sna === sib)) || (sia >= 0 && (sia === sib || sia === snb)) ? 0 : 1

  // title
  const ta = f.titleId[i]!
  const tb = f.titleId[j]!
  levels[TITLE] = ta < 0 || tb < 0 ? 2 : ta === tb ? 0 : 1

  // system
  levels[SYSTEM] = (f.systems[i]! & f.systems[j]!) !== 0 ? S_SAME : 1
}

const localOf = (email: string): string => email.slice(0, email.lastIndexOf("@"))

/**
 * The identifying values two records share (skipped ones are not compared), as reasons: `email:…`, `local:…`, `phone:…`,
 * `employeeNumber:…`, sorted.
 *
 * @internal
 */
export const sharedValues = (f: Features, i: number, j: number): Array<string> => {
  const out = new Set<string>()
  for (let a = f.emailStart[i]!; a < f.emailStart[i + 1]!; a++) {
    if (f.emailHolders[a]! < 0) continue
    for (let b = f.emailStart[j]!; b < f.emailStart[j + 1]!; b++) {
      if (f.emailHolders[b]! < 0) continue
      const ea = f.emails[a]!
      const eb = f.emails[b]!
      if (ea === eb) out.add(`email:${ea}`)
      else if (localOf(ea) === localOf(eb) && localOf(ea).length >= 3) out.add(`local:${localOf(ea)}`)
    }
  }
  for (let a = f.phoneStart[i]!; a < f.phoneStart[i + 1]!; a++) {
    if (f.phoneBaseHolders[a]! < 0) continue
    for (let b = f.phoneStart[j]!; b < f.phoneStart[j + 1]!; b++) {
      if (f.phoneBaseHolders[b]! < 0) continue
      if (f.phones[a] === f.phones[b]) out.add(`phone:${f.phones[a]!}`)
      else if (phoneBase(f.phones[a]!) === phoneBase(f.phones[b]!)) out.add(`phone:${phoneBase(f.phones[a]!)}`)
    }
  }
  if (f.employee[i] !== "" && f.employee[i] === f.employee[j] && f.employeeHolders[i]! >= 0) out.add(`employeeNumber:${f.employeeRaw[i]!}`)
  return Array.from(out).sort()
}

/**
 * Whether two records cannot be the same person: different employee numbers,
 * or names that disagree (both parts, or the given name under one family name)
 * without an e-mail address or employee number in common.
 *
 * @internal
 */
export const cannotLink = (f: Features, i: number, j: number, scratch: Comparison): string | undefined => {
  // two employee numbers are two people, however common either number is
  if (f.employee[i] !== "" && f.employee[j] !== "" && f.employee[i] !== f.employee[j]) return `employee numbers differ (${f.employeeRaw[i]!} / ${f.employeeRaw[j]!})`
  compare(f, i, j, scratch)
  const { levels } = scratch
  const identified = emailLevel(scratch) === E_EXACT || levels[EMPLOYEE] === K_EXACT
  if (!identified && (levels[NAME] === N_DIFFERENT || levels[NAME] === N_FAMILY_ONLY)) {
    return `names disagree (${describeName(f, i)} / ${describeName(f, j)})`
  }
  return undefined
}

const describeName = (f: Features, i: number): string => [f.given[i], f.family[i]].filter((s) => s !== "").join(" ")
