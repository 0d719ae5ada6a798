/**
 * The HTTP policy both adapters use, as an `HttpClient` transformation: pipe a
 * client through {@link HttpPolicy.transform} and every request it executes
 * runs under the policy.
 *
 * ```ts
 * const policy = yield* HttpPolicy.make({ module: "ringcentral", limiter, toError, observe })
 * const http = (yield* HttpClient.HttpClient).pipe(policy.transform)
 * const response = yield* http.execute(request).pipe(HttpPolicy.withCall({ method: "readExtension", bucket: "Light", body: "json" }))
 * ```
 *
 * One attempt is one retry unit: the rate limiter's slot (a request hook:
 * wait for the bucket, nothing is sent during a penalty), the request, the
 * status, the rate-limit headers (a response hook: the limiter learns from
 * them) and the whole body, success or error, all under the per-attempt
 * timeout. The response the caller gets holds its body in memory, so reading
 * it cannot fail or stall afterwards. A body that breaks off, stalls, or is
 * empty or not JSON where the call expects JSON is a failed attempt like a
 * transport error.
 *
 * Attempts are repeated by `Effect.retry` with a `Schedule` (exponential
 * backoff with jitter, capped, `Retry-After` honoured, the limiter holding a
 * rate-limited bucket), and only when repeating is harmless: an idempotent
 * call after a transport failure, a timeout, a broken body or a retryable
 * status; a non-idempotent one only after a status by which the server says it
 * did not process the request (408, 429, 503).
 *
 * Errors are the tagged `PeopleError`s, built from the status, the remote error
 * body and the transport failure only, so request headers (and the secrets in
 * them) never reach an error; remote text is scrubbed of the configured secrets
 * and of anything shaped like a credential before it enters an error or a log.
 *
 * @since 0.1.0
 */
import type * as Cookies from "@effect/platform/Cookies"
import type * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import type * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Json from "./internal/json.js"
import * as Tracing from "./internal/tracing.js"
import * as PeopleError from "./PeopleError.js"
import type * as RateLimiter from "./RateLimiter.js"

/**
 * How retries back off.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 5). */
  readonly times?: number
  /** The first backoff (default 500 ms); it doubles on every retry. */
  readonly base?: Duration.DurationInput
  /** The longest backoff (default 30 s). */
  readonly cap?: Duration.DurationInput
}

/**
 * A rate-limit observation read from response headers, optionally for another
 * bucket than the one the call named (RingCentral names its group).
 *
 * @since 0.1.0
 * @category models
 */
export interface HeaderObservation extends RateLimiter.Observation {
  readonly bucket?: string | undefined
}

/**
 * The context an error mapper receives.
 *
 * @since 0.1.0
 * @category models
 */
export interface ErrorContext extends PeopleError.Context {
  readonly bucket: string
  /** `Retry-After` parsed to milliseconds, when present. */
  readonly retryAfterMillis: number | undefined
}

/**
 * An answer with a status the call does not accept, its body read whole (empty
 * when it could not be read within the attempt's time).
 *
 * @since 0.1.0
 * @category models
 */
export interface ErrorResponse {
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The adapter name used in errors (`ringcentral`, `people-contacts`). */
  readonly module: string
  readonly limiter: RateLimiter.Service
  /** Per-attempt time limit for the whole exchange, body included (default 30 s). */
  readonly timeout?: Duration.DurationInput
  readonly retry?: RetryOptions
  /** Turns an answer with an unaccepted status into an error, from the API's error body. */
  readonly toError: (response: ErrorResponse, context: ErrorContext) => PeopleError.PeopleError
  /** Reads the API's rate-limit headers. */
  readonly observe?: (headers: Headers.Headers, nowMillis: number) => HeaderObservation | undefined
  /**
   * The secrets remote text is scrubbed of (tokens, client secrets, JWTs),
   * asked for each error, so that tokens obtained later are included.
   */
  readonly secrets?: (() => Iterable<Redacted.Redacted | string>) | undefined
}

