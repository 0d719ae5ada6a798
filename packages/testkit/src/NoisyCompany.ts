/**
 * A second, independent generator of labelled people data: one company's
 * directory as three systems hold it, with the ground truth of who is who.
 *
 * - **HRIS** (`hris`): every employee (contractors are not in it) under the
 *   legal name with its accents, an employee number, department, office, title,
 *   the work address on the company's current domain, often a personal address
 *   and a mobile number.
 * - **Phone system** (`pbx`): ASCII-only names typed by IT (accents dropped, the
 *   name people go by, the odd typo, some in capitals), an extension, the direct
 *   line in E.164, a login address that is often still on the domain the
 *   company had before its rename, abbreviated department and office names,
 *   sometimes the employee number written differently (`E100234`, `00100234`).
 * - **CRM** (`crm`): contacts typed by sales: display-only names (`Smith, John`),
 *   swapped given and family names, nicknames, typos, dropped accents, e-mail
 *   aliases (`jsmith@`, `bob.smith@`), the old domain or a personal address,
 *   phones in every format (dots, dashes, `(0)`, `00`, extensions), records
 *   without e-mail, and a few duplicate contacts of one person.
 *
 * About 11 % of people have no direct line and are reached through their
 * office's main number: the phone system marks it `main` (shared), but the HRIS
 * and the CRM record it as the person's work number, unmarked. Namesakes (the
 * same given and family name) work in different departments; some people
 * changed their family name and the older systems still hold the old one.
 *
 * The same seed and options always give the same company (its own PRNG, no
 * `Math.random`, no clock). This generator shares no code or word list with
 * `@unified-people/core`'s `Generator`, so an algorithm tuned on one can be
 * checked on the other.
 *
 * @since 0.1.0
 */
import * as ContactPoint from "@unified-people/core/ContactPoint"
import type * as Label from "@unified-people/core/Label"
import * as Normalize from "@unified-people/core/Normalize"
import * as Person from "@unified-people/core/Person"
import { type Rng, rng as makeRng, zipf } from "./internal/noisyCompany/random.js"
import * as Vocabulary from "./internal/noisyCompany/vocabulary.js"

/**
 * The systems the generator writes.
 *
 * @since 0.1.0
 * @category models
 */
