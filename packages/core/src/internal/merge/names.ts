/**
 * Names for identity resolution: normalization (accents, case, punctuation),
 * the parts of a name (from given / family, else from a display name), the
 * nickname table (a short form stands for the formal names it is used for),
 * a phonetic key, Jaro–Winkler similarity, and the comparison of two names
 * into one of a few levels.
 *
 * @internal
 */

// -----------------------------------------------------------------------------
// nicknames
// -----------------------------------------------------------------------------

// Formal given names and the short forms commonly used for them (English,
// Spanish, Italian, German, Slavic, ...). A short form can stand for several
// formal names (`alex`: alexander, alexandra, alejandro).
const nicknameGroups: ReadonlyArray<readonly [string, string]> = [
  ["abigail", "abby abbie gail"], ["albert", "al bert bertie"], ["alberto", "beto"], ["alejandro", "alex ale jandro"],
  ["aleksandr", "sasha sanya alex"], ["alexander", "alex xander sasha sandy al"], ["alexandra", "alex sasha lexi sandra sandy"],
  ["alexis", "lexi alex"], ["alfred", "alf alfie fred"], ["alfredo", "fredo"], ["allison", "ally allie"], ["amanda", "mandy manda"],
  ["anastasia", "nastya stacy stacey ana"], ["andrew", "andy drew"], ["angela", "angie"], ["anthony", "tony ant"], ["antonio", "tono toni nino"],
  ["arthur", "art artie"], ["barbara", "barb babs barbie"], ["benjamin", "ben benny benji"], ["beverly", "bev"], ["bradley", "brad"],
  ["catherine", "cathy kate katie cat"], ["charles", "charlie chuck chas chaz"], ["charlotte", "lottie charlie"], ["christina", "chris tina chrissy"],
  ["christine", "chris chrissy tina"], ["christopher", "chris kit topher"], ["cynthia", "cindy"], ["daniel", "dan danny"], ["danielle", "dani"],
  ["david", "dave davy"], ["deborah", "deb debbie debby"], ["debra", "deb debbie"], ["dennis", "denny"], ["dmitri", "dima mitya"],
  ["dmitry", "dima mitya"], ["donald", "don donnie"], ["dorothy", "dot dottie dolly"], ["douglas", "doug"], ["edward", "ed eddie ted ned teddy"],
  ["eleanor", "ellie nora"], ["elijah", "eli"], ["elizabeth", "liz lizzie beth betsy betty eliza libby lisa"], ["emily", "em emmy"],
  ["eugene", "gene"], ["evelyn", "evie"], ["francesca", "franca frankie"], ["frances", "fran frankie"], ["francis", "frank fran"],
  ["francisco", "paco pancho frank"], ["frederick", "fred freddie"], ["gabriel", "gabe"], ["gabriela", "gaby gabi"], ["gerald", "gerry jerry"],
  ["giovanni", "gianni"], ["giuseppe", "beppe peppe pino"], ["gregory", "greg"], ["guillermo", "memo guille"], ["harold", "hal harry"],
  ["henry", "hank harry hal"], ["ignacio", "nacho"], ["isabella", "bella izzy isa"], ["isabel", "bella izzy isa"], ["jacob", "jake"],
  ["jacqueline", "jackie"], ["james", "jim jimmy jamie"], ["jeffrey", "jeff"], ["jennifer", "jen jenny"], ["jeremy", "jerry"],
  ["jessica", "jess jessie"], ["jesus", "chuy"], ["joaquin", "joaco"], ["johannes", "hans jo johann"], ["john", "jack johnny jon"],
  ["jonathan", "jon jonny"], ["jose", "pepe"], ["joseph", "joe joey jo"], ["joshua", "josh"], ["judith", "judy"], ["katherine", "kate katie kathy kat kay"],
  ["kathleen", "kathy kath kate"], ["kathryn", "kathy kate katie"], ["kenneth", "ken kenny"], ["kimberly", "kim"], ["lawrence", "larry"],
  ["leonard", "leo len lenny"], ["lorenzo", "enzo"], ["malgorzata", "gosia"], ["margaret", "maggie peggy meg marge greta"], ["martha", "marty"],
  ["matthew", "matt"], ["melissa", "missy mel"], ["michael", "mike mikey mick"], ["michelle", "shelly"], ["mohammed", "mo"], ["muhammad", "mo"],
  ["natalia", "natasha"], ["natalie", "nat"], ["nathan", "nate"], ["nathaniel", "nate nat"], ["nicholas", "nick nicky"], ["nicole", "nikki"],
  ["nikolai", "kolya"], ["oluwaseun", "seun"], ["adebayo", "bayo"], ["pamela", "pam"], ["patricia", "pat patty tricia trish"],
  ["patrick", "pat paddy"], ["peter", "pete"], ["philip", "phil"], ["phillip", "phil"], ["raymond", "ray"], ["rebecca", "becky becca"],
  ["richard", "rick ricky dick rich"], ["robert", "bob bobby rob robbie bert"], ["ronald", "ron ronnie"], ["russell", "russ"],
  ["samantha", "sam sammy"], ["samuel", "sam sammy"], ["sandra", "sandy"], ["sophia", "sophie"], ["stephanie", "steph"],
  ["stephen", "steve stevie"], ["steven", "steve stevie"], ["susan", "sue suzy susie"], ["tatiana", "tanya"], ["teresa", "terri tess"],
  ["theodore", "ted teddy theo"], ["theresa", "terri tess"], ["thomas", "tom tommy"], ["timothy", "tim timmy"], ["victoria", "vicky tori"],
  ["vikram", "vik"], ["vincent", "vince vinnie"], ["virginia", "ginny"], ["walter", "walt"], ["william", "bill billy will willy liam"],
  ["wojciech", "wojtek"], ["wolfgang", "wolf"], ["yekaterina", "katya"], ["ekaterina", "katya"], ["yevgeny", "zhenya"], ["zachary", "zach zack"]
]

