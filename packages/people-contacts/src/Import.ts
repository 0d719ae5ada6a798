/**
 * The Import API, the `Import` area: upload a CSV file of records of one type
 * (`multipart/form-data` with `type` and `file`), read an import's progress,
 * and await its end on a `Schedule`. The vendor's preferred way to write many
 * records: one upload replaces thousands of per-record calls under the
 * 3600 / h limit. Every request goes through the client (its rate limiter,
 * retries and typed errors).
 *
 * | operation | HTTP | path |
 * |---|---|---|
 * | `createImport` | POST (multipart) | `/import` |
 * | `readImport` (+ `awaitImport`) | GET | `/import/{token}` |
 * | `readLog` | GET | the `logfile` of an import (any host, **no** credentials) |
 *
 * The contact-details file (`people_contact_details`) is written by
 * {@link contactDetailsCsv} with `csv-stringify`: one row per contact, the
 * person's primary e-mail in `Person`, every person's rows adjacent (an
 * import replaces all integration-owned contacts of a person by the rows of
 * the file: a later group of the same person would replace an earlier one).
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Liberal from "@unified-people/core/Liberal"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { stringify } from "csv-stringify/sync"
import * as Download from "./internal/download.js"
import * as Poll from "./internal/poll.js"
import { keepingUnknownFields } from "./internal/schema.js"
import { module, type Operation, PeopleContactsClient } from "./PeopleContactsClient.js"

/**
 * The token of an import, as the API answered it (a branded string).
 *
 * @since 0.1.0
 * @category ids
 */
export const ImportToken = Liberal.Id.pipe(Schema.brand("@unified-people/people-contacts/ImportToken"))

/**
 * @since 0.1.0
 * @category ids
 */
export type ImportToken = typeof ImportToken.Type

/**
 * The record types an import takes (`people_contact_details` for contacts);
 * any other string is passed as given.
 *
 * @since 0.1.0
 * @category models
 */
export type ImportType = "people_contact_details" | "people" | "organizations" | (string & {})

/**
 * The answer of `createImport`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ImportCreated extends Schema.Class<ImportCreated>("@unified-people/people-contacts/ImportCreated")(keepingUnknownFields({
  token: ImportToken
})) {}

/**
 * The state of an import: `queued`, `processing`, `done` or `error`; any
 * other string is kept (and polled on, like `queued`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImportState = Liberal.open("queued", "processing", "done", "error")

const count = Schema.optionalWith(Liberal.Numeric, { nullable: true, default: () => 0 })

/**
 * What an import did, as the API counts it (a missing count reads as 0).
 *
 * @since 0.1.0
 * @category schemas
 */
export class ImportResults extends Schema.Class<ImportResults>("@unified-people/people-contacts/ImportResults")(keepingUnknownFields({
  created: count,
  updated: count,
  deleted: count,
  unchanged: count,
  failures: count,
  errors: count
})) {}

/**
 * The progress of an import (`readImport`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class ImportStatus extends Schema.Class<ImportStatus>("@unified-people/people-contacts/ImportStatus")(keepingUnknownFields({
  state: ImportState,
  results: Liberal.optional(ImportResults),
  /** Why an import failed (an encoding error naming the line, …). */
  message: Liberal.optional(Schema.String),
  /** Where the import's log of rejected rows can be read. */
  logfile: Liberal.optional(Schema.String)
})) {}

/**
 * An import that ended in `state: error` (a malformed file, an encoding
 * error, …): the import is over, uploading the same file again fails the same
 * way (`isRetryable` is false). Carries the API's `message`, the `results` it
 * still gave and its `logfile`.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImportFailed extends Schema.TaggedError<ImportFailed>("@unified-people/people-contacts/ImportFailed")("ImportFailed", {
  module: Schema.String,
  method: Schema.String,
  /** The API's message (for example an encoding error naming the line), or a summary when it gave none. */
  message: Schema.String,
  /** What was wrong, in words: `import <token> ended in state error: <message>`. */
  reason: Schema.String,
  token: Schema.String,
  /** The counts the API still gave, if any. */
  results: Schema.optional(ImportResults),
  /** Where the API's log of the import can be read, if it gave one. */
  logfile: Schema.optional(Schema.String)
}) {
  /** An import in error is over: the same file fails the same way. */
  get isRetryable(): boolean {
    return false
  }
  /** The same failure as a core `PeopleError` (an `InvalidRequest` the server refused), for the ports. */
  toPeopleError(): PeopleError.InvalidRequest {
    return new PeopleError.InvalidRequest({ module: this.module, method: this.method, sent: true, field: "file", reason: this.reason })
  }
}

