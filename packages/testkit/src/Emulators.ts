/**
 * Both emulators on loopback holding one generated company: the RingCentral
 * directory (users with e-mails, direct, mobile and fax numbers, some sharing the
 * company main number, call queues, a federated account) and the same people in
 * the People system (matched by e-mail, with employee numbers), plus people found
 * in only one of the systems and contacts people typed themselves
 * (`integration: false`). Used by the demo, the examples, the benchmarks and
 * the end-to-end tests.
 *
 * ```ts
 * const emulators = yield* Emulators.start({ size: 2000, scale: 0.001 })
 * const connections = yield* Connections.make(emulators.settings) // @unified-people/cli/Connections
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Generator from "./Generator.js"
import type * as PeopleContactsConfig from "@unified-people/people-contacts/PeopleContactsConfig"
import type * as RingCentralClient from "@unified-people/ringcentral/RingCentralClient"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as PeopleEmulator from "./PeopleContactsEmulator.js"
import * as RingCentralEmulator from "./RingCentralEmulator.js"

/**
 * Options of {@link start}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** RingCentral directory entries (default 200). */
  readonly size?: number
  /** Generator seed (default 7). */
  readonly seed?: number
  /** Rate-limit scale of both emulators and of the clients configured for them (default 0.01). */
  readonly scale?: number
  /** Share of directory users left out of the People system (default 0.05). */
  readonly ringcentralOnlyShare?: number
  /** People only in the People system, as a share of `size` (default 0.05). */
  readonly peopleOnlyShare?: number
  /** Share of matched people with a contact they typed themselves (`integration: false`, default 0.3). */
  readonly personalShare?: number
  /** Share of the federated account in the directory (default 0: one account). */
  readonly federatedShare?: number
  /** The People client's rate-limit margin in {@link Emulators.settings} (default {@link inProcessMargin}). */
  readonly rateLimitMargin?: (windowMillis: number) => number
  /** Share of directory users given a personal fax line (a `FaxOnly` direct number, default 0.1). */
  readonly faxShare?: number
  /** The largest directory page the RingCentral emulator answers (default 2000): smaller pages make reads span pages. */
  readonly directoryPageSize?: number
}

/**
 * How to reach both emulators: the RingCentral client options, the People
 * client settings, and the rate-limit scale and margin of both clients. The
 * shape of the CLI's `Connections.Settings`, so `Connections.make(emulators.settings)`
 * connects to them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  /** `RingCentralEmulator.clientOptions`: the emulator's URL, the JWT credentials it accepts, its limits. */
  readonly ringcentral: RingCentralClient.Options
  /** The People emulator's API root, token and account. */
  readonly people: PeopleContactsConfig.PeopleContactsConfig
  /** The emulators' rate-limit scale. */
  readonly rateLimitScale: number
  /** The People client's rate-limit margin per window (see {@link Options.rateLimitMargin}). */
  readonly rateLimitMargin: (windowMillis: number) => number
}

/**
 * A company in both emulators.
 *
 * @since 0.1.0
 * @category models
 */
export interface Company {
  /** Directory users that have a person in the People system: RingCentral id → People id. */
  readonly matched: ReadonlyMap<string, number>
  /** Directory users (with an e-mail) missing from the People system. */
  readonly ringcentralOnly: ReadonlyArray<string>
  /** People missing from the directory. */
  readonly peopleOnly: ReadonlyArray<number>
  /** Contacts typed by people themselves (`integration: false`). */
  readonly personalContacts: number
}

/**
 * Both running emulators and how to reach them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Emulators {
  readonly ringcentral: RingCentralEmulator.Emulator
  readonly people: PeopleEmulator.Served
  readonly company: Company
  readonly scale: number
  /** Settings pointing the clients at both emulators. */
  readonly settings: Settings
  /** The same as environment variables (what `Connections.config` reads). */
  readonly env: Readonly<Record<string, string>>
  /** A `ConfigProvider` over {@link env}. */
  readonly configProvider: ConfigProvider.ConfigProvider
}

/**
 * The People client's rate-limit margin against these emulators: they run in
 * the client's process, so a request can wait in the shared event loop before
 * the emulator counts it (5% of the window plus 80 ms).
 *
 * @since 0.1.0
 * @category constants
 */
export const inProcessMargin = (windowMillis: number): number => windowMillis * 0.05 + 80