/**
 * What a call expects of the body of an accepted answer:
 *
 * - `any` (the default): read whole within the attempt, may be empty;
 * - `required`: read whole, an empty body is a failed attempt;
 * - `json`: read whole, a body that is empty or not JSON is a failed attempt
 *   (the parsed value is kept for {@link decodeJson}).
 *
 * An answer without a body by definition (`HEAD`, 204, 205, 304) is never read.
 *
 * @since 0.1.0
 * @category models
 */
export type BodyExpectation = "any" | "required" | "json"

/**
 * One call through the policy.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  /** The operation name, used in errors. */
  readonly method: string
  /** The rate-limit bucket. */
  readonly bucket: string
  /**
   * Whether repeating the request is harmless. Defaults to true for GET, HEAD,
   * PUT, DELETE and OPTIONS. A non-idempotent call is retried only when the
   * server said it did not process it (408, 429 or 503), never after a reset, a
   * timeout, a broken body or another server error.
   */
  readonly idempotent?: boolean | undefined
  /** Statuses that are a success (default 2xx). */
  readonly accept?: ((status: number) => boolean) | undefined
  /** This call's per-attempt time limit (default: the policy's). */
  readonly timeout?: Duration.DurationInput | undefined
  readonly body?: BodyExpectation | undefined
}

/**
 * The call the requests of the current fiber are made for; set it with
 * {@link withCall}. Without one, a request is the method `request` in the
 * bucket `default`.
 *
 * @since 0.1.0
 * @category context
 */
export class CurrentCall extends Context.Reference<CurrentCall>()("@unified-people/core/HttpPolicy/CurrentCall", {
  defaultValue: (): Call => ({ method: "request", bucket: "default" })
}) {}

/**
 * Runs an effect (a client's `execute`) as `call`.
 *
 * @since 0.1.0
 * @category context
 */
export const withCall: {
  (call: Call): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, call: Call): Effect.Effect<A, E, R>
} = dual(2, <A, E, R>(self: Effect.Effect<A, E, R>, call: Call) => Effect.provideService(self, CurrentCall, call))

/**
 * Counters of a policy.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  /** Attempts sent. */
  readonly attempts: number
  /** Attempts that were retries. */
  readonly retries: number
  /** Calls that failed after their last attempt. */
  readonly failures: number
  readonly limiter: RateLimiter.Stats
}

/**
 * @since 0.1.0
 * @category models
 */
export interface HttpPolicy {
  readonly module: string
  /** The transformation: the returned client runs every request under the policy, as the {@link CurrentCall}. */
  readonly transform: (client: HttpClient.HttpClient) => HttpClient.HttpClient.With<PeopleError.PeopleError>
  /** Removes the configured secrets and anything shaped like a credential from an error's remote text. */
  readonly scrub: <E extends PeopleError.PeopleError>(error: E) => E
  readonly stats: Effect.Effect<Stats>
}

const isSuccess = (status: number) => status >= 200 && status < 300

/**
 * Statuses by which a server says it did not process a request, so that even a
 * non-idempotent one may be sent again: 408, 429 and 503. A 500, 502 or 504 may
 * come after the work was done, and a reset or a timeout says nothing.
 */
const notProcessed: ReadonlySet<number> = new Set([408, 429, 503])

const idempotentMethods: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])

/** Statuses whose answer has no body by definition. */
const bodiless = (status: number) => status === 204 || status === 205 || status === 304 || status < 200

/**
 * Whether `url` is an absolute `http:` or `https:` URL with a host, no user
 * name or password in it and no surrounding spaces: what a server or base URL
 * setting must be (a configuration that is not fails as invalid before any
 * request is made).
 *
 * @since 0.1.0
 * @category parsing
 */
export const isHttpUrl = (url: string): boolean => {
  if (url.trim() !== url) return false
  try {
    const parsed = new URL(url)
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== "" && parsed.username === "" &&
      parsed.password === ""
  } catch {
    return false
  }
}

/**
 * What {@link isHttpUrl} asks of a URL setting, as the message of one that
 * fails it.
 *
 * @since 0.1.0
 * @category parsing
 */
export const httpUrlExpectation = "must be an absolute http(s) URL, with no user name or password"

/**
 * A URL setting read from `Config` (`name`): invalid data unless
 * {@link isHttpUrl}.
 *
 * @since 0.1.0
 * @category parsing
 */