/**
 * A file to upload: its name and its content.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportFile {
  readonly name: string
  readonly content: string | Uint8Array
  /** Default `text/csv`. */
  readonly contentType?: string | undefined
}

/**
 * One row of a `people_contact_details` file.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactDetail {
  /** The person's primary e-mail: it links the row to the person. */
  readonly person: string
  /** `telephone`, `email`, `website` or `chat`. */
  readonly protocol: "telephone" | "email" | "website" | "chat"
  readonly label: string
  readonly uri: string
  /** The id of an existing contact detail, which the row keeps (and updates). */
  readonly id?: string | undefined
  /** Default `true`: the contact is owned by an integration. */
  readonly integration?: boolean | undefined
}

/**
 * The columns of a `people_contact_details` file, in the order written.
 *
 * @since 0.1.0
 * @category constants
 */
export const contactDetailsColumns = [
  "Person",
  "ID",
  "Contact Protocol",
  "Contact Label",
  "Contact URI",
  "Address Label",
  "Address Address",
  "Address City",
  "Address State",
  "Address Zip",
  "Address Country",
  "Integration"
] as const

/**
 * Writes a `people_contact_details` CSV with `csv-stringify`: a header line,
 * then one row per contact, every person's rows adjacent (in the order each
 * person first appears), fields with commas, quotes, line breaks or leading
 * and trailing spaces quoted, UTF-8 kept as is (non-ASCII included),
 * CRLF line ends.
 *
 * @since 0.1.0
 * @category encoding
 */
export const contactDetailsCsv = (details: Iterable<ContactDetail>): string => {
  const byPerson = new Map<string, Array<ContactDetail>>()
  for (const detail of details) {
    const rows = byPerson.get(detail.person)
    if (rows === undefined) byPerson.set(detail.person, [detail])
    else rows.push(detail)
  }
  const records: Array<ReadonlyArray<string>> = []
  for (const rows of byPerson.values()) {
    for (const d of rows) {
      records.push([d.person, d.id ?? "", d.protocol, d.label, d.uri, "", "", "", "", "", "", d.integration === false ? "false" : "true"])
    }
  }
  return stringify(records, {
    header: true,
    columns: [...contactDetailsColumns],
    record_delimiter: "windows",
    // a bare LF or CR is a line break to the reader even when rows end with CRLF
    quoted_match: [/^\s|\s$/, /[\r\n]/]
  })
}

/**
 * Whether an import is over (`done` or `error`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isFinished = (status: ImportStatus): boolean => status.state === "done" || status.state === "error"

/**
 * The `multipart/form-data` body of an upload (`type`, then `file`), encoded
 * by the platform's own `FormData` serializer (a `Response` of the form) into
 * bytes, so every HTTP client sends it the same way.
 *
 * @since 0.1.0
 * @category encoding
 */
export const multipart = (
  type: ImportType,
  file: ImportFile
): Effect.Effect<{ readonly body: Uint8Array; readonly contentType: string }> =>
  Effect.promise(async () => {
    const form = new FormData()
    form.append("type", type)
    const bytes = typeof file.content === "string" ? new TextEncoder().encode(file.content) : file.content
    form.append("file", new Blob([bytes], { type: file.contentType ?? "text/csv" }), file.name)
    const encoded = new Response(form)
    const body = new Uint8Array(await encoded.arrayBuffer())
    return { body, contentType: encoded.headers.get("content-type") ?? "multipart/form-data" }
  })

