/**
 * The two systems a sync job runs between, as the core ports: the RingCentral
 * company directory (the source `PeopleDirectory`) and the People system (the
 * target `PeopleDirectory` and its `ContactBook`), with the adapters' HTTP
 * policy counters for progress reports.
 *
 * Configured from plain values ({@link layer}) or from `Config`
 * ({@link layerConfig}): `RINGCENTRAL_SERVER_URL`, `RINGCENTRAL_CLIENT_ID`,
 * `RINGCENTRAL_CLIENT_SECRET`, `RINGCENTRAL_JWT` (or `RINGCENTRAL_ACCESS_TOKEN`),
 * `PEOPLE_CONTACTS_BASE_URL`, `PEOPLE_CONTACTS_TOKEN`, `PEOPLE_CONTACTS_ACCOUNT`,
 * and `UNIFIED_PEOPLE_RATE_LIMIT_SCALE` (scales both sides' rate-limit windows,
 * for emulators with scaled limits). Secrets stay `Redacted`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ContactBook from "@unified-people/core/ContactBook"
import type * as HttpPolicy from "@unified-people/core/HttpPolicy"
import type * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import * as RateLimiter from "@unified-people/core/RateLimiter"
import * as Contacts from "@unified-people/people-contacts/Contacts"
import * as People from "@unified-people/people-contacts/People"
import * as PeopleContactsClient from "@unified-people/people-contacts/PeopleContactsClient"
import * as PeopleContactsConfig from "@unified-people/people-contacts/PeopleContactsConfig"
import * as PeopleContactsPeople from "@unified-people/people-contacts/PeopleContactsPeople"
import * as Export from "@unified-people/people-contacts/Export"
import * as Import from "@unified-people/people-contacts/Import"
import * as Directory from "@unified-people/ringcentral/Directory"
import * as RingCentralClient from "@unified-people/ringcentral/RingCentralClient"
import * as RingCentralConfig from "@unified-people/ringcentral/RingCentralConfig"
import * as RingCentralPeople from "@unified-people/ringcentral/RingCentralPeople"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/**
 * The settings of both sides.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly ringcentral: RingCentralConfig.RingCentralConfig
  readonly people: PeopleContactsConfig.PeopleContactsConfig
  /**
   * Scales the rate-limit windows (and retry backoffs) of both clients, to talk
   * to emulators whose limits are scaled the same way (0.01: 60 s → 600 ms).
   */
  readonly rateLimitScale?: number | undefined
  /**
   * The People client's safety margin per rate-limit window, covering the time
   * between taking a slot and the request arriving (default: the core limiter's,
   * 2% of the window plus 25 ms). Emulators running in the same process as the
   * client share its event loop, so they need a larger one under load.
   */
  readonly rateLimitMargin?: ((windowMillis: number) => number) | undefined
  /** The People client's per-attempt timeout (default 30 s). */
  readonly peopleTimeout?: Duration.DurationInput | undefined
}

/**
 * The ports of both sides.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The RingCentral company directory. */
  readonly source: PeopleDirectory.Service
  /** The People system's people. */
  readonly target: PeopleDirectory.Service
  /** The People system's contacts, written one by one (no batch operations). */
  readonly contacts: ContactBook.Service
  /**
   * The same contact book with the People system's batch Import and Export
   * (`ContactBook.bulk`): what the sync's bulk mode runs on (`--bulk auto` or
   * `always`; see the People-Contacts README's "Bulk mode").
   */
  readonly bulkContacts: ContactBook.Service
  /** The HTTP policy counters of both clients (requests, retries, rate-limit waits). */
  readonly stats: ReadonlyArray<Effect.Effect<HttpPolicy.Stats>>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Connections extends Context.Tag("@unified-people/cli/Connections")<Connections, Service>() {}

const scaledRetry = (scale: number) => ({
  base: Duration.millis(Math.max(5, 2_000 * scale)),
  cap: Duration.millis(Math.max(50, 30_000 * scale))
})

