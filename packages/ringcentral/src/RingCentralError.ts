/**
 * RingCentral error bodies and their mapping into the `core` tagged errors.
 *
 * RingCentral answers errors in three shapes: the legacy envelope
 * (`errorCode` + `message` + `errors[]` + `parameterName`), `errors[]` only
 * (ADG directory errors, newer APIs), and the OAuth shape (`error`,
 * `error_description`, `errors[]`). Bodies that are not JSON at all (a proxy's
 * HTML page) still give a typed error built from the status.
 *
 * @since 0.1.0
 */
import type * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as Liberal from "@unified-people/core/Liberal"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/**
 * One entry of `errors[]` (`ApiError` / `ADGError` in the specification).
 *
 * @since 0.1.0
 * @category schemas
 */
export class ApiError extends Schema.Class<ApiError>("@unified-people/ringcentral/ApiError")({
  errorCode: Liberal.optional(Schema.String),
  message: Liberal.optional(Schema.String),
  parameterName: Liberal.optional(Schema.String),
  parameterValue: Liberal.optional(Schema.String)
}) {}

/**
 * An error body in any of RingCentral's shapes.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ErrorResponse extends Schema.Class<ErrorResponse>("@unified-people/ringcentral/ErrorResponse")({
  errorCode: Liberal.optional(Schema.String),
  message: Liberal.optional(Schema.String),
  parameterName: Liberal.optional(Schema.String),
  errors: Liberal.optional(Schema.Array(ApiError)),
  /** OAuth errors. */
  error: Liberal.optional(Schema.String),
  error_description: Liberal.optional(Schema.String)
}) {}

const decodeBody = Schema.decodeUnknownEither(ErrorResponse, { onExcessProperty: "ignore" })

/**
 * Extracts the code from the specification's ADG enum spelling
 * (`ErrorCode{code='ADG-122', httpStatus=404, …}`); other codes are kept as they are.
 *
 * @since 0.1.0
 * @category parsing
 */
export const normalizeCode = (code: string): string => /code='([^']+)'/.exec(code)?.[1] ?? code

/**
 * What an error body says, flattened: the code (top-level, else the first of
 * `errors[]`, else the OAuth `error`), the message, the offending parameter and
 * every parameter violation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  readonly code: string | undefined
  readonly message: string | undefined
  readonly parameterName: string | undefined
  readonly violations: ReadonlyArray<{ readonly field: string; readonly message: string }>
}

/**
 * Summarizes a decoded error body.
 *
 * @since 0.1.0
 * @category parsing
 */
export const summarize = (body: ErrorResponse): Summary => {
  const first = body.errors?.[0]
  const code = body.errorCode ?? first?.errorCode ?? body.errors?.find((e) => e.errorCode !== undefined)?.errorCode
  const oauthCode = body.errors?.find((e) => e.errorCode?.startsWith("OAU-"))?.errorCode
  const violations = (body.errors ?? []).flatMap((e) =>
    e.parameterName === undefined ? [] : [{ field: e.parameterName, message: e.message ?? e.errorCode ?? "invalid" }]
  )
  return {
    code: code === undefined ? (oauthCode ?? body.error) : normalizeCode(code),
    message: body.message ?? first?.message ?? body.error_description ?? body.error,
    parameterName: body.parameterName ?? body.errors?.find((e) => e.parameterName !== undefined)?.parameterName,
    violations
  }
}

/**
 * Parses an error body text; text that is not a JSON error body gives an empty summary.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string): Summary => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { code: undefined, message: undefined, parameterName: undefined, violations: [] }
  }
  return Either.match(decodeBody(json), {
    onLeft: () => ({ code: undefined, message: undefined, parameterName: undefined, violations: [] }),
    onRight: summarize
  })
}

/**
 * The codes by which the platform says the access token is expired, revoked,
 * unknown or unreadable (a new token can help): refresh once and retry.
 *
 * - `TokenInvalid`, `TokenExpired`: the legacy top-level codes of a 401;
 * - `OAU-128` access token expired, `OAU-129` access token corrupted,
 *   `OAU-149` unparsable access token, `OAU-213` token not found (revoked, or
 *   replaced by a refresh), `OAU-232` extension not found (the session's
 *   extension is gone; a new grant says whether it still exists);
 * - `CMN-405` login to extension required (no user session behind the token);
 * - `AGW-401` the API gateway found no usable authorization;
 * - `invalid_token`, `expired_token`: the OAuth shape (RFC 6750, the
 *   specification's `OauthInvalidRequest` enum).
 *
 * A 401 without any code is treated the same way. Other 401 codes (wrong
 * client credentials `OAU-123`/`OAU-146`, `OAU-140`, …) are refused at once.
 *
 * @since 0.1.0
 * @category constants
 */
export const tokenInvalidCodes: ReadonlyArray<string> = [
  "TokenInvalid",
  "TokenExpired",
  "OAU-128",
  "OAU-129",
  "OAU-149",
  "OAU-213",
  "OAU-232",
  "CMN-405",
  "AGW-401",
  "invalid_token",
  "expired_token"
]

/**
 * Whether an error says the access token is expired or unknown.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTokenInvalid = (error: PeopleError.PeopleError): boolean =>
  error._tag === "Unauthorized" && (error.remoteCode === undefined || tokenInvalidCodes.includes(error.remoteCode))

/**
 * Builds the `core` error for a status and a body text.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromBody = (
  context: HttpPolicy.ErrorContext,
  status: number,
  text: string
): PeopleError.PeopleError => {
  const summary = parse(text)
  const preview = text.trim().length === 0 ? "empty body" : `non-JSON body: ${JSON.stringify(text.trim().slice(0, 60))}`
  return PeopleError.fromStatus(context, {
    status,
    reason: summary.message ?? (summary.code === undefined ? `HTTP ${status} (${preview})` : summary.code),
    remoteCode: summary.code,
    field: summary.parameterName,
    ...(summary.violations.length > 0 ? { violations: summary.violations } : {}),
    retryAfterMillis: context.retryAfterMillis,
    bucket: context.bucket
  })
}

/**
 * The `toError` of RingCentral's `HttpPolicy`: maps the error body the policy
 * read (whatever it is, possibly empty) with {@link fromBody}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toError = (response: HttpPolicy.ErrorResponse, context: HttpPolicy.ErrorContext): PeopleError.PeopleError =>
  fromBody(context, response.status, response.text)
