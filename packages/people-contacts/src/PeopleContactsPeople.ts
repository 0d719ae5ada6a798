/**
 * The People-Contacts adapter behind the core ports, over its area services:
 * `ContactBook` over `Contacts` (contact CRUD mapped to `ContactPoint`s, with an
 * ownership guard on the `integration` flag) and `PeopleDirectory` over
 * `People` (people mapped to canonical `Person`s). The `make*` constructors
 * need the area service (a test can replace it); the layers need only the
 * `PeopleContactsClient` (they provide the area layers themselves).
 *
 * @since 0.1.0
 */
import * as ContactBook from "@unified-people/core/ContactBook"
import * as ContactPoint from "@unified-people/core/ContactPoint"
import * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Person from "@unified-people/core/Person"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Contacts from "./Contacts.js"
import * as PeopleContactsLabels from "./PeopleContactsLabels.js"
import * as Rules from "./internal/rules.js"
import * as People from "./People.js"
import { module, type PeopleContactsClient } from "./PeopleContactsClient.js"

/**
 * The system name used in provenance and source references.
 *
 * @since 0.1.0
 * @category constants
 */
export const system = "people-contacts"

/**
 * Maps a contact to a `ContactPoint`: the value field gives the kind, the label
 * goes through the core People-Contacts projection (unknown labels such as
 * `emergency` become `other` with the remote label kept as `customLabel`).
 * Undefined when the contact carries no value field.
 *
 * @since 0.1.0
 * @category mappers
 */
export const toContactPoint = (contact: Contacts.Contact, options: { readonly defaultRegion?: string } = {}): ContactPoint.ContactPoint | undefined => {
  const value = Contacts.valueOf(contact)
  if (value === undefined) return undefined
  const resolved = contact.label === undefined ? { label: "other" as const } : PeopleContactsLabels.projection.fromRemote(contact.label)
  return ContactPoint.make({
    kind: Rules.kindOfField[value.field],
    value: value.value,
    label: resolved.label,
    ...(resolved.custom === undefined ? {} : { customLabel: resolved.custom }),
    source: new ContactPoint.SourceRef({ system, remoteId: contact.id }, true),
    ...(options.defaultRegion === undefined ? {} : { defaultRegion: options.defaultRegion })
  })
}

/**
 * Maps a contact of a person to the core `Contact`; a contact without any value
 * field is a `DecodeError`.
 *
 * @since 0.1.0
 * @category mappers
 */
export const toContact = (
  personId: string,
  contact: Contacts.Contact,
  method: string
): Effect.Effect<ContactBook.Contact, PeopleError.DecodeError> => {
  const point = toContactPoint(contact)
  if (point === undefined) {
    return Effect.fail(
      new PeopleError.DecodeError({
        module,
        method,
        path: `contacts[id=${contact.id}]`,
        reason: "the contact has none of email, telephone, chat or website"
      })
    )
  }
  return Effect.succeed(
    new ContactBook.Contact({
      id: contact.id,
      personId,
      point,
      ...(contact.integration === undefined ? {} : { integration: contact.integration }),
      ...(contact.verified === undefined ? {} : { verified: contact.verified })
    })
  )
}

/**
 * The longest value the People-Contacts API stores (characters). The contact
 * book refuses longer values before sending, and says so in its
 * `ContactBook.Service.maxLength`.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLength: number = Rules.maxLength

/**
 * The remote label, value field and value of a `ContactPoint`; the value is the
 * normalized one, checked again with the core validation under this API's
 * length limit (`ContactPoint.validate`). Refused with an `InvalidRequest`
 * (`sent: false`, nothing is sent): a label the API cannot store (`main`,
 * `other` without a custom label), a point whose value is invalid (its `issue`:
 * a `javascript:` website, an e-mail with a zero-width character, an
 * impossible phone number, …), a value longer than {@link maxLength}. The
 * error's `field` is the value field (`email`, `telephone`, `chat`, `website`)
 * and its `reason` the issue, safe to print.
 *
 * @since 0.1.0
 * @category mappers
 */
export const fromContactPoint = (
  point: ContactPoint.ContactPoint,
  method: string
): Effect.Effect<{ readonly label: string; readonly field: Rules.ValueField; readonly value: string }, PeopleError.InvalidRequest> => {
  const remote = PeopleContactsLabels.projection.toRemote({ label: point.label, ...(point.customLabel === undefined ? {} : { custom: point.customLabel }) })
  if (remote === undefined) {
    return Effect.fail(
      new PeopleError.InvalidRequest({
        module,
        method,
        sent: false,
        field: "label",
        reason: `label ${point.label} cannot be stored by ${system}`
      })
    )
  }
  const field = Rules.fieldOfKind[point.kind]
  const checked = ContactPoint.validate(point, { maxLength })
  // the API's own rules first (a label it does not know, or not for this field), then the value
  const body = checked._tag === "Normalized" ? { label: remote, [field]: checked.value } : { label: remote }
  return Effect.flatMap(Contacts.validatePatch(body, method), () =>
    checked._tag === "Normalized"
      ? Effect.succeed({ label: remote, field, value: checked.value })
      : Effect.fail(
        new PeopleError.InvalidRequest({
          module,
          method,
          sent: false,
          field,
          violations: [{ field, message: checked.reason }],
          reason: checked.reason
        })
      ))
}

