/**
 * The Export API, the `Export` area: start an export of one or more record
 * types (optionally only what changed since `from`), read its progress, await
 * it on a `Schedule`, and download its zip of CSV files as a stream of typed
 * rows. The vendor's preferred way to read many records: one export replaces
 * a listing of every person plus one call per person's contacts.
 *
 * | operation | HTTP | path |
 * |---|---|---|
 * | `createExport` | POST | `/export` (`204`: nothing changed since `from`) |
 * | `readExport` (+ `awaitExport`) | GET | `/export/{token}` |
 * | `downloadExport` | GET | the `url` of a done export (any host, **no** credentials) |
 *
 * The download URL may live on another host (a storage service behind a
 * signed URL): it is fetched with the `HttpClient` beneath the client's
 * policy, never with the bearer token or the account header, under the same
 * retry options. The zip is read with `fflate`'s streaming `Unzip` and each
 * CSV with a streaming `csv-parse` parser, so a large export streams in
 * bounded memory. Columns are found by their header names (the order is not
 * guaranteed, new columns may appear and are ignored); the leading tab the
 * export puts before a value starting with `=`, `+`, `-` or `@` is removed in
 * exactly that case.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as Liberal from "@unified-people/core/Liberal"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { ContactId } from "./Contacts.js"
import type * as Import from "./Import.js"
import * as Download from "./internal/download.js"
import * as Poll from "./internal/poll.js"
import { keepingUnknownFields } from "./internal/schema.js"
import * as ZipCsv from "./internal/zipCsv.js"
import { PersonId } from "./People.js"
import { module, type Operation, PeopleContactsClient } from "./PeopleContactsClient.js"

/**
 * The token of an export (a branded string).
 *
 * @since 0.1.0
 * @category ids
 */
export const ExportToken = Liberal.Id.pipe(Schema.brand("@unified-people/people-contacts/ExportToken"))

/**
 * @since 0.1.0
 * @category ids
 */
export type ExportToken = typeof ExportToken.Type

/**
 * The record types an export takes (`people`, `people_contact_details`, …).
 *
 * @since 0.1.0
 * @category models
 */
export type ExportType = "people" | "people_contact_details" | (string & {})

/**
 * The answer of `createExport` when there is something to export.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ExportCreated extends Schema.Class<ExportCreated>("@unified-people/people-contacts/ExportCreated")(keepingUnknownFields({
  token: ExportToken
})) {}

/**
 * The state of an export: `queued`, `processing` or `done` (any other string
 * is kept and polled on; `error` ends it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExportState = Liberal.open("queued", "processing", "done", "error")

/**
 * The progress of an export (`readExport`); `url` is set once it is `done`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ExportStatus extends Schema.Class<ExportStatus>("@unified-people/people-contacts/ExportStatus")(keepingUnknownFields({
  state: ExportState,
  url: Liberal.optional(Schema.String),
  message: Liberal.optional(Schema.String)
})) {}

/**
 * A CSV boolean: `true` / `false`, `1` / `0`, `yes` / `no` (any case); empty
 * is absent.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CsvBoolean: Schema.Schema<boolean, string> = Schema.transformOrFail(Schema.String, Schema.Boolean, {
  strict: true,
  decode: (text, _, ast) => {
    const t = text.trim().toLowerCase()
    if (t === "true" || t === "1" || t === "yes") return ParseResult.succeed(true)
    if (t === "false" || t === "0" || t === "no") return ParseResult.succeed(false)
    return ParseResult.fail(new ParseResult.Type(ast, text, `expected true or false, got ${JSON.stringify(text)}`))
  },
  encode: (b) => ParseResult.succeed(b ? "true" : "false")
})

const text = Schema.optional(Schema.String)

/**
 * A person as an export's `people` file gives them (by header name).
 *
 * @since 0.1.0
 * @category schemas
 */
export class ExportedPerson extends Schema.Class<ExportedPerson>("@unified-people/people-contacts/ExportedPerson")({
  id: PersonId,
  name: text,
  primary_email: text,
  employeeID: text,
  job_title: text,
  organization: text,
  site: text,
  source: text,
  sourceID: text,
  disabled: Schema.optional(CsvBoolean),
  updated_at: text
}) {}

/**
 * A contact detail as an export's `people_contact_details` file gives it (by
 * header name): the contact's id, its person (by primary e-mail, and by id
 * when the file has that column), protocol, label, value, and the
 * integration flag.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ExportedContactDetail extends Schema.Class<ExportedContactDetail>("@unified-people/people-contacts/ExportedContactDetail")({
  id: ContactId,
  /** The person's primary e-mail (the `Person` column). */
  person: text,
  personId: Schema.optional(PersonId),
  protocol: Schema.String,
  label: text,
  uri: Schema.String,
  integration: Schema.optional(CsvBoolean)
}) {}

/**
 * The header names each field is read from (compared without case, spaces,
 * `_` or `-`); the first present wins.
 *
 * @since 0.1.0
 * @category constants
 */
