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
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Contacts from "./Contacts.js"
import * as Export from "./Export.js"
import * as Import from "./Import.js"
import * as PeopleContactsLabels from "./PeopleContactsLabels.js"
import * as Rules from "./internal/rules.js"
import * as People from "./People.js"
import { module, PeopleContactsClient } from "./PeopleContactsClient.js"

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
  // validation off (`true`): the contact was decoded by Schema and the point built by `ContactPoint.make`
  return Effect.succeed(
    new ContactBook.Contact({
      id: contact.id,
      personId,
      point,
      ...(contact.integration === undefined ? {} : { integration: contact.integration }),
      ...(contact.verified === undefined ? {} : { verified: contact.verified })
    }, true)
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
 * With the `Import` and `Export` services in context too (and the client, for
 * `PeopleContactsConfig.bulk.maxRows`), the book has `bulk`: the batch export
 * and import the sync's bulk mode uses ({@link makeBulk}); without them it has
 * none.
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
      ? new ContactBook.Contact({ ...contact, integration: true }, true)
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
      return contact.integration === undefined ? new ContactBook.Contact({ ...contact, integration }, true) : contact
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

  const importer = yield* Effect.serviceOption(Import.Import)
  const exporter = yield* Effect.serviceOption(Export.Export)
  const client = yield* Effect.serviceOption(PeopleContactsClient)
  const bulk = Option.isSome(importer) && Option.isSome(exporter)
    ? makeBulk(importer.value, exporter.value, Option.match(client, { onNone: () => undefined, onSome: (c) => c.bulk.maxRows }))
    : undefined

  return {
    system,
    maxLength,
    canHold: PeopleContactsLabels.projection.canHold,
    list,
    get,
    create,
    update,
    delete: remove,
    deleteAll,
    ...(bulk === undefined ? {} : { bulk })
  }
})

/**
 * The row of an import file for one contact a person must have after the
 * import: a contact kept as it is (its id, and the point as read from this
 * system) is written with its remote label and value unchanged, so another
 * integration's contact stays exactly as it was; a new or changed one is
 * written as `create` / `update` would (its normalized value, checked first,
 * see {@link fromContactPoint}).
 *
 * @since 0.1.0
 * @category bulk
 */
export const contactDetailOf = (
  primaryEmail: string,
  contact: ContactBook.Replacement["contacts"][number]
): Either.Either<Import.ContactDetail, PeopleError.InvalidRequest> => {
  const point = contact.point
  const id = contact.id
  const protocol = Rules.fieldOfKind[point.kind]
  if (id !== undefined && point.source?.system === system && point.source.remoteId === id) {
    const label = PeopleContactsLabels.projection.toRemote({
      label: point.label,
      ...(point.customLabel === undefined ? {} : { custom: point.customLabel })
    })
    return Either.right({ person: primaryEmail, id, protocol, label: label ?? "", uri: point.value })
  }
  const written = Effect.runSync(Effect.either(fromContactPoint(point, "createImport")))
  return Either.map(written, (remote) => ({
    person: primaryEmail,
    protocol: remote.field,
    label: remote.label,
    uri: remote.value,
    ...(id === undefined ? {} : { id })
  }))
}

const emptyResult: ContactBook.ImportResult = { created: 0, updated: 0, deleted: 0, unchanged: 0, failures: 0, errors: 0, log: [] }

/**
 * The contact book's batch operations over the `Import` and `Export` areas:
 * `exportAll` reads one export of `people,people_contact_details` (only what
 * changed since `since`, when given; a `204` is an empty snapshot), and
 * `replaceIntegrationContacts` uploads one `people_contact_details` file (or
 * polls the import `resume` names), calling `onToken` with the token before
 * it polls, and answers the import's counts and log lines.
 *
 * @since 0.1.0
 * @category bulk
 */