export const systems = ["hris", "pbx", "crm"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type System = (typeof systems)[number]

/**
 * The ground truth about one real person.
 *
 * @since 0.1.0
 * @category models
 */
export interface Identity {
  /** Truth id: `np-000001`. */
  readonly id: string
  /** Legal given name (accents kept). */
  readonly given: string
  readonly middle?: string
  /** The short form the person goes by, when they do. */
  readonly nickname?: string
  /** Current family name. */
  readonly family: string
  /** The family name before a change, still held by older records. */
  readonly formerFamily?: string
  readonly department: string
  readonly title: string
  readonly office: string
  readonly employeeNumber: string
  readonly extension: string
  /** The work address on the current domain, lower case. */
  readonly email: string
  /** Other addresses of the same mailbox (short forms, nickname forms), current domain. */
  readonly aliases: ReadonlyArray<string>
  readonly personalEmail?: string
  /** Direct line (E.164); people without one are on their office's main number. */
  readonly direct?: string
  readonly mobile?: string
  /** Reached through the office main number (no direct line). */
  readonly onMainNumber: boolean
  /** The identity this one shares a full name with. */
  readonly namesakeOf?: string
  /** Not an employee: no HRIS record. */
  readonly contractor: boolean
  readonly systems: ReadonlyArray<System>
}

/**
 * Probabilities of the noise, each per person or per record.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rates {
  /** A person goes by a nickname (when their name has one). */
  readonly nickname: number
  /** A name part typed wrong, per record outside the HRIS. */
  readonly typo: number
  /** Given and family names swapped, per CRM record. */
  readonly swapped: number
  /** Only a display name, per CRM record. */
  readonly displayOnly: number
  /** The phone-system account predates the company rename (old domain). */
  readonly oldDomain: number
  /** A person shares an earlier person's full name. */
  readonly namesake: number
  /** A person has no direct line and is reached on the office main number. */
  readonly mainNumber: number
  /** A person changed their family name. */
  readonly nameChange: number
  /** A CRM contact entered twice. */
  readonly crmDuplicate: number
  /** A record carries a department the person has left. */
  readonly staleDepartment: number
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultRates: Rates = {
  nickname: 0.35,
  typo: 0.04,
  swapped: 0.03,
  displayOnly: 0.12,
  oldDomain: 0.35,
  namesake: 0.03,
  mainNumber: 0.11,
  nameChange: 0.03,
  crmDuplicate: 0.03,
  staleDepartment: 0.05
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly seed: number
  /** Number of real people (about 2.2 records each). */
  readonly people: number
  readonly rates?: Partial<Rates>
  /**
   * Write the normalized phone numbers the generator already knows instead of
   * parsing every formatted number (for benchmarks of a million records). The
   * records are the same; a test checks it.
   */
  readonly fast?: boolean
}

/**
 * A generated company.
 *
 * @since 0.1.0
 * @category models
 */
export interface Company {
  readonly identities: ReadonlyArray<Identity>
  /** Every record of every system, in generation order. */
  readonly records: ReadonlyArray<Person.Person>
  readonly bySystem: Readonly<Record<System, ReadonlyArray<Person.Person>>>
  /** Record id (`system:remoteId`) → identity id. */
  readonly truth: ReadonlyMap<string, string>
  /** The offices' main numbers (E.164): shared by everyone reached through them. */
  readonly mainNumbers: ReadonlyArray<string>
  readonly domains: { readonly current: string; readonly previous: string }
}

/**
 * The company's e-mail domains: the current one and the one before the rename.
 *
 * @since 0.1.0
 * @category constants
 */
export const domains = { current: "larkspur-group.com", previous: "larkspur.io" } as const

// -----------------------------------------------------------------------------
// text noise
// -----------------------------------------------------------------------------

const ascii = (s: string): string =>
  s.normalize("NFD").replace(/\p{M}/gu, "")
    .replace(/ø/g, "o").replace(/Ø/g, "O").replace(/ł/g, "l").replace(/Ł/g, "L").replace(/ß/g, "ss")
    .replace(/ı/g, "i").replace(/æ/g, "ae").replace(/Æ/g, "AE")

const mailbox = (s: string): string => ascii(s).toLowerCase().replace(/[^a-z0-9]/g, "")

const typo = (r: Rng, s: string): string => {
  if (s.length < 4) return s
  const i = 1 + r.below(s.length - 2)
  const c = s[i]!
  switch (r.below(4)) {
    case 0: {
      const near = Vocabulary.keyboardNeighbours[c.toLowerCase()]
      return near === undefined ? s : s.slice(0, i) + r.pick([...near]) + s.slice(i + 1)
    }
    case 1:
      return s.slice(0, i) + s[i + 1]! + c + s.slice(i + 2)
    case 2:
      return s.slice(0, i) + s.slice(i + 1)
    default:
      return s.slice(0, i) + c + s.slice(i)
  }
}

// -----------------------------------------------------------------------------
// phone numbers
// -----------------------------------------------------------------------------

const digits = (r: Rng, n: number): string => {
  let out = ""
  for (let i = 0; i < n; i++) out += String(r.below(10))
  return out
}

/** A fixed line (`mobile` false) or mobile number of an office's country, in E.164. */
const newNumber = (r: Rng, office: Vocabulary.Office, mobile: boolean): string => {
  switch (office.country) {
    case "GB":
      return mobile ? `+447${digits(r, 9)}` : `+44${office.areas[0]!}${3 + r.below(5)}${digits(r, 7)}`
    case "DE":
      return mobile ? `+4915${digits(r, 9)}` : `+49${office.areas[0]!}${2 + r.below(7)}${digits(r, 7)}`
    case "FR":
      return mobile ? `+33${6 + r.below(2)}${digits(r, 8)}` : `+33${office.areas[0]!}${digits(r, 8)}`
    default:
      return `+1${r.pick(office.areas)}${2 + r.below(8)}${digits(r, 2)}${digits(r, 4)}`
  }
}

/** An E.164 number written the way a person or a system writes it. */
const formatPhone = (r: Rng, e164: string, style: "e164" | "any" | "national"): string => {
  if (style === "e164") return e164
  if (e164.startsWith("+1")) {
    const a = e164.slice(2, 5)
    const e = e164.slice(5, 8)
    const s = e164.slice(8)
    switch (style === "national" ? r.below(3) : r.below(10)) {
      case 0:
        return `(${a}) ${e}-${s}`
      case 1:
        return `${a}-${e}-${s}`
      case 2:
        return `${a}.${e}.${s}`
      case 3:
        return `+1 (${a}) ${e}-${s}`
      case 4:
        return `1-${a}-${e}-${s}`
      case 5:
        return `${a}${e}${s}`
      case 6:
        return `+1 ${a} ${e} ${s}`
      case 7:
        return `+1.${a}.${e}.${s}`
      case 8:
        return `${a}/${e}-${s}`
      default:
        return e164
    }
  }
  const code = e164.startsWith("+44") ? "44" : e164.startsWith("+49") ? "49" : "33"
  const national = e164.slice(1 + code.length)
  const grouped = code === "33"
    ? national.replace(/^(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/, "$1 $2 $3 $4 $5")
    : code === "44"
    ? national.replace(/^(\d{2,4})(\d{4})(\d+)$/, "$1 $2 $3")
    : national.replace(/^(\d{2,3})(\d+)$/, "$1 $2")
  switch (r.below(4)) {
    case 0:
      return `+${code} ${grouped}`
    case 1:
      return `+${code} (0)${grouped}`
    case 2:
      return `00${code} ${grouped}`
    default:
      return e164
  }
}

const withExtension = (r: Rng, formatted: string, extension: string): string =>
  `${formatted}${r.pick([" x", " ext. ", " ext ", " #", ", "])}${extension}`

// -----------------------------------------------------------------------------
// records
// -----------------------------------------------------------------------------

interface Context {
  readonly r: Rng
  readonly fast: boolean
  readonly rates: Rates
  readonly readAt: number
}

const point = (
  ctx: Context,
  system: System,
  remoteId: string,
  kind: Label.Kind,
  value: string,
  label: Label.Label,
  extra: { readonly known?: string; readonly shared?: boolean; readonly primary?: boolean; readonly capabilities?: ReadonlyArray<ContactPoint.Capability> } = {}
): ContactPoint.ContactPoint => {
  if (!ctx.fast || (kind === "phone" && extra.known === undefined)) {
    return ContactPoint.make({
      kind,
      value,
      label,
      ...(extra.shared === undefined ? {} : { shared: extra.shared }),
      ...(extra.primary === undefined ? {} : { primary: extra.primary }),
      ...(extra.capabilities === undefined ? {} : { capabilities: extra.capabilities }),
      source: new ContactPoint.SourceRef({ system, remoteId }, true)
    })
  }
  const normalized = kind === "phone" ? extra.known! : Normalize.value(kind, value)
  const shared = extra.shared ?? (label === "main" ? true : undefined)
  return new ContactPoint.ContactPoint(
    {
      kind,
      value,
      ...(typeof normalized === "string"
        ? { normalized }
        : normalized._tag === "Normalized"
        ? { normalized: normalized.value }
        : { issue: normalized.reason }),
      label,
      ...(extra.primary === undefined ? {} : { primary: extra.primary }),
      ...(extra.capabilities === undefined ? {} : { capabilities: [...extra.capabilities] }),
      ...(shared === undefined ? {} : { shared }),
      source: new ContactPoint.SourceRef({ system, remoteId }, true)
    },
    true
  )
}

const provenance = (ctx: Context, system: System, remoteId: string): ReadonlyArray<Person.Provenance> => [
  new Person.Provenance({ system, remoteId, version: String(1 + ctx.r.below(20)), readAt: new Date(ctx.readAt + ctx.r.below(14 * 86_400) * 1000) }, true)
]

const departmentOf = (name: string): Vocabulary.Department => Vocabulary.departments.find((d) => d.name === name)!
const officeOf = (name: string): Vocabulary.Office => Vocabulary.offices.find((o) => o.name === name)!

const staleDepartment = (ctx: Context, who: Identity): string =>
  ctx.r.chance(ctx.rates.staleDepartment) ? ctx.r.pick(Vocabulary.departments).name : who.department

interface Extra {
  readonly mainNumberOf: (office: string) => string
}

const hrisRecord = (ctx: Context, who: Identity, extra: Extra): Person.Person => {
  const { r } = ctx
  const remoteId = who.employeeNumber
  const points: Array<ContactPoint.ContactPoint> = []
  const add = (kind: Label.Kind, value: string, label: Label.Label, known?: string) =>
    points.push(point(ctx, "hris", remoteId, kind, value, label, known === undefined ? {} : { known }))
  if (r.chance(0.88)) add("email", who.email, "work")
  if (who.personalEmail !== undefined && r.chance(0.6)) add("email", who.personalEmail, "personal")
  if (who.mobile !== undefined && r.chance(0.75)) add("phone", formatPhone(r, who.mobile, "national"), "mobile", who.mobile)
  if (who.direct !== undefined && r.chance(0.5)) add("phone", formatPhone(r, who.direct, "national"), "work", who.direct)
  if (who.onMainNumber && r.chance(0.7)) {
    // the office main number recorded as the person's work number, not marked shared
    const main = extra.mainNumberOf(who.office)
    add("phone", formatPhone(r, main, "national"), "work", main)
  }
  const given = who.middle !== undefined && r.chance(0.25) ? `${who.given} ${who.middle}` : who.given
  return new Person.Person(
    {
      id: Person.canonicalId("hris", remoteId),
      name: new Person.Name({ given, family: who.family }, true),
      jobTitle: who.title,
      department: who.department,
      site: new Person.Reference({ name: who.office }, true),
      employeeNumber: who.employeeNumber,
      status: "Active",
      contactPoints: points,
      customFields: { costCenter: `CC${4100 + Vocabulary.departments.findIndex((d) => d.name === who.department)}` },
      provenance: provenance(ctx, "hris", remoteId)
    },
    true
  )
}

const pbxRecord = (ctx: Context, who: Identity, extra: Extra): Person.Person => {
  const { r, rates } = ctx
  const remoteId = String(7_100_000 + Number(who.extension))
  const points: Array<ContactPoint.ContactPoint> = []
  let given = ascii(who.nickname !== undefined && r.chance(0.6) ? who.nickname : who.given)
  let family = ascii(who.formerFamily !== undefined && r.chance(0.7) ? who.formerFamily : who.family)
  if (r.chance(rates.typo)) {
    if (r.chance(0.5)) given = typo(r, given)
    else family = typo(r, family)
  }
  if (r.chance(0.05)) {
    given = given.toUpperCase()
    family = family.toUpperCase()
  }
  const emailRoll = r.next()
  if (emailRoll < rates.oldDomain) {
    points.push(point(ctx, "pbx", remoteId, "email", `${who.email.split("@")[0]!}@${domains.previous}`, "work", { primary: true }))
  } else if (emailRoll < 0.9) {
    points.push(point(ctx, "pbx", remoteId, "email", who.email, "work", { primary: true }))
  }
  if (who.direct !== undefined) points.push(point(ctx, "pbx", remoteId, "phone", who.direct, "work", { known: who.direct, capabilities: ["voice", "sms"] }))
  if (who.onMainNumber) {
    const main = extra.mainNumberOf(who.office)
    points.push(point(ctx, "pbx", remoteId, "phone", `${main};ext=${who.extension}`, "main", { known: `${main};ext=${who.extension}`, capabilities: ["voice"] }))
  }
  if (who.mobile !== undefined && r.chance(0.35)) points.push(point(ctx, "pbx", remoteId, "phone", who.mobile, "mobile", { known: who.mobile, capabilities: ["voice", "sms"] }))
  const department = staleDepartment(ctx, who)
  const office = officeOf(who.office)
  const employeeNumber = r.chance(0.35) ? r.pick([who.employeeNumber, `E${who.employeeNumber}`, `00${who.employeeNumber}`]) : undefined
  return new Person.Person(
    {
      id: Person.canonicalId("pbx", remoteId),
      name: new Person.Name({ given, family, display: `${given} ${family}` }, true),
      department: r.chance(0.3) ? r.pick(departmentOf(department).abbreviations) : department,
      site: new Person.Reference({ id: office.alias.toLowerCase().replace(/\s+/g, "-"), name: r.chance(0.5) ? office.alias : office.name }, true),
      ...(employeeNumber === undefined ? {} : { employeeNumber }),
      extensionNumber: who.extension,
      status: r.chance(0.97) ? "Enabled" : "Disabled",
      contactPoints: points,
      customFields: {},
      provenance: provenance(ctx, "pbx", remoteId)
    },
    true
  )
}

const crmId = (r: Rng): string => {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
  let out = "0035g"
  for (let i = 0; i < 13; i++) out += alphabet[r.below(alphabet.length)]
  return out
}

const crmRecord = (ctx: Context, who: Identity, extra: Extra, duplicate: boolean): Person.Person => {
  const { r, rates } = ctx
  const remoteId = crmId(r)
  const points: Array<ContactPoint.ContactPoint> = []
  let given = who.nickname !== undefined && r.chance(0.5) ? who.nickname : who.given
  let family = who.formerFamily !== undefined && r.chance(0.6) ? who.formerFamily : who.family
  if (r.chance(0.5)) {
    given = ascii(given)
    family = ascii(family)
  }
  if (r.chance(rates.typo * 1.5)) {
    if (r.chance(0.5)) given = typo(r, given)
    else family = typo(r, family)
  }
  if (r.chance(0.05)) {
    given = given.toLowerCase()
    family = family.toLowerCase()
  }
  if (r.chance(rates.swapped)) [given, family] = [family, given]
  const name = r.chance(rates.displayOnly)
    ? new Person.Name({ display: r.chance(0.5) ? `${family}, ${given}` : `${given} ${family}` }, true)
    : new Person.Name({ given, family }, true)

  const [local] = who.email.split("@") as [string]
  const emailRoll = r.next()
  const sparse = duplicate && r.chance(0.5)
  if (emailRoll < 0.3 && who.aliases.length > 0) points.push(point(ctx, "crm", remoteId, "email", r.pick(who.aliases), "work"))
  else if (emailRoll < 0.5) points.push(point(ctx, "crm", remoteId, "email", `${local}@${domains.previous}`, "work"))
  else if (emailRoll < 0.7) points.push(point(ctx, "crm", remoteId, "email", r.chance(0.3) ? who.email.toUpperCase() : who.email, "work"))
  else if (emailRoll < 0.8 && who.personalEmail !== undefined) points.push(point(ctx, "crm", remoteId, "email", who.personalEmail, "personal"))
  // else: no e-mail at all
  if (!sparse) {
    if (who.direct !== undefined && r.chance(0.6)) {
      const formatted = formatPhone(r, who.direct, "any")
      points.push(point(ctx, "crm", remoteId, "phone", formatted, "work", { known: who.direct }))
    }
    if (who.onMainNumber && r.chance(0.75)) {
      const main = extra.mainNumberOf(who.office)
      const formatted = formatPhone(r, main, "any")
      if (r.chance(0.3)) points.push(point(ctx, "crm", remoteId, "phone", withExtension(r, formatted, who.extension), "work", { known: `${main};ext=${who.extension}` }))
      else points.push(point(ctx, "crm", remoteId, "phone", formatted, "work", { known: main }))
    }
    if (who.mobile !== undefined && r.chance(0.4)) points.push(point(ctx, "crm", remoteId, "phone", formatPhone(r, who.mobile, "any"), "mobile", { known: who.mobile }))
    if (r.chance(0.01)) points.push(point(ctx, "crm", remoteId, "phone", r.pick(["ask reception", "555-01", "TBD"]), "other"))
  }
  if (points.length === 0) {
    // a contact is kept to be reached: one way at least, whatever was at hand
    if (who.personalEmail !== undefined && r.chance(0.5)) points.push(point(ctx, "crm", remoteId, "email", who.personalEmail, "personal"))
    else if (who.mobile !== undefined) points.push(point(ctx, "crm", remoteId, "phone", formatPhone(r, who.mobile, "any"), "mobile", { known: who.mobile }))
    else if (who.direct !== undefined) points.push(point(ctx, "crm", remoteId, "phone", formatPhone(r, who.direct, "any"), "work", { known: who.direct }))
    else points.push(point(ctx, "crm", remoteId, "email", `${local}@${r.chance(0.5) ? domains.previous : domains.current}`, "work"))
  }
  const department = r.chance(0.35) ? staleDepartment(ctx, who) : undefined
  return new Person.Person(
    {
      id: Person.canonicalId("crm", remoteId),
      name,
      ...(r.chance(0.6) ? { jobTitle: who.title } : {}),
      ...(department === undefined ? {} : { department }),
      company: new Person.Reference({ name: r.pick(["Larkspur", "Larkspur Group", "Larkspur Inc."]) }, true),
      ...(r.chance(0.3) ? { site: new Person.Reference({ name: who.office }, true) } : {}),
      contactPoints: points,
      customFields: r.chance(0.15) ? { leadSource: r.pick(["Webinar", "Referral", "Trade show"]) } : {},
      provenance: provenance(ctx, "crm", remoteId)
    },
    true
  )
}

// -----------------------------------------------------------------------------
// people
// -----------------------------------------------------------------------------

const givenDraw = zipf(Vocabulary.givenNames.length, 0.8, 8)
const familyDraw = zipf(Vocabulary.familyNames.length, 0.75, 10)
const departmentDraw = zipf(Vocabulary.departments.length, 0.6, 2)

/**
 * Generates a company of `people` real people and their records in each system.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Company => {
  const r = makeRng(options.seed)
  const rates: Rates = { ...defaultRates, ...options.rates }
  const ctx: Context = { r, fast: options.fast === true, rates, readAt: Date.UTC(2026, 5, 1) }
  const officeCount = Math.max(2, Math.min(Vocabulary.offices.length, Math.ceil(options.people / 400)))
  const offices = Vocabulary.offices.slice(0, officeCount)
  const numbers = new Set<string>()
  const unique = (make: () => string): string => {
    for (;;) {
      const n = make()
      if (!numbers.has(n)) {
        numbers.add(n)
        return n
      }
    }
  }
  const mainNumbers = new Map(offices.map((o) => [o.name, unique(() => newNumber(r, o, false))] as const))
  const mainNumberOf = (office: string): string => mainNumbers.get(office)!
  const mailboxes = new Set<string>()
  const claim = (candidates: ReadonlyArray<string>, fallback: string): string => {
    for (const c of candidates) {
      if (!mailboxes.has(c)) {
        mailboxes.add(c)
        return c
      }
    }
    for (let n = 2; ; n++) {
      const c = `${fallback}${n}`
      if (!mailboxes.has(c)) {
        mailboxes.add(c)
        return c
      }
    }
  }
  const personal = new Set<string>()

  const identities: Array<Identity> = []
  const byName: Array<Identity> = []
  for (let i = 0; i < options.people; i++) {
    const number = i + 1
    let [given, nicknames] = Vocabulary.givenNames[givenDraw(r)]!
    let family = Vocabulary.familyNames[familyDraw(r)]!
    let department = Vocabulary.departments[departmentDraw(r)]!.name
    let namesakeOf: string | undefined
    if (byName.length > 0 && r.chance(rates.namesake)) {
      const twin = r.pick(byName)
      given = twin.given
      family = twin.family
      nicknames = Vocabulary.givenNames.find(([g]) => g === twin.given)?.[1] ?? []
      namesakeOf = twin.id
      while (department === twin.department) department = r.pick(Vocabulary.departments).name
    }
    const middle = r.chance(0.3) ? String.fromCharCode(65 + r.below(26)) : undefined
    const formerFamily = r.chance(rates.nameChange) ? Vocabulary.familyNames[familyDraw(r)]! : undefined
    const nickname = nicknames.length > 0 && r.chance(rates.nickname) ? r.pick(nicknames) : undefined
    const office = r.pick(offices)
    const dept = departmentOf(department)
    const first = mailbox(given.split(/[\s-]/)[0]!)
    const last = mailbox(formerFamily !== undefined && r.chance(0.5) ? formerFamily : family)
    const local = claim(
      [`${first}.${last}`, ...(middle === undefined ? [] : [`${first}.${middle.toLowerCase()}.${last}`])],
      `${first}.${last}`
    )
    const aliases: Array<string> = []
    const short = `${first[0] ?? "x"}${last}`
    if (!mailboxes.has(short)) {
      mailboxes.add(short)
      aliases.push(`${short}@${domains.current}`)
    }
    if (nickname !== undefined) {
      const nick = `${mailbox(nickname)}.${last}`
      if (!mailboxes.has(nick)) {
        mailboxes.add(nick)
        aliases.push(`${nick}@${domains.current}`)
      }
    }
    let personalEmail: string | undefined
    if (r.chance(0.45)) {
      const base = r.pick([`${first}${last}`, `${first}.${last}`, `${last}.${first[0] ?? ""}`, `${first}${r.below(100)}`])
      let candidate = `${base}@${r.pick(Vocabulary.personalDomains)}`
      while (personal.has(candidate)) candidate = `${base}${r.below(1000)}@${r.pick(Vocabulary.personalDomains)}`
      personal.add(candidate)
      personalEmail = candidate
    }
    const onMainNumber = r.chance(rates.mainNumber)
    const direct = onMainNumber ? undefined : unique(() => newNumber(r, office, false))
    const mobile = r.chance(0.55) ? unique(() => newNumber(r, office, true)) : undefined
    const contractor = r.chance(0.1)
    const chosen = systems.filter((s) => (s === "hris" ? !contractor && r.chance(0.97) : s === "pbx" ? r.chance(0.8) : r.chance(0.55)))
    const identity: Identity = {
      id: `np-${String(number).padStart(6, "0")}`,
      given,
      ...(middle === undefined ? {} : { middle }),
      ...(nickname === undefined ? {} : { nickname }),
      family,
      ...(formerFamily === undefined || formerFamily === family ? {} : { formerFamily }),
      department,
      title: r.pick(dept.titles),
      office: office.name,
      employeeNumber: String(100_000 + number * 3 + r.below(3)),
      extension: String(2000 + i),
      email: `${local}@${domains.current}`,
      aliases,
      ...(personalEmail === undefined ? {} : { personalEmail }),
      ...(direct === undefined ? {} : { direct }),
      ...(mobile === undefined ? {} : { mobile }),
      onMainNumber,
      ...(namesakeOf === undefined ? {} : { namesakeOf }),
      contractor,
      systems: chosen.length > 0 ? chosen : [contractor ? "pbx" : r.pick(systems)]
    }
    identities.push(identity)
    if (namesakeOf === undefined) byName.push(identity)
  }

  const extra: Extra = { mainNumberOf }
  const bySystem: Record<System, Array<Person.Person>> = { hris: [], pbx: [], crm: [] }
  const records: Array<Person.Person> = []
  const truth = new Map<string, string>()
  const add = (system: System, record: Person.Person, who: Identity) => {
    bySystem[system].push(record)
    records.push(record)
    truth.set(record.id, who.id)
  }
  for (const who of identities) {
    for (const system of who.systems) {
      if (system === "hris") add(system, hrisRecord(ctx, who, extra), who)
      else if (system === "pbx") add(system, pbxRecord(ctx, who, extra), who)
      else {
        add(system, crmRecord(ctx, who, extra, false), who)
        if (r.chance(rates.crmDuplicate)) add(system, crmRecord(ctx, who, extra, true), who)
      }
    }
  }
  return { identities, records, bySystem, truth, mainNumbers: [...mainNumbers.values()], domains }
}

// -----------------------------------------------------------------------------
// evaluation
// -----------------------------------------------------------------------------

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
  /** Predicted pairs of records of two different people. */
  readonly falsePairs: number
  /** False pairs whose two records both carry the same office main number (in any form, with or without extension). */
  readonly falseSharedPairs: number
  /** Clusters holding records of more than one person. */
  readonly mixedClusters: number
}

const pairsOf = (n: number): number => (n * (n - 1)) / 2

/**
 * Measures a clustering (lists of record ids) against the company's truth.
 * Records missing from the truth count as their own person.
 *
 * @since 0.1.0
 * @category evaluation
 */
export const evaluate = (
  company: Pick<Company, "truth" | "mainNumbers" | "records">,
  clusters: ReadonlyArray<ReadonlyArray<string>>
): Quality => {
  const mains = new Set(company.mainNumbers)
  const mainOf = new Map<string, ReadonlyArray<string>>()
  for (const record of company.records) {
    const held = new Set<string>()
    for (const p of record.contactPoints) {
      if (p.kind !== "phone" || p.normalized === undefined) continue
      const base = p.normalized.split(";")[0]!
      if (mains.has(base)) held.add(base)
    }
    if (held.size > 0) mainOf.set(record.id, [...held])
  }
  let predictedPairs = 0
  let correctPairs = 0
  let falseSharedPairs = 0
  let mixedClusters = 0
  const sizes = new Map<string, number>()
  for (const cluster of clusters) {
    predictedPairs += pairsOf(cluster.length)
    const byIdentity = new Map<string, number>()
    for (const id of cluster) {
      const identity = company.truth.get(id) ?? `unlabelled:${id}`
      byIdentity.set(identity, (byIdentity.get(identity) ?? 0) + 1)
      sizes.set(identity, (sizes.get(identity) ?? 0) + 1)
    }
    for (const count of byIdentity.values()) correctPairs += pairsOf(count)
    if (byIdentity.size > 1) {
      mixedClusters++
      for (let x = 0; x < cluster.length; x++) {
        const mx = mainOf.get(cluster[x]!)
        if (mx === undefined) continue
        for (let y = x + 1; y < cluster.length; y++) {
          const my = mainOf.get(cluster[y]!)
          if (my === undefined || company.truth.get(cluster[x]!) === company.truth.get(cluster[y]!)) continue
          if (mx.some((m) => my.includes(m))) falseSharedPairs++
        }
      }
    }
  }
  let truePairs = 0
  for (const count of sizes.values()) truePairs += pairsOf(count)
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1, predictedPairs, truePairs, correctPairs, falsePairs: predictedPairs - correctPairs, falseSharedPairs, mixedClusters }
}