export const httpUrlConfig = (name: string): Config.Config<string> =>
  Config.string(name).pipe(Config.validate({ message: httpUrlExpectation, validation: isHttpUrl }))

const imfFixdate = /^[a-z]{3}, \d{1,2} [a-z]{3} \d{4} \d{2}:\d{2}:\d{2} gmt$/i
const rfc850Date = /^[a-z]+, \d{2}-[a-z]{3}-\d{2} \d{2}:\d{2}:\d{2} gmt$/i
const asctimeDate = /^[a-z]{3} [a-z]{3} \d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/i

/**
 * Parses a `Retry-After` header to milliseconds: delta seconds (decimals
 * accepted) or one of the three HTTP-date formats of RFC 9110 (a date in the
 * past gives 0). Anything else gives `undefined`, never a guess.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim().replace(/\s+/g, " ")
  if (trimmed === "") return undefined
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = imfFixdate.test(trimmed) || rfc850Date.test(trimmed)
    ? Date.parse(trimmed)
    : asctimeDate.test(trimmed)
    ? Date.parse(`${trimmed} GMT`)
    : Number.NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMillis)
}

// -----------------------------------------------------------------------------
// secrets
// -----------------------------------------------------------------------------

const redactedMark = "[redacted]"

/** A JWT (three base64url parts, the first a JSON object). */
const jwtShaped = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g
/** An authorization scheme and its credential (a word of 8 or more token characters with a digit or a symbol in it). */
const schemeCredential = /\b(Bearer|Basic)(\s+)(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}/gi
/** A secret-named field or parameter and its value (`access_token=…`, `"client_secret": "…"`). */
const namedSecret =
  /\b(access_token|refresh_token|id_token|client_secret|clientSecret|assertion|password|api[_-]?key|secret|jwt|token)(\\?["']?\s*[:=]\s*\\?["']?)([^\s"'&,;}\\]+)/gi