/** For a known given name or short form: the formal names it stands for (itself included when formal). */
const rootsByName: ReadonlyMap<string, ReadonlyArray<string>> = (() => {
  const map = new Map<string, Array<string>>()
  const add = (name: string, formal: string) => {
    const roots = map.get(name)
    if (roots === undefined) map.set(name, [formal])
    else if (!roots.includes(formal)) roots.push(formal)
  }
  for (const [formal, short] of nicknameGroups) {
    add(formal, formal)
    for (const name of short.split(" ")) add(name, formal)
  }
  for (const roots of map.values()) roots.sort()
  return map
})()

/** The formal names a normalized given name stands for: its roots, else itself. @internal */
export const givenRoots = (given: string): ReadonlyArray<string> => rootsByName.get(given) ?? [given]

// -----------------------------------------------------------------------------
// normalization
// -----------------------------------------------------------------------------

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

/** The comparable parts of a name. @internal */
export interface NameParts {
  /** First given token, normalized ("" when unknown). */
  readonly given: string
  /** Normalized family name ("" when unknown); tokens separated by spaces or hyphens. */
  readonly family: string
}

const splitDisplay = (display: string): { readonly given?: string; readonly family?: string } => {
  const comma = display.indexOf(",")
  if (comma >= 0) return { family: display.slice(0, comma), given: display.slice(comma + 1) }
  const tokens = display.trim().split(/\s+/)
  if (tokens.length < 2) return { given: tokens[0] ?? "" }
  return { given: tokens[0]!, family: tokens.slice(1).join(" ") }
}

/** The parts of a name; `display` is read only when given and family are both missing. @internal */
export const parts = (
  name: { readonly given?: string | undefined; readonly family?: string | undefined; readonly display?: string | undefined },
  normalize: (raw: string | undefined) => string = normalizeName
): NameParts => {
  let given = name.given
  let family = name.family
  if ((given === undefined || given.trim() === "") && (family === undefined || family.trim() === "") && name.display !== undefined) {
    const split = splitDisplay(name.display)
    given = split.given
    family = split.family
  }
  const normalizedGiven = normalize(given)
  const cut = normalizedGiven.search(/[\s-]/)
  return { given: cut < 0 ? normalizedGiven : normalizedGiven.slice(0, cut), family: normalize(family) }
}

/** The tokens of a family name (`garcia lopez`, `martin-sanchez`). @internal */
export const familyTokens = (family: string): Array<string> => family.split(/[\s-]+/).filter((t) => t !== "")

