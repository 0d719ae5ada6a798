/**
 * The contacts of a person (seed `004`): list (every page, as a `Stream` or an
 * array), get, create, update (PATCH of the fields set), delete one and delete
 * all. The contact rules (one value field, at most 255 characters, a label
 * allowed for the kind) are checked before anything is sent.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Liberal from "@unified-people/core/Liberal"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Text from "@unified-people/core/Text"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Rules from "./internal/rules.js"
import { module, PeopleContactsClient } from "./PeopleContactsClient.js"

/**
 * A remote id: integers on the wire, strings in some answers; always a string
 * once decoded (`Liberal.Id`: integers beyond 2^53 keep their digits).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id: Schema.Schema<string, string | number> = Liberal.Id

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
export const Contact = Schema.Struct(
  {
    id: Id,
    label: Liberal.optional(ContactLabel),
    email: Liberal.optional(Schema.String),
    telephone: Liberal.optional(Schema.String),
    chat: Liberal.optional(Schema.String),
    website: Liberal.optional(Schema.String),
    integration: Liberal.optional(Schema.Boolean),
    verified: Liberal.optional(Schema.Boolean)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Contact = typeof Contact.Type

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

/**
 * Every contact of a person, page by page. A contact that cannot be decoded
 * fails the read with a `DecodeError` naming it (`page 1, [3].email`): skipping
 * it would make it look absent, and a sync would create it again.
 *
 * @since 0.1.0
 * @category operations
 */
export const streamContacts = (personId: string): Stream.Stream<Contact, PeopleError.PeopleError, PeopleContactsClient> =>
  Stream.unwrap(Effect.map(PeopleContactsClient, (client) => client.paginate(Contact, "listContacts", contactsPath(personId), undefined, { emptyListing: "normal" })))

/**
 * Every contact of a person, as an array.
 *
 * @since 0.1.0
 * @category operations
 */
export const listContacts = (personId: string): Effect.Effect<ReadonlyArray<Contact>, PeopleError.PeopleError, PeopleContactsClient> =>
  Effect.map(Stream.runCollect(streamContacts(personId)), Chunk.toReadonlyArray)

/**
 * One contact of a person.
 *
 * @since 0.1.0
 * @category operations
 */
export const getContact = (personId: string, contactId: string): Effect.Effect<Contact, PeopleError.PeopleError, PeopleContactsClient> =>
  Effect.flatMap(PeopleContactsClient, (client) => client.getJson(Contact, "getContact", contactPath(personId, contactId)))

/**
 * Adds a contact to a person. Any 2xx is a success (the API documents 201; a
 * recorded create answered 200).
 *
 * @since 0.1.0
 * @category operations
 */
export const createContact = (personId: string, input: ContactInput): Effect.Effect<Contact, PeopleError.PeopleError, PeopleContactsClient> =>
  Effect.gen(function*() {
    const body = yield* validateInput(input)
    const client = yield* PeopleContactsClient
    // not repeated after its answer broke off (the contact may exist): a typed error instead
    return yield* client.json(Contact)(
      HttpClientRequest.post(client.url(contactsPath(personId))).pipe(HttpClientRequest.bodyUnsafeJson(body)),
      { method: "createContact" }
    )
  })

/**
 * Changes a contact: a PATCH carrying only the fields set.
 *
 * @since 0.1.0
 * @category operations
 */
export const updateContact = (
  personId: string,
  contactId: string,
  patch: ContactPatch
): Effect.Effect<Contact, PeopleError.PeopleError, PeopleContactsClient> =>
  Effect.gen(function*() {
    const body = yield* validatePatch(patch)
    const client = yield* PeopleContactsClient
    return yield* client.json(Contact)(
      HttpClientRequest.patch(client.url(contactPath(personId, contactId))).pipe(HttpClientRequest.bodyUnsafeJson(body)),
      // the same PATCH twice leaves the same contact: an answer that broke off is asked again
      { method: "updateContact", idempotent: true }
    )
  })

/**
 * Removes one contact from a person.
 *
 * @since 0.1.0
 * @category operations
 */
export const deleteContact = (personId: string, contactId: string): Effect.Effect<void, PeopleError.PeopleError, PeopleContactsClient> =>
  Effect.flatMap(PeopleContactsClient, (client) =>
    Effect.asVoid(client.execute(HttpClientRequest.del(client.url(contactPath(personId, contactId))), { method: "deleteContact" })))

/**
 * Removes every contact of a person (`DELETE /people/:id/contacts/`).
 *
 * @since 0.1.0
 * @category operations
 */
export const deleteAllContacts = (personId: string): Effect.Effect<void, PeopleError.PeopleError, PeopleContactsClient> =>
  Effect.flatMap(PeopleContactsClient, (client) =>
    Effect.asVoid(client.execute(HttpClientRequest.del(client.url(`${contactsPath(personId)}/`)), { method: "deleteAllContacts" })))
