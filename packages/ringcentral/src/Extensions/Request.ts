/**
 * Local validation of request bodies: a body that breaks the specification's
 * constraints is refused with `InvalidRequest{sent: false}` naming the offending
 * path, and nothing is sent.
 *
 * @since 0.1.0
 */
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * Validates `input` against a request schema and returns the wire body: only
 * the properties the caller set, unknown properties refused.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = <A, I>(schema: Schema.Schema<A, I>, method: string) => {
  const decode = Schema.decodeUnknown(Schema.typeSchema(schema), { errors: "all", onExcessProperty: "error" })
  const encode = Schema.encode(schema)
  return (input: unknown): Effect.Effect<I, PeopleError.InvalidRequest> =>
    decode(input).pipe(
      Effect.flatMap(encode),
      Effect.mapError((error) => invalid(method, error))
    )
}

/**
 * Turns a parse error of a request body into `InvalidRequest{sent: false}` with
 * every violation.
 *
 * @since 0.1.0
 * @category validation
 */
export const invalid = (method: string, error: ParseResult.ParseError): PeopleError.InvalidRequest => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const all = issues
    .map((issue) => ({ field: HttpPolicy.formatPath(issue.path), message: issue.message }))
    .sort((a, b) => Number(a.message.startsWith("Expected undefined")) - Number(b.message.startsWith("Expected undefined")))
  // an optional field reports its members' issues plus "expected undefined" (for
  // the field and its parents): keep the most precise issue of each field
  const seen = new Set<string>()
  const violations = all.filter((v) => {
    if (seen.has(v.field)) return false
    seen.add(v.field)
    return !all.some((other) => other.field.startsWith(`${v.field}.`) || other.field.startsWith(`${v.field}[`))
  })
  const first = violations[0]
  return new PeopleError.InvalidRequest({
    module: "ringcentral",
    method,
    reason: first?.message ?? "invalid request",
    sent: false,
    ...(first === undefined ? {} : { field: first.field }),
    violations
  })
}

/**
 * A local refusal that is not a schema violation (empty image, unsupported type).
 *
 * @since 0.1.0
 * @category validation
 */
export const refuse = (method: string, field: string, reason: string): PeopleError.InvalidRequest =>
  new PeopleError.InvalidRequest({ module: "ringcentral", method, reason, field, sent: false })