/**
 * The operations of this area.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  createImport: { operationId: "createImport", method: "POST", path: "/import" },
  readImport: { operationId: "readImport", method: "GET", path: "/import/{token}" }
} as const satisfies Record<string, Operation>

/**
 * How {@link Service.awaitImport} polls: the first poll at once, the next
 * after `interval` (default 1 s), doubling up to `cap` (default 30 s), for at
 * most `timeout` in all (default `PeopleContactsConfig.bulk.pollTimeout`, else
 * 30 minutes).
 *
 * @since 0.1.0
 * @category models
 */
export interface AwaitOptions {
  readonly interval?: Duration.DurationInput | undefined
  readonly cap?: Duration.DurationInput | undefined
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * `createImport`: uploads a file of records of `type` and answers the
   * import's token. Not repeated after its answer broke off (the import may
   * be running): a typed error instead; repeated when the server said it did
   * not take it (408, 429, 503).
   */
  readonly createImport: (type: ImportType, file: ImportFile) => Effect.Effect<ImportToken, PeopleError.PeopleError>
  /** `readImport`: the progress of an import. */
  readonly readImport: (token: string) => Effect.Effect<ImportStatus, PeopleError.PeopleError>
  /**
   * Polls `readImport` until the import is over (see {@link AwaitOptions}):
   * answers the `done` status; `state: error` fails with {@link ImportFailed}.
   * A poll that fails transiently is tried again on the same schedule; past
   * the timeout, a retryable `Unavailable` naming the token (poll it again later).
   */
  readonly awaitImport: (token: string, options?: AwaitOptions) => Effect.Effect<ImportStatus, PeopleError.PeopleError | ImportFailed>
  /**
   * The lines of an import's `logfile` (one per row it could not apply),
   * fetched like an export's download: without any credential (the URL may be
   * on another host), under the client's retry options.
   */
  readonly readLog: (logfile: string) => Effect.Effect<ReadonlyArray<string>, PeopleError.PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Import extends Context.Tag("@unified-people/people-contacts/Import")<Import, Service>() {}

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, PeopleContactsClient> = Effect.map(PeopleContactsClient, (client) => {
  const createImport = (type: ImportType, file: ImportFile) =>
    Effect.flatMap(multipart(type, file), ({ body, contentType }) =>
      client.json(ImportCreated)(
        HttpClientRequest.post(client.url("/import")).pipe(HttpClientRequest.bodyUint8Array(body, contentType)),
        { method: "createImport" }
      )).pipe(Effect.map((created) => created.token))

  const readImport = (token: string) =>
    client.json(ImportStatus)(HttpClientRequest.get(client.url(`/import/${encodeURIComponent(token)}`)), { method: "readImport" })

  const awaitImport = (token: string, options: AwaitOptions = {}) =>
    Poll.until(
      `import ${token}`,
      "readImport",
      readImport(token),
      isFinished,
      (status) => `state ${status.state}`,
      {
        interval: options.interval ?? client.bulk.pollInterval,
        cap: options.cap,
        timeout: options.timeout ?? client.bulk.pollTimeout
      }
    ).pipe(
      Effect.flatMap((status) =>
        status.state === "error"
          ? Effect.fail(
            new ImportFailed({
              module,
              method: "awaitImport",
              token,
              message: status.message ?? "the import ended in state error",
              reason: `import ${token} ended in state error${status.message === undefined ? "" : `: ${status.message}`}`,
              ...(status.results === undefined ? {} : { results: status.results }),
              ...(status.logfile === undefined ? {} : { logfile: status.logfile })
            })
          )
          : Effect.succeed(status)
      )
    )

  const readLog = (logfile: string) =>
    Download.open(client, logfile, "readLog").pipe(
      Effect.flatMap((response) =>
        Effect.mapError(response.text, (error) =>
          new PeopleError.Unavailable({ module, method: "readLog", reason: `the log file broke off: ${error.reason}` }))
      ),
      Effect.map((text) => text.split(/\r?\n/).filter((line) => line.trim() !== ""))
    )

  return { createImport, readImport, awaitImport, readLog }
})

/**
 * The service over the `PeopleContactsClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Import, never, PeopleContactsClient> = Layer.effect(Import, make)
