/**
 * A seeded generator of realistic people as several source systems hold them,
 * with the ground truth of who is who: for merge tests, quality measurements,
 * the demo and benchmarks.
 *
 * The same seed and options always give the same company (a small PRNG,
 * mulberry32; no `Math.random`, no clock). The records carry the quirks real
 * sources have: nicknames (Robert / Bob), accents dropped or kept, case, display
 * names only (`Family, Given`), phone numbers formatted differently in each
 * system (`+1 (650) 555-0100`, `650.555.0100`, `16505550100`), e-mail addresses
 * in mixed case, a company main number shared by everyone at a site (and, in
 * some records, mislabelled as a work number), namesakes who are different
 * people, relatives sharing a home number, name changes, missing fields, and
 * people present in only one source.
 *
 * @since 0.1.0
 */
import * as ContactPoint from "@unified-people/core/ContactPoint"
import type * as Label from "@unified-people/core/Label"
import * as Normalize from "@unified-people/core/Normalize"
import * as Person from "@unified-people/core/Person"

/**
 * A seeded pseudo-random number generator (mulberry32): `next()` returns a
 * float in [0, 1).
 *
 * @since 0.1.0
 * @category models
 */
export interface Random {
  readonly next: () => number
  /** An integer in [0, max). */
  readonly int: (max: number) => number
  /** True with probability `p`. */
  readonly chance: (p: number) => boolean
  readonly pick: <A>(items: ReadonlyArray<A>) => A
}

/**
 * Builds a seeded PRNG.
 *
 * @since 0.1.0
 * @category constructors
 */
export const random = (seed: number): Random => {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (max: number) => Math.floor(next() * max)
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[int(items.length)]!
  }
}

/**
 * The source systems the generator writes.
 *
 * @since 0.1.0
 * @category models
 */
export const systems = ["ringcentral", "people-contacts", "hr"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type System = (typeof systems)[number]

/**
 * An office: its id, name and company main number (E.164).
 *
 * @since 0.1.0
 * @category models
 */
export interface Site {
  readonly id: string
  readonly name: string
  readonly mainNumber: string
}

/**
 * The ground truth about one real person.
 *
 * @since 0.1.0
 * @category models
 */
export interface Identity {
  /** Truth id: `person-000001`. */
  readonly id: string
  /** Legal given name (may carry accents). */
  readonly given: string
  /** The nickname some systems use (`Bob` for `Robert`). */
  readonly nickname?: string
  /** Current family name. */
  readonly family: string
  /** The family name before a name change, still used by some systems. */
  readonly previousFamily?: string
  /** Work e-mail address, lower case. */
  readonly email: string
  readonly personalEmail?: string
  /** Direct number (E.164). */
  readonly direct?: string
  readonly mobile?: string
  /** Home number; relatives may share it. */
  readonly home?: string
  readonly fax?: string
  readonly employeeNumber: string
  readonly extensionNumber: string
  readonly department: string
  readonly jobTitle: string
  readonly site: Site
  readonly status: "Enabled" | "Disabled"
  /** The systems holding a record of this person. */
  readonly systems: ReadonlyArray<System>
}

/**
 * Rates of the quirks, each a probability per person.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rates {
  readonly namesake: number
  readonly household: number
  readonly nameChange: number
  readonly nickname: number
  readonly mainAsWork: number
  readonly missingEmail: number
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultRates: Rates = {
  namesake: 0.03,
  household: 0.04,
  nameChange: 0.03,
  nickname: 0.5,
  mainAsWork: 0.05,
  missingEmail: 0.08
}

/**
 * Options of {@link company}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly seed: number
  /** Number of real people. */
  readonly size: number
  /** E-mail domain of the company (default `example.com`). */
  readonly domain?: string
  readonly rates?: Partial<Rates>
  /** Base of every `readAt` (default 2026-01-01T00:00:00Z); records are read within 30 days after it. */
  readonly readAt?: Date
  /**
   * Write the normalized phone numbers the generator already knows instead of
   * parsing each formatted number (for benchmarks of a million records). The
   * output is the same; the tests check it.
   */
  readonly fast?: boolean
}

/**
 * A generated company: the truth, every record, the records per system, and the
 * truth label (identity id) of every record id.
 *
 * @since 0.1.0
 * @category models
 */
