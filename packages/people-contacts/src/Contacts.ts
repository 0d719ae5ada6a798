/**
 * The contacts of a person (seed `004`), the `Contacts` area: list (every
 * page, as a `Stream` or an array), get, create, update (PATCH of the fields
 * set), delete one and delete all. The contact rules (one value field, at most
 * 255 characters, a label allowed for the kind) are checked before anything is
 * sent ({@link validateInput}, {@link validatePatch}).
 *
 * | operation | HTTP | path |
 * |---|---|---|
 * | `listContacts` (+ `streamContacts`) | GET | `/people/{personId}/contacts` |
 * | `getContact` | GET | `/people/{personId}/contacts/{contactId}` |
 * | `createContact` | POST | `/people/{personId}/contacts` |
 * | `updateContact` | PATCH | `/people/{personId}/contacts/{contactId}` |
 * | `deleteContact` | DELETE | `/people/{personId}/contacts/{contactId}` |
 * | `deleteAllContacts` | DELETE | `/people/{personId}/contacts/` |
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Liberal from "@unified-people/core/Liberal"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Text from "@unified-people/core/Text"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Rules from "./internal/rules.js"
import { keepingUnknownFields } from "./internal/schema.js"
import { module, type Operation, PeopleContactsClient } from "./PeopleContactsClient.js"

/**
 * A remote id: integers on the wire, strings in some answers; always a string
 * once decoded (`Liberal.Id`: integers beyond 2^53 keep their digits).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id: Schema.Schema<string, string | number> = Liberal.Id

/**
 * The id of a contact: a branded string, read liberally like {@link Id}.
 * Operations take plain strings; what they return carries the brand.
 *
 * @since 0.1.0
 * @category ids
 */
export const ContactId = Liberal.Id.pipe(Schema.brand("@unified-people/people-contacts/ContactId"))

/**
 * @since 0.1.0
 * @category ids
 */
export type ContactId = typeof ContactId.Type

/**
 * A contact label: the documented values (from the core label table's
 * People-Contacts projection) or any other string (`emergency`), kept as is.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactLabel = Schema.Union(
  Schema.Literal(...(Rules.knownLabels as [string, ...Array<string>])),
  Schema.String
)

/**
 * The value fields of a contact; exactly one is set.
 *
 * @since 0.1.0
 * @category constants
 */
export const valueFields = Rules.valueFields

/**
 * @since 0.1.0
 * @category models
 */
export type ValueField = Rules.ValueField

/**
 * A contact as the API returns it. `integration` and `verified` may be missing
 * (list and create answers leave them out): missing means unknown. Fields the
 * schema does not name (`nodeID`, …) are kept.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Contact extends Schema.Class<Contact>("@unified-people/people-contacts/Contact")(keepingUnknownFields(
  {
    id: ContactId,
    label: Liberal.optional(ContactLabel),
    email: Liberal.optional(Schema.String),
    telephone: Liberal.optional(Schema.String),
    chat: Liberal.optional(Schema.String),
    website: Liberal.optional(Schema.String),
    integration: Liberal.optional(Schema.Boolean),
    verified: Liberal.optional(Schema.Boolean)
  }
)) {
  /** The fields the schema does not name (`nodeID`, …), kept as received. */
  readonly [key: string]: unknown
}

/**
 * The body of a create: a label and exactly one value field.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactInput {
  readonly label: string
  readonly email?: string | undefined
  readonly telephone?: string | undefined
  readonly chat?: string | undefined
  readonly website?: string | undefined
  /** Marks the contact as owned by an integration (read-only in the UI). */
  readonly integration?: boolean | undefined
}

/**
 * The body of an update: only the fields set are sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactPatch {
  readonly label?: string | undefined
  readonly email?: string | undefined
  readonly telephone?: string | undefined
  readonly chat?: string | undefined
  readonly website?: string | undefined
  readonly integration?: boolean | undefined
}

/**
 * The value field a contact carries, and its value.
 *
 * @since 0.1.0
 * @category getters
 */
export const valueOf = (contact: Contact): { readonly field: ValueField; readonly value: string } | undefined => {
  for (const field of valueFields) {
    const value = contact[field]
    if (value !== undefined) return { field, value }
  }
  return undefined
}

const defined = (body: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined))

/** Strict writing: no control, zero-width, invisible or bidi character in any string field of a body. */
const unsafeCharacters = (body: Readonly<Record<string, unknown>>): ReadonlyArray<Rules.Violation> => {
  const violations: Array<Rules.Violation> = []
  for (const [field, value] of Object.entries(body)) {
    const reason = typeof value === "string" ? Text.check(value) : undefined
    if (reason !== undefined) violations.push({ field, message: reason })
  }
  return violations
}

const refuse = (method: string, violations: ReadonlyArray<Rules.Violation>) =>
  new PeopleError.InvalidRequest({
    module,
    method,
    sent: false,
    field: violations[0]!.field,
    violations,
    // the error's message prefixes the first field
    reason: violations.length === 1 ? violations[0]!.message : violations.map((v) => `${v.field} ${v.message}`).join("; ")
  })

/**
 * Checks a create body against the API's rules, and that no string in it holds
 * a control, zero-width, invisible or bidi character (`Text`); nothing is sent
 * on failure. The value itself is sent as given: the contact book
 * (`PeopleContactsPeople`) is where values are validated and normalized.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateInput = (input: ContactInput, method = "createContact"): Effect.Effect<Record<string, unknown>, PeopleError.InvalidRequest> => {
  const body = defined(input)
  const violations = [...Rules.validateContact(body), ...unsafeCharacters(body)]
  return violations.length === 0 ? Effect.succeed(body) : Effect.fail(refuse(method, violations))
}

/**
 * Checks an update body on its own (at most one value field, lengths, a known
 * label, the label against the value field when both are set, no unsafe
 * character).
 *
 * @since 0.1.0
 * @category validation
 */