const reference = (ref: People.Reference | undefined): Person.Reference | undefined =>
  ref === undefined || (ref.id === undefined && ref.name === undefined)
    ? undefined
    : new Person.Reference({ ...(ref.id === undefined ? {} : { id: ref.id }), ...(ref.name === undefined ? {} : { name: ref.name }) }, true)

/**
 * Maps a person to the canonical `Person`. The primary e-mail becomes a primary
 * `work` e-mail contact point, embedded contacts become contact points.
 *
 * @since 0.1.0
 * @category mappers
 */
export const toPerson = (person: People.Person, readAt?: Date): Person.Person => {
  // model constructors run with validation off (`true`): the input was decoded by
  // Schema and every value is typed, so validating again only costs time
  const source = new ContactPoint.SourceRef({ system, remoteId: person.id }, true)
  const points: Array<ContactPoint.ContactPoint> = []
  if (person.primary_email !== undefined && person.primary_email !== "") {
    points.push(ContactPoint.make({ kind: "email", value: person.primary_email, label: "work", primary: true, source }))
  }
  for (const contact of person.contacts ?? []) {
    const point = toContactPoint(contact)
    if (point !== undefined) points.push(point)
  }
  const customFields: Record<string, string> = {}
  for (const field of person.custom_fields ?? []) {
    if (field.value !== undefined && field.value !== null) {
      customFields[field.id] = typeof field.value === "string" ? field.value : JSON.stringify(field.value)
    }
  }
  const company = reference(person.organization)
  const site = reference(person.site)
  return new Person.Person({
    id: Person.canonicalId(system, person.id),
    name: new Person.Name(person.name === undefined ? {} : { display: person.name }, true),
    ...(person.job_title === undefined ? {} : { jobTitle: person.job_title }),
    ...(company === undefined ? {} : { company }),
    ...(site === undefined ? {} : { site }),
    ...(person.employeeID === undefined ? {} : { employeeNumber: person.employeeID }),
    ...(person.disabled === undefined ? {} : { status: person.disabled ? "Disabled" : "Enabled" }),
    contactPoints: points,
    customFields,
    ...(person.picture_uri === undefined ? {} : { photo: new Person.Photo({ uri: person.picture_uri }, true) }),
    provenance: [
      new Person.Provenance({
        system,
        remoteId: person.id,
        ...(person.updated_at === undefined ? {} : { version: person.updated_at }),
        ...(readAt === undefined ? {} : { readAt })
      }, true)
    ]
  }, true)
}