/** A long run of token characters. */
const opaqueRun = /[A-Za-z0-9+/=_~-]{32,}/g
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a long run of token characters looks like a credential rather than a path or an identifier. */
const isOpaqueToken = (run: string): boolean => {
  if (uuid.test(run)) return false
  if (!/[0-9]/.test(run) || !/[A-Za-z]/.test(run)) return false
  // a path has short segments; a base64 token may hold a few slashes between long runs
  return Math.max(...run.split("/").map((segment) => segment.length)) >= 24
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Removes secrets from a remote text: every configured secret (as given,
 * URL-encoded and JSON-escaped), then anything shaped like a credential: a
 * JWT (`eyJ…`), the credential after `Bearer` or `Basic`, the value of a
 * secret-named field (`access_token=…`, `"client_secret":"…"`), and long
 * opaque tokens (32 or more token characters mixing letters and digits; UUIDs
 * and paths are kept). Each is replaced by `[redacted]`.
 *
 * @since 0.1.0
 * @category secrets
 */
export const scrub = (text: string, secrets: Iterable<Redacted.Redacted | string> = []): string => {
  let out = text
  for (const secret of secrets) {
    const value = typeof secret === "string" ? secret : String(Redacted.value(secret))
    // a very short value would take ordinary words with it
    if (value.length < 6) continue
    for (const form of new Set([value, encodeURIComponent(value), value.replace(/\//g, "\\/")])) {
      if (out.includes(form)) out = out.replace(new RegExp(escapeRegExp(form), "g"), redactedMark)
    }
  }
  return out
    .replace(jwtShaped, redactedMark)
    .replace(schemeCredential, (_, scheme: string, space: string) => `${scheme}${space}${redactedMark}`)
    .replace(namedSecret, (match, name: string, separator: string, value: string) =>
      value === redactedMark || /^(is|was|has|not|the|a|an|invalid|expired|missing)$/i.test(value) ? match : `${name}${separator}${redactedMark}`)
    .replace(opaqueRun, (run) => isOpaqueToken(run) ? redactedMark : run)
}

/**
 * {@link scrub} applied to every remote text of an error (its reason, field,
 * remote code, path and violations).
 *
 * @since 0.1.0
 * @category secrets
 */
export const scrubError = <E extends PeopleError.PeopleError>(error: E, secrets: Iterable<Redacted.Redacted | string> = []): E => {
  const all = [...secrets]
  return PeopleError.mapText(error, (text) => scrub(text, all))
}

// -----------------------------------------------------------------------------
// the transformation
// -----------------------------------------------------------------------------

/** How a failed attempt may be repeated. */
type Kind =
  /** The exchange broke (transport, timeout, a broken body): only an idempotent call. */
  | "exchange"
  /** The server answered with an error status: by the status and the idempotency. */
  | "status"
  /** Repeating cannot help (an invalid URL, a body that cannot be encoded). */
  | "final"

class Failed {
  constructor(readonly error: PeopleError.PeopleError, readonly kind: Kind) {}
}

const describeCause = (cause: unknown): string => {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code
    return typeof code === "string" ? `${cause.message} (${code})` : cause.message
  }
  return cause === undefined ? "unknown" : String(cause)
}

const isBlank = (bytes: Uint8Array): boolean => {
  for (const byte of bytes) {
    // space, tab, CR, LF
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return false
  }
  return true
}

const decoder = new TextDecoder()

const encoder = new TextEncoder()

/**
 * The same answer with its body in memory: reading it cannot fail or stall,
 * and costs no stream, no copy of the headers and no web `Response`. The
 * headers, cookies and remote address are the original answer's. The body is
 * the bytes received, or, for a JSON answer, its parsed value: the copy does
 * not hold the bytes (an answer may be kept well after its value was decoded,
 * and bytes outside the heap pile up as garbage until a full collection); its
 * text is written only if it is read.
 */
class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  #text: string | undefined
  #bytes: Uint8Array | undefined
  readonly #json: unknown
  readonly #parsed: boolean
  constructor(
    readonly original: HttpClientResponse.HttpClientResponse,
    readonly headers: Headers.Headers,
    body: { readonly bytes: Uint8Array } | { readonly json: unknown }
  ) {
    super()
    this.#parsed = !("bytes" in body)
    if ("bytes" in body) this.#bytes = body.bytes
    else this.#json = body.json
  }
  /**
   * The parsed body of a JSON answer the policy read, for {@link decodeJson}.
   * Held by the answer itself, not in a `WeakMap` keyed by it: a map entry
   * kept a listing page's parsed value alive into the next young-generation
   * collection after the answer was dropped, and a page parsed across one
   * collection was then promoted whole (measured: 1.5 MB every few pages).
   */
  static parsedJson(response: HttpClientResponse.HttpClientResponse): { readonly json: unknown } | undefined {
    return response instanceof BufferedResponse && response.#parsed ? { json: response.#json } : undefined
  }
  get request(): HttpClientRequest.HttpClientRequest {
    return this.original.request
  }
  get status(): number {
    return this.original.status
  }
  get cookies(): Cookies.Cookies {
    return this.original.cookies
  }
  get remoteAddress(): Option.Option<string> {
    return this.original.remoteAddress
  }
  /** The body as text, decoded (or written) once. */
  bodyText(): string {
    return this.#text ??= this.#bytes === undefined ? JSON.stringify(this.#json) : decoder.decode(this.#bytes)
  }
  /** The body as bytes. */
  bodyBytes(): Uint8Array {
    return this.#bytes ??= encoder.encode(this.bodyText())
  }
  decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }
  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.sync(() => this.bodyText())
  }
  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => {
        const text = this.bodyText()
        return text === "" ? null : JSON.parse(text)
      },
      catch: (cause) => this.decodeError(cause)
    })
  }
  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(this.bodyText())), catch: (cause) => this.decodeError(cause) })
  }
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => this.bodyBytes().slice().buffer as ArrayBuffer)
  }
  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      const bytes = this.bodyBytes()
      return bytes.length === 0 ? Stream.empty : Stream.succeed(bytes)
    })
  }
  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => {
        const headers = new globalThis.Headers()
        for (const [name, value] of Object.entries(this.headers)) {
          try {
            headers.append(name, value)
          } catch {
            // a header value a web Headers refuses is left out
          }
        }
        return new Response(this.bodyBytes(), { status: this.status, headers }).formData()
      },
      catch: (cause) => this.decodeError(cause)
    })
  }
  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, { _id: "@effect/platform/HttpClientResponse", request: this.request.toJSON(), status: this.status })
  }
}