/**
 * Builds both clients and their ports over the `HttpClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (settings: Settings): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const scale = settings.rateLimitScale ?? 1
    const scaled = scale !== 1
    const ringcentral = yield* RingCentralClient.make({
      ...settings.ringcentral,
      ...(scaled && settings.ringcentral.limits === undefined
        ? { limits: RateLimiter.scale(RingCentralConfig.defaultLimits, scale) as Record<RingCentralConfig.Group, RateLimiter.BucketConfig> }
        : {}),
      ...(scaled && settings.ringcentral.retry === undefined ? { retry: scaledRetry(scale) } : {})
    })
    const people = yield* PeopleContactsClient.make({
      ...settings.people,
      ...(scaled ? { rateLimitScale: scale, retry: scaledRetry(scale) } : {}),
      // imports and exports are polled from 1 s on, scaled like the limits
      ...(scaled && settings.people.bulk?.pollInterval === undefined
        ? { bulk: { ...settings.people.bulk, pollInterval: Duration.millis(Math.max(5, 1_000 * scale)) } }
        : {}),
      ...(settings.rateLimitMargin === undefined ? {} : { rateLimitMargin: settings.rateLimitMargin }),
      ...(settings.peopleTimeout === undefined ? {} : { timeout: settings.peopleTimeout })
    })
    const directory = yield* Effect.provideService(Directory.make, RingCentralClient.RingCentralClient, ringcentral)
    const source = yield* Effect.provideService(RingCentralPeople.make(), Directory.Directory, directory)
    const peopleArea = yield* Effect.provideService(People.make, PeopleContactsClient.PeopleContactsClient, people)
    const contactsArea = yield* Effect.provideService(Contacts.make, PeopleContactsClient.PeopleContactsClient, people)
    const target = yield* Effect.provideService(PeopleContactsPeople.makeDirectory, People.People, peopleArea)
    // the bulk Import and Export areas give the second contact book its batch operations (the sync's bulk mode)
    const importArea = yield* Effect.provideService(Import.make, PeopleContactsClient.PeopleContactsClient, people)
    const exportArea = yield* Effect.provideService(Export.make, PeopleContactsClient.PeopleContactsClient, people)
    const contacts = yield* Effect.provideService(PeopleContactsPeople.makeContactBook, Contacts.Contacts, contactsArea)
    const bulkContacts = yield* PeopleContactsPeople.makeContactBook.pipe(
      Effect.provideService(Contacts.Contacts, contactsArea),
      Effect.provideService(Import.Import, importArea),
      Effect.provideService(Export.Export, exportArea),
      Effect.provideService(PeopleContactsClient.PeopleContactsClient, people)
    )
    return { source, target, contacts, bulkContacts, stats: [ringcentral.policy.stats, people.policy.stats] }
  })

/**
 * The settings read from `Config` (see the module description for the names).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Settings> = Config.all({
  ringcentral: RingCentralConfig.config,
  people: PeopleContactsConfig.config,
  rateLimitScale: Config.option(
    Config.number("UNIFIED_PEOPLE_RATE_LIMIT_SCALE").pipe(
      Config.validate({ message: "must be greater than 0 and at most 1", validation: (n) => n > 0 && n <= 1 })
    )
  )
}).pipe(Config.map(({ people, rateLimitScale, ringcentral }): Settings => ({
  ringcentral,
  people,
  ...(Option.isSome(rateLimitScale) ? { rateLimitScale: rateLimitScale.value } : {})
})))

/**
 * Provides the connections from plain values.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (settings: Settings): Layer.Layer<Connections, never, HttpClient.HttpClient> =>
  Layer.effect(Connections, make(settings))

/**
 * Provides the connections from `Config` (default: {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  settings: Config.Config<Settings> = config
): Layer.Layer<Connections, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(Connections, Effect.flatMap(settings, make))