/**
 * Builds the `ContactBook` over the `Contacts` service in context.
 *
 * The sync-facing `update` and `delete` only touch contacts the library owns:
 * `integration: true` on the remote contact, or created by this contact book
 * (create answers may leave `integration` out). A contact whose flag is `false`
 * or unknown is refused with `InvalidRequest` (field `integration`, nothing
 * sent) unless `{ allowUnowned: true }`. `create` marks contacts
 * `integration: true` unless told otherwise. `create` and `update` write the
 * normalized value of a point and refuse an invalid one before anything is
 * sent (see {@link fromContactPoint}); `maxLength` is this API's limit.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeContactBook: Effect.Effect<ContactBook.Service, never, Contacts.Contacts> = Effect.gen(function*() {
  const contacts = yield* Contacts.Contacts
  const owned = new Set<string>()
  const keyOf = (personId: string, contactId: string) => `${personId}\u0000${contactId}`

  const withKnownOwnership = (personId: string, contact: ContactBook.Contact) =>
    contact.integration === undefined && owned.has(keyOf(personId, contact.id))
      ? new ContactBook.Contact({ ...contact, integration: true })
      : contact

  const get = (personId: string, contactId: string) =>
    contacts.getContact(personId, contactId).pipe(
      Effect.flatMap((dto) => toContact(personId, dto, "getContact")),
      Effect.map((contact) => withKnownOwnership(personId, contact))
    )

  const ensureOwned = (personId: string, contactId: string, method: string, options: ContactBook.WriteOptions | undefined) =>
    Effect.gen(function*() {
      if (options?.allowUnowned === true || owned.has(keyOf(personId, contactId))) return
      const contact = yield* get(personId, contactId)
      if (contact.integration === true) {
        owned.add(keyOf(personId, contactId))
        return
      }
      return yield* new PeopleError.InvalidRequest({
        module,
        method,
        sent: false,
        field: "integration",
        reason: `contact ${contactId} of person ${personId} is not owned by an integration (integration: ${
          contact.integration === undefined ? "unknown" : "false"
        }); pass allowUnowned: true to change it anyway`
      })
    })

  const list = (personId: string) =>
    contacts.streamContacts(personId).pipe(
      Stream.mapEffect((dto) => toContact(personId, dto, "listContacts")),
      Stream.map((contact) => withKnownOwnership(personId, contact))
    )

  const create = (personId: string, point: ContactPoint.ContactPoint, options?: { readonly integration?: boolean }) =>
    Effect.gen(function*() {
      const integration = options?.integration ?? true
      const remote = yield* fromContactPoint(point, "createContact")
      const dto = yield* contacts.createContact(personId, { label: remote.label, [remote.field]: remote.value, integration })
      if (integration) owned.add(keyOf(personId, dto.id))
      const contact = yield* toContact(personId, dto, "createContact")
      // the create answer may leave the flag out: we know what we asked for
      return contact.integration === undefined ? new ContactBook.Contact({ ...contact, integration }) : contact
    })

  const update = (personId: string, contactId: string, patch: ContactBook.Patch, options?: ContactBook.WriteOptions) =>
    Effect.gen(function*() {
      const remote = patch.point === undefined ? undefined : yield* fromContactPoint(patch.point, "updateContact")
      const body: Contacts.ContactPatch = {
        ...(remote === undefined ? {} : { label: remote.label, [remote.field]: remote.value }),
        ...(patch.integration === undefined ? {} : { integration: patch.integration })
      }
      // refuse a bad patch before spending a request on the ownership check
      yield* Contacts.validatePatch(body)
      yield* ensureOwned(personId, contactId, "updateContact", options)
      const dto = yield* contacts.updateContact(personId, contactId, body)
      const key = keyOf(personId, contactId)
      if (patch.integration === false || dto.integration === false) owned.delete(key)
      else if (patch.integration === true || dto.integration === true) owned.add(key)
      return withKnownOwnership(personId, yield* toContact(personId, dto, "updateContact"))
    })

  const remove = (personId: string, contactId: string, options?: ContactBook.WriteOptions) =>
    Effect.gen(function*() {
      yield* ensureOwned(personId, contactId, "deleteContact", options)
      yield* contacts.deleteContact(personId, contactId)
      owned.delete(keyOf(personId, contactId))
    })

  const deleteAll = (personId: string) =>
    contacts.deleteAllContacts(personId).pipe(
      Effect.tap(() =>
        Effect.sync(() => {
          for (const key of owned) if (key.startsWith(`${personId}\u0000`)) owned.delete(key)
        })
      )
    )

  return { system, maxLength, canHold: PeopleContactsLabels.projection.canHold, list, get, create, update, delete: remove, deleteAll }
})

const withReadAt = (person: People.Person) => Effect.map(Clock.currentTimeMillis, (now) => toPerson(person, new Date(now)))

/**
 * Builds the `PeopleDirectory` over the `People` service in context. `snapshot` is an
 * audited read of `/people` whose completeness checks the records against
 * `X-Pagination-Total-Entries`, empty or short pages before the end, a next link
 * left on the last page read and repeated people (see `People.readPeople`).
 * `get` fails with `NotFound` only on a 404; an empty or cut body is read again.
 * `search` sends `primary_email`, `employeeID` and `name` (for `text`) as
 * filters and matches `department` against the organization name locally.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDirectory: Effect.Effect<PeopleDirectory.Service, never, People.People> = Effect.gen(function*() {
  const service = yield* People.People
  const people = (filter: People.Filter) => service.streamPeople(filter).pipe(Stream.mapEffect(withReadAt))
  const stream = people({})
  const snapshot = (): Effect.Effect<PeopleDirectory.Snapshot> =>
    Effect.sync(() => {
      const read = service.readPeople({})
      return {
        _tag: "Modified",
        version: undefined,
        people: read.stream.pipe(Stream.mapEffect(withReadAt)),
        completeness: read.completeness
      }
    })
  return {
    system,
    stream,
    snapshot,
    get: (remoteId: string) => service.getPerson(remoteId).pipe(Effect.flatMap(withReadAt)),
    search: (query: PeopleDirectory.Query) => {
      const found = people({ primary_email: query.email, employeeID: query.employeeNumber, name: query.text })
      const department = query.department?.toLowerCase()
      return department === undefined ? found : Stream.filter(found, (p) => p.company?.name?.toLowerCase() === department)
    }
  }
})

/**
 * Provides the core `ContactBook` over the `PeopleContactsClient` (the
 * `Contacts` service is built inside).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerContactBook: Layer.Layer<ContactBook.ContactBook, never, PeopleContactsClient> = Layer.effect(
  ContactBook.ContactBook,
  makeContactBook
).pipe(Layer.provide(Contacts.layer))

/**
 * Provides the core `PeopleDirectory` over the `PeopleContactsClient` (the
 * `People` service is built inside).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDirectory: Layer.Layer<PeopleDirectory.PeopleDirectory, never, PeopleContactsClient> = Layer.effect(
  PeopleDirectory.PeopleDirectory,
  makeDirectory
).pipe(Layer.provide(People.layer))

/**
 * Provides both core ports.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ContactBook.ContactBook | PeopleDirectory.PeopleDirectory, never, PeopleContactsClient> = Layer.merge(
  layerContactBook,
  layerDirectory
)