/**
 * Builds a policy: its {@link HttpPolicy.transform} turns a client into one
 * whose every request runs under the policy.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<HttpPolicy> =>
  Effect.sync(() => {
    const module = options.module
    const retryTimes = Math.max(0, options.retry?.times ?? 5)
    const base = Duration.decode(options.retry?.base ?? Duration.millis(500))
    const cap = Duration.decode(options.retry?.cap ?? Duration.seconds(30))
    const defaultTimeout = options.timeout ?? Duration.seconds(30)
    const counters = { attempts: 0, retries: 0, failures: 0 }

    const scrubOne = <E extends PeopleError.PeopleError>(error: E): E => scrubError(error, options.secrets?.() ?? [])

    const transportError = (call: Call, error: HttpClientError.HttpClientError): Failed => {
      const final = error._tag === "RequestError" && error.reason !== "Transport"
      return new Failed(
        new PeopleError.Unavailable({
          module,
          method: call.method,
          reason: `${error.reason} error: ${describeCause(error.cause)}`,
          // a request that could not be encoded or had an invalid URL will not get better
          retryable: !final
        }),
        final ? "final" : "exchange"
      )
    }

    /** The schedule of one call: capped exponential backoff with jitter, `Retry-After` first. */
    const scheduleFor = (retryable: (failed: Failed) => boolean) =>
      Schedule.exponential(base).pipe(
        Schedule.modifyDelay((_, delay) => Duration.min(delay, cap)),
        // between half the backoff and all of it
        Schedule.jitteredWith({ min: 0.5, max: 1 }),
        Schedule.intersect(Schedule.recurs(retryTimes)),
        Schedule.zipRight(Schedule.identity<Failed>()),
        Schedule.whileInput(retryable),
        Schedule.modifyDelay((failed, delay) => {
          const error = failed.error
          // the limiter already holds the bucket for the penalty
          if (error._tag === "RateLimited") return Duration.zero
          if (error._tag === "Unavailable" && error.retryAfterMillis !== undefined) return Duration.millis(error.retryAfterMillis)
          return delay
        })
      )

    // the body is read whole by the HTTP client itself into one buffer (no chunks,
    // concatenation and copy), within the attempt's time limit

    /** Reads a whole body in one piece (no stream). */
    const readBody = (response: HttpClientResponse.HttpClientResponse, call: Call) =>
      response.arrayBuffer.pipe(
        Effect.map((buffer) => new Uint8Array(buffer)),
        Effect.catchIf(
          (error) => error._tag === "ResponseError" && error.reason === "EmptyBody",
          () => Effect.succeed(new Uint8Array(0))
        ),
        Effect.mapError((error) =>
          new PeopleError.Unavailable({
            module,
            method: call.method,
            reason: `reading the response body failed: ${describeCause(error.cause)}`,
            status: response.status
          })
        )
      )

    const bodyTimeout = (response: HttpClientResponse.HttpClientResponse, call: Call, timeout: Duration.DurationInput) =>
      new PeopleError.Unavailable({
        module,
        method: call.method,
        reason: `the response body did not arrive within ${Duration.format(timeout)}`,
        status: response.status
      })

    /** Reads a whole body within `deadline` (Clock milliseconds). */
    const readBodyUntil = (response: HttpClientResponse.HttpClientResponse, call: Call, deadline: number, timeout: Duration.DurationInput) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        readBody(response, call).pipe(
          Effect.timeoutFail({ duration: Duration.millis(Math.max(0, deadline - now)), onTimeout: () => bodyTimeout(response, call, timeout) })
        ))

    /** An answer, with its body when it was accepted (read within the same attempt). */
    interface Exchanged {
      readonly response: HttpClientResponse.HttpClientResponse
      readonly bytes: Uint8Array | undefined
      readonly deadline: number
    }

    /** One attempt: slot, request, status, headers and the whole body, under the timeout. */
    const attempt = (
      send: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>,
      request: HttpClientRequest.HttpClientRequest,
      call: Call
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, Failed> =>
      Effect.gen(function*() {
        const timeout = call.timeout ?? defaultTimeout
        const accept = call.accept ?? isSuccess
        // the answer, once its status and headers arrived (which time limit ran out)
        let answered: HttpClientResponse.HttpClientResponse | undefined
        // one time limit for the request and, when its status is accepted, the whole body
        const exchange = Effect.flatMap(Clock.currentTimeMillis, (start) => {
          counters.attempts++
          const deadline = start + Duration.toMillis(timeout)
          // the client's own span only when a tracer is provided (see internal/tracing)
          return Tracing.untracedByDefault(send).pipe(
            Effect.mapError((error) => transportError(call, error)),
            Effect.flatMap((response): Effect.Effect<Exchanged, Failed> => {
              answered = response
              if (request.method === "HEAD" || bodiless(response.status) || !accept(response.status)) {
                return Effect.succeed({ response, bytes: undefined, deadline })
              }
              return readBody(response, call).pipe(
                Effect.map((bytes) => ({ response, bytes, deadline })),
                Effect.mapError((error) => new Failed(error, "exchange"))
              )
            }),
            Effect.timeoutFail({
              duration: timeout,
              onTimeout: () =>
                new Failed(
                  answered === undefined
                    ? new PeopleError.Unavailable({ module, method: call.method, reason: `no response within ${Duration.format(timeout)}` })
                    : bodyTimeout(answered, call, timeout),
                  "exchange"
                )
            })
          )
        })
        // the limiter counts the request from the moment its answer arrived (with an accepted answer, its whole body)
        const { bytes: body, deadline, response } = yield* options.limiter.send(call.bucket, exchange)
        // read once: a client's answer may build its headers on every read
        const headers = response.headers
        const now = yield* Clock.currentTimeMillis
        const retryAfterMillis = parseRetryAfter(headers["retry-after"], now)
        const observation = options.observe?.(headers, now)
        if (observation !== undefined) {
          // an answer with a Retry-After says when to come back: its own quota figures
          // (nothing remaining, a reset an hour away) do not overrule it, only limits are learned
          yield* options.limiter.observe(
            observation.bucket ?? call.bucket,
            retryAfterMillis === undefined ? observation : { limit: observation.limit, windowMillis: observation.windowMillis }
          )
        }
        if (!accept(response.status)) {
          // the error body, as much of it as arrives in time: the status decides anyway
          const bytes = request.method !== "HEAD" && !bodiless(response.status)
            ? yield* Effect.orElseSucceed(readBodyUntil(response, call, deadline, timeout), () => new Uint8Array(0))
            : new Uint8Array(0)
          // remote text is scrubbed before the mapper sees it (it may quote a part of
          // it), and the error once more (a secret may have been escaped in JSON)
          const secrets = [...(options.secrets?.() ?? [])]
          const error = scrubError(
            options.toError(
              { status: response.status, headers, text: scrub(decoder.decode(bytes), secrets) },
              { module, method: call.method, bucket: call.bucket, retryAfterMillis }
            ),
            secrets
          )
          if (error._tag === "RateLimited") {
            // the header's value when the mapper did not carry it over
            const penalty = error.retryAfterMillis ?? retryAfterMillis
            yield* options.limiter.penalize(call.bucket, penalty)
            if (error.bucket !== undefined && error.bucket !== call.bucket) {
              yield* options.limiter.penalize(error.bucket, penalty)
            }
          }
          return yield* Effect.fail(new Failed(error, "status"))
        }
        if (body === undefined) return response
        const expected = call.body ?? "any"
        if (expected !== "any" && isBlank(body)) {
          return yield* Effect.fail(
            new Failed(
              new PeopleError.Unavailable({ module, method: call.method, reason: "an empty body on a success status", status: response.status }),
              "exchange"
            )
          )
        }
        if (expected !== "json") return new BufferedResponse(response, headers, { bytes: body })
        const parsed = parseJsonBytes(body, { module, method: call.method })
        if (parsed._tag === "Left") return yield* Effect.fail(new Failed(parsed.left, "exchange"))
        return new BufferedResponse(response, headers, { json: parsed.right })
      })

    const run = (
      send: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>,
      request: HttpClientRequest.HttpClientRequest
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, PeopleError.PeopleError> =>
      Effect.flatMap(CurrentCall, (call) => {
        const idempotent = call.idempotent ?? idempotentMethods.has(request.method)
        const retryable = (failed: Failed): boolean => {
          const error = failed.error
          // a broken exchange (transport, timeout, a body that broke off, an empty or
          // non-JSON body) says nothing about whether the server did the work
          if (failed.kind !== "status") return failed.kind === "exchange" && idempotent
          if (!error.isRetryable) return false
          if (idempotent) return true
          // a non-idempotent request only when the server said it did not process it
          return error._tag === "RateLimited" || (error._tag === "Unavailable" && notProcessed.has(error.status ?? 0))
        }
        let tries = 0
        const once = Effect.suspend(() => {
          if (tries++ > 0) counters.retries++
          return attempt(send, request, call).pipe(
            // a transport failure's text comes from the remote side too (status errors are scrubbed already)
            Effect.mapError((failed) => failed.kind === "status" ? failed : new Failed(scrubOne(failed.error), failed.kind)),
            Effect.tapError((failed) =>
              retryable(failed) && tries <= retryTimes
                ? Effect.logDebug("retrying").pipe(
                  Effect.annotateLogs({ module, method: call.method, error: failed.error._tag, reason: failed.error.reason, retry: tries })
                )
                : Effect.void
            )
          )
        })
        const giveUp = (failed: Failed) => {
          counters.failures++
          return Effect.fail(failed.error)
        }
        // the retry schedule starts only after a failed first attempt: the first
        // failure is handed to it as if the attempt were made again
        return Effect.catchAll(once, (first) => {
          if (!retryable(first) || retryTimes === 0) return giveUp(first)
          let replay: Failed | undefined = first
          const again = Effect.suspend(() => {
            if (replay === undefined) return once
            const failed = replay
            replay = undefined
            return Effect.fail(failed)
          })
          return Effect.catchAll(Effect.retry(again, scheduleFor(retryable)), giveUp)
        })
      })

    const transform = (client: HttpClient.HttpClient): HttpClient.HttpClient.With<PeopleError.PeopleError> =>
      client.pipe(
        HttpClient.transform((send, request) => run(send, request)),
        // a request the client could not even prepare (its own request hooks failed)
        HttpClient.transformResponse(Effect.catchAll((error) =>
          PeopleError.isPeopleError(error)
            ? Effect.fail(error)
            : Effect.flatMap(CurrentCall, (call) => Effect.fail(scrubOne(transportError(call, error).error)))
        ))
      )

    return {
      module,
      transform,
      scrub: scrubOne,
      stats: Effect.map(options.limiter.stats, (limiter) => ({ ...counters, limiter }))
    }
  })