export interface Company {
  readonly sites: ReadonlyArray<Site>
  readonly identities: ReadonlyArray<Identity>
  /** Every record of every system, in generation order. */
  readonly records: ReadonlyArray<Person.Person>
  readonly bySystem: Readonly<Record<System, ReadonlyArray<Person.Person>>>
  /** Record id (`system:remoteId`) → identity id. */
  readonly truth: ReadonlyMap<string, string>
}

// -----------------------------------------------------------------------------
// vocabularies
// -----------------------------------------------------------------------------

const givenNames: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["Robert", ["Bob", "Rob"]], ["William", ["Bill", "Will"]], ["Elizabeth", ["Liz", "Beth"]], ["James", ["Jim", "Jamie"]],
  ["John", ["Jack"]], ["Richard", ["Rick"]], ["Michael", ["Mike"]], ["Katherine", ["Kate", "Katie"]],
  ["Margaret", ["Maggie", "Peggy"]], ["Thomas", ["Tom"]], ["Joseph", ["Joe"]], ["Daniel", ["Dan"]],
  ["Christopher", ["Chris"]], ["Alexander", ["Alex"]], ["Alexandra", ["Alex", "Sasha"]], ["Anthony", ["Tony"]],
  ["Edward", ["Ed", "Ted"]], ["Jennifer", ["Jen"]], ["Jessica", ["Jess"]], ["Matthew", ["Matt"]],
  ["Nicholas", ["Nick"]], ["Patricia", ["Pat", "Trish"]], ["Rebecca", ["Becky"]], ["Samuel", ["Sam"]],
  ["Stephen", ["Steve"]], ["Susan", ["Sue"]], ["Timothy", ["Tim"]], ["Victoria", ["Vicky"]],
  ["Benjamin", ["Ben"]], ["David", ["Dave"]], ["Andrew", ["Andy"]], ["Charles", ["Charlie"]],
  ["José", ["Pepe"]], ["François", []], ["Zoë", []], ["Renée", []], ["Chloé", []], ["Björn", []],
  ["Søren", []], ["Ágnes", []], ["Łukasz", []], ["Joël", []], ["Inés", []], ["Raúl", []],
  ["Mei", []], ["Wei", []], ["Hiroshi", []], ["Yuki", []], ["Priya", []], ["Arjun", []],
  ["Olga", []], ["Dmitri", []], ["Fatima", []], ["Omar", []], ["Amara", []], ["Kwame", []],
  ["Laura", []], ["Maria", []], ["Anna", []], ["Emma", []], ["Olivia", []], ["Noah", []],
  ["Lucas", []], ["Mia", []], ["Sofia", []], ["Hannah", []], ["Grace", []], ["Ethan", []]
]

const familyNames: ReadonlyArray<string> = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodríguez", "Martínez",
  "Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
  "Müller", "Schmidt", "Schäfer", "Dubois", "Lefèvre", "Rossi", "Bianchi", "Kowalski", "Nowak", "Novák",
  "Jensen", "Hansen", "Sørensen", "Åberg", "Yılmaz", "Öztürk", "Tanaka", "Suzuki", "Watanabe", "Kim",
  "Park", "Chen", "Wang", "Li", "Zhang", "Singh", "Patel", "Kumar", "Ivanov", "Petrov",
  "O'Brien", "O'Connor", "McDonald", "MacLeod", "Van der Berg", "De la Cruz", "Okafor", "Mensah", "Haddad", "Cohen"
]

const departments: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["Engineering", ["Software Engineer", "Senior Software Engineer", "Engineering Manager", "QA Engineer"]],
  ["Sales", ["Account Executive", "Sales Manager", "Sales Development Representative"]],
  ["Support", ["Support Engineer", "Support Lead"]],
  ["Marketing", ["Marketing Manager", "Content Writer", "Designer"]],
  ["Finance", ["Accountant", "Controller", "Financial Analyst"]],
  ["People", ["Recruiter", "HR Business Partner"]],
  ["Operations", ["Office Manager", "Operations Analyst"]]
]

const areaCodes: ReadonlyArray<string> = ["650", "415", "408", "212", "646", "312", "617", "303", "206", "512", "305", "404"]

const siteNames: ReadonlyArray<string> = ["Belmont HQ", "New York", "Chicago", "Boston", "Denver", "Seattle", "Austin", "Atlanta"]

