/**
 * The HTTP policy both adapters use: rate limiting per bucket, retries of
 * retryable failures with exponential backoff and jitter (honouring
 * `Retry-After`), per-attempt timeouts, mapping of failures into the tagged
 * `PeopleError`s, and Schema decoding of JSON bodies with the path of what was
 * wrong.
 *
 * Errors are built from the status, the remote error body and the transport
 * failure only, so request headers (and the secrets in them) never reach an
 * error, a log line or `toString` output.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Random from "effect/Random"
import * as Schema from "effect/Schema"
import * as Json from "./internal/json.js"
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
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The adapter name used in errors (`ringcentral`, `people-contacts`). */
  readonly module: string
  readonly limiter: RateLimiter.Service
  /** Per-attempt time limit (default 30 s). */
  readonly timeout?: Duration.DurationInput
  readonly retry?: RetryOptions
  /** Turns a response with an unaccepted status into an error, reading the API's error body. */
  readonly toError: (response: HttpClientResponse.HttpClientResponse, context: ErrorContext) => Effect.Effect<PeopleError.PeopleError>
  /** Reads the API's rate-limit headers. */
  readonly observe?: (headers: Headers.Headers, nowMillis: number) => HeaderObservation | undefined
}

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
   * timeout or another server error.
   */
  readonly idempotent?: boolean
  /** Statuses that are a success (default 2xx). */
  readonly accept?: (status: number) => boolean
  readonly timeout?: Duration.DurationInput
}

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
  /** Sends a request under the policy and returns the accepted response. */
  readonly execute: (
    request: HttpClientRequest.HttpClientRequest,
    call: Call
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, PeopleError.PeopleError>
  readonly stats: Effect.Effect<Stats>
}

const isSuccess = (status: number) => status >= 200 && status < 300

/**
 * Statuses by which a server says it did not process a request, so that even a
 * non-idempotent one may be sent again: 408, 429 and 503. A 500, 502 or 504 may
 * come after the work was done, and a reset or a timeout says nothing.
 */
const notProcessed: ReadonlySet<number> = new Set([408, 429, 503])

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