/**
 * Executes a request with a client (transformed by a policy) as `call`.
 *
 * @since 0.1.0
 * @category execution
 */
export const execute = <E, R>(
  client: HttpClient.HttpClient.With<E, R>,
  request: HttpClientRequest.HttpClientRequest,
  call: Call
): Effect.Effect<HttpClientResponse.HttpClientResponse, E, R> => withCall(client.execute(request), call)

// -----------------------------------------------------------------------------
// decoding
// -----------------------------------------------------------------------------

/**
 * Formats the path of a parse issue: `records[3].phoneNumbers[0].usageType`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`,
    ""
  ) || "(root)"

/**
 * Turns a Schema parse error into a `DecodeError` naming the first offending path
 * (and counting the others). Anything shaped like a credential in the reason
 * (a value quoted by the schema) is scrubbed.
 *
 * @since 0.1.0
 * @category decoding
 */
export const fromParseError = (context: PeopleError.Context, error: ParseResult.ParseError): PeopleError.DecodeError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""
  return new PeopleError.DecodeError({
    module: context.module,
    method: context.method,
    path: first === undefined ? "(root)" : formatPath(first.path),
    reason: scrub(`${first?.message ?? "does not match the expected shape"}${more}`)
  })
}

/**
 * Why a text is not JSON, without quoting it: a body that failed to parse may be a
 * truncated token answer, so neither the text nor the parser's message (which
 * quotes the text) is kept; only its length, the position and its general shape.
 */
