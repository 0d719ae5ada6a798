/**
 * The people the contacts belong to, the `People` area: get one, find by
 * `primary_email` or `employeeID`, and read all of them with `Link` paging
 * (`per_page` up to 100) as an audited read. Field names follow the wire
 * (`employeeID`, `sourceID`, … with camel-case `ID`).
 *
 * | operation | HTTP | path |
 * |---|---|---|
 * | `listPeople` (+ `readPeople`, `streamPeople`, `findByPrimaryEmail`, `findByEmployeeId`) | GET | `/people` |
 * | `getPerson` | GET | `/people/{personId}` |
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Liberal from "@unified-people/core/Liberal"
import type * as PagedRead from "@unified-people/core/PagedRead"
import type * as PeopleError from "@unified-people/core/PeopleError"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { Contact, Id } from "./Contacts.js"
import { keepingUnknownFields } from "./internal/schema.js"
import { type Operation, PeopleContactsClient } from "./PeopleContactsClient.js"

/**
 * The id of a person: a branded string, read liberally (`Liberal.Id`: numbers
 * become strings, integers beyond 2^53 keep their digits). Operations take
 * plain strings; what they return carries the brand.
 *
 * @since 0.1.0
 * @category ids
 */
export const PersonId = Liberal.Id.pipe(Schema.brand("@unified-people/people-contacts/PersonId"))

/**
 * @since 0.1.0
 * @category ids
 */
export type PersonId = typeof PersonId.Type

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
export class Person extends Schema.Class<Person>("@unified-people/people-contacts/Person")(keepingUnknownFields(
  {
    id: PersonId,
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
  }
)) {
  /** The fields the schema does not name (`nodeID`, …), kept as received. */
  readonly [key: string]: unknown
}

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
 * The operations of this area.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  listPeople: { operationId: "listPeople", method: "GET", path: "/people" },
  getPerson: { operationId: "getPerson", method: "GET", path: "/people/{personId}" }
} as const satisfies Record<string, Operation>

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * `listPeople` as an audited read: the people matching a filter page by page
   * and, once the stream ran to its end, whether the read was complete. A
   * person that cannot be decoded is skipped, logged and listed in the
   * completeness.
   */
  readonly readPeople: (filter?: Filter) => PagedRead.Read<Person, PeopleError.PeopleError>
  /** The stream of `readPeople` (a person that cannot be decoded is skipped with a warning in the log). */
  readonly streamPeople: (filter?: Filter) => Stream.Stream<Person, PeopleError.PeopleError>
  /** `listPeople`, as an array. */
  readonly listPeople: (filter?: Filter) => Effect.Effect<ReadonlyArray<Person>, PeopleError.PeopleError>
  /** `getPerson`: one person by id. */
  readonly getPerson: (id: string) => Effect.Effect<Person, PeopleError.PeopleError>
  /** The person with a primary e-mail address (unique), if any. */
  readonly findByPrimaryEmail: (email: string) => Effect.Effect<Option.Option<Person>, PeopleError.PeopleError>
  /** The people with an employee id (not unique). */
  readonly findByEmployeeId: (employeeId: string) => Effect.Effect<ReadonlyArray<Person>, PeopleError.PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class People extends Context.Tag("@unified-people/people-contacts/People")<People, Service>() {}

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, PeopleContactsClient> = Effect.map(PeopleContactsClient, (client) => {
  const readPeople = (filter: Filter = {}) =>
    client.read(Person)(
      HttpClientRequest.get(client.url("/people")).pipe(HttpClientRequest.setUrlParams(filterParams(filter))),
      { method: "listPeople", unreadable: "skip" }
    )
  const streamPeople = (filter: Filter = {}) => readPeople(filter).stream
  const listPeople = (filter: Filter = {}) => Effect.map(Stream.runCollect(streamPeople(filter)), Chunk.toReadonlyArray)
  return {
    readPeople,
    streamPeople,
    listPeople,
    getPerson: (id) => client.json(Person)(HttpClientRequest.get(client.url(`/people/${encodeURIComponent(id)}`)), { method: "getPerson" }),
    findByPrimaryEmail: (email) => Stream.runHead(streamPeople({ primary_email: email })),
    findByEmployeeId: (employeeId) => listPeople({ employeeID: employeeId })
  }
})

/**
 * The service over the `PeopleContactsClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<People, never, PeopleContactsClient> = Layer.effect(People, make)

/**
 * Decodes a people collection body (for example a stored sample); a bad element
 * is a `DecodeError` naming it (`[2]`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const PeopleList = Schema.Array(Person)