/**
 * Formats an E.164 US number the way people type it: `(650) 555-0101`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const typed = (e164: string): string => {
  const d = e164.replace(/^\+1/, "")
  return d.length === 10 ? `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}` : e164
}

/**
 * Starts both emulators for the lifetime of the scope and seeds the People
 * system from the generated directory. Requires an `HttpClient` (the RingCentral
 * emulator delivers webhooks with it).
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (
  options: Options = {}
): Effect.Effect<Emulators, HttpServerError.ServeError, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const scale = options.scale ?? 0.01
    const seed = options.seed ?? 7
    const ringcentral = yield* RingCentralEmulator.make({
      size: options.size ?? 200,
      seed,
      scale,
      federatedShare: options.federatedShare ?? 0,
      ...(options.directoryPageSize === undefined ? {} : { maxPerPage: options.directoryPageSize })
    })
    const people = yield* PeopleEmulator.serve({ people: 0, seed, rateLimitScale: scale })
    const company = seedPeople(ringcentral, people, options)
    const env: Record<string, string> = {
      RINGCENTRAL_SERVER_URL: ringcentral.url,
      RINGCENTRAL_CLIENT_ID: ringcentral.credentials.clientId,
      RINGCENTRAL_CLIENT_SECRET: ringcentral.credentials.clientSecret,
      RINGCENTRAL_JWT: ringcentral.credentials.jwt,
      PEOPLE_CONTACTS_BASE_URL: people.baseUrl,
      PEOPLE_CONTACTS_TOKEN: people.tokens[0]!,
      PEOPLE_CONTACTS_ACCOUNT: people.account,
      UNIFIED_PEOPLE_RATE_LIMIT_SCALE: String(scale)
    }
    return {
      ringcentral,
      people,
      company,
      scale,
      settings: {
        ringcentral: RingCentralEmulator.clientOptions(ringcentral),
        people: { baseUrl: people.baseUrl, token: Redacted.make(people.tokens[0]!), account: people.account },
        rateLimitScale: scale,
        rateLimitMargin: options.rateLimitMargin ?? inProcessMargin
      },
      env,
      configProvider: ConfigProvider.fromMap(new Map(Object.entries(env)), { pathDelim: "_" })
    }
  })

/**
 * Adds the directory's users to the People system (the same people, matched by
 * e-mail), leaving some out, adding people only the People system knows, and
 * contacts people typed themselves.
 *
 * @since 0.1.0
 * @category constructors
 */
export const seedPeople = (
  ringcentral: RingCentralEmulator.Emulator,
  people: PeopleEmulator.Emulator,
  options: Options = {}
): Company => {
  const random = Generator.random((options.seed ?? 7) * 31 + 1).next
  const ringcentralOnlyShare = options.ringcentralOnlyShare ?? 0.05
  const personalShare = options.personalShare ?? 0.3
  const matched = new Map<string, number>()
  const ringcentralOnly: Array<string> = []
  let personalContacts = 0
  const faxShare = options.faxShare ?? 0.1
  let fax = 0
  for (const extension of ringcentral.store.list()) {
    const email = extension.contact.email
    if (email === undefined || (extension.type !== "User" && extension.type !== "DigitalUser")) continue
    if (random() < faxShare) {
      // seeding, before anyone read the directory: no change event
      fax++
      extension.phoneNumbers.push({
        id: ringcentral.store.nextId(),
        phoneNumber: `+1206${String(3_000_000 + fax * 7).padStart(7, "0")}`,
        usageType: "DirectNumber",
        type: "FaxOnly"
      })
    }
    if (random() < ringcentralOnlyShare) {
      ringcentralOnly.push(extension.id)
      continue
    }
    const person = people.addPerson({
      name: [extension.contact.firstName, extension.contact.lastName].filter((s) => s !== undefined).join(" "),
      // the People system keeps e-mails as people typed them: matching normalizes
      primary_email: random() < 0.2 ? email.toUpperCase() : email,
      employeeID: extension.extensionNumber === undefined ? null : `E${extension.extensionNumber}`,
      job_title: extension.contact.jobTitle ?? null,
      disabled: extension.status === "Disabled"
    })
    matched.set(extension.id, person.id)
    if (random() < personalShare) {
      personalContacts++
      const roll = random()
      const direct = extension.phoneNumbers.find((p) => p.usageType === "DirectNumber")
      if (roll < 0.3 && direct !== undefined) {
        // the person typed the direct number themselves: the job must not duplicate it
        people.addContact(person.id, { label: "work", telephone: typed(direct.phoneNumber), integration: false })
      } else if (roll < 0.7) {
        people.addContact(person.id, {
          label: "home",
          telephone: `+1 (303) ${200 + Math.floor(random() * 700)}-${String(person.id % 10_000).padStart(4, "0")}`,
          integration: false
        })
      } else {
        people.addContact(person.id, { label: "personal", email: `person${person.id}@home.example`, integration: false })
      }
    }
  }
  const peopleOnly: Array<number> = []
  const extra = Math.round((options.size ?? 200) * (options.peopleOnlyShare ?? 0.05))
  for (let i = 0; i < extra; i++) peopleOnly.push(people.addPerson().id)
  return { matched, ringcentralOnly, peopleOnly, personalContacts }
}