const personalDomains: ReadonlyArray<string> = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me"]

// -----------------------------------------------------------------------------
// formatting
// -----------------------------------------------------------------------------

const stripAccents = (s: string): string =>
  s.normalize("NFD").replace(/\p{M}/gu, "").replace(/ø/g, "o").replace(/Ø/g, "O").replace(/ł/g, "l").replace(/Ł/g, "L").replace(/ı/g, "i")

const emailLocal = (s: string): string => stripAccents(s).toLowerCase().replace(/[^a-z0-9]/g, "")

/** An E.164 US number `+1AAAEEESSSS` written the way a system writes it. */
const formatPhone = (e164: string, style: number): string => {
  const a = e164.slice(2, 5)
  const e = e164.slice(5, 8)
  const s = e164.slice(8, 12)
  switch (style) {
    case 0:
      return e164
    case 1:
      return `+1 (${a}) ${e}-${s}`
    case 2:
      return `${a}.${e}.${s}`
    case 3:
      return `1${a}${e}${s}`
    case 4:
      return `(${a}) ${e}-${s}`
    default:
      return `+1 ${a}-${e}-${s}`
  }
}

const mixCase = (rng: Random, email: string): string => {
  if (!rng.chance(0.25)) return email
  const [local, domain] = email.split("@") as [string, string]
  const capitalized = local.split(".").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join(".")
  return rng.chance(0.5) ? `${capitalized}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}` : email.toUpperCase()
}

const hex = (rng: Random, length: number): string => {
  let out = ""
  for (let i = 0; i < length; i++) out += "0123456789abcdef"[rng.int(16)]
  return out
}

// -----------------------------------------------------------------------------
// generation
// -----------------------------------------------------------------------------

const point = (
  system: System,
  remoteId: string,
  kind: Label.Kind,
  value: string,
  label: Label.Label,
  extra: {
    readonly primary?: boolean
    readonly capabilities?: ReadonlyArray<ContactPoint.Capability>
    readonly shared?: boolean
    /** With `fast`, the normalized form the generator already knows (skips parsing). */
    readonly known?: string | undefined
  } = {}
): ContactPoint.ContactPoint => {
  const result: Normalize.Result = extra.known !== undefined ? { _tag: "Normalized", value: extra.known } : Normalize.value(kind, value)
  const shared = extra.shared ?? (label === "main" ? true : undefined)
  return new ContactPoint.ContactPoint(
    {
      kind,
      value,
      ...(result._tag === "Normalized" ? { normalized: result.value } : { issue: result.reason }),
      label,
      ...(extra.primary === undefined ? {} : { primary: extra.primary }),
      ...(extra.capabilities === undefined ? {} : { capabilities: [...extra.capabilities] }),
      ...(shared === undefined ? {} : { shared }),
      source: new ContactPoint.SourceRef({ system, remoteId }, true)
    },
    true
  )
}

interface Draft {
  readonly rng: Random
  readonly uniquePhone: () => string
  /** `local@domain`, or `local2@domain`, `local3@domain`, … when taken. */
  readonly uniqueEmail: (local: string, domain: string) => string
}

const makeSites = (count: number, uniquePhone: () => string): Array<Site> =>
  Array.from({ length: count }, (_, i) => ({
    id: `site-${i + 1}`,
    name: siteNames[i % siteNames.length]! + (i >= siteNames.length ? ` ${Math.floor(i / siteNames.length) + 1}` : ""),
    mainNumber: uniquePhone()
  }))

