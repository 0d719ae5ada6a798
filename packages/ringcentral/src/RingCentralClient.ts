/**
 * The RingCentral client: the `HttpClient` in context piped through the `core`
 * `HttpPolicy` (RingCentral's error bodies, rate-limit headers, throttling
 * groups as limiter buckets, secrets scrubbed from remote messages), then per
 * call the base URL, `acceptJson` and the bearer token from {@link Auth}, with
 * one refresh and one retry when the platform says the token is expired or
 * unknown. Every operation of the adapter goes through {@link Service.call} or
 * {@link Service.json}; one attempt of either is the request, its status and
 * its whole body.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import type * as PeopleError from "@unified-people/core/PeopleError"
import * as RateLimiter from "@unified-people/core/RateLimiter"
import type * as ConfigError from "effect/ConfigError"
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import * as Auth from "./Auth.js"
import * as RingCentralConfig from "./RingCentralConfig.js"
import * as RingCentralError from "./RingCentralError.js"

/**
 * Options of one call.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** The operation name as in the specification (`listDirectoryEntries`), used in errors. */
  readonly method: string
  /** The operation's `x-throttling-group`. */
  readonly group: RingCentralConfig.Group
  /** Statuses that are a success (default 2xx). */
  readonly accept?: (status: number) => boolean
  /** Whether repeating the request is harmless (default: by HTTP method). */
  readonly idempotent?: boolean
  /** What the body of an accepted answer must be (default `any`; `json` for {@link Service.json}). */
  readonly body?: HttpPolicy.BodyExpectation
  /** Send to the media URL instead of the server URL (profile images). */
  readonly media?: boolean
  /** The `Accept` header (default `application/json`; `image/*` for profile images). */
  readonly acceptHeader?: string
  readonly timeout?: Duration.DurationInput
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly serverUrl: string
  readonly mediaUrl: string
  /** The account id used in paths (`~` by default). */
  readonly accountId: string
  readonly auth: Auth.Service
  readonly limiter: RateLimiter.Service
  readonly policy: HttpPolicy.HttpPolicy
  /** The `HttpClient` in context piped through the policy (no base URL, no token). */
  readonly http: HttpClient.HttpClient.With<PeopleError.PeopleError>
  /** The retry options of the policy (its `base` also paces re-reads of suspicious pages). */
  readonly retry: HttpPolicy.RetryOptions
  /** `/restapi/v1.0/account/{accountId}` + `path`. */
  readonly accountPath: (path: string) => string
  /**
   * Sends a request whose URL is a path (`/restapi/v1.0/…`): prepends the base
   * URL, adds the bearer token and `Accept: application/json`, runs it under the
   * policy (the answer's body is read whole within each attempt), and retries
   * once with a refreshed token after a 401 whose code says the token is
   * expired or unknown (`RingCentralError.tokenInvalidCodes`).
   */
  readonly call: (
    request: HttpClientRequest.HttpClientRequest,
    options: CallOptions
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, PeopleError.PeopleError>
  /**
   * {@link call} expecting JSON (an empty, cut, stalled or non-JSON body is a
   * failed attempt, repeated when the call is idempotent), then decodes it with
   * `schema` (errors name the path).
   */
  readonly json: <A, I, R>(
    schema: Schema.Schema<A, I, R>
  ) => (request: HttpClientRequest.HttpClientRequest, options: CallOptions) => Effect.Effect<A, PeopleError.PeopleError, R>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class RingCentralClient extends Context.Tag("@unified-people/ringcentral/RingCentralClient")<
  RingCentralClient,
  Service
>() {}

/**
 * Options of {@link make}: the configuration plus a hook on the HTTP client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends RingCentralConfig.RingCentralConfig {
  /**
   * Changes the `HttpClient` beneath the policy: its response hooks run once
   * per attempt (retries included), its request hooks once per call.
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

const capitalize = (s: string) => s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1).toLowerCase()

const numberHeader = (headers: Headers.Headers, name: string): number | undefined => {
  const raw = headers[name]
  if (raw === undefined) return undefined
  const n = Number(raw.trim())
  return Number.isFinite(n) ? n : undefined
}

/**
 * Reads `X-Rate-Limit-Group` (any case: `light` → `Light`), `-Limit`,
 * `-Remaining` and `-Window` (seconds).
 *
 * @since 0.1.0
 * @category parsing
 */
export const observe = (headers: Headers.Headers, _nowMillis: number): HttpPolicy.HeaderObservation | undefined => {
  const group = headers["x-rate-limit-group"]
  const limit = numberHeader(headers, "x-rate-limit-limit")
  const remaining = numberHeader(headers, "x-rate-limit-remaining")
  const window = numberHeader(headers, "x-rate-limit-window")
  if (group === undefined && limit === undefined && remaining === undefined) return undefined
  return {
    ...(group === undefined ? {} : { bucket: capitalize(group.trim()) }),
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(window === undefined ? {} : { windowMillis: Math.round(window * 1000) })
  }
}

const trimSlash = (url: string) => url.replace(/\/+$/, "")

/**
 * Builds a client over the `HttpClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const base = yield* HttpClient.HttpClient
    const httpClient = options.transformClient === undefined ? base : options.transformClient(base)
    const serverUrl = trimSlash(options.serverUrl ?? RingCentralConfig.defaultServerUrl)
    const mediaUrl = trimSlash(options.mediaUrl ?? serverUrl)
    const accountId = options.accountId ?? "~"
    const limiter = yield* RateLimiter.make({ buckets: options.limits ?? RingCentralConfig.defaultLimits })
    const retry: HttpPolicy.RetryOptions = { base: "2 seconds", ...options.retry }
    // the tokens are known once Auth exists; the policy asks for them on every error
    let auth: Auth.Service | undefined
    const configured = Auth.credentialSecrets(options.credentials)
    const policy = yield* HttpPolicy.make({
      module: "ringcentral",
      limiter,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      retry,
      toError: RingCentralError.toError,
      observe,
      secrets: () => auth === undefined ? configured : auth.secrets()
    })
    const http = httpClient.pipe(policy.transform)
    const authService = yield* Auth.make({
      serverUrl,
      credentials: options.credentials,
      client: http,
      refreshAhead: options.refreshAhead
    })
    auth = authService

    const call = (request: HttpClientRequest.HttpClientRequest, call: CallOptions) => {
      const prepared = request.pipe(
        HttpClientRequest.prependUrl(call.media === true ? mediaUrl : serverUrl),
        call.acceptHeader === undefined ? HttpClientRequest.acceptJson : HttpClientRequest.setHeader("Accept", call.acceptHeader)
      )
      const policyCall: HttpPolicy.Call = {
        method: call.method,
        bucket: call.group,
        ...(call.accept === undefined ? {} : { accept: call.accept }),
        ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
        ...(call.timeout === undefined ? {} : { timeout: call.timeout }),
        ...(call.body === undefined ? {} : { body: call.body })
      }
      const send = (token: Redacted.Redacted) => HttpPolicy.execute(http, HttpClientRequest.bearerToken(prepared, token), policyCall)
      return Effect.flatMap(authService.token, (token) =>
        send(token).pipe(
          Effect.catchAll((error) =>
            authService.canRefresh && RingCentralError.isTokenInvalid(error)
              ? Effect.logDebug("the access token was refused; refreshing it once").pipe(
                Effect.annotateLogs({ module: "ringcentral", method: call.method, remoteCode: error.remoteCode ?? "none" }),
                Effect.zipRight(authService.invalidate(token)),
                Effect.zipRight(Effect.flatMap(authService.token, send))
              )
              : Effect.fail(error)
          )
        ))
    }

    const json = <A, I, R>(schema: Schema.Schema<A, I, R>) => {
      return (request: HttpClientRequest.HttpClientRequest, options: CallOptions) => {
        const context = { module: "ringcentral", method: options.method }
        return Effect.flatMap(
          call(request, { ...options, body: "json" }),
          (response) => Effect.mapError(HttpPolicy.decodeJson(schema, context)(response), policy.scrub)
        )
      }
    }

    return {
      serverUrl,
      mediaUrl,
      accountId,
      auth: authService,
      limiter,
      policy,
      http,
      retry,
      accountPath: (path: string) => `/restapi/v1.0/account/${accountId}${path}`,
      call,
      json
    }
  })

/**
 * A layer from plain values (tests pass an emulator URL).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RingCentralClient, never, HttpClient.HttpClient> =>
  Layer.effect(RingCentralClient, make(options))

/**
 * A layer reading its configuration from `Config` (see `RingCentralConfig.config`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<RingCentralConfig.RingCentralConfig> = RingCentralConfig.config
): Layer.Layer<RingCentralClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(RingCentralClient, Effect.flatMap(config, make))
