/**
 * The RingCentral client: the `HttpClient` in context piped through the `core`
 * `HttpPolicy` (RingCentral's error bodies, rate-limit headers, throttling
 * groups as limiter buckets, secrets scrubbed from remote messages), then per
 * call the base URL, `acceptJson` and the bearer token from `Auth`, with one
 * refresh and one retry when the platform says the token is expired or
 * unknown.
 *
 * Every operation of the adapter's areas (`Directory`, `Extensions`, …) goes
 * through the three methods both adapters' clients share:
 *
 * - {@link Service.execute}`(request, call)`: the answer, its body read whole
 *   within each attempt;
 * - {@link Service.json}`(schema)(request, call)`: the answer's JSON decoded;
 * - {@link Service.read}`(schema)(request, call)`: a listing (`records`,
 *   `paging`, `navigation`) as an audited paged read (`@unified-people/core/PagedRead`).
 *
 * `make(options)` takes plain values, `layer(options)` wraps it, and
 * `layerConfig` takes the same shape with `Config` leaves
 * (`Config.Config.Wrap<RingCentralConfig>`; `RingCentralConfig.config` reads
 * `RINGCENTRAL_*`).
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as Liberal from "@unified-people/core/Liberal"
import * as PageAudit from "@unified-people/core/PageAudit"
import * as PagedRead from "@unified-people/core/PagedRead"
import type * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as RateLimiter from "@unified-people/core/RateLimiter"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import type * as Auth from "./Auth.js"
import * as DirectorySchema from "./Directory/Schema.js"
import * as InternalAuth from "./internal/auth.js"
import * as RingCentralConfig from "./RingCentralConfig.js"
import * as RingCentralError from "./RingCentralError.js"

const module = "ringcentral"

/**
 * One operation of the specification: its id, HTTP method, path and
 * `x-throttling-group`. Each area module lists its own in `operations`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation {
  readonly operationId: string
  readonly method: "GET" | "PUT" | "POST" | "DELETE"
  readonly path: string
  readonly group: RingCentralConfig.Group
}

/**
 * One call: the operation it is made for and how the policy treats it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  /** The operation name as in the specification (`listDirectoryEntries`), used in errors. */
  readonly method: string
  /** The operation's `x-throttling-group`. */
  readonly group: RingCentralConfig.Group
  /** Statuses that are a success (default 2xx). */
  readonly accept?: ((status: number) => boolean) | undefined
  /** Whether repeating the request is harmless (default: by HTTP method). */
  readonly idempotent?: boolean | undefined
  /** What the body of an accepted answer must be (default `any`; `json` for {@link Service.json} and {@link Service.read}). */
  readonly body?: HttpPolicy.BodyExpectation | undefined
  /** Send to the media URL instead of the server URL (profile images). */
  readonly media?: boolean | undefined
  /** The `Accept` header (default `application/json`; `image/*` for profile images). */
  readonly acceptHeader?: string | undefined
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * One page of a RingCentral listing (`records`, `paging`, `navigation`), its
 * records decoded one by one: the readable ones, and where and why the others
 * were skipped.
 *
 * @since 0.1.0
 * @category paging
 */
export interface Page<A> {
  readonly uri?: string | undefined
  readonly records: ReadonlyArray<A>
  readonly paging: DirectorySchema.EnumeratedPagingModel
  readonly navigation?: DirectorySchema.PageNavigationModel | undefined
  readonly unreadable: ReadonlyArray<PeopleDirectory.Unreadable>
}

/**
 * Where a page is: its number, and the server's own link to it (a path and
 * query under the server URL) when the server named one.
 *
 * @since 0.1.0
 * @category paging
 */
export interface Cursor {
  readonly page: number
  readonly link?: string | undefined
}

/**
 * A {@link Call} reading a listing with {@link Service.read}.
 *
 * @since 0.1.0
 * @category paging
 */
