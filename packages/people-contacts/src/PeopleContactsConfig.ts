/**
 * The configuration of the People-Contacts adapter: the options of
 * `PeopleContactsClient.make` without its functions (base URL, bearer token
 * kept `Redacted`, account id and header, page size, retries, timeout,
 * rate-limit scale), the shape `PeopleContactsClient.layerConfig` takes with
 * `Config` leaves, and {@link config}: the same read from the environment
 * under the `PEOPLE_CONTACTS` prefix.
 *
 * Secrets are `Redacted` everywhere, so they never reach logs, errors or
 * `toString` output.
 *
 * @since 0.1.0
 */
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as Config from "effect/Config"
import type * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"

/**
 * @since 0.1.0
 * @category models
 */
export interface PeopleContactsConfig {
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
  /** Scales the rate-limit windows (0.01 turns 2 s into 20 ms), for tests against a scaled emulator. */
  readonly rateLimitScale?: number | undefined
  /** Retries after the first attempt (default 5) and their backoff (default from 500 ms, capped at 30 s). */
  readonly retry?: HttpPolicy.RetryOptions | undefined
  /** Per-attempt timeout for the whole exchange, body included (default 30 s). */
  readonly timeout?: Duration.DurationInput | undefined
  /** The bulk Import and Export APIs: the size of an import, and how imports and exports are awaited. */
  readonly bulk?: BulkConfig | undefined
}

/**
 * The options of the bulk Import and Export APIs.
 *
 * @since 0.1.0
 * @category models
 */
export interface BulkConfig {
  /** The most contact rows one import carries (more are split into several imports; default: no limit). */
  readonly maxRows?: number | undefined
  /** The wait before the second poll of an import or export (default 1 s), doubling up to 30 s. */
  readonly pollInterval?: Duration.DurationInput | undefined
  /** How long an import or export is polled in all before giving up (default 30 minutes). */
  readonly pollTimeout?: Duration.DurationInput | undefined
}

/**
 * The default header carrying the account id.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultAccountHeader = "X-Xurrent-Account"

/**
 * The configuration read from `Config` under the `PEOPLE_CONTACTS` prefix:
 * `PEOPLE_CONTACTS_BASE_URL` (an absolute http(s) URL), `PEOPLE_CONTACTS_TOKEN` (redacted),
 * `PEOPLE_CONTACTS_ACCOUNT`, and the optional `PEOPLE_CONTACTS_ACCOUNT_HEADER`
 * (default `X-Xurrent-Account`) and `PEOPLE_CONTACTS_PER_PAGE` (1 to 100,
 * default 100).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<PeopleContactsConfig> = Config.nested(
  Config.all({
    baseUrl: HttpPolicy.httpUrlConfig("BASE_URL"),
    token: Config.redacted("TOKEN"),
    account: Config.string("ACCOUNT"),
    accountHeader: Config.string("ACCOUNT_HEADER").pipe(Config.withDefault(defaultAccountHeader)),
    perPage: Config.integer("PER_PAGE").pipe(
      Config.validate({ message: "must be between 1 and 100", validation: (n) => n >= 1 && n <= 100 }),
      Config.withDefault(100)
    ),
    bulk: Config.all({
      maxRows: Config.integer("IMPORT_MAX_ROWS").pipe(
        Config.validate({ message: "must be at least 1", validation: (n) => n >= 1 }),
        Config.option,
        Config.map(Option.getOrUndefined)
      ),
      pollTimeout: Config.duration("BULK_POLL_TIMEOUT").pipe(Config.option, Config.map(Option.getOrUndefined))
    })
  }),
  "PEOPLE_CONTACTS"
)
