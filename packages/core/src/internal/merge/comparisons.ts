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
import { describeName, type Features, phoneBase } from "./features.js"
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

/** The name level of person `i` of `fa` and person `j` of `fb` (tables sharing their name table). @internal */
export const nameLevel = (fa: Features, i: number, fb: Features, j: number): number => {
  const t = fa.names
  const ga = fa.givenId[i]!
  const na = fa.familyId[i]!
  const gb = fb.givenId[j]!
  const nb = fb.familyId[j]!
  if ((ga < 0 && na < 0) || (gb < 0 && nb < 0)) return N_DIFFERENT + 1
  const given = ga < 0 || gb < 0 ? -1 : t.givenLevel(ga, gb)
  const family = na < 0 || nb < 0 ? -1 : t.familyLevel(na, nb)
  if (given < 0 && family < 0) return N_DIFFERENT + 1
  if (given < 0 || family < 0) {
    const known = given < 0 ? family : given
    return known <= Names.Given.Similar ? N_PARTIAL : N_DIFFERENT
  }
  if (given === Names.Given.Same && family === Names.Family.Same) return N_EXACT
  if (given <= Names.Given.Variant && family <= Names.Family.Variant) return N_VARIANT
  if (given <= Names.Given.Similar && family <= Names.Family.Similar) return N_FUZZY
  const swappedGiven = t.givenLevel(ga, fb.familyAsGivenId[j]!)
  const swappedFamily = t.familyLevel(na, fb.givenAsFamilyId[j]!)
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
export const aliasLocal = (fa: Features, a: number, fb: Features, b: number): boolean => {
  if (fa.emailDigitsHash[a] !== fb.emailDigitsHash[b]) return false
  const first = fa.emailFirst[a]!
  if (first < 0 || first !== fb.emailFirst[b]) return false
  const la = fa.emailLetters[a]!
  const lb = fb.emailLetters[b]!
  if (la === lb) return la >= 3 && fa.emailLettersHash[a] === fb.emailLettersHash[b]
  return la >= 5 && lb >= 5 && fa.emailTailHash[a] === fb.emailTailHash[b]
}

// -----------------------------------------------------------------------------
// the comparison of two records
// -----------------------------------------------------------------------------

/** Holders of an e-mail address (negative: not identifying); an address without a run is held by one person. @internal */
export const emailHolders = (f: Features, k: number): number => {
  const run = f.emailValue[k]!
  return run < 0 ? 1 : f.runs.email[run]!
}

/** Holders of a phone number without its extension (negative: not identifying). @internal */
export const phoneHolders = (f: Features, k: number): number => {
  const run = f.phoneBase[k]!
  return run < 0 ? 1 : f.runs.phone[run]!
}

const exactHolders = (f: Features, k: number): number => {
  const id = f.phoneValue[k]!
  return id < 0 ? 1 : f.runs.exact[id]!
}

/** Holders of an employee number (negative: not identifying). @internal */
export const employeeHolders = (f: Features, i: number): number => {
  const run = f.employeeRun[i]!
  return run < 0 ? 1 : f.runs.employee[run]!
}

const nameHolders = (f: Features, i: number): number => {
  const run = f.fullNameRun[i]!
  return run < 0 ? 0 : f.runs.fullName[run]!
}

/** Compares person `i` of `fa` with person `j` of `fb` into `out`. Symmetric. @internal */
export const compare = (fa: Features, i: number, fb: Features, j: number, out: Comparison): void => {
  const { levels, holders } = out
  holders.fill(0)

  // name
  const name = nameLevel(fa, i, fb, j)
  levels[NAME] = name
  if (name === N_EXACT || name === N_VARIANT) holders[NAME] = Math.max(nameHolders(fa, i), nameHolders(fb, j))

  // e-mail
  let email = E_DIFFERENT + 1
  let emailCount = 0
  const emailEnd = fb.emailStart[j + 1]!
  for (let a = fa.emailStart[i]!; a < fa.emailStart[i + 1]! && email !== E_EXACT; a++) {
    const ha = emailHolders(fa, a)
    if (ha < 0) continue
    const va = fa.emailValue[a]!
    const la = fa.emailLocal[a]!
    for (let b = fb.emailStart[j]!; b < emailEnd; b++) {
      if (emailHolders(fb, b) < 0) continue
      if (va >= 0 ? va === fb.emailValue[b] : fa.email(a) === fb.email(b)) {
        email = E_EXACT
        emailCount = ha
        break
      }
      if (la >= 0 && la === fb.emailLocal[b] && fa.emailPersonal[a] === 0 && fb.emailPersonal[b] === 0) email = Math.min(email, E_LOCAL)
      else if (email > E_ALIAS && aliasLocal(fa, a, fb, b)) email = E_ALIAS
      else if (email > E_DIFFERENT) email = E_DIFFERENT
    }
  }
  // with agreeing names, the e-mail comparison has its own parameters
  const slot = name <= N_FUZZY ? EMAIL_NAMED : EMAIL
  levels[EMAIL] = E_DIFFERENT + 1
  levels[EMAIL_NAMED] = E_DIFFERENT + 1
  levels[slot] = email
  if (email === E_EXACT) holders[slot] = emailCount

  // phone
  let phone = P_DIFFERENT + 1
  let phoneCount = 0
  const phoneEnd = fb.phoneStart[j + 1]!
  for (let a = fa.phoneStart[i]!; a < fa.phoneStart[i + 1]! && phone !== P_EXACT; a++) {
    if (phoneHolders(fa, a) < 0) continue
    const va = fa.phoneValue[a]!
    const ba = fa.phoneBase[a]!
    for (let b = fb.phoneStart[j]!; b < phoneEnd; b++) {
      if (phoneHolders(fb, b) < 0) continue
      if (va >= 0 ? va === fb.phoneValue[b] : fa.phone(a) === fb.phone(b)) {
        phone = P_EXACT
        phoneCount = exactHolders(fa, a)
        break
      }
      // the same number, one side with an extension (both with different extensions are different lines)
      if (ba >= 0 && ba === fb.phoneBase[b] && (fa.phoneHasExtension[a] === 0 || fb.phoneHasExtension[b] === 0)) {
        if (phone > P_BASE) {
          phone = P_BASE
          phoneCount = phoneHolders(fa, a)
        }
      } else if (phone > P_DIFFERENT) phone = P_DIFFERENT
    }
  }
  levels[PHONE] = phone
  if (phone === P_EXACT || phone === P_BASE) holders[PHONE] = phoneCount

  // employee number
  const ka = fa.employee[i]!
  const kb = fb.employee[j]!
  if (ka < 0 || kb < 0 || employeeHolders(fa, i) < 0 || employeeHolders(fb, j) < 0) levels[EMPLOYEE] = 2
  else if (ka === kb) {
    levels[EMPLOYEE] = K_EXACT
    holders[EMPLOYEE] = employeeHolders(fa, i)
  } else levels[EMPLOYEE] = 1

  // department
  const da = fa.departmentId[i]!
  const db = fb.departmentId[j]!
  levels[DEPARTMENT] = da < 0 || db < 0 ? 3 : da === db ? 0 : fa.texts.similar(da, db) ? 1 : 2

  // site
  const sna = fa.siteNameId[i]!
  const sia = fa.siteIdId[i]!
  const snb = fb.siteNameId[j]!
  const sib = fb.siteIdId[j]!
  if ((sna < 0 && sia < 0) || (snb < 0 && sib < 0)) levels[SITE] = 2
  else levels[SITE] = (sna >= 0 && (sna === snb || sna === sib)) || (sia >= 0 && (sia === sib || sia === snb)) ? 0 : 1

  // title
  const ta = fa.titleId[i]!
  const tb = fb.titleId[j]!
  levels[TITLE] = ta < 0 || tb < 0 ? 2 : ta === tb ? 0 : 1

  // system
  levels[SYSTEM] = (fa.systems[i]! & fb.systems[j]!) !== 0 ? S_SAME : 1
}

const localOf = (email: string): string => email.slice(0, email.lastIndexOf("@"))

/**
 * The identifying values two people share (values too common to identify are
 * not compared), as reasons: `email:…`, `local:…`, `phone:…`,
 * `employeeNumber:…`, sorted.
 *
 * @internal
 */
export const sharedValues = (fa: Features, i: number, fb: Features, j: number): Array<string> => {
  const out = new Set<string>()
  for (let a = fa.emailStart[i]!; a < fa.emailStart[i + 1]!; a++) {
    if (emailHolders(fa, a) < 0) continue
    for (let b = fb.emailStart[j]!; b < fb.emailStart[j + 1]!; b++) {
      if (emailHolders(fb, b) < 0) continue
      const ea = fa.email(a)
      const eb = fb.email(b)
      if (ea === eb) out.add(`email:${ea}`)
      else if (localOf(ea) === localOf(eb) && localOf(ea).length >= 3) out.add(`local:${localOf(ea)}`)
    }
  }
  for (let a = fa.phoneStart[i]!; a < fa.phoneStart[i + 1]!; a++) {
    if (phoneHolders(fa, a) < 0) continue
    for (let b = fb.phoneStart[j]!; b < fb.phoneStart[j + 1]!; b++) {
      if (phoneHolders(fb, b) < 0) continue
      const pa = fa.phone(a)
      const pb = fb.phone(b)
      if (pa === pb) out.add(`phone:${pa}`)
      else if (phoneBase(pa) === phoneBase(pb)) out.add(`phone:${phoneBase(pa)}`)
    }
  }
  if (fa.employee[i]! >= 0 && fa.employee[i] === fb.employee[j] && employeeHolders(fa, i) >= 0) out.add(`employeeNumber:${fa.employeeRaw(i)}`)
  return Array.from(out).sort()
}

/** How strongly against a level must weigh to be decisive: a 1,024:1 likelihood ratio. @internal */
export const DECISIVE_BITS = -10

/**
 * Whether two people cannot be one: different employee numbers; names that
 * disagree (both parts, or the given name under one family name); or a level
 * the model weighs as decisive evidence against (at most
 * {@link DECISIVE_BITS}: what it almost never saw among pairs of one person,
 * two records of one system where a system holds no duplicates, say); the
 * last two unless an e-mail address or employee number ties them.
 *
 * @internal
 */
export const cannotLink = (
  fa: Features,
  i: number,
  fb: Features,
  j: number,
  scratch: Comparison,
  weights?: ReadonlyArray<ArrayLike<number>>
): string | undefined => {
  // two employee numbers are two people, however common either number is
  if (fa.employee[i]! >= 0 && fb.employee[j]! >= 0 && fa.employee[i] !== fb.employee[j]) {
    return `employee numbers differ (${fa.employeeRaw(i)} / ${fb.employeeRaw(j)})`
  }
  compare(fa, i, fb, j, scratch)
  const { levels } = scratch
  const identified = emailLevel(scratch) === E_EXACT || levels[EMPLOYEE] === K_EXACT
  if (identified) return undefined
  if (levels[NAME] === N_DIFFERENT || levels[NAME] === N_FAMILY_ONLY) return `names disagree (${describeName(fa, i)} / ${describeName(fb, j)})`
  if (weights !== undefined) {
    for (let c = 0; c < COUNT; c++) {
      const level = levels[c]!
      if (level === nullLevel(c)) continue
      const w = weights[c]![level]!
      if (w <= DECISIVE_BITS) return `${comparisons[c]!.name} ${comparisons[c]!.levels[level]!} weighs ${Math.round(w * 10) / 10} bits against`
    }
  }
  return undefined
}