/**
 * Builds a policy over the `HttpClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<HttpPolicy, never, HttpClient.HttpClient> =>
  Effect.map(HttpClient.HttpClient, (client) => fromClient(client, options))

/**
 * Builds a policy over a given client.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromClient = (client: HttpClient.HttpClient, options: Options): HttpPolicy => {
  const retryTimes = options.retry?.times ?? 5
  const baseMillis = Duration.toMillis(options.retry?.base ?? Duration.millis(500))
  const capMillis = Duration.toMillis(options.retry?.cap ?? Duration.seconds(30))
  const defaultTimeout = options.timeout ?? Duration.seconds(30)
  const counters = { attempts: 0, retries: 0, failures: 0 }

  const transportError = (call: Call, error: HttpClientError.HttpClientError) =>
    new PeopleError.Unavailable({
      module: options.module,
      method: call.method,
      reason: `${error._tag === "RequestError" ? error.reason : error.reason} error: ${describeCause(error.cause)}`,
      // a request that could not be encoded or had an invalid URL will not get better
      retryable: !(error._tag === "RequestError" && error.reason !== "Transport")
    })

  const attempt = (request: HttpClientRequest.HttpClientRequest, call: Call) =>
    Effect.gen(function*() {
      yield* options.limiter.acquire(call.bucket)
      counters.attempts++
      const timeout = call.timeout ?? defaultTimeout
      const response = yield* client.execute(request).pipe(
        Effect.mapError((error) => transportError(call, error)),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new PeopleError.Unavailable({
              module: options.module,
              method: call.method,
              reason: `no response within ${Duration.format(timeout)}`
            })
        })
      )
      const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      const observation = options.observe?.(response.headers, now)
      if (observation !== undefined) {
        yield* options.limiter.observe(observation.bucket ?? call.bucket, observation)
      }
      if ((call.accept ?? isSuccess)(response.status)) return response
      const retryAfterMillis = parseRetryAfter(response.headers["retry-after"], now)
      const error = yield* options.toError(response, {
        module: options.module,
        method: call.method,
        bucket: call.bucket,
        retryAfterMillis
      })
      if (error._tag === "RateLimited") {
        // the header's value when the mapper did not carry it over
        const penalty = error.retryAfterMillis ?? retryAfterMillis
        yield* options.limiter.penalize(call.bucket, penalty)
        if (error.bucket !== undefined && error.bucket !== call.bucket) {
          yield* options.limiter.penalize(error.bucket, penalty)
        }
      }
      return yield* Effect.fail(error)
    })

  const backoff = (error: PeopleError.PeopleError, retry: number) =>
    Effect.gen(function*() {
      // the limiter already holds the bucket for the penalty
      if (error._tag === "RateLimited") return 0
      if (error._tag === "Unavailable" && error.retryAfterMillis !== undefined) return error.retryAfterMillis
      const ceiling = Math.min(capMillis, baseMillis * 2 ** retry)
      const jitter = yield* Random.next
      return Math.round(ceiling / 2 + (ceiling / 2) * jitter)
    })

  const execute = (request: HttpClientRequest.HttpClientRequest, call: Call) => {
    const idempotent = call.idempotent ?? ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].includes(request.method)
    const retryable = (error: PeopleError.PeopleError) =>
      error.isRetryable &&
      (idempotent || error._tag === "RateLimited" || (error._tag === "Unavailable" && notProcessed.has(error.status ?? 0)))
    const loop = (retry: number): Effect.Effect<HttpClientResponse.HttpClientResponse, PeopleError.PeopleError> =>
      attempt(request, call).pipe(
        Effect.catchAll((error) => {
          if (retry >= retryTimes || !retryable(error)) {
            counters.failures++
            return Effect.fail(error)
          }
          return backoff(error, retry).pipe(
            Effect.tap((millis) =>
              Effect.logDebug("retrying").pipe(
                Effect.annotateLogs({ module: options.module, method: call.method, error: error._tag, retry: retry + 1, delayMillis: millis })
              )
            ),
            Effect.flatMap((millis) => millis > 0 ? Effect.sleep(Duration.millis(millis)) : Effect.void),
            Effect.zipRight(Effect.sync(() => counters.retries++)),
            Effect.zipRight(loop(retry + 1))
          )
        })
      )
    return loop(0)
  }

  return {
    module: options.module,
    execute,
    stats: Effect.map(options.limiter.stats, (limiter) => ({ ...counters, limiter }))
  }
}

const describeCause = (cause: unknown): string => {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code
    return typeof code === "string" ? `${cause.message} (${code})` : cause.message
  }
  return cause === undefined ? "unknown" : String(cause)
}

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
 * (and counting the others).
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
    reason: `${first?.message ?? "does not match the expected shape"}${more}`
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
  const decode = Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })
  return (text: string): Effect.Effect<A, PeopleError.DecodeError, R> =>
    Effect.suspend(() => {
      let json: unknown
      try {
        json = Json.parse(text.replace(/^\uFEFF/, ""))
      } catch (e) {
        return Effect.fail(
          new PeopleError.DecodeError({
            module: context.module,
            method: context.method,
            path: "body",
            reason: describeInvalidJson(text, e)
          })
        )
      }
      return Effect.mapError(decode(json), (error) => fromParseError(context, error))
    })
}

/**
 * Options of reading a body.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions {
  /** The longest wait for the whole body (default 30 s): a body that stalls is `Unavailable`. */
  readonly timeout?: Duration.DurationInput
}

/**
 * Reads a response body and decodes it as JSON with a schema.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeJson = <A, I, R>(schema: Schema.Schema<A, I, R>, context: PeopleError.Context, options: ReadOptions = {}) => {
  const decode = decodeText(schema, context)
  return (response: HttpClientResponse.HttpClientResponse): Effect.Effect<A, PeopleError.DecodeError | PeopleError.Unavailable, R> =>
    Effect.flatMap(readText(response, context, options), decode)
}

/**
 * Reads a response body as text; a failure while reading, or a body that does
 * not arrive within the timeout, is `Unavailable`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const readText = (
  response: HttpClientResponse.HttpClientResponse,
  context: PeopleError.Context,
  options: ReadOptions = {}
): Effect.Effect<string, PeopleError.Unavailable> => {
  const timeout = options.timeout ?? Duration.seconds(30)
  return response.text.pipe(
    Effect.mapError((error) =>
      new PeopleError.Unavailable({
        module: context.module,
        method: context.method,
        reason: `reading the response body failed: ${describeCause(error.cause)}`,
        status: response.status
      })
    ),
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