export const makeBulk = (importer: Import.Service, exporter: Export.Service, maxRows?: number | undefined): ContactBook.Bulk => {
  const exportAll = (options: { readonly since?: Date | undefined } = {}) =>
    Effect.gen(function*() {
      const token = yield* exporter.createExport(["people", "people_contact_details"], { from: options.since })
      if (Option.isNone(token)) {
        return {
          people: [],
          contacts: new Map(),
          primaryEmails: new Map(),
          completeness: { complete: true, issues: [], records: 0, pages: 0, unreadable: [] }
        } satisfies ContactBook.Snapshot
      }
      const url = yield* exporter.awaitExport(token.value)
      // a download that broke off is read again from its start (nothing of the first try is kept)
      return yield* readExport(url).pipe(
        Effect.retry({ times: 2, while: (error) => error.isRetryable })
      )
    })

  const readExport = (url: string) =>
    Effect.gen(function*() {
      const readAt = new Date(yield* Clock.currentTimeMillis)
      const people: Array<People.Person> = []
      const details: Array<Export.ExportedContactDetail> = []
      const unreadable: Array<PeopleDirectory.Unreadable> = []
      const issues: Array<string> = []
      const tainted = new Set<string>()
      let records = 0
      yield* exporter.downloadExport(url).pipe(
        Stream.runForEach((row) =>
          Effect.sync(() => {
            const type = Export.typeOf(row)
            if (type === "people") {
              records++
              const decoded = Export.decodePerson(row)
              if (Either.isRight(decoded)) people.push(toWirePerson(decoded.right))
              else {
                const id = row.values.get("ID")
                unreadable.push({ ...(id === undefined || id === "" ? {} : { remoteId: id }), path: decoded.left.path, reason: decoded.left.reason })
                if (id === undefined || id === "") issues.push(`a person without an id could not be read (${decoded.left.path})`)
              }
            } else if (type === "people_contact_details") {
              if (isAddressRow(row)) return
              const decoded = Export.decodeContactDetail(row)
              if (Either.isRight(decoded)) details.push(decoded.right)
              else {
                // the person's contacts are not all known: they are read one by one instead
                const person = firstValue(row, Export.columns.contactDetail.person)
                if (person !== undefined) tainted.add(person.toLowerCase())
                issues.push(`a contact detail could not be read (${decoded.left.path}: ${decoded.left.reason})`)
              }
            }
          })
        )
      )
      const byEmail = new Map<string, string>()
      const primaryEmails = new Map<string, string>()
      for (const person of people) {
        if (person.primary_email === undefined || person.primary_email === "") continue
        byEmail.set(person.primary_email.toLowerCase(), person.id)
        primaryEmails.set(person.id, person.primary_email)
      }
      const contacts = new Map<string, Array<ContactBook.Contact>>(people.map((p) => [p.id, []]))
      for (const detail of details) {
        const personId = detail.personId ?? (detail.person === undefined ? undefined : byEmail.get(detail.person.toLowerCase()))
        const list = personId === undefined ? undefined : contacts.get(personId)
        if (personId === undefined || list === undefined) {
          issues.push(`contact detail ${detail.id} names no person of the export (${detail.person ?? "no person"})`)
          continue
        }
        const contact = toExportedContact(personId, detail)
        if (Either.isLeft(contact)) {
          tainted.add((detail.person ?? "").toLowerCase())
          issues.push(contact.left)
          continue
        }
        list.push(contact.right)
      }
      for (const email of tainted) {
        const personId = byEmail.get(email)
        if (personId !== undefined) contacts.delete(personId)
      }
      return {
        people: people.map((p) => toPerson(p, readAt)),
        contacts,
        primaryEmails,
        completeness: { complete: issues.length === 0, issues, records, pages: 1, unreadable }
      } satisfies ContactBook.Snapshot
    })

  const replaceIntegrationContacts = (rows: ReadonlyArray<ContactBook.Replacement>, options: ContactBook.ImportOptions = {}) =>
    Effect.gen(function*() {
      const log: Array<string> = []
      let refused = 0
      let token = options.resume
      if (token === undefined) {
        const details: Array<Import.ContactDetail> = []
        for (const row of rows) {
          const written = row.contacts.map((c) => contactDetailOf(row.primaryEmail, c))
          const bad = written.find(Either.isLeft)
          if (bad !== undefined) {
            // the person is left out whole: a part of their rows would replace all of their integration contacts
            refused += written.filter(Either.isLeft).length
            log.push(`${row.primaryEmail}: ${bad.left.message} (not sent)`)
            continue
          }
          for (const w of written) if (Either.isRight(w)) details.push(w.right)
        }
        if (details.length === 0) return { ...emptyResult, errors: refused, log }
        token = yield* importer.createImport("people_contact_details", { name: "people_contact_details.csv", content: Import.contactDetailsCsv(details) })
        if (options.onToken !== undefined) yield* options.onToken(token)
      }
      const status = yield* importer.awaitImport(token).pipe(
        Effect.catchTag("ImportFailed", (failed) => Effect.fail(failed.toPeopleError()))
      )
      const results = status.results
      if (results !== undefined && results.failures + results.errors > 0 && status.logfile !== undefined) {
        const remote = yield* Effect.either(importer.readLog(status.logfile))
        if (Either.isRight(remote)) log.push(...remote.right)
        else log.push(`the import's log could not be read: ${remote.left.message}`)
      }
      return {
        created: results?.created ?? 0,
        updated: results?.updated ?? 0,
        deleted: results?.deleted ?? 0,
        unchanged: results?.unchanged ?? 0,
        failures: results?.failures ?? 0,
        errors: (results?.errors ?? 0) + refused,
        log
      } satisfies ContactBook.ImportResult
    })

  return { exportAll, replaceIntegrationContacts, ...(maxRows === undefined ? {} : { maxRows }) }
}

