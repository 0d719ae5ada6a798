/**
 * The people the contacts belong to: get one, find by `primary_email` or
 * `employeeID`, and stream all of them with `Link` paging (`per_page` up to 100).
 * Field names follow the wire (`employeeID`, `sourceID`, … with camel-case `ID`).
 *
 * @since 0.1.0
 */
import * as Liberal from "@unified-people/core/Liberal"
import type * as PagedRead from "@unified-people/core/PagedRead"
import type * as PeopleError from "@unified-people/core/PeopleError"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { Contact, Id } from "./Contacts.js"
import { PeopleContactsClient } from "./PeopleContactsClient.js"

const Extra = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * A reference to another record (`organization`, `site`, `manager`,
 * `work_hours`): the id may be missing.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reference = Schema.Struct(
  {
    id: Liberal.optional(Id),
    name: Liberal.optional(Schema.String)
  },
  Extra
)

/**
 * @since 0.1.0
 * @category models
 */
export type Reference = typeof Reference.Type

const opt = Liberal.optional

/**
 * A person as the API returns it (the collection answers carry fewer fields than
 * a single read). Read liberally: every optional field takes `null` as absent,
 * ids may be numbers or strings. Unknown fields are kept; decimals stay as
 * received (`cost_per_hour: "80.0"`); timestamps keep their zone offsets.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Person = Schema.Struct(
  {
    id: Id,
    name: opt(Schema.String),
    primary_email: opt(Schema.String),
    employeeID: opt(Schema.String),
    sourceID: opt(Schema.String),
    supportID: opt(Schema.String),
    authenticationID: opt(Schema.String),
    source: opt(Schema.String),
    job_title: opt(Schema.String),
    location: opt(Schema.String),
    organization: opt(Reference),
    site: opt(Reference),
    manager: opt(Reference),
    disabled: opt(Schema.Boolean),
    vip: opt(Schema.Boolean),
    picture_uri: opt(Schema.String),
    cost_per_hour: opt(Schema.Union(Schema.String, Schema.Number)),
    created_at: opt(Schema.String),
    updated_at: opt(Schema.String),
    contacts: opt(Schema.Array(Contact)),
    custom_fields: opt(Schema.Array(Schema.Struct({ id: Id, value: Schema.optional(Schema.Unknown) }, Extra)))
  },
  Extra
)

/**
 * @since 0.1.0
 * @category models
 */
export type Person = typeof Person.Type

/**
 * The fields requested for collection reads (collections answer only a few
 * fields unless asked).
 *
 * @since 0.1.0
 * @category constants
 */
export const collectionFields = [
  "name",
  "primary_email",
  "employeeID",
  "sourceID",
  "source",
  "job_title",
  "organization",
  "site",
  "manager",
  "disabled",
  "picture_uri",
  "created_at",
  "updated_at"
] as const

/**
 * Filters of a people collection read.
 *
 * @since 0.1.0
 * @category models
 */
export interface Filter {
  readonly primary_email?: string | undefined
  readonly employeeID?: string | undefined
  readonly name?: string | undefined
  /** `updated_at=>=2026-01-01T00:00:00Z` style: people updated at or after this instant. */
  readonly updatedSince?: Date | undefined
  readonly disabled?: boolean | undefined
}

const filterParams = (filter: Filter): Record<string, string | undefined> => ({
  fields: collectionFields.join(","),
  primary_email: filter.primary_email,
  employeeID: filter.employeeID,
  name: filter.name,
  updated_at: filter.updatedSince === undefined ? undefined : `>=${filter.updatedSince.toISOString()}`,
  disabled: filter.disabled === undefined ? undefined : String(filter.disabled)
})

/**
 * Every person matching a filter as an audited read: the people page by page
 * and, once the stream ran to its end, whether the read was complete. A person
 * that cannot be decoded is skipped, logged and listed in the completeness.
 *
 * @since 0.1.0
 * @category operations
 */
export const readPeople = (filter: Filter = {}): Effect.Effect<PagedRead.Read<Person, PeopleError.PeopleError>, never, PeopleContactsClient> =>
  Effect.map(PeopleContactsClient, (client) => client.read(Person, "listPeople", "/people", filterParams(filter), { unreadable: "skip" }))

/**
 * Every person matching a filter, page by page (the stream of
 * {@link readPeople}: a person that cannot be decoded is skipped with a
 * warning in the log).
 *
 * @since 0.1.0
 * @category operations
 */
export const streamPeople = (filter: Filter = {}): Stream.Stream<Person, PeopleError.PeopleError, PeopleContactsClient> =>
  Stream.unwrap(Effect.map(readPeople(filter), (read) => read.stream))

/**
 * Every person matching a filter, as an array.
 *
 * @since 0.1.0
 * @category operations
 */
export const listPeople = (filter: Filter = {}): Effect.Effect<ReadonlyArray<Person>, PeopleError.PeopleError, PeopleContactsClient> =>
  Effect.map(Stream.runCollect(streamPeople(filter)), Chunk.toReadonlyArray)

/**
 * One person by id.
 *
 * @since 0.1.0
 * @category operations
 */
export const getPerson = (id: string): Effect.Effect<Person, PeopleError.PeopleError, PeopleContactsClient> =>
  Effect.flatMap(PeopleContactsClient, (client) => client.getJson(Person, "getPerson", `/people/${encodeURIComponent(id)}`))

/**
 * The person with a primary e-mail address (unique), if any.
 *
 * @since 0.1.0
 * @category operations
 */
export const findByPrimaryEmail = (email: string): Effect.Effect<Option.Option<Person>, PeopleError.PeopleError, PeopleContactsClient> =>
  Stream.runHead(streamPeople({ primary_email: email }))

/**
 * The people with an employee id (not unique).
 *
 * @since 0.1.0
 * @category operations
 */
export const findByEmployeeId = (employeeId: string): Effect.Effect<ReadonlyArray<Person>, PeopleError.PeopleError, PeopleContactsClient> =>
  listPeople({ employeeID: employeeId })

/**
 * Decodes a people collection body (for example a stored sample); a bad element
 * is a `DecodeError` naming it (`[2]`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const PeopleList = Schema.Array(Person)