export const validatePatch = (patch: ContactPatch, method = "updateContact"): Effect.Effect<Record<string, unknown>, PeopleError.InvalidRequest> => {
  const body = defined(patch)
  const violations = [...Rules.validatePatch(body), ...unsafeCharacters(body)]
  if (Object.keys(body).length === 0) {
    return Effect.fail(refuse(method, [{ field: "base", message: "the patch sets no field" }]))
  }
  return violations.length === 0 ? Effect.succeed(body) : Effect.fail(refuse(method, violations))
}

const contactsPath = (personId: string) => `/people/${encodeURIComponent(personId)}/contacts`
const contactPath = (personId: string, contactId: string) => `${contactsPath(personId)}/${encodeURIComponent(contactId)}`

const contactsPathTemplate = "/people/{personId}/contacts"

/**
 * The operations of this area.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  listContacts: { operationId: "listContacts", method: "GET", path: contactsPathTemplate },
  getContact: { operationId: "getContact", method: "GET", path: `${contactsPathTemplate}/{contactId}` },
  createContact: { operationId: "createContact", method: "POST", path: contactsPathTemplate },
  updateContact: { operationId: "updateContact", method: "PATCH", path: `${contactsPathTemplate}/{contactId}` },
  deleteContact: { operationId: "deleteContact", method: "DELETE", path: `${contactsPathTemplate}/{contactId}` },
  deleteAllContacts: { operationId: "deleteAllContacts", method: "DELETE", path: `${contactsPathTemplate}/` }
} as const satisfies Record<string, Operation>

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * `listContacts`: every contact of a person, page by page. A contact that
   * cannot be decoded fails the read with a `DecodeError` naming it (`page 1,
   * [3].email`): skipping it would make it look absent, and a sync would create
   * it again.
   */
  readonly streamContacts: (personId: string) => Stream.Stream<Contact, PeopleError.PeopleError>
  /** `listContacts`, as an array. */
  readonly listContacts: (personId: string) => Effect.Effect<ReadonlyArray<Contact>, PeopleError.PeopleError>
  /** `getContact`: one contact of a person. */
  readonly getContact: (personId: string, contactId: string) => Effect.Effect<Contact, PeopleError.PeopleError>
  /**
   * `createContact`: adds a contact to a person, checked first
   * ({@link validateInput}). Any 2xx is a success (the API documents 201; a
   * recorded create answered 200). Not repeated after its answer broke off
   * (the contact may exist): a typed error instead.
   */
  readonly createContact: (personId: string, input: ContactInput) => Effect.Effect<Contact, PeopleError.PeopleError>
  /** `updateContact`: a PATCH carrying only the fields set, checked first ({@link validatePatch}). */
  readonly updateContact: (personId: string, contactId: string, patch: ContactPatch) => Effect.Effect<Contact, PeopleError.PeopleError>
  /** `deleteContact`: removes one contact from a person. */
  readonly deleteContact: (personId: string, contactId: string) => Effect.Effect<void, PeopleError.PeopleError>
  /** `deleteAllContacts`: removes every contact of a person (`DELETE /people/:id/contacts/`). */
  readonly deleteAllContacts: (personId: string) => Effect.Effect<void, PeopleError.PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Contacts extends Context.Tag("@unified-people/people-contacts/Contacts")<Contacts, Service>() {}

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, PeopleContactsClient> = Effect.map(PeopleContactsClient, (client) => {
  const streamContacts = (personId: string) =>
    client.read(Contact)(HttpClientRequest.get(client.url(contactsPath(personId))), { method: "listContacts", emptyListing: "normal" }).stream

  const listContacts = (personId: string) => Effect.map(Stream.runCollect(streamContacts(personId)), Chunk.toReadonlyArray)

  const getContact = (personId: string, contactId: string) =>
    client.json(Contact)(HttpClientRequest.get(client.url(contactPath(personId, contactId))), { method: "getContact" })

  const createContact = (personId: string, input: ContactInput) =>
    Effect.flatMap(validateInput(input), (body) =>
      // not repeated after its answer broke off (the contact may exist): a typed error instead
      client.json(Contact)(
        HttpClientRequest.post(client.url(contactsPath(personId))).pipe(HttpClientRequest.bodyUnsafeJson(body)),
        { method: "createContact" }
      ))

  const updateContact = (personId: string, contactId: string, patch: ContactPatch) =>
    Effect.flatMap(validatePatch(patch), (body) =>
      client.json(Contact)(
        HttpClientRequest.patch(client.url(contactPath(personId, contactId))).pipe(HttpClientRequest.bodyUnsafeJson(body)),
        // the same PATCH twice leaves the same contact: an answer that broke off is asked again
        { method: "updateContact", idempotent: true }
      ))

  const deleteContact = (personId: string, contactId: string) =>
    Effect.asVoid(client.execute(HttpClientRequest.del(client.url(contactPath(personId, contactId))), { method: "deleteContact" }))

  const deleteAllContacts = (personId: string) =>
    Effect.asVoid(client.execute(HttpClientRequest.del(client.url(`${contactsPath(personId)}/`)), { method: "deleteAllContacts" }))

  return { streamContacts, listContacts, getContact, createContact, updateContact, deleteContact, deleteAllContacts }
})

/**
 * The service over the `PeopleContactsClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Contacts, never, PeopleContactsClient> = Layer.effect(Contacts, make)