const makeIdentity = (draft: Draft, index: number, earlier: ReadonlyArray<Identity>, sites: ReadonlyArray<Site>, domain: string, rates: Rates): Identity => {
  const { rng } = draft
  const [formal, nicknames] = rng.pick(givenNames)
  let given = formal
  let family = rng.pick(familyNames)
  let home: string | undefined = rng.chance(0.35) ? draft.uniquePhone() : undefined
  const twin = earlier.length > 0 && rng.chance(rates.namesake) ? rng.pick(earlier) : undefined
  if (twin !== undefined) {
    given = twin.given
    family = twin.family
  } else if (earlier.length > 0 && rng.chance(rates.household)) {
    const relatives = earlier.slice(-50).filter((p) => p.home !== undefined)
    if (relatives.length > 0) {
      const relative = rng.pick(relatives)
      family = relative.family
      home = relative.home
      while (given === relative.given) given = rng.pick(givenNames)[0]
    }
  }
  const previousFamily = rng.chance(rates.nameChange) ? rng.pick(familyNames) : undefined
  const emailFamily = previousFamily ?? family
  const base = `${emailLocal(given)}.${emailLocal(emailFamily)}`
  const email = draft.uniqueEmail(base, domain)
  const nickname = nicknames.length > 0 && rng.chance(rates.nickname) ? rng.pick(nicknames) : undefined
  const [department, titles] = rng.pick(departments)
  const number = index + 1
  return {
    id: `person-${String(number).padStart(6, "0")}`,
    given,
    ...(nickname === undefined ? {} : { nickname }),
    family,
    ...(previousFamily === undefined || previousFamily === family ? {} : { previousFamily }),
    email,
    ...(rng.chance(0.4) ? { personalEmail: draft.uniqueEmail(`${emailLocal(given).slice(0, 1)}${emailLocal(family)}${rng.int(100)}`, rng.pick(personalDomains)) } : {}),
    ...(rng.chance(0.85) ? { direct: draft.uniquePhone() } : {}),
    ...(rng.chance(0.6) ? { mobile: draft.uniquePhone() } : {}),
    ...(home === undefined ? {} : { home }),
    ...(rng.chance(0.1) ? { fax: draft.uniquePhone() } : {}),
    employeeNumber: `E${String(number).padStart(6, "0")}`,
    extensionNumber: String(100 + number),
    department,
    jobTitle: rng.pick(titles),
    site: rng.pick(sites),
    status: rng.chance(0.95) ? "Enabled" : "Disabled",
    systems: pickSystems(rng)
  }
}

const pickSystems = (rng: Random): ReadonlyArray<System> => {
  const chosen = systems.filter((system) => rng.chance(system === "ringcentral" ? 0.85 : system === "people-contacts" ? 0.7 : 0.75))
  return chosen.length > 0 ? chosen : [rng.pick(systems)]
}

const provenance = (system: System, remoteId: string, rng: Random, base: number): ReadonlyArray<Person.Provenance> => [
  new Person.Provenance(
    { system, remoteId, version: String(1 + rng.int(9)), readAt: new Date(base + rng.int(30 * 24 * 3600) * 1000) },
    true
  )
]

const ringcentralRecord = (rng: Random, who: Identity, base: number, rates: Rates, fast: boolean): Person.Person => {
  const remoteId = String(400_000_000 + Number(who.extensionNumber) * 7)
  const family = who.previousFamily ?? who.family
  const given = who.nickname !== undefined && rng.chance(0.6) ? who.nickname : who.given
  const points: Array<ContactPoint.ContactPoint> = []
  const id = remoteId
  if (!rng.chance(rates.missingEmail / 2)) points.push(point("ringcentral", id, "email", mixCase(rng, who.email), "work", { primary: true }))
  if (who.direct !== undefined) points.push(point("ringcentral", id, "phone", formatPhone(who.direct, 0), "work", { capabilities: ["voice", "sms"], known: fast ? who.direct : undefined }))
  if (who.mobile !== undefined && rng.chance(0.7)) points.push(point("ringcentral", id, "phone", formatPhone(who.mobile, 0), "mobile", { capabilities: ["voice", "sms"], known: fast ? who.mobile : undefined }))
  if (who.fax !== undefined) points.push(point("ringcentral", id, "phone", formatPhone(who.fax, 0), "fax", { capabilities: ["fax"], known: fast ? who.fax : undefined }))
  points.push(point("ringcentral", id, "phone", `${formatPhone(who.site.mainNumber, 1)} ext. ${who.extensionNumber}`, "main", { capabilities: ["voice"], known: fast ? `${who.site.mainNumber};ext=${who.extensionNumber}` : undefined }))
  return new Person.Person(
    {
      id: Person.canonicalId("ringcentral", remoteId),
      name: new Person.Name({ given: rng.chance(0.05) ? given.toUpperCase() : given, family, display: `${given} ${family}` }, true),
      jobTitle: who.jobTitle,
      department: who.department,
      site: new Person.Reference({ id: who.site.id, name: who.site.name }, true),
      ...(rng.chance(0.7) ? { employeeNumber: who.employeeNumber } : {}),
      extensionNumber: who.extensionNumber,
      status: who.status,
      contactPoints: points,
      customFields: {},
      provenance: provenance("ringcentral", remoteId, rng, base)
    },
    true
  )
}

