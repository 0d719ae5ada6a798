/**
 * What every People-Contacts emulator route shares: the store, the current
 * quirks, the API's error bodies, and the guard each handler runs behind
 * (bearer token, account header, rate limits, JSON or raw body, request log).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type * as Quirks from "./Quirks.js"
import type * as RateLimits from "./RateLimits.js"
import type * as RequestLog from "./RequestLog.js"
import type * as Store from "./Store.js"

/**
 * A request as a handler sees it, once the guard let it through.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly url: URL
  readonly params: Readonly<Record<string, string | undefined>>
  /** The parsed JSON object (routes with a body), otherwise `undefined`. */
  readonly body: unknown
  /** `http://` and the `Host` the request was sent to (for `Link` headers). */
  readonly origin: string
  /** The request's headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The raw body (routes guarded with `{ raw: true }`), otherwise empty. */
  readonly bytes: Uint8Array
}

/**
 * @since 0.1.0
 * @category models
 */
export type Handler = (request: Request) => HttpServerResponse.HttpServerResponse

/**
 * A handler that needs effects (reading a multipart body, say).
 *
 * @since 0.1.0
 * @category models
 */
export type EffectHandler = (request: Request) => Effect.Effect<HttpServerResponse.HttpServerResponse>

/**
 * What a route's guard reads of the body: a JSON object (`body`, else `400`),
 * or the raw bytes (`raw`, for the handler to read: multipart uploads, forms).
 *
 * @since 0.1.0
 * @category models
 */
export interface GuardOptions {
  readonly body?: boolean
  readonly raw?: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly store: Store.Store
  readonly quirks: () => Quirks.Quirks
  /**
   * Runs `handler` behind the checks, in the API's order: `401` without a known
   * bearer token, `404` for another account, `429` over a rate limit, `400`
   * when a body is expected and is not a JSON object. Every answer is logged.
   */
  readonly guard: (
    handler: Handler,
    options?: GuardOptions
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest | HttpRouter.RouteContext>
  /** {@link Context.guard} for a handler that needs effects. */
  readonly guardEffect: (
    handler: EffectHandler,
    options?: GuardOptions
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest | HttpRouter.RouteContext>
}

/**
 * A JSON answer.
 *
 * @since 0.1.0
 * @category responses
 */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers })

/**
 * `{"message": text}`, the API's error body.
 *
 * @since 0.1.0
 * @category responses
 */
export const message = (status: number, text: string, headers: Record<string, string> = {}) => json({ message: text }, status, headers)

/**
 * @since 0.1.0
 * @category responses
 */
export const notFound = () => message(404, "Not found")

/**
 * The person of the path (`:id`), if any.
 *
 * @since 0.1.0
 * @category lookups
 */
export const personOf = (store: Store.Store, request: Request) => {
  const id = Number(request.params["id"])
  return Number.isInteger(id) ? store.people.get(id) : undefined
}

/**
 * Builds a context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly store: Store.Store
  readonly account: string
  readonly tokens: ReadonlyArray<string>
  readonly quirks: () => Quirks.Quirks
  readonly rateLimits: RateLimits.RateLimits
  readonly log: RequestLog.RequestLog
}): Context => {
  const { account, log, quirks, rateLimits, tokens } = options

  const guardEffect: Context["guardEffect"] = (handler, guardOptions = {}) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const params = yield* HttpRouter.params
      const url = new URL(request.url, "http://localhost")
      const origin = `http://${request.headers["host"] ?? "127.0.0.1"}`
      const text = guardOptions.body === true ? yield* Effect.orElseSucceed(request.text, () => "") : ""
      const bytes = guardOptions.raw === true
        ? new Uint8Array(yield* Effect.orElseSucceed(request.arrayBuffer, () => new ArrayBuffer(0)))
        : new Uint8Array(0)
      const respond = (response: HttpServerResponse.HttpServerResponse, body?: unknown) => {
        log.record({
          method: request.method,
          path: url.pathname,
          query: url.search,
          status: response.status,
          ...(body === undefined ? {} : { body })
        })
        return response
      }
      let parsed: unknown
      let parseFailed = false
      if (guardOptions.body === true) {
        try {
          parsed = JSON.parse(text)
        } catch {
          parseFailed = true
        }
      }
      const loggedBody = guardOptions.body === true
        ? (parseFailed ? text : parsed)
        : guardOptions.raw === true
        ? { contentType: request.headers["content-type"] ?? "", bytes: bytes.byteLength }
        : undefined
      const auth = request.headers["authorization"] ?? ""
      const match = /^Bearer\s+(.+)$/i.exec(auth.trim())
      const token = match?.[1]
      if (token === undefined || !tokens.includes(token)) return respond(message(401, "Unauthorized"), loggedBody)
      const accountHeader = request.headers["x-xurrent-account"] ?? request.headers["x-4me-account"]
      if (accountHeader !== account) return respond(notFound(), loggedBody)
      const limited = rateLimits(token, Date.now())
      if (!limited.ok) {
        return respond(
          quirks().bare429 ? HttpServerResponse.empty({ status: 429 }) : message(429, "Too Many Requests", limited.headers),
          loggedBody
        )
      }
      if (parseFailed || (guardOptions.body === true && (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)))) {
        return respond(message(400, "Invalid JSON string posted", limited.headers), loggedBody)
      }
      const response = yield* handler({ url, params, body: parsed, origin, headers: request.headers, bytes })
      return respond(HttpServerResponse.setHeaders(response, limited.headers), loggedBody)
    })

  const guard: Context["guard"] = (handler, guardOptions) => guardEffect((request) => Effect.sync(() => handler(request)), guardOptions)

  return { store: options.store, quirks, guard, guardEffect }
}
