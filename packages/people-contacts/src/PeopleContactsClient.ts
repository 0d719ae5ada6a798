/**
 * The People-Contacts client: the `HttpClient` in context piped through the
 * core `HttpPolicy` (rate limits of 3600 requests per hour and 20 per 2 s per
 * token, `Retry-After`, `X-RateLimit-*` learning, retries of the request with
 * its whole body, the token scrubbed from remote messages) with the bearer
 * token, the account header and `acceptJson` on every request, and error
 * bodies turned into `PeopleError`s.
 *
 * Every operation of the adapter's areas (`Contacts`, `People`, …) goes
 * through the three methods both adapters' clients share:
 *
 * - {@link Service.execute}`(request, call)`: the answer, its body read whole
 *   within each attempt;
 * - {@link Service.json}`(schema)(request, call)`: the answer's JSON decoded;
 * - {@link Service.read}`(schema)(request, call)`: a collection as an audited
 *   paged read (`@unified-people/core/PagedRead`: the server's `Link
 *   rel="next"` followed, `X-Pagination-*` totals as hints, empty or short
 *   pages read again, loops and endless listings stopped, records decoded one
 *   by one).
 *
 * `make(options)` takes plain values, `layer(options)` wraps it, and
 * `layerConfig` takes the same shape with `Config` leaves
 * (`Config.Config.Wrap<PeopleContactsConfig>`; `PeopleContactsConfig.config`
 * reads `PEOPLE_CONTACTS_*`).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as Liberal from "@unified-people/core/Liberal"
import * as PagedRead from "@unified-people/core/PagedRead"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as RateLimiter from "@unified-people/core/RateLimiter"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { flow } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHash } from "node:crypto"
import * as Link from "./Link.js"
import * as PeopleContactsConfig from "./PeopleContactsConfig.js"

/**
 * The adapter name used in errors and provenance.
 *
 * @since 0.1.0
 * @category constants
 */
export const module = "people-contacts"

/**
 * The documented limits of one token: 3600 requests per hour and bursts of 20
 * requests per 2 seconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const limits: RateLimiter.BucketConfig = {
  windows: [
    { limit: 3600, window: Duration.hours(1) },
    { limit: 20, window: Duration.seconds(2) }
  ],
  penalty: Duration.seconds(2)
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends PeopleContactsConfig.PeopleContactsConfig {
  /** A limiter shared with other clients of the same token (default: a new one). */
  readonly limiter?: RateLimiter.Service | undefined
  /**
   * The safety margin added to each window to absorb the time between sending
   * and arriving (default: the core limiter's, 2% of the window plus 25 ms).
   */
  readonly rateLimitMargin?: ((windowMillis: number) => number) | undefined
  /**
   * Changes the `HttpClient` beneath the policy: its response hooks run once
   * per attempt (retries included), its request hooks once per call.
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * One operation of the API: its name, HTTP method and path. Each area module
 * lists its own in `operations`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation {
  readonly operationId: string
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"
  readonly path: string
}

/**
 * One call: the operation it is made for and, for writes, whether repeating it
 * is safe.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  /** The operation name (`listContacts`), used in errors. */
  readonly method: string
  readonly idempotent?: boolean | undefined
  /** What the body of a success must be (default `any`; `json` for {@link Service.json} and {@link Service.read}). */
  readonly body?: HttpPolicy.BodyExpectation | undefined
}

/**
 * A {@link Call} reading a collection with {@link Service.read}.
 *
 * @since 0.1.0
 * @category paging
 */