const describeInvalidJson = (text: string, error: unknown): string => {
  const trimmed = text.trim()
  if (trimmed === "") return "not valid JSON (empty body)"
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1]
  const shape = trimmed.startsWith("<") ? ", looks like HTML or XML" : ""
  const at = position === undefined ? "" : `, error at position ${position}`
  return `not valid JSON (${text.length} characters${at}${shape})`
}

type Parsed = { readonly _tag: "Right"; readonly right: unknown } | { readonly _tag: "Left"; readonly left: PeopleError.DecodeError }

/**
 * The lossless parse of a JSON body (`Json.parseBytes`: a large listing page in
 * pieces, never as one string); for a body that is not JSON, the reason of
 * {@link parseJson} for its text.
 */
const parseJsonBytes = (bytes: Uint8Array, context: PeopleError.Context): Parsed => {
  try {
    return { _tag: "Right", right: Json.parseBytes(bytes) }
  } catch {
    return parseJson(decoder.decode(bytes), context)
  }
}

/** The lossless parse of a JSON text (a leading byte-order mark skipped). */
const parseJson = (text: string, context: PeopleError.Context): Parsed => {
  try {
    return { _tag: "Right", right: Json.parse(text.replace(/^\uFEFF/, "")) }
  } catch (e) {
    return {
      _tag: "Left",
      left: new PeopleError.DecodeError({ module: context.module, method: context.method, path: "body", reason: describeInvalidJson(text, e) })
    }
  }
}

