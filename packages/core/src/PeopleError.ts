/**
 * The errors every adapter returns. Each is a `Schema.TaggedError` with the module
 * and method that failed, a `reason` that says what was wrong, the remote error
 * code when there was one, and an `isRetryable` answer. Messages never contain
 * secrets: they are built from these fields only.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@unified-people/core/PeopleError")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

const common = {
  /** The adapter, e.g. `ringcentral`. */
  module: Schema.String,
  /** The operation, e.g. `listDirectoryEntries`. */
  method: Schema.String,
  /** What was wrong, in words. */
  reason: Schema.String,
  /** The remote error code (`CMN-301`, `ADG-122`, …) when the server sent one. */
  remoteCode: Schema.optional(Schema.String),
  /** The HTTP status, when the error came from a response. */
  status: Schema.optional(Schema.Number)
}

const describe = (self: { module: string; method: string; reason: string; remoteCode?: string | undefined; status?: number | undefined }) =>
  `${self.module}.${self.method}: ${self.reason}` +
  (self.status === undefined ? "" : ` (HTTP ${self.status}${self.remoteCode === undefined ? "" : ` ${self.remoteCode}`})`) +
  (self.status === undefined && self.remoteCode !== undefined ? ` (${self.remoteCode})` : "")

/**
 * The record does not exist.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("@unified-people/core/NotFound")("NotFound", common) {
  readonly [TypeId]: TypeId = TypeId
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return describe(this)
  }
}

/**
 * The credentials are missing, wrong or expired beyond refresh.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>("@unified-people/core/Unauthorized")("Unauthorized", common) {
  readonly [TypeId]: TypeId = TypeId
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return describe(this)
  }
}

/**
 * The credentials are valid but lack a permission.
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>("@unified-people/core/Forbidden")("Forbidden", common) {
  readonly [TypeId]: TypeId = TypeId
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return describe(this)
  }
}

/**
 * The request is invalid: `field` is the path of the offending field when known.
 * Raised before sending (nothing reached the server) or decoded from the server's
 * validation answer.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>("@unified-people/core/InvalidRequest")("InvalidRequest", {
  ...common,
  field: Schema.optional(Schema.String),
  /** Every violation when there are several (`field` → message). */
  violations: Schema.optional(Schema.Array(Schema.Struct({ field: Schema.String, message: Schema.String }))),
  /** True when the request was refused locally and never sent. */
  sent: Schema.Boolean
}) {
  readonly [TypeId]: TypeId = TypeId
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return describe({ ...this, reason: this.field === undefined ? this.reason : `${this.field}: ${this.reason}` })
  }
}

/**
 * The request conflicts with the current remote state (duplicate, limit reached,
 * version mismatch).
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>("@unified-people/core/Conflict")("Conflict", common) {
  readonly [TypeId]: TypeId = TypeId
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return describe(this)
  }
}

/**
 * The remote rate limit was exceeded; `retryAfterMillis` is the server's
 * `Retry-After` when it sent one.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("@unified-people/core/RateLimited")("RateLimited", {
  ...common,
  bucket: Schema.optional(Schema.String),
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  readonly [TypeId]: TypeId = TypeId
  get isRetryable(): boolean {
    return true
  }
  override get message(): string {
    return describe(this)
  }
}

/**
 * The remote side could not be reached or answered with a server error, a
 * timeout or a reset connection.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unavailable extends Schema.TaggedError<Unavailable>("@unified-people/core/Unavailable")("Unavailable", {
  ...common,
  retryAfterMillis: Schema.optional(Schema.Number),
  /** False for server errors that repeating cannot fix (501, 505). */
  retryable: Schema.optionalWith(Schema.Boolean, { default: () => true })
}) {
  readonly [TypeId]: TypeId = TypeId
  get isRetryable(): boolean {
    return this.retryable
  }
  override get message(): string {
    return describe(this)
  }
}

/**
 * A remote response did not match the expected shape; `path` locates the
 * offending value (`records[3].phoneNumbers[0].usageType`, or `body` when the
 * body was not JSON).
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>("@unified-people/core/DecodeError")("DecodeError", {
  ...common,
  path: Schema.String
}) {
  readonly [TypeId]: TypeId = TypeId
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return describe({ ...this, reason: `at ${this.path}: ${this.reason}` })
  }
}

/**
 * Any error of an adapter.
 *
 * @since 0.1.0
 * @category models
 */