export interface ReadCall {
  /** The operation name (`listPeople`), used in errors and logs. */
  readonly method: string
  /**
   * What to do with an element that cannot be decoded: `fail` the read with a
   * `DecodeError` naming it (the default), or `skip` it (logged, and listed in
   * the completeness).
   */
  readonly unreadable?: "fail" | "skip" | undefined
  /**
   * Whether an empty collection is read again before it is believed (default
   * `suspicious`); `normal` for collections that are often empty (a person's contacts).
   */
  readonly emptyListing?: "suspicious" | "normal" | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The base URL without a trailing slash. */
  readonly baseUrl: string
  readonly perPage: number
  /** The rate-limit bucket of the token (a hash, never the token). */
  readonly bucket: string
  readonly limiter: RateLimiter.Service
  readonly policy: HttpPolicy.HttpPolicy
  /** The `HttpClient` in context piped through the policy, with the auth headers on every request. */
  readonly http: HttpClient.HttpClient.With<PeopleError.PeopleError>
  /** The absolute URL of an API path (`/people/1/contacts`). */
  readonly url: (path: string) => string
  /**
   * Sends a request (absolute URL) with the auth headers under the policy; the
   * answer's body is read whole within each attempt.
   */
  readonly execute: (
    request: HttpClientRequest.HttpClientRequest,
    call: Call
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, PeopleError.PeopleError>
  /**
   * {@link execute} expecting JSON (an empty, cut, stalled or non-JSON body is
   * a failed attempt, repeated when the call is idempotent), then decodes it
   * with `schema` (errors name the path).
   */
  readonly json: <A, I>(
    schema: Schema.Schema<A, I>
  ) => (request: HttpClientRequest.HttpClientRequest, call: Call) => Effect.Effect<A, PeopleError.PeopleError>
  /**
   * A collection as an audited read: `request` is the GET of its first page
   * (its URL and URL params; `per_page` is added), the next pages are the
   * server's `Link rel="next"`. Its elements as a stream and, once the stream
   * ran to its end, whether the read was complete (records against
   * `X-Pagination-Total-Entries`, no empty or short page before the end, no
   * next link left on the last page read, no element twice). An element that
   * cannot be decoded fails the stream with a `DecodeError` naming it, unless
   * `unreadable: "skip"`: then it is skipped with a warning in the log.
   */
  readonly read: <A, I>(
    schema: Schema.Schema<A, I>
  ) => (request: HttpClientRequest.HttpClientRequest, call: ReadCall) => PagedRead.Read<A, PeopleError.PeopleError>
  /** The retry options of the policy (its `base` also paces re-reads of suspicious pages). */
  readonly retry: HttpPolicy.RetryOptions
  /**
   * The `HttpClient` beneath the policy, **without** the bearer token and the
   * account header: for URLs outside the API (an export's download may live
   * on another host, which must never see the token).
   */
  readonly unauthenticated: HttpClient.HttpClient
  /** The options of the bulk Import and Export APIs (`PeopleContactsConfig.bulk`). */
  readonly bulk: PeopleContactsConfig.BulkConfig
}

/**
 * Reads the `X-Pagination-*` headers (values are strings; any header case).
 *
 * @since 0.1.0
 * @category paging
 */
export const paginationHeaders = (headers: Readonly<Record<string, string | undefined>>) => {
  const number = (name: string) => {
    const raw = headers[name]
    return raw === undefined ? undefined : Liberal.parseNumeric(raw)
  }
  return {
    perPage: number("x-pagination-per-page"),
    page: number("x-pagination-current-page"),
    totalPages: number("x-pagination-total-pages"),
    totalEntries: number("x-pagination-total-entries")
  }
}

/**
 * @since 0.1.0
 * @category tags
 */
export class PeopleContactsClient extends Context.Tag("@unified-people/people-contacts/PeopleContactsClient")<
  PeopleContactsClient,
  Service
>() {}

const RemoteErrorBody = Schema.Struct({
  message: Schema.optional(Schema.Unknown),
  errors: Schema.optional(Schema.Unknown)
})

/**
 * Reads the `errors` member of an error body: `[field, message]` pairs (the real
 * API), plain strings, or `{field|attribute, message}` objects.
 *
 * @since 0.1.0
 * @category decoding
 */
export const violationsOf = (errors: unknown): ReadonlyArray<{ readonly field: string; readonly message: string }> => {
  if (!Array.isArray(errors)) return []
  return errors.flatMap((entry: unknown) => {
    if (Array.isArray(entry)) {
      const [field, ...rest] = entry as ReadonlyArray<unknown>
      return [{ field: String(field ?? "base"), message: rest.map(String).join(", ") || "is invalid" }]
    }
    if (typeof entry === "string") return [{ field: "base", message: entry }]
    if (entry !== null && typeof entry === "object") {
      const record = entry as Record<string, unknown>
      const field = record["field"] ?? record["attribute"] ?? "base"
      return [{ field: String(field), message: String(record["message"] ?? "is invalid") }]
    }
    return []
  })
}

const statusText: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * Turns an error answer into a `PeopleError`: `{message}` and
 * `{"message":"Validation Failed","errors":[[field, message], …]}` bodies, empty
 * bodies and non-JSON (HTML) bodies. The body was read by the policy, within
 * the attempt's time. A 429 waits what its `Retry-After` says, as given; without
 * one, the burst window (`burstMillis`).
 *
 * @since 0.1.0
 * @category errors
 */
export const toError = (burstMillis: number) =>
(
  response: HttpPolicy.ErrorResponse,
  context: HttpPolicy.ErrorContext
): PeopleError.PeopleError => {
  const text = response.text
  let message: string | undefined
  let violations: ReadonlyArray<{ readonly field: string; readonly message: string }> = []
  let shape = "empty body"
  if (text.trim() !== "") {
    const parsed = Option.liftThrowable(JSON.parse)(text)
    const body = Option.flatMap(parsed, Schema.decodeUnknownOption(RemoteErrorBody))
    if (Option.isSome(body)) {
      if (typeof body.value.message === "string") message = body.value.message
      violations = violationsOf(body.value.errors)
      shape = "JSON body"
    } else {
      const type = response.headers["content-type"]?.split(";")[0]?.trim()
      shape = `${type ?? "non-JSON"} body`
    }
  }
  const head = message ?? `HTTP ${response.status} ${statusText[response.status] ?? ""}`.trim() + ` (${shape})`
  const reason = violations.length === 0 ? head : `${head}: ${violations.map((v) => `${v.field} ${v.message}`).join("; ")}`
  const retryAfterMillis = response.status === 429 ? context.retryAfterMillis ?? burstMillis : context.retryAfterMillis
  return PeopleError.fromStatus(context, {
    status: response.status,
    reason,
    field: violations[0]?.field,
    violations: violations.length === 0 ? undefined : violations,
    retryAfterMillis,
    bucket: context.bucket
  })
}

const headerNumber = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value.trim())
  return Number.isFinite(n) ? n : undefined
}

