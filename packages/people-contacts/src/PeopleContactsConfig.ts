/**
 * Configuration of the People-Contacts adapter: base URL, bearer token (kept
 * `Redacted`), account id and the account header name.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"

/**
 * The adapter settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  /** The API root, e.g. `https://api.xurrent.com/v1` (no trailing slash needed). */
  readonly baseUrl: string
  /** The personal access token, sent as `Authorization: Bearer …`. */
  readonly token: Redacted.Redacted<string>
  /** The account id, sent in the account header. */
  readonly account: string
  /** The account header name (default `X-Xurrent-Account`; legacy `X-4me-Account`). */
  readonly accountHeader?: string | undefined
  /** Page size of collection reads, 1..100 (default 100). */
  readonly perPage?: number | undefined
}

/**
 * @since 0.1.0
 * @category tags
 */
export class PeopleContactsConfig extends Context.Tag("@unified-people/people-contacts/PeopleContactsConfig")<
  PeopleContactsConfig,
  Settings
>() {}

/**
 * The default header carrying the account id.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultAccountHeader = "X-Xurrent-Account"

/**
 * Provides a configuration from plain values.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: Settings): Layer.Layer<PeopleContactsConfig> => Layer.succeed(PeopleContactsConfig, config)

/**
 * Provides a configuration from `Config` leaves.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<Settings>
): Layer.Layer<PeopleContactsConfig, ConfigError.ConfigError> => Layer.effect(PeopleContactsConfig, Config.unwrap(config))

/**
 * The configuration read from the environment: `PEOPLE_CONTACTS_BASE_URL`,
 * `PEOPLE_CONTACTS_TOKEN` (redacted), `PEOPLE_CONTACTS_ACCOUNT`, and the
 * optional `PEOPLE_CONTACTS_ACCOUNT_HEADER` and `PEOPLE_CONTACTS_PER_PAGE`.
 *
 * @since 0.1.0
 * @category config
 */
export const fromEnv: Config.Config<Settings> = Config.nested(
  Config.all({
    baseUrl: Config.string("BASE_URL"),
    token: Config.redacted("TOKEN"),
    account: Config.string("ACCOUNT"),
    accountHeader: Config.string("ACCOUNT_HEADER").pipe(Config.withDefault(defaultAccountHeader)),
    perPage: Config.integer("PER_PAGE").pipe(
      Config.withDefault(100),
      Config.validate({ message: "must be between 1 and 100", validation: (n) => n >= 1 && n <= 100 })
    )
  }),
  "PEOPLE_CONTACTS"
)

/**
 * Provides the configuration read by {@link fromEnv}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromEnv: Layer.Layer<PeopleContactsConfig, ConfigError.ConfigError> = Layer.effect(
  PeopleContactsConfig,
  Effect.map(fromEnv, (config): Settings => config)
)