export const columns = {
  person: {
    id: ["ID", "Person ID"],
    name: ["Name"],
    primary_email: ["Primary Email", "Primary E-mail", "Email"],
    employeeID: ["Employee ID", "Employee Number"],
    job_title: ["Job Title"],
    organization: ["Organization"],
    site: ["Site"],
    source: ["Source"],
    sourceID: ["Source ID"],
    disabled: ["Disabled"],
    updated_at: ["Updated At"]
  },
  contactDetail: {
    id: ["ID", "Contact ID"],
    person: ["Person", "Person Primary Email", "Primary Email"],
    personId: ["Person ID"],
    protocol: ["Contact Protocol", "Protocol"],
    label: ["Contact Label", "Label"],
    uri: ["Contact URI", "URI", "Value"],
    integration: ["Integration"]
  }
} as const

/**
 * One row of an export file: where it is (`file`, `line`), its values by
 * header name, and, when its value count does not match the header, why.
 *
 * @since 0.1.0
 * @category models
 */
export type Row = ZipCsv.CsvRecord

/**
 * Which export file a row belongs to, by the file's name
 * (`people_contact_details…` before `people…`).
 *
 * @since 0.1.0
 * @category getters
 */
export const typeOf = (row: Row): ExportType | undefined => {
  const name = row.file.toLowerCase().replace(/^.*\//, "")
  if (name.includes("contact_details") || name.includes("contact-details")) return "people_contact_details"
  if (name.startsWith("people") || name.startsWith("person")) return "people"
  return undefined
}

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "")

/**
 * Decodes a row with `schema`, each field read from the first of its
 * header names present (unknown columns ignored; an empty value is absent).
 * A row whose values do not match its header, or a field that does not
 * decode, is a `DecodeError` naming the file, the line and the column.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeRow = <A, I>(
  schema: Schema.Schema<A, I>,
  names: Readonly<Record<string, ReadonlyArray<string>>>
) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "first" })
  return (row: Row): Either.Either<A, PeopleError.DecodeError> => {
    const at = (column: string | undefined) => `${row.file}, line ${row.line}${column === undefined ? "" : `, column ${column}`}`
    if (row.issue !== undefined) {
      return Either.left(new PeopleError.DecodeError({ module, method: "downloadExport", path: at(undefined), reason: row.issue }))
    }
    const byName = new Map<string, string>()
    for (const header of row.header) if (!byName.has(squash(header))) byName.set(squash(header), header)
    const input: Record<string, string> = {}
    const from: Record<string, string> = {}
    for (const [field, candidates] of Object.entries(names)) {
      for (const candidate of candidates) {
        const header = byName.get(squash(candidate))
        if (header === undefined) continue
        const value = row.values.get(header)
        if (value !== undefined && value !== "") {
          input[field] = value
          from[field] = header
        }
        break
      }
    }
    const decoded = decode(input)
    if (Either.isRight(decoded)) return Either.right(decoded.right)
    const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
    const field = issue?.path[0]
    const column = typeof field === "string" ? from[field] ?? names[field]?.[0] : undefined
    const reason = issue === undefined
      ? "the row does not decode"
      : issue.message.startsWith("is missing")
      ? "the value is missing"
      : issue.message
    return Either.left(new PeopleError.DecodeError({ module, method: "downloadExport", path: at(column), reason }))
  }
}

/**
 * Decodes a row of a `people` file.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodePerson: (row: Row) => Either.Either<ExportedPerson, PeopleError.DecodeError> = decodeRow(ExportedPerson, columns.person)

/**
 * Decodes a row of a `people_contact_details` file.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeContactDetail: (row: Row) => Either.Either<ExportedContactDetail, PeopleError.DecodeError> = decodeRow(
  ExportedContactDetail,
  columns.contactDetail
)

/**
 * The rows of an export's zip, read as it arrives: each CSV file's rows by
 * header name, the leading-tab guard removed. A broken zip or an unparsable
 * CSV (an unclosed quote) fails with a `DecodeError` naming the file and line.
 *
 * @since 0.1.0
 * @category decoding
 */
export const readZip = <E>(bytes: Stream.Stream<Uint8Array, E>): Stream.Stream<Row, E | PeopleError.DecodeError> =>
  ZipCsv.records(bytes).pipe(
    Stream.mapError((error) =>
      isProblem(error)
        ? new PeopleError.DecodeError({
          module,
          method: "downloadExport",
          path: error.line === undefined ? error.file : `${error.file}, line ${error.line}`,
          reason: error.reason
        })
        : error
    )
  )

const isProblem = (u: unknown): u is ZipCsv.ReadProblem =>
  typeof u === "object" && u !== null && "file" in u && "reason" in u && !("_tag" in u)