/**
 * Reads `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch seconds) for the
 * hourly window of `windowMillis`.
 *
 * @since 0.1.0
 * @category rate limits
 */
export const observeHeaders = (windowMillis: number) =>
(headers: Readonly<Record<string, string | undefined>>): HttpPolicy.HeaderObservation | undefined => {
  const limit = headerNumber(headers["x-ratelimit-limit"])
  const remaining = headerNumber(headers["x-ratelimit-remaining"])
  const reset = headerNumber(headers["x-ratelimit-reset"])
  if (limit === undefined && remaining === undefined) return undefined
  return {
    windowMillis,
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { resetAtMillis: reset * 1000 })
  }
}

const bucketOf = (token: Redacted.Redacted<string>) =>
  `token:${createHash("sha256").update(Redacted.value(token)).digest("hex").slice(0, 16)}`

/**
 * Builds a client over the `HttpClient` in context. A `baseUrl` that is not an
 * absolute http(s) URL (`HttpPolicy.isHttpUrl`) is a defect that says so
 * (`PeopleContactsConfig.config` reports it as an invalid
 * `PEOPLE_CONTACTS_BASE_URL` instead).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    if (!HttpPolicy.isHttpUrl(options.baseUrl)) {
      return yield* Effect.dieMessage(`PeopleContactsClient: baseUrl ${HttpPolicy.httpUrlExpectation}`)
    }
    const base = yield* HttpClient.HttpClient
    const client = options.transformClient === undefined ? base : options.transformClient(base)
    const scale = options.rateLimitScale ?? 1
    const bucketConfig = scale === 1 ? limits : RateLimiter.scale({ token: limits }, scale)["token"]!
    const limiter = options.limiter ?? (yield* RateLimiter.make({
      buckets: {},
      fallback: bucketConfig,
      ...(options.rateLimitMargin === undefined ? {} : { margin: options.rateLimitMargin })
    }))
    const hourMillis = Duration.toMillis(bucketConfig.windows[0]!.window)
    const burstMillis = Duration.toMillis(bucketConfig.windows[1]!.window)
    const policy = yield* HttpPolicy.make({
      module,
      limiter,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      toError: toError(burstMillis),
      observe: observeHeaders(hourMillis),
      secrets: () => [options.token]
    })
    const baseUrl = options.baseUrl.replace(/\/+$/, "")
    const origin = new URL(baseUrl).origin
    const perPage = Math.max(1, Math.min(100, Math.trunc(options.perPage ?? 100)))
    const bucket = bucketOf(options.token)
    const accountHeader = options.accountHeader ?? PeopleContactsConfig.defaultAccountHeader
    const http = client.pipe(
      policy.transform,
      HttpClient.mapRequest(flow(
        HttpClientRequest.bearerToken(options.token),
        HttpClientRequest.setHeader(accountHeader, options.account),
        HttpClientRequest.acceptJson
      ))
    )

    const url = (path: string) => `${baseUrl}${path.startsWith("/") ? path : `/${path}`}`

    const execute = (request: HttpClientRequest.HttpClientRequest, call: Call) =>
      HttpPolicy.execute(http, request, {
        method: call.method,
        bucket,
        ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
        ...(call.body === undefined ? {} : { body: call.body })
      })

    const json = <A, I>(schema: Schema.Schema<A, I>) => (request: HttpClientRequest.HttpClientRequest, call: Call) =>
      Effect.flatMap(
        execute(request, { ...call, body: "json" }),
        (response) => Effect.mapError(HttpPolicy.decodeJson(schema, { module, method: call.method })(response), policy.scrub)
      )

    const retryBase = options.retry?.base ?? Duration.millis(500)

    const read = <A, I>(schema: Schema.Schema<A, I>) =>
    (request: HttpClientRequest.HttpClientRequest, call: ReadCall): PagedRead.Read<A, PeopleError.PeopleError> => {
      const method = call.method
      const firstUrl = new URL(request.url)
      const params: Array<[string, string]> = [...firstUrl.searchParams, ...request.urlParams.map(([key, value]): [string, string] => [key, value])]
      firstUrl.search = new URLSearchParams(
        params.some(([key]) => key === "per_page") ? params : [["per_page", String(perPage)], ...params]
      ).toString()
      const decodeList = HttpPolicy.decodeJson(Schema.Array(Schema.Unknown), { module, method })
      const skip = call.unreadable === "skip"
      const fetch = (target: string, number: number): Effect.Effect<PagedRead.Answer<A, string>, PeopleError.PeopleError> =>
        Effect.gen(function*() {
          // one attempt is the page's request and its whole JSON body
          const response = yield* execute(HttpClientRequest.get(target), { method, body: "json" })
          const raw = yield* decodeList(response)
          const records = PagedRead.decodeRecords(schema, { module, method, page: number })(raw)
          const bad = records.unreadable[0]
          if (!skip && bad !== undefined) {
            return yield* new PeopleError.DecodeError({ module, method, path: bad.path, reason: bad.reason })
          }
          const linkHeader = response.headers["link"]
          const nextUri = Link.next(linkHeader)
          let next: string | undefined
          if (nextUri !== undefined) {
            let resolved: URL
            try {
              resolved = new URL(nextUri, target)
            } catch {
              return yield* new PeopleError.DecodeError({ module, method, path: "headers.link", reason: "the next link is not a URL" })
            }
            if (resolved.origin !== origin) {
              // never send the token to another host
              return yield* new PeopleError.DecodeError({ module, method, path: "headers.link", reason: `the next link leaves ${origin}` })
            }
            next = resolved.href
          }
          const totals = paginationHeaders(response.headers)
          return {
            items: records.items,
            page: {
              records: records.count,
              perPage: totals.perPage ?? perPage,
              ...(totals.page === undefined ? {} : { page: totals.page }),
              ...(totals.totalPages === undefined ? {} : { totalPages: totals.totalPages }),
              ...(totals.totalEntries === undefined ? {} : { totalElements: totals.totalEntries }),
              // the server's links decide when it sends links at all
              ...(linkHeader === undefined ? {} : { hasNext: next !== undefined }),
              ids: records.ids,
              unreadable: records.unreadable
            },
            // without links, the totals or a short page decide; there is no next page to name
            next
          }
        })
      return PagedRead.make({
        module,
        method,
        first: firstUrl.href,
        key: (target) => target,
        // a body that did not arrive whole was already read again by the policy;
        // the read itself reads a suspicious (empty or short) page again
        retryDelay: retryBase,
        emptyListing: call.emptyListing,
        fetch: (target, number) => fetch(target, number)
      })
    }

    return {
      baseUrl,
      perPage,
      bucket,
      limiter,
      policy,
      http,
      url,
      execute,
      json,
      read,
      retry: options.retry ?? {},
      unauthenticated: client,
      bulk: options.bulk ?? {}
    }
  })

/**
 * A client layer from plain values (tests pass an emulator URL).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<PeopleContactsClient, never, HttpClient.HttpClient> =>
  Layer.effect(PeopleContactsClient, make(options))

/**
 * A client layer from `Config` leaves: the shape of {@link Options} without its
 * functions, each value a `Config` (the token as `Config.redacted`), or a whole
 * `Config` such as `PeopleContactsConfig.config` (`PEOPLE_CONTACTS_*`).
 *
 * ```ts
 * PeopleContactsClient.layerConfig(PeopleContactsConfig.config) // PEOPLE_CONTACTS_BASE_URL, PEOPLE_CONTACTS_TOKEN, …
 * PeopleContactsClient.layerConfig({ baseUrl: Config.string("URL"), token: Config.redacted("TOKEN"), account: Config.string("ACCOUNT") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<PeopleContactsConfig.PeopleContactsConfig>
): Layer.Layer<PeopleContactsClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(PeopleContactsClient, Effect.flatMap(Config.unwrap(config), make))