export type PeopleError = NotFound | Unauthorized | Forbidden | InvalidRequest | Conflict | RateLimited | Unavailable | DecodeError

/**
 * @since 0.1.0
 * @category guards
 */
export const isPeopleError = (u: unknown): u is PeopleError => Predicate.hasProperty(u, TypeId)

/**
 * Whether an error is worth retrying.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable = (u: unknown): boolean => isPeopleError(u) && u.isRetryable

/**
 * The fields every error constructor takes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly module: string
  readonly method: string
}

/**
 * Builds the error matching an HTTP status: 400/422 invalid request, 401
 * unauthorized, 403 forbidden, 404/410 not found, 409 conflict, 429 rate limited,
 * 5xx and anything else unavailable.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromStatus = (
  context: Context,
  details: {
    readonly status: number
    readonly reason: string
    readonly remoteCode?: string | undefined
    readonly field?: string | undefined
    readonly violations?: ReadonlyArray<{ readonly field: string; readonly message: string }> | undefined
    readonly retryAfterMillis?: number | undefined
    readonly bucket?: string | undefined
  }
): PeopleError => {
  const base = {
    module: context.module,
    method: context.method,
    reason: details.reason,
    status: details.status,
    ...(details.remoteCode === undefined ? {} : { remoteCode: details.remoteCode })
  }
  const retryAfter = details.retryAfterMillis === undefined ? {} : { retryAfterMillis: details.retryAfterMillis }
  switch (details.status) {
    case 400:
    case 422:
      return new InvalidRequest({
        ...base,
        sent: true,
        ...(details.field === undefined ? {} : { field: details.field }),
        ...(details.violations === undefined ? {} : { violations: details.violations })
      })
    case 401:
      return new Unauthorized(base)
    case 403:
      return new Forbidden(base)
    case 404:
    case 410:
      return new NotFound(base)
    case 409:
      return new Conflict(base)
    case 429:
      return new RateLimited({ ...base, ...retryAfter, ...(details.bucket === undefined ? {} : { bucket: details.bucket }) })
    default:
      return new Unavailable({
        ...base,
        ...retryAfter,
        retryable: details.status === 408 || (details.status >= 500 && details.status !== 501 && details.status !== 505)
      })
  }
}

/**
 * The same error with `f` applied to each of its texts that may come from the
 * remote side: the reason, the remote code, the field, the path and the
 * violations. Used to scrub secrets from remote messages.
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapText = <E extends PeopleError>(error: E, f: (text: string) => string): E => {
  const opt = (text: string | undefined) => text === undefined ? undefined : f(text)
  const base = {
    module: error.module,
    method: error.method,
    reason: f(error.reason),
    ...(error.remoteCode === undefined ? {} : { remoteCode: f(error.remoteCode) }),
    ...(error.status === undefined ? {} : { status: error.status })
  }
  const self: PeopleError = error
  let mapped: PeopleError
  switch (self._tag) {
    case "NotFound":
      mapped = new NotFound(base)
      break
    case "Unauthorized":
      mapped = new Unauthorized(base)
      break
    case "Forbidden":
      mapped = new Forbidden(base)
      break
    case "Conflict":
      mapped = new Conflict(base)
      break
    case "InvalidRequest":
      mapped = new InvalidRequest({
        ...base,
        sent: self.sent,
        ...(self.field === undefined ? {} : { field: opt(self.field)! }),
        ...(self.violations === undefined ? {} : { violations: self.violations.map((v) => ({ field: f(v.field), message: f(v.message) })) })
      })
      break
    case "RateLimited":
      mapped = new RateLimited({
        ...base,
        ...(self.bucket === undefined ? {} : { bucket: self.bucket }),
        ...(self.retryAfterMillis === undefined ? {} : { retryAfterMillis: self.retryAfterMillis })
      })
      break
    case "Unavailable":
      mapped = new Unavailable({
        ...base,
        retryable: self.retryable,
        ...(self.retryAfterMillis === undefined ? {} : { retryAfterMillis: self.retryAfterMillis })
      })
      break
    case "DecodeError":
      mapped = new DecodeError({ ...base, path: f(self.path) })
      break
  }
  return mapped as E
}