const peopleContactsRecord = (rng: Random, who: Identity, base: number, rates: Rates, fast: boolean): Person.Person => {
  const remoteId = `${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}`
  const family = who.previousFamily ?? who.family
  let given = who.nickname !== undefined && rng.chance(0.5) ? who.nickname : who.given
  let familyShown = family
  if (rng.chance(0.3)) {
    given = stripAccents(given)
    familyShown = stripAccents(familyShown)
  }
  if (rng.chance(0.1)) {
    given = given.toLowerCase()
    familyShown = familyShown.toLowerCase()
  }
  const name = rng.chance(0.1)
    ? new Person.Name({ display: `${familyShown}, ${given}` }, true)
    : new Person.Name({ given, family: familyShown }, true)
  const points: Array<ContactPoint.ContactPoint> = []
  if (!rng.chance(rates.missingEmail)) points.push(point("people-contacts", remoteId, "email", mixCase(rng, who.email), "work", { primary: true }))
  if (who.personalEmail !== undefined && rng.chance(0.3)) points.push(point("people-contacts", remoteId, "email", who.personalEmail, "personal"))
  if (who.direct !== undefined && rng.chance(0.8)) points.push(point("people-contacts", remoteId, "phone", formatPhone(who.direct, rng.pick([1, 2, 4, 5])), "work", { known: fast ? who.direct : undefined }))
  if (who.mobile !== undefined && rng.chance(0.6)) points.push(point("people-contacts", remoteId, "phone", formatPhone(who.mobile, rng.pick([1, 2, 5])), "mobile", { known: fast ? who.mobile : undefined }))
  if (who.home !== undefined && rng.chance(0.4)) points.push(point("people-contacts", remoteId, "phone", formatPhone(who.home, rng.pick([2, 4])), "home", { known: fast ? who.home : undefined }))
  if (rng.chance(rates.mainAsWork)) {
    // the quirk: the company main number recorded as the person's own work number, not marked shared
    points.push(point("people-contacts", remoteId, "phone", formatPhone(who.site.mainNumber, 4), "work", { known: fast ? who.site.mainNumber : undefined }))
  }
  if (rng.chance(0.15)) points.push(point("people-contacts", remoteId, "chat", `${emailLocal(who.given)}.${emailLocal(family)}`, "chat_slack"))
  return new Person.Person(
    {
      id: Person.canonicalId("people-contacts", remoteId),
      name,
      ...(rng.chance(0.7) ? { jobTitle: who.jobTitle } : {}),
      company: new Person.Reference({ name: "Example Corp" }, true),
      contactPoints: points,
      customFields: rng.chance(0.2) ? { favoriteColor: rng.pick(["red", "green", "blue"]) } : {},
      provenance: provenance("people-contacts", remoteId, rng, base)
    },
    true
  )
}

const hrRecord = (rng: Random, who: Identity, base: number, fast: boolean): Person.Person => {
  const remoteId = who.employeeNumber
  const points: Array<ContactPoint.ContactPoint> = []
  if (rng.chance(0.75)) points.push(point("hr", remoteId, "email", mixCase(rng, who.email), "work"))
  if (who.personalEmail !== undefined && rng.chance(0.7)) points.push(point("hr", remoteId, "email", who.personalEmail, "personal"))
  if (who.mobile !== undefined && rng.chance(0.7)) points.push(point("hr", remoteId, "phone", formatPhone(who.mobile, 3), "mobile", { known: fast ? who.mobile : undefined }))
  if (who.home !== undefined && rng.chance(0.6)) points.push(point("hr", remoteId, "phone", formatPhone(who.home, 3), "home", { known: fast ? who.home : undefined }))
  return new Person.Person(
    {
      id: Person.canonicalId("hr", remoteId),
      name: new Person.Name({ given: who.given, family: who.family }, true),
      jobTitle: who.jobTitle,
      department: who.department,
      site: new Person.Reference({ id: who.site.id }, true),
      employeeNumber: who.employeeNumber,
      status: who.status === "Enabled" ? "Active" : "Terminated",
      contactPoints: points,
      customFields: { costCenter: `CC-${100 + departments.findIndex(([d]) => d === who.department)}` },
      provenance: provenance("hr", remoteId, rng, base)
    },
    true
  )
}