/**
 * Decodes a JSON text with a schema. Text that is not JSON is a `DecodeError` at
 * path `body` whose reason never quotes the text. A leading byte-order mark is
 * skipped. Excess properties are ignored, so new remote fields never break a
 * decode.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeText = <A, I, R>(schema: Schema.Schema<A, I, R>, context: PeopleError.Context) => {
  const decode = decodeValue(schema, context)
  return (text: string): Effect.Effect<A, PeopleError.DecodeError, R> =>
    Effect.suspend(() => {
      const parsed = parseJson(text, context)
      return parsed._tag === "Left" ? Effect.fail(parsed.left) : decode(parsed.right)
    })
}

/**
 * Decodes a parsed JSON value with a schema (excess properties ignored).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeValue = <A, I, R>(schema: Schema.Schema<A, I, R>, context: PeopleError.Context) => {
  const decode = Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })
  return (json: unknown): Effect.Effect<A, PeopleError.DecodeError, R> => Effect.mapError(decode(json), (error) => fromParseError(context, error))
}

/**
 * Options of reading a body.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions {
  /**
   * The longest wait for the whole body, for a response that did not come
   * through a policy (one that did holds its body already): a body that stalls
   * is `Unavailable`. No limit by default.
   */
  readonly timeout?: Duration.DurationInput
}

/**
 * Decodes the JSON body of a response with a schema. A response of a call
 * made with `body: "json"` was parsed during its attempt and is not parsed
 * again.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeJson = <A, I, R>(schema: Schema.Schema<A, I, R>, context: PeopleError.Context, options: ReadOptions = {}) => {
  const decode = decodeValue(schema, context)
  const decodeBody = decodeText(schema, context)
  return (response: HttpClientResponse.HttpClientResponse): Effect.Effect<A, PeopleError.DecodeError | PeopleError.Unavailable, R> => {
    const parsed = BufferedResponse.parsedJson(response)
    return parsed === undefined ? Effect.flatMap(readText(response, context, options), decodeBody) : decode(parsed.json)
  }
}

/**
 * Reads a response body as text; a failure while reading, or a body that does
 * not arrive within the timeout (when one is given), is `Unavailable`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const readText = (
  response: HttpClientResponse.HttpClientResponse,
  context: PeopleError.Context,
  options: ReadOptions = {}
): Effect.Effect<string, PeopleError.Unavailable> => {
  const read = response.text.pipe(
    Effect.mapError((error) =>
      new PeopleError.Unavailable({
        module: context.module,
        method: context.method,
        reason: `reading the response body failed: ${describeCause(error.cause)}`,
        status: response.status
      })
    )
  )
  const timeout = options.timeout
  return timeout === undefined ? read : read.pipe(
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () =>
        new PeopleError.Unavailable({
          module: context.module,
          method: context.method,
          reason: `the response body did not arrive within ${Duration.format(timeout)}`,
          status: response.status
        })
    })
  )
}