export interface ReadCall<A> extends Call {
  /** Page 1 when it was already read (a conditional or a page-size probing first read). */
  readonly first?: Page<A> | undefined
  /**
   * `follow` (the default): the server's next-page link is followed when it
   * sends navigation; `numbers`: pages are read by number and a link only says
   * whether there is more (a search, whose pages are POSTed).
   */
  readonly links?: "follow" | "numbers" | undefined
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
  /** The client's `Auth` service (its tokens; also provided by `Auth.layer`). */
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
  readonly execute: (
    request: HttpClientRequest.HttpClientRequest,
    call: Call
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, PeopleError.PeopleError>
  /**
   * {@link execute} expecting JSON (an empty, cut, stalled or non-JSON body is a
   * failed attempt, repeated when the call is idempotent), then decodes it with
   * `schema` (errors name the path).
   */
  readonly json: <A, I, R>(
    schema: Schema.Schema<A, I, R>
  ) => (request: HttpClientRequest.HttpClientRequest, call: Call) => Effect.Effect<A, PeopleError.PeopleError, R>
  /**
   * A listing as an audited read (`PagedRead`): `request(n)` is page `n`
   * (RingCentral pages by number); the server's next-page link is followed
   * when it sends navigation (unless `links: "numbers"`), its totals are hints,
   * an empty or short page is read again before going on, links that loop and
   * pages that never end stop the read, and a record that cannot be decoded is
   * skipped, logged and listed in the completeness. A page's records are
   * decoded as the stream is pulled, a chunk at a time (`PagedRead.Undecoded`;
   * page 1 given as `first` is decoded already).
   */
  readonly read: <A, I>(
    schema: Schema.Schema<A, I>
  ) => (request: (page: number) => HttpClientRequest.HttpClientRequest, call: ReadCall<A>) => PagedRead.Read<A, PeopleError.PeopleError>
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

// -----------------------------------------------------------------------------
// paging
// -----------------------------------------------------------------------------

/** A listing page's envelope decoded, its records as received. */
const decodeEnvelope = (context: { readonly method: string }) => HttpPolicy.decodeJson(DirectorySchema.DirectoryPage, { module, method: context.method })

/**
 * Decodes a listing page (its JSON body, parsed during the attempt): the
 * envelope as a whole, its records one by one with `schema`.
 *
 * @since 0.1.0
 * @category paging
 */
export const decodePage = <A, I>(schema: Schema.Schema<A, I>, context: { readonly method: string; readonly page: number }) => {
  const envelope = decodeEnvelope(context)
  const records = PagedRead.decodeRecords(schema, { module, method: context.method, page: context.page, field: "records" })
  return (response: HttpClientResponse.HttpClientResponse): Effect.Effect<Page<A>, PeopleError.DecodeError | PeopleError.Unavailable> =>
    Effect.map(envelope(response), (page) => {
      const decoded = records(page.records)
      return {
        ...(page.uri === undefined ? {} : { uri: page.uri }),
        records: decoded.items,
        paging: page.paging,
        ...(page.navigation === undefined ? {} : { navigation: page.navigation }),
        unreadable: decoded.unreadable
      }
    })
}

const nextLink = (navigation: DirectorySchema.PageNavigationModel): string | undefined => {
  const uri = navigation.nextPage?.uri?.trim()
  return uri === undefined || uri === "" ? undefined : uri
}

/**
 * What a page says about itself, for the audit and for paging: the server's
 * next-page link (`navigation.nextPage`) when it sends navigation, else its
 * totals, else a short or empty page.
 *
 * @since 0.1.0
 * @category paging
 */
export const pageInfo = (
  page: {
    readonly records: ReadonlyArray<unknown>
    readonly paging: DirectorySchema.EnumeratedPagingModel
    readonly navigation?: DirectorySchema.PageNavigationModel | undefined
  },
  unreadable: ReadonlyArray<PeopleDirectory.Unreadable> = []
): Omit<PageAudit.Page, "number"> => {
  const { navigation, paging } = page
  const ids = [
    ...page.records.flatMap((r) => Liberal.idOf(r) ?? []),
    ...unreadable.flatMap((u) => u.remoteId === undefined ? [] : [u.remoteId])
  ]
  return {
    records: page.records.length + unreadable.length,
    perPage: paging.perPage,
    ...(paging.page === undefined ? {} : { page: paging.page }),
    ...(paging.pageStart === undefined ? {} : { pageStart: paging.pageStart }),
    ...(paging.totalPages === undefined ? {} : { totalPages: paging.totalPages }),
    ...(paging.totalElements === undefined ? {} : { totalElements: paging.totalElements }),
    ...(navigation === undefined ? {} : { hasNext: nextLink(navigation) !== undefined }),
    ids,
    unreadable
  }
}

/**
 * Whether a page is the last one: the server's next-page link when it sends
 * navigation, else `page >= totalPages`, else a short or empty page.
 * `totalElements` never ends a read on its own.
 *
 * @since 0.1.0
 * @category paging
 */
export const isLastPage = (
  page: {
    readonly records: ReadonlyArray<unknown>
    readonly paging: DirectorySchema.EnumeratedPagingModel
    readonly navigation?: DirectorySchema.PageNavigationModel | undefined
  },
  requested: number
): boolean => PageAudit.isLast({ ...pageInfo(page), number: requested })

/**
 * The next page after page `number`: the server's link when it sends
 * navigation (followed as given when it points at the server, else read as a
 * page number so that the token never leaves for another host), else the next
 * page number.
 *
 * @since 0.1.0
 * @category paging
 */
export const nextCursor = (
  page: { readonly navigation?: DirectorySchema.PageNavigationModel | undefined },
  number: number,
  serverUrl: string
): Cursor | undefined => {
  if (page.navigation === undefined) return { page: number + 1 }
  const uri = nextLink(page.navigation)
  if (uri === undefined) return undefined
  let url: URL
  try {
    url = new URL(uri, `${serverUrl}/`)
  } catch {
    return { page: number + 1 }
  }
  const raw = url.searchParams.get("page")
  const linked = raw !== null && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined
  const target = linked !== undefined && linked >= 1 ? linked : number + 1
  const base = serverUrl.replace(/\/+$/, "")
  return url.href.startsWith(`${base}/`) ? { page: target, link: url.href.slice(base.length) } : { page: target }
}

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

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
    const configured = InternalAuth.credentialSecrets(options.credentials)
    const policy = yield* HttpPolicy.make({
      module,
      limiter,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      retry,
      toError: RingCentralError.toError,
      observe,
      secrets: () => auth === undefined ? configured : auth.secrets()
    })
    const http = httpClient.pipe(policy.transform)
    const authService = yield* InternalAuth.make({
      serverUrl,
      credentials: options.credentials,
      client: http,
      refreshAhead: options.refreshAhead
    })
    auth = authService

    const execute = (request: HttpClientRequest.HttpClientRequest, call: Call) => {
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
                Effect.annotateLogs({ module, method: call.method, remoteCode: error.remoteCode ?? "none" }),
                Effect.zipRight(authService.invalidate(token)),
                Effect.zipRight(Effect.flatMap(authService.token, send))
              )
              : Effect.fail(error)
          )
        ))
    }

    const json = <A, I, R>(schema: Schema.Schema<A, I, R>) => {
      return (request: HttpClientRequest.HttpClientRequest, call: Call) => {
        const context = { module, method: call.method }
        return Effect.flatMap(
          execute(request, { ...call, body: "json" }),
          (response) => Effect.mapError(HttpPolicy.decodeJson(schema, context)(response), policy.scrub)
        )
      }
    }

    const read = <A, I>(schema: Schema.Schema<A, I>) =>
    (
      request: (page: number) => HttpClientRequest.HttpClientRequest,
      call: ReadCall<A>
    ): PagedRead.Read<A, PeopleError.PeopleError> => {
      const { first, links, ...rest } = call
      const envelope = decodeEnvelope(call)
      // the envelope only: the records are decoded as the stream is pulled
      const fetch = (cursor: Cursor): Effect.Effect<DirectorySchema.DirectoryPage, PeopleError.PeopleError> =>
        Effect.flatMap(
          // one attempt is the request and the whole page: an empty, cut, stalled
          // or non-JSON page is read again by the policy
          execute(cursor.link === undefined ? request(cursor.page) : HttpClientRequest.get(cursor.link), { ...rest, body: "json" }),
          (response) =>
            response.status === 304
              ? Effect.fail(
                new PeopleError.Unavailable({ module, method: call.method, reason: "unexpected 304 for a page request", retryable: false })
              )
              : envelope(response)
        )
      const answer = (
        page: Page<A> | DirectorySchema.DirectoryPage,
        items: PagedRead.Answer<A, Cursor>["items"],
        unreadable: ReadonlyArray<PeopleDirectory.Unreadable>,
        cursor: Cursor,
        number: number
      ): PagedRead.Answer<A, Cursor> => {
        const next = nextCursor(page, number, serverUrl)
        return {
          items,
          page: pageInfo(page, unreadable),
          // read by number: a link only says whether there is more
          next: links === "numbers" ? (next === undefined ? undefined : { page: cursor.page + 1 }) : next
        }
      }
      return PagedRead.make({
        module,
        method: call.method,
        first: { page: 1 } as Cursor,
        key: (cursor) => `page=${cursor.page}`,
        numberOf: (cursor) => cursor.page,
        // a body that did not arrive whole was read again by the policy; the
        // read itself reads a suspicious (empty or short) page again
        retryDelay: retry.base ?? "2 seconds",
        fetch: (cursor, number, attempt) =>
          number === 1 && attempt === 0 && first !== undefined
            ? Effect.succeed(answer(first, first.records, first.unreadable, cursor, number))
            : Effect.map(fetch(cursor), (page) => {
              const decode = PagedRead.decodeRecords(schema, { module, method: call.method, page: number, field: "records" })
              return answer(page, PagedRead.undecoded(page.records, decode), [], cursor, number)
            })
      })
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
      execute,
      json,
      read
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
 * A layer from `Config` leaves: the shape of {@link Options} without its
 * functions, each value a `Config` (secrets as `Config.redacted`), or a whole
 * `Config` such as `RingCentralConfig.config` (`RINGCENTRAL_*`).
 *
 * ```ts
 * RingCentralClient.layerConfig(RingCentralConfig.config) // RINGCENTRAL_SERVER_URL, RINGCENTRAL_JWT, …
 * RingCentralClient.layerConfig({
 *   serverUrl: Config.string("RC_URL"),
 *   credentials: { _tag: Config.succeed("StaticToken"), accessToken: Config.redacted("RC_TOKEN") }
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<RingCentralConfig.RingCentralConfig>
): Layer.Layer<RingCentralClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(RingCentralClient, Effect.flatMap(Config.unwrap(config), make))
