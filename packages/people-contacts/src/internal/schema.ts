/**
 * Schema helpers of the DTOs.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * The named fields, and every other field of the wire kept as received
 * (`nodeID`, …). `Schema.Class` types its argument as the named fields only but
 * decodes with the schema it is given, so a class built on this keeps the
 * fields it does not name; the class declares them with an index signature.
 *
 * @internal
 */
export const keepingUnknownFields = <Fields extends Schema.Struct.Fields>(fields: Fields): Schema.Struct<Fields> =>
  Schema.Struct(fields, Schema.Record({ key: Schema.String, value: Schema.Unknown })) as unknown as Schema.Struct<Fields>