// particles that do not identify a family on their own
const particles = new Set(["al", "ap", "bin", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "el", "la", "le", "mac", "mc", "san", "st", "ten", "ter", "van", "von", "y", "zu"])

/** A token of a family name that identifies it on its own (not a particle, three letters or more). @internal */
export const isSignificantToken = (token: string): boolean => token.length >= 3 && !particles.has(token)

/** A family name without spaces and hyphens (`de la cruz` → `delacruz`). @internal */
export const compact = (family: string): string => family.replace(/[\s-]/g, "")

// -----------------------------------------------------------------------------
// phonetic key and similarity
// -----------------------------------------------------------------------------

/**
 * A coarse phonetic key: similar-sounding spellings and most one-letter
 * vowel typos give the same key (`rivera` / `rivrea`, `smith` / `smyth`,
 * `fernandez` / `fernandes`). @internal
 */
export const phonetic = (s: string): string => {
  const w = compact(s)
    .replace(/ph/g, "f").replace(/ck/g, "k").replace(/sch/g, "s").replace(/sh/g, "s").replace(/ch/g, "k")
    .replace(/th/g, "t").replace(/dt/g, "t").replace(/gh/g, "g").replace(/kn/g, "n").replace(/wr/g, "r")
    .replace(/c(?=[eiy])/g, "s").replace(/[cq]/g, "k").replace(/x/g, "ks").replace(/z/g, "s").replace(/w/g, "v")
    .replace(/y/g, "i").replace(/j/g, "i").replace(/d/g, "t").replace(/b/g, "p").replace(/g/g, "k")
  if (w === "") return ""
  let out = w[0]!
  for (let i = 1; i < w.length; i++) {
    const c = w[i]!
    if ("aeiouh".includes(c)) continue
    if (c !== out[out.length - 1]) out += c
  }
  return out
}

let flagsB = new Uint8Array(64)
let matchedA = new Int32Array(64)

/** Jaro–Winkler similarity in [0, 1]. @internal */
export const jaroWinkler = (a: string, b: string): number => {
  if (a === b) return 1
  const la = a.length
  const lb = b.length
  if (la === 0 || lb === 0) return 0
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2)
  if (la > matchedA.length) matchedA = new Int32Array(la * 2)
  flagsB.fill(0, 0, lb)
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1)
  let m = 0
  for (let i = 0; i < la; i++) {
    const from = Math.max(0, i - window)
    const to = Math.min(lb - 1, i + window)
    const c = a.charCodeAt(i)
    for (let j = from; j <= to; j++) {
      if (flagsB[j] === 0 && c === b.charCodeAt(j)) {
        flagsB[j] = 1
        matchedA[m++] = i
        break
      }
    }
  }
  if (m === 0) return 0
  let transpositions = 0
  let k = 0
  for (let j = 0; j < lb; j++) {
    if (flagsB[j] === 0) continue
    if (a.charCodeAt(matchedA[k]!) !== b.charCodeAt(j)) transpositions++
    k++
  }
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3
  let prefix = 0
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++
  return jaro + prefix * 0.1 * (1 - jaro)
}

/**
 * Whether Jaro–Winkler could reach `0.9`: it needs about two thirds of the
 * letters in common (`m / |a| + m / |b| ≥ 1.5`), counted cheaply on letter sets.
 *
 * @internal
 */
export const mayBeSimilar = (a: string, maskA: number, b: string, maskB: number): boolean => {
  let ca = 0
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i) - 97
    if (c < 0 || c > 25 || (maskB & (1 << c)) !== 0) ca++
  }
  let cb = 0
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i) - 97
    if (c < 0 || c > 25 || (maskA & (1 << c)) !== 0) cb++
  }
  const m = Math.min(ca, cb)
  return m / a.length + m / b.length >= 1.5
}

/** The set of the letters a–z of `s`, as bits. @internal */
export const letterMask = (s: string): number => {
  let mask = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 97
    if (c >= 0 && c <= 25) mask |= 1 << c
  }
  return mask
}

// -----------------------------------------------------------------------------
// comparison
// -----------------------------------------------------------------------------

/**
 * How two given names relate: the same; a variant (a nickname, a prefix of
 * three letters or more, an initial); similar (a likely typo, Jaro–Winkler ≥
 * 0.9); different.
 *
 * @internal
 */