/**
 * Generates a company of `size` real people and their records in each system.
 *
 * @since 0.1.0
 * @category constructors
 */
export const company = (options: Options): Company => {
  const rng = random(options.seed)
  const rates: Rates = { ...defaultRates, ...options.rates }
  const domain = options.domain ?? "example.com"
  const base = (options.readAt ?? new Date("2026-01-01T00:00:00Z")).getTime()
  const fast = options.fast === true
  const phones = new Set<string>()
  const uniquePhone = (): string => {
    for (;;) {
      const number = `+1${rng.pick(areaCodes)}${2 + rng.int(8)}${String(rng.int(100)).padStart(2, "0")}${String(rng.int(10000)).padStart(4, "0")}`
      if (!phones.has(number)) {
        phones.add(number)
        return number
      }
    }
  }
  const emails = new Map<string, number>()
  const uniqueEmail = (local: string, domain: string): string => {
    const base = `${local}@${domain}`
    const count = (emails.get(base) ?? 0) + 1
    emails.set(base, count)
    if (count === 1) return base
    const numbered = `${local}${count}@${domain}`
    // a numbered address can collide with a base that ends in digits; try the next number
    if (emails.has(numbered)) return uniqueEmail(`${local}${count}x`, domain)
    emails.set(numbered, 1)
    return numbered
  }
  const draft: Draft = { rng, uniquePhone, uniqueEmail }
  const sites = makeSites(Math.max(1, Math.min(siteNames.length * 4, Math.ceil(options.size / 500))), uniquePhone)
  const identities: Array<Identity> = []
  for (let i = 0; i < options.size; i++) identities.push(makeIdentity(draft, i, identities, sites, domain, rates))

  const bySystem: Record<System, Array<Person.Person>> = { ringcentral: [], "people-contacts": [], hr: [] }
  const records: Array<Person.Person> = []
  const truth = new Map<string, string>()
  for (const who of identities) {
    for (const system of who.systems) {
      const record = system === "ringcentral"
        ? ringcentralRecord(rng, who, base, rates, fast)
        : system === "people-contacts"
        ? peopleContactsRecord(rng, who, base, rates, fast)
        : hrRecord(rng, who, base, fast)
      bySystem[system].push(record)
      records.push(record)
      truth.set(record.id, who.id)
    }
  }
  return { sites, identities, records, bySystem, truth }
}

/**
 * Pairwise quality of a clustering against the truth.
 *
 * @since 0.1.0
 * @category models
 */
export interface Quality {
  /** Correct pairs / predicted pairs (1 when nothing was predicted). */
  readonly precision: number
  /** Correct pairs / true pairs (1 when there is nothing to find). */
  readonly recall: number
  readonly f1: number
  readonly predictedPairs: number
  readonly truePairs: number
  readonly correctPairs: number
}

const pairs = (n: number): number => (n * (n - 1)) / 2

/**
 * Measures pairwise precision and recall of clusters (lists of record ids)
 * against the truth (record id → identity id). Records missing from the truth
 * count as their own identity.
 *
 * @since 0.1.0
 * @category evaluation
 */
export const evaluate = (clusters: ReadonlyArray<ReadonlyArray<string>>, truth: ReadonlyMap<string, string>): Quality => {
  let predictedPairs = 0
  let correctPairs = 0
  const truthSizes = new Map<string, number>()
  for (const cluster of clusters) {
    predictedPairs += pairs(cluster.length)
    const byIdentity = new Map<string, number>()
    for (const id of cluster) {
      const identity = truth.get(id) ?? `unlabelled:${id}`
      byIdentity.set(identity, (byIdentity.get(identity) ?? 0) + 1)
      truthSizes.set(identity, (truthSizes.get(identity) ?? 0) + 1)
    }
    for (const count of byIdentity.values()) correctPairs += pairs(count)
  }
  let truePairs = 0
  for (const count of truthSizes.values()) truePairs += pairs(count)
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1, predictedPairs, truePairs, correctPairs }
}
