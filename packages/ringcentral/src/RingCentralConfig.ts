/**
 * The configuration of the RingCentral adapter: the options of
 * `RingCentralClient.make` without its functions (the server and media URLs,
 * the credentials: a JWT bearer grant with client id / secret, or a static
 * access token; the account, the throttling-group limits, retries, timeout),
 * the shape `RingCentralClient.layerConfig` takes with `Config` leaves, and
 * {@link config}: the same read from the environment under the `RINGCENTRAL`
 * prefix. The throttling groups and their documented limits are here too.
 *
 * Secrets are `Redacted` everywhere, so they never reach logs, errors or
 * `toString` output.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import type * as RateLimiter from "@unified-people/core/RateLimiter"

/**
 * RingCentral's throttling groups (`x-throttling-group` in the specification).
 *
 * @since 0.1.0
 * @category models
 */
export type Group = "Light" | "Medium" | "Heavy" | "Auth"

/**
 * Every throttling group.
 *
 * @since 0.1.0
 * @category constants
 */
export const groups: ReadonlyArray<Group> = ["Light", "Medium", "Heavy", "Auth"]

/**
 * The documented limits per user per app: Light 50, Medium 40, Heavy 10 and
 * Auth 5 requests per 60 s, each followed by a 60 s penalty when exceeded.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLimits: Readonly<Record<Group, RateLimiter.BucketConfig>> = {
  Light: { windows: [{ limit: 50, window: Duration.seconds(60) }], penalty: Duration.seconds(60) },
  Medium: { windows: [{ limit: 40, window: Duration.seconds(60) }], penalty: Duration.seconds(60) },
  Heavy: { windows: [{ limit: 10, window: Duration.seconds(60) }], penalty: Duration.seconds(60) },
  Auth: { windows: [{ limit: 5, window: Duration.seconds(60) }], penalty: Duration.seconds(60) }
}

/**
 * How the adapter authenticates.
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials =
  | {
    /** JWT bearer grant (`urn:ietf:params:oauth:grant-type:jwt-bearer`) with Basic client credentials. */
    readonly _tag: "Jwt"
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted
    readonly jwt: Redacted.Redacted
  }
  | {
    /** A ready access token (no refresh is possible). */
    readonly _tag: "StaticToken"
    readonly accessToken: Redacted.Redacted
  }

/**
 * @since 0.1.0
 * @category models
 */
export interface RingCentralConfig {
  /** The platform URL (default `https://platform.ringcentral.com`). */
  readonly serverUrl?: string | undefined
  /** The media URL serving profile images (default: the server URL). */
  readonly mediaUrl?: string | undefined
  readonly credentials: Credentials
  /** The account id used in paths (default `~`, the account of the token). */
  readonly accountId?: string | undefined
  /** Limits per throttling group (default {@link defaultLimits}). */
  readonly limits?: Readonly<Record<string, RateLimiter.BucketConfig>> | undefined
  /** Per-attempt timeout (default 30 s). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retries after the first attempt (default 5) and the first backoff (default 2 s, as RingCentral advises for 503). */
  readonly retry?: { readonly times?: number; readonly base?: Duration.DurationInput; readonly cap?: Duration.DurationInput } | undefined
  /** How long before expiry an access token is refreshed (default 5 minutes, at most half its lifetime). */
  readonly refreshAhead?: Duration.DurationInput | undefined
}

/**
 * The default platform URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultServerUrl = "https://platform.ringcentral.com"

/**
 * Reads the configuration from `Config`: `SERVER_URL`, `MEDIA_URL` (absolute
 * http(s) URLs), `ACCOUNT_ID`
 * and either `CLIENT_ID` + `CLIENT_SECRET` + `JWT` or `ACCESS_TOKEN` (secrets as
 * `Redacted`), under the `RINGCENTRAL` prefix (`RINGCENTRAL_SERVER_URL`, …).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<RingCentralConfig> = Config.nested(
  Config.all({
    serverUrl: Config.option(HttpPolicy.httpUrlConfig("SERVER_URL")),
    mediaUrl: Config.option(HttpPolicy.httpUrlConfig("MEDIA_URL")),
    accountId: Config.option(Config.string("ACCOUNT_ID")),
    credentials: Config.orElse(
      Config.all({
        clientId: Config.string("CLIENT_ID"),
        clientSecret: Config.redacted("CLIENT_SECRET"),
        jwt: Config.redacted("JWT")
      }).pipe(Config.map((c): Credentials => ({ _tag: "Jwt", ...c }))),
      () => Config.redacted("ACCESS_TOKEN").pipe(Config.map((accessToken): Credentials => ({ _tag: "StaticToken", accessToken })))
    )
  }),
  "RINGCENTRAL"
).pipe(Config.map((c): RingCentralConfig => ({
  credentials: c.credentials,
  ...(Option.isSome(c.serverUrl) ? { serverUrl: c.serverUrl.value } : {}),
  ...(Option.isSome(c.mediaUrl) ? { mediaUrl: c.mediaUrl.value } : {}),
  ...(Option.isSome(c.accountId) ? { accountId: c.accountId.value } : {})
})))
