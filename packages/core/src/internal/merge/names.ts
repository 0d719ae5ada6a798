/**
 * Name comparison for identity resolution: accents, case and punctuation are
 * ignored, common nicknames are the same given name, an initial or a prefix of at
 * least three letters is compatible, and a family name matches on any shared
 * token (`Garcia Lopez` / `Garcia`).
 *
 * @internal
 */

/** @internal */
export interface NameParts {
  /** Normalized given name ("" when unknown). */
  readonly given: string
  /** For a known name or nickname: itself and the formal names it stands for. */
  readonly givenForms: ReadonlyArray<string> | undefined
  /** Normalized family name ("" when unknown); tokens separated by spaces or hyphens. */
  readonly family: string
}

/** @internal */
export type Outcome = "agree" | "partial" | "given-conflict" | "family-conflict" | "conflict" | "unknown"

const nicknameGroups: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["robert", ["bob", "bobby", "rob", "robbie", "bert"]],
  ["william", ["bill", "billy", "will", "willy", "liam"]],
  ["elizabeth", ["liz", "lizzie", "beth", "betty", "eliza", "libby"]],
  ["james", ["jim", "jimmy", "jamie"]],
  ["john", ["jack", "johnny", "jon"]],
  ["richard", ["rick", "ricky", "dick", "rich"]],
  ["michael", ["mike", "mikey", "mick"]],
  ["katherine", ["kate", "kathy", "katie", "kat", "kay"]],
  ["catherine", ["cathy", "cat", "kate", "katie"]],
  ["margaret", ["maggie", "peggy", "meg", "marge"]],
  ["thomas", ["tom", "tommy"]],
  ["joseph", ["joe", "joey"]],
  ["daniel", ["dan", "danny"]],
  ["christopher", ["chris", "kit"]],
  ["christina", ["chris", "tina"]],
  ["alexander", ["alex", "sasha", "xander"]],
  ["alexandra", ["alex", "sasha", "lexi"]],
  ["anthony", ["tony"]],
  ["edward", ["ed", "eddie", "ted", "ned"]],
  ["jennifer", ["jen", "jenny"]],
  ["jessica", ["jess", "jessie"]],
  ["matthew", ["matt"]],
  ["nicholas", ["nick", "nicky"]],
  ["patricia", ["pat", "patty", "trish"]],
  ["patrick", ["pat", "paddy"]],
  ["rebecca", ["becky", "becca"]],
  ["samuel", ["sam", "sammy"]],
  ["samantha", ["sam", "sammy"]],
  ["stephen", ["steve", "stevie"]],
  ["steven", ["steve", "stevie"]],
  ["susan", ["sue", "susie"]],
  ["timothy", ["tim", "timmy"]],
  ["victoria", ["vicky", "tori"]],
  ["benjamin", ["ben", "benny"]],
  ["david", ["dave", "davy"]],
  ["andrew", ["andy", "drew"]],
  ["charles", ["charlie", "chuck"]],
  ["deborah", ["deb", "debbie"]],
  ["francisco", ["paco", "pancho"]],
  ["jose", ["pepe"]],
  ["giuseppe", ["beppe", "peppe"]],
  ["gregory", ["greg"]],
  ["jonathan", ["jon", "jonny"]],
  ["kimberly", ["kim"]],
  ["lawrence", ["larry"]],
  ["ronald", ["ron", "ronnie"]],
  ["zachary", ["zach", "zack"]]
]

const formsByName: ReadonlyMap<string, ReadonlyArray<string>> = (() => {
  const map = new Map<string, Array<string>>()
  for (const [formal, nicknames] of nicknameGroups) {
    for (const name of [formal, ...nicknames]) {
      const forms = map.get(name) ?? [name]
      if (!forms.includes(formal)) forms.push(formal)
      map.set(name, forms)
    }
  }
  return map
})()

const marks = /\p{M}/gu
const nonLetters = /[^\p{L}\s-]/gu

// letters that do not decompose into a base letter and a mark
const transliterations: Readonly<Record<string, string>> = { ø: "o", æ: "ae", œ: "oe", ß: "ss", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" }
const special = /[øæœßłđðþı]/g

/** Lower-case, accents removed, punctuation (except hyphens) removed, spaces collapsed. @internal */
export const normalizeName = (raw: string | undefined): string =>
  raw === undefined
    ? ""
    : raw
      .normalize("NFD")
      .replace(marks, "")
      .toLowerCase()
      .replace(special, (c) => transliterations[c] ?? c)
      .replace(nonLetters, "")
      .replace(/\s+/g, " ")
      .trim()

const splitDisplay = (display: string): { readonly given?: string; readonly family?: string } => {
  const comma = display.indexOf(",")
  if (comma >= 0) return { family: display.slice(0, comma), given: display.slice(comma + 1) }
  const tokens = display.trim().split(/\s+/)
  if (tokens.length < 2) return {}
  return { given: tokens[0]!, family: tokens[tokens.length - 1]! }
}

/** The comparable parts of a name; `display` is used only when given and family are both missing. @internal */
export const parts = (name: { readonly given?: string | undefined; readonly family?: string | undefined; readonly display?: string | undefined }): NameParts => {
  let given = name.given
  let family = name.family
  if ((given === undefined || given.trim() === "") && (family === undefined || family.trim() === "") && name.display !== undefined) {
    const split = splitDisplay(name.display)
    given = split.given
    family = split.family
  }
  const normalizedGiven = normalizeName(given)
  const cut = normalizedGiven.search(/[\s-]/)
  const g = cut < 0 ? normalizedGiven : normalizedGiven.slice(0, cut)
  return { given: g, givenForms: formsByName.get(g), family: normalizeName(family) }
}

const givenCompatible = (a: NameParts, b: NameParts): boolean => {
  if (a.given === b.given) return true
  if (a.given.length === 1 || b.given.length === 1) return a.given[0] === b.given[0]
  const shorter = a.given.length <= b.given.length ? a.given : b.given
  const longer = shorter === a.given ? b.given : a.given
  if (shorter.length >= 3 && longer.startsWith(shorter)) return true
  if (a.givenForms === undefined) return b.givenForms?.includes(a.given) === true
  if (b.givenForms === undefined) return a.givenForms.includes(b.given)
  for (const form of a.givenForms) if (b.givenForms.includes(form)) return true
  return false
}

const separator = /[\s-]/
const tokens = (family: string): Array<string> => family.split(/[\s-]+/).filter((t) => t !== "")

const familyCompatible = (a: NameParts, b: NameParts): boolean => {
  if (a.family === b.family) return true
  if (!separator.test(a.family) && !separator.test(b.family)) return false
  const other = tokens(b.family)
  for (const token of tokens(a.family)) if (other.includes(token)) return true
  return false
}

/** Compares two names. Symmetric. @internal */
export const compare = (a: NameParts, b: NameParts): Outcome => {
  const given = a.given === "" || b.given === "" ? undefined : givenCompatible(a, b)
  const family = a.family === "" || b.family === "" ? undefined : familyCompatible(a, b)
  if (given === undefined && family === undefined) return "unknown"
  if (given === false && family === false) return "conflict"
  if (given === false) return "given-conflict"
  if (family === false) return "family-conflict"
  return given === true && family === true ? "agree" : "partial"
}