export const Given = { Same: 0, Variant: 1, Similar: 2, Different: 3 } as const

/** @internal */
export type Given = (typeof Given)[keyof typeof Given]

/** @internal */
export const compareGiven = (a: string, b: string): Given => {
  if (a === b) return Given.Same
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? Given.Variant : Given.Different
  const shorter = a.length <= b.length ? a : b
  const longer = shorter === a ? b : a
  if (shorter.length >= 3 && longer.startsWith(shorter)) return Given.Variant
  const ra = rootsByName.get(a)
  const rb = rootsByName.get(b)
  if (ra !== undefined && rb !== undefined) {
    for (const r of ra) if (rb.includes(r)) return Given.Variant
  }
  return jaroWinkler(a, b) >= 0.9 ? Given.Similar : Given.Different
}

/**
 * How two family names relate: the same; a variant (one holds the other's
 * significant token, `garcia lopez` / `garcia`, or equal without spaces);
 * similar (Jaro–Winkler ≥ 0.9); different.
 *
 * @internal
 */
export const Family = { Same: 0, Variant: 1, Similar: 2, Different: 3 } as const

/** @internal */
export type Family = (typeof Family)[keyof typeof Family]

/** @internal */
export const compareFamily = (a: string, b: string): Family => {
  if (a === b) return Family.Same
  const ca = compact(a)
  const cb = compact(b)
  if (ca === cb) return Family.Variant
  if (/[\s-]/.test(a) || /[\s-]/.test(b)) {
    const tb = familyTokens(b)
    for (const t of familyTokens(a)) if (isSignificantToken(t) && tb.includes(t)) return Family.Variant
  }
  return jaroWinkler(ca, cb) >= 0.9 ? Family.Similar : Family.Different
}

// -----------------------------------------------------------------------------
// interned names with memoized comparisons
// -----------------------------------------------------------------------------

const MEMO_STRIDE = 2 ** 26
/** Vocabularies up to this size get a dense table of levels (size² bytes). */
const DENSE = 2048

/**
 * Interned given and family names, so that records compare names by number;
 * with a small vocabulary every pair of names is compared once.
 *
 * @internal
 */
export class NameTable {
  readonly givens: Array<string> = []
  readonly families: Array<string> = []
  private readonly compacts: Array<string> = []
  private readonly compound: Array<boolean> = []
  private readonly givenMasks: Array<number> = []
  private readonly familyMasks: Array<number> = []
  private readonly givenIndex = new Map<string, number>()
  private readonly familyIndex = new Map<string, number>()
  private givenDense: Int8Array | undefined
  private familyDense: Int8Array | undefined
  private readonly phonetics = new Map<string, string>()

  /** The id of a normalized given name (-1 for ""). */
  given(s: string): number {
    if (s === "") return -1
    let id = this.givenIndex.get(s)
    if (id === undefined) {
      id = this.givens.length
      this.givens.push(s)
      this.givenMasks.push(letterMask(s))
      this.givenIndex.set(s, id)
      this.givenDense = undefined
    }
    return id
  }

  /** The id of a normalized family name (-1 for ""). */
  family(s: string): number {
    if (s === "") return -1
    let id = this.familyIndex.get(s)
    if (id === undefined) {
      id = this.families.length
      this.families.push(s)
      const c = compact(s)
      this.compacts.push(c)
      this.familyMasks.push(letterMask(c))
      this.compound.push(c.length !== s.length)
      this.familyIndex.set(s, id)
      this.familyDense = undefined
    }
    return id
  }

  /** A family name without spaces and hyphens. */
  compactFamily(id: number): string {
    return this.compacts[id]!
  }

  /** Whether the family name has several parts. */
  isCompound(id: number): boolean {
    return this.compound[id]!
  }

  /** The phonetic key of a normalized name (cached). */
  phonetic(s: string): string {
    let out = this.phonetics.get(s)
    if (out === undefined) {
      out = phonetic(s)
      this.phonetics.set(s, out)
    }
    return out
  }

  /** Prepares dense tables of levels once the vocabulary is complete. */
  freeze(): void {
    if (this.givenDense === undefined && this.givens.length <= DENSE) this.givenDense = new Int8Array(this.givens.length * this.givens.length).fill(-1)
    if (this.familyDense === undefined && this.families.length <= DENSE) this.familyDense = new Int8Array(this.families.length * this.families.length).fill(-1)
  }