const firstValue = (row: Export.Row, names: ReadonlyArray<string>): string | undefined => {
  const wanted = new Set(names.map((n) => n.toLowerCase()))
  for (const header of row.header) {
    if (wanted.has(header.toLowerCase())) {
      const value = row.values.get(header)
      if (value !== undefined && value !== "") return value
    }
  }
  return undefined
}

/** An address row of a contact-details file (no protocol, no URI): not a contact. */
const isAddressRow = (row: Export.Row): boolean =>
  firstValue(row, Export.columns.contactDetail.protocol) === undefined && firstValue(row, Export.columns.contactDetail.uri) === undefined

/** A person of an export, as the people listing would have answered it. */
const toWirePerson = (p: Export.ExportedPerson): People.Person =>
  new People.Person({
    id: p.id,
    ...(p.name === undefined ? {} : { name: p.name }),
    ...(p.primary_email === undefined ? {} : { primary_email: p.primary_email }),
    ...(p.employeeID === undefined ? {} : { employeeID: p.employeeID }),
    ...(p.sourceID === undefined ? {} : { sourceID: p.sourceID }),
    ...(p.source === undefined ? {} : { source: p.source }),
    ...(p.job_title === undefined ? {} : { job_title: p.job_title }),
    ...(p.organization === undefined ? {} : { organization: { name: p.organization } }),
    ...(p.site === undefined ? {} : { site: { name: p.site } }),
    ...(p.disabled === undefined ? {} : { disabled: p.disabled }),
    ...(p.updated_at === undefined ? {} : { updated_at: p.updated_at })
  }, true)

/** A contact detail of an export as the core `Contact`; why not, when its protocol is not one of the four. */
const toExportedContact = (personId: string, detail: Export.ExportedContactDetail): Either.Either<ContactBook.Contact, string> => {
  const field = Rules.valueFields.find((f) => f === detail.protocol.trim().toLowerCase())
  if (field === undefined) return Either.left(`contact detail ${detail.id} has an unknown protocol ${JSON.stringify(detail.protocol)}`)
  const dto = new Contacts.Contact({
    id: detail.id,
    ...(detail.label === undefined ? {} : { label: detail.label }),
    [field]: detail.uri,
    ...(detail.integration === undefined ? {} : { integration: detail.integration })
  }, true)
  const point = toContactPoint(dto)
  if (point === undefined) return Either.left(`contact detail ${detail.id} has no value`)
  return Either.right(
    new ContactBook.Contact({
      id: detail.id,
      personId,
      point,
      ...(detail.integration === undefined ? {} : { integration: detail.integration })
    }, true)
  )
}

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
 * `Contacts`, `Import` and `Export` services are built inside: the book has
 * `bulk`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerContactBook: Layer.Layer<ContactBook.ContactBook, never, PeopleContactsClient> = Layer.effect(
  ContactBook.ContactBook,
  makeContactBook
).pipe(Layer.provide(Layer.mergeAll(Contacts.layer, Import.layer, Export.layer)))

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