/**
 * The operations of this area.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  createExport: { operationId: "createExport", method: "POST", path: "/export" },
  readExport: { operationId: "readExport", method: "GET", path: "/export/{token}" },
  downloadExport: { operationId: "downloadExport", method: "GET", path: "{url}" }
} as const satisfies Record<string, Operation>

/**
 * How {@link Service.awaitExport} polls: the same options as `Import.AwaitOptions`.
 *
 * @since 0.1.0
 * @category models
 */
export type AwaitOptions = Import.AwaitOptions

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * `createExport`: starts an export of `types` (records changed since
   * `from`, when given). `None` when the API answered `204`: nothing changed
   * since `from`, there is nothing to export.
   */
  readonly createExport: (
    types: ExportType | ReadonlyArray<ExportType>,
    options?: { readonly from?: Date | undefined }
  ) => Effect.Effect<Option.Option<ExportToken>, PeopleError.PeopleError>
  /** `readExport`: the progress of an export. */
  readonly readExport: (token: string) => Effect.Effect<ExportStatus, PeopleError.PeopleError>
  /**
   * Polls `readExport` until the export is `done` (on the same schedule as
   * `Import.awaitImport`); answers its download URL. A transient failure of a
   * poll is tried again; `state: error` fails (not retryable); a `done`
   * without a URL is a `DecodeError`.
   */
  readonly awaitExport: (token: string, options?: AwaitOptions) => Effect.Effect<string, PeopleError.PeopleError>
  /**
   * `downloadExport`: the rows of the zip at `url`, fetched without any
   * credential (the URL may be on another host). The request is repeated on
   * transport errors, `408`, `429` (after its `Retry-After`) and `5xx`; a body
   * that breaks off or stalls for 60 s fails the stream with a retryable
   * `Unavailable` (rows already given are not taken back: read it again from
   * the start).
   */
  readonly downloadExport: (url: string) => Stream.Stream<Row, PeopleError.PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Export extends Context.Tag("@unified-people/people-contacts/Export")<Export, Service>() {}

const finished = (status: ExportStatus) => status.state === "done" || status.state === "error"

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, PeopleContactsClient> = Effect.map(PeopleContactsClient, (client) => {
  const createExport = (types: ExportType | ReadonlyArray<ExportType>, options: { readonly from?: Date | undefined } = {}) =>
    Effect.gen(function*() {
      const type = typeof types === "string" ? types : types.join(",")
      const body = options.from === undefined ? { type } : { type, from: options.from.toISOString() }
      // starting the same export twice is harmless: an answer that broke off is asked again
      const response = yield* client.execute(
        HttpClientRequest.post(client.url("/export")).pipe(HttpClientRequest.bodyUnsafeJson(body)),
        { method: "createExport", idempotent: true }
      )
      if (response.status === 204) return Option.none<ExportToken>()
      const created = yield* Effect.mapError(
        HttpPolicy.decodeJson(ExportCreated, { module, method: "createExport" })(response),
        client.policy.scrub
      )
      return Option.some(created.token)
    })

  const readExport = (token: string) =>
    client.json(ExportStatus)(HttpClientRequest.get(client.url(`/export/${encodeURIComponent(token)}`)), { method: "readExport" })

  const awaitExport = (token: string, options: AwaitOptions = {}) =>
    Poll.until(`export ${token}`, "readExport", readExport(token), finished, (status) => `state ${status.state}`, {
      interval: options.interval ?? client.bulk.pollInterval,
      cap: options.cap,
      timeout: options.timeout ?? client.bulk.pollTimeout
    }).pipe(
      Effect.flatMap((status): Effect.Effect<string, PeopleError.PeopleError> => {
        if (status.state === "error") {
          return Effect.fail(
            new PeopleError.Unavailable({
              module,
              method: "awaitExport",
              retryable: false,
              reason: `export ${token} ended in state error${status.message === undefined ? "" : `: ${status.message}`}`
            })
          )
        }
        if (status.url === undefined || status.url === "") {
          return Effect.fail(new PeopleError.DecodeError({ module, method: "awaitExport", path: "url", reason: "a done export without a download URL" }))
        }
        return Effect.succeed(status.url)
      })
    )

  const stall = Duration.seconds(60)

  const downloadExport = (url: string): Stream.Stream<Row, PeopleError.PeopleError> =>
    Stream.unwrapScoped(Effect.gen(function*() {
      const response = yield* Download.open(client, url, "downloadExport")
      const bytes = HttpClientResponse.stream(Effect.succeed(response)).pipe(
        Stream.mapError((error) =>
          new PeopleError.Unavailable({ module, method: "downloadExport", reason: `the download broke off: ${error.reason}` })
        ),
        // a body that stalls is a broken download, not a wait without end
        Stream.timeoutFail(
          () => new PeopleError.Unavailable({ module, method: "downloadExport", reason: `the download stalled for ${Duration.format(stall)}` }),
          stall
        )
      )
      return readZip(bytes)
    }))

  return { createExport, readExport, awaitExport, downloadExport }
})

/**
 * The service over the `PeopleContactsClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Export, never, PeopleContactsClient> = Layer.effect(Export, make)