  givenLevel(a: number, b: number): Given {
    if (a === b) return Given.Same
    const dense = this.givenDense
    if (dense !== undefined) {
      const k = a * this.givens.length + b
      const known = dense[k]!
      if (known >= 0) return known as Given
      const level = this.compareGivens(a, b)
      dense[k] = level
      dense[b * this.givens.length + a] = level
      return level
    }
    return this.compareGivens(a, b)
  }

  familyLevel(a: number, b: number): Family {
    if (a === b) return Family.Same
    const dense = this.familyDense
    if (dense !== undefined) {
      const k = a * this.families.length + b
      const known = dense[k]!
      if (known >= 0) return known as Family
      const level = this.compareFamilies(a, b)
      dense[k] = level
      dense[b * this.families.length + a] = level
      return level
    }
    return this.compareFamilies(a, b)
  }

  private compareGivens(a: number, b: number): Given {
    const x = this.givens[a]!
    const y = this.givens[b]!
    if (x.length === 1 || y.length === 1) return x.charCodeAt(0) === y.charCodeAt(0) ? Given.Variant : Given.Different
    const shorter = x.length <= y.length ? x : y
    const longer = shorter === x ? y : x
    if (shorter.length >= 3 && longer.startsWith(shorter)) return Given.Variant
    const rx = rootsByName.get(x)
    const ry = rootsByName.get(y)
    if (rx !== undefined && ry !== undefined) {
      for (const r of rx) if (ry.includes(r)) return Given.Variant
    }
    if (!mayBeSimilar(x, this.givenMasks[a]!, y, this.givenMasks[b]!)) return Given.Different
    return jaroWinkler(x, y) >= 0.9 ? Given.Similar : Given.Different
  }

  private compareFamilies(a: number, b: number): Family {
    const ca = this.compacts[a]!
    const cb = this.compacts[b]!
    if (ca === cb) return Family.Variant
    if (this.compound[a] || this.compound[b]) {
      const tb = familyTokens(this.families[b]!)
      for (const t of familyTokens(this.families[a]!)) if (isSignificantToken(t) && tb.includes(t)) return Family.Variant
    }
    if (!mayBeSimilar(ca, this.familyMasks[a]!, cb, this.familyMasks[b]!)) return Family.Different
    return jaroWinkler(ca, cb) >= 0.9 ? Family.Similar : Family.Different
  }
}

/** Interned short texts (department, site, title) with a memoized "similar" test. @internal */
export class TextTable {
  readonly values: Array<string> = []
  private readonly index = new Map<string, number>()
  private readonly memo = new Map<number, boolean>()
  private dense: Int8Array | undefined

  /** The id of a text (-1 for ""). */
  id(s: string): number {
    if (s === "") return -1
    let id = this.index.get(s)
    if (id === undefined) {
      id = this.values.length
      this.values.push(s)
      this.index.set(s, id)
      this.dense = undefined
    }
    return id
  }

  /** Prepares a dense table of answers once the vocabulary is complete. */
  freeze(): void {
    if (this.dense === undefined && this.values.length <= DENSE) this.dense = new Int8Array(this.values.length * this.values.length).fill(-1)
  }

  /** One is a prefix of the other (two letters or more), or Jaro–Winkler ≥ 0.92. */
  similar(a: number, b: number): boolean {
    const dense = this.dense
    if (dense !== undefined) {
      const k = a * this.values.length + b
      const known = dense[k]!
      if (known >= 0) return known === 1
      const out = this.compare(a, b)
      dense[k] = out ? 1 : 0
      dense[b * this.values.length + a] = out ? 1 : 0
      return out
    }
    const key = a < b ? a * MEMO_STRIDE + b : b * MEMO_STRIDE + a
    let out = this.memo.get(key)
    if (out === undefined) {
      out = this.compare(a, b)
      this.memo.set(key, out)
    }
    return out
  }

  private compare(a: number, b: number): boolean {
    const x = this.values[a]!
    const y = this.values[b]!
    const shorter = x.length <= y.length ? x : y
    const longer = shorter === x ? y : x
    return (shorter.length >= 2 && longer.startsWith(shorter)) || jaroWinkler(x, y) >= 0.92
  }
}
