/**
 * The token machine the client builds for itself: the JWT bearer grant,
 * refresh ahead of expiry with the single-use refresh token, single-flight.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import type * as PeopleError from "@unified-people/core/PeopleError"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Auth from "../Auth.js"
import { TokenInfo } from "../Auth/Schema.js"
import type { Credentials } from "../RingCentralConfig.js"

/** @internal */
export interface Options {
  readonly serverUrl: string
  readonly credentials: Credentials
  /** The client the token requests go through: an `HttpClient` piped through the adapter's `HttpPolicy` (bucket `Auth`). */
  readonly client: HttpClient.HttpClient.With<PeopleError.PeopleError>
  /** How long before expiry to refresh (default 5 minutes, at most half the lifetime). */
  readonly refreshAhead?: Duration.DurationInput | undefined
}

interface State {
  readonly accessToken: Redacted.Redacted
  /** When to refresh (expiry minus the refresh margin). */
  readonly refreshAt: number
  readonly refreshToken: Redacted.Redacted | undefined
  readonly refreshExpiresAt: number
}

const module = "ringcentral"

/** @internal */
export const credentialSecrets = (credentials: Credentials): ReadonlyArray<Redacted.Redacted> =>
  credentials._tag === "StaticToken"
    ? [credentials.accessToken]
    : [credentials.clientSecret, credentials.jwt, basicOf(credentials)]

const basicOf = (credentials: Extract<Credentials, { readonly _tag: "Jwt" }>) =>
  Redacted.make(Buffer.from(`${credentials.clientId}:${Redacted.value(credentials.clientSecret)}`).toString("base64"))

/** How many of the latest tokens are remembered for scrubbing. */
const rememberedTokens = 8

/** @internal */
export const make = (options: Options): Effect.Effect<Auth.Service> =>
  Effect.sync(() => {
    const credentials = options.credentials
    const counters = { tokenRequests: 0, grants: 0, refreshes: 0 }
    const stats = Effect.sync((): Auth.Stats => ({ ...counters }))
    const configured = credentialSecrets(credentials)
    if (credentials._tag === "StaticToken") {
      return {
        token: Effect.succeed(credentials.accessToken),
        invalidate: () => Effect.void,
        canRefresh: false,
        secrets: () => configured,
        stats
      }
    }
    let recent: ReadonlyArray<Redacted.Redacted> = []
    const remember = (...tokens: ReadonlyArray<Redacted.Redacted | undefined>) => {
      const fresh = tokens.filter((t): t is Redacted.Redacted => t !== undefined)
      recent = [...fresh, ...recent].slice(0, rememberedTokens)
    }
    const aheadMillis = Duration.toMillis(options.refreshAhead ?? Duration.minutes(5))
    const lock = Effect.unsafeMakeSemaphore(1)
    let state: State | undefined
    const basic = basicOf(credentials)

    const request = (method: string, body: Record<string, string>) =>
      Effect.gen(function*() {
        counters.tokenRequests++
        const req = HttpClientRequest.post(`${options.serverUrl}/restapi/oauth/token`).pipe(
          HttpClientRequest.setHeader("Authorization", `Basic ${Redacted.value(basic)}`),
          HttpClientRequest.acceptJson,
          HttpClientRequest.bodyUrlParams(body)
        )
        // a token answer that breaks off is asked again (a refresh token it consumed
        // is then refused, and the refresh falls back to a new grant)
        const response = yield* HttpPolicy.execute(options.client, req, { method, bucket: "Auth", idempotent: true, body: "json" })
        const info = yield* HttpPolicy.decodeJson(TokenInfo, { module, method })(response)
        remember(info.access_token, info.refresh_token)
        const now = yield* Clock.currentTimeMillis
        const lifetime = info.expires_in * 1000
        const next: State = {
          accessToken: info.access_token,
          refreshAt: now + lifetime - Math.min(aheadMillis, lifetime / 2),
          refreshToken: info.refresh_token,
          refreshExpiresAt: info.refresh_token_expires_in === undefined
            ? now + lifetime
            : now + info.refresh_token_expires_in * 1000 - 5_000
        }
        state = next
        return next.accessToken
      })

    const grant = Effect.suspend(() => {
      counters.grants++
      return request("getToken", {
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion: Redacted.value(credentials.jwt)
      })
    })

    const refresh = (refreshToken: Redacted.Redacted) =>
      Effect.suspend(() => {
        counters.refreshes++
        // a refresh token is single use: forget it before sending
        state = undefined
        return request("refreshToken", { grant_type: "refresh_token", refresh_token: Redacted.value(refreshToken) })
      }).pipe(
        // a refused refresh (revoked, already used) falls back to a new grant
        Effect.catchIf((e) => e._tag === "InvalidRequest" || e._tag === "Unauthorized", () => grant)
      )

    const token = lock.withPermits(1)(
      Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<Redacted.Redacted, PeopleError.PeopleError> => {
        const current = state
        if (current !== undefined && now < current.refreshAt) return Effect.succeed(current.accessToken)
        if (current?.refreshToken !== undefined && now < current.refreshExpiresAt) return refresh(current.refreshToken)
        return grant
      })
    )

    const invalidate = (token: Redacted.Redacted) =>
      lock.withPermits(1)(Effect.sync(() => {
        if (state !== undefined && Redacted.value(state.accessToken) === Redacted.value(token)) {
          state = { ...state, refreshAt: 0 }
        }
      }))

    return { token, invalidate, canRefresh: true, secrets: () => [...configured, ...recent], stats }
  })
