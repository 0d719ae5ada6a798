/**
 * Schema helpers for reading remote answers liberally ("be liberal in what you
 * accept"): the adapters build their response schemas from these instead of
 * repeating the same tolerance field by field.
 *
 * - {@link optional}: an optional field where `null` means absent
 *   (`jobTitle: null` decodes as a missing `jobTitle`, it never rejects a page);
 * - {@link Numeric}: a number that may arrive as a numeric string
 *   (`expires_in: "3600"`);
 * - {@link Id}: an id that may be a string or a number, always a string once
 *   decoded. Together with the lossless JSON parse of `HttpPolicy.decodeText`
 *   (integers beyond 2^53 arrive as digit strings), large ids keep every digit;
 * - {@link open}: an enum whose unknown values are kept as plain strings.
 *
 * Request schemas stay strict: these helpers are for what is read.
 *
 * ```ts
 * const Entry = Schema.Struct({
 *   id: Liberal.Id,
 *   jobTitle: Liberal.optional(Schema.String),
 *   pageSize: Liberal.optional(Liberal.Numeric),
 *   status: Liberal.optional(Liberal.open("Enabled", "Disabled"))
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * An optional property that also accepts `null` (and `undefined`) as absent.
 * The decoded property is simply missing.
 *
 * @since 0.1.0
 * @category property signatures
 */
export const optional = <S extends Schema.Schema.All>(schema: S): Schema.optionalWith<S, { nullable: true }> =>
  Schema.optionalWith(schema, { nullable: true })

/** A decimal number, optionally signed, with an optional fraction and exponent. */
const numeric = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/**
 * Parses a numeric string (surrounding spaces allowed) to a finite number;
 * `undefined` for anything else (`""`, `"NaN"`, `"12px"`, `"0x10"`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseNumeric = (value: string): number | undefined => {
  const trimmed = value.trim()
  if (!numeric.test(trimmed)) return undefined
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : undefined
}

/**
 * A finite number, given as a JSON number or as a numeric string (`"3600"`,
 * `" 2.5 "`, `"1e3"`). Encodes as a number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Numeric: Schema.Schema<number, number | string> = Schema.transformOrFail(
  Schema.Union(Schema.Number, Schema.String),
  Schema.Number,
  {
    strict: true,
    decode: (value, _, ast) => {
      if (typeof value === "number") {
        return Number.isFinite(value) ? ParseResult.succeed(value) : ParseResult.fail(new ParseResult.Type(ast, value, "expected a finite number"))
      }
      const n = parseNumeric(value)
      return n === undefined
        ? ParseResult.fail(new ParseResult.Type(ast, value, `expected a number or a numeric string, got ${JSON.stringify(value.slice(0, 40))}`))
        : ParseResult.succeed(n)
    },
    encode: ParseResult.succeed
  }
).annotations({ identifier: "Numeric" })

/**
 * An id given as a string or a number; always a string once decoded (a
 * number as written in decimal). Encodes as the string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id: Schema.Schema<string, string | number> = Schema.transformOrFail(
  Schema.Union(Schema.String, Schema.Number),
  Schema.String,
  {
    strict: true,
    decode: (value, _, ast) =>
      typeof value === "string"
        ? ParseResult.succeed(value)
        : Number.isFinite(value)
        ? ParseResult.succeed(String(value))
        : ParseResult.fail(new ParseResult.Type(ast, value, "expected an id (a string or a finite number)")),
    encode: ParseResult.succeed
  }
).annotations({ identifier: "Id" })

/**
 * An open enum: the known literals are typed, any other string is kept as it is.
 *
 * @since 0.1.0
 * @category schemas
 */
export const open = <const L extends ReadonlyArray<string>>(...literals: L) =>
  Schema.Union(Schema.Literal(...literals), Schema.String)

/**
 * The remote id of a record that may not decode: its `id` property when that is
 * a non-empty string or a finite number.
 *
 * @since 0.1.0
 * @category getters
 */
export const idOf = (record: unknown, key = "id"): string | undefined => {
  if (record === null || typeof record !== "object" || Array.isArray(record)) return undefined
  const id = (record as Record<string, unknown>)[key]
  if (typeof id === "string") return id.trim() === "" ? undefined : id
  if (typeof id === "number" && Number.isFinite(id)) return String(id)
  return undefined
}
