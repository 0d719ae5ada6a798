import { HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as PeopleError from "@unified-people/core/PeopleError"
import { Effect, Either, Layer, Schema } from "effect"
import * as Contacts from "../src/Contacts.js"
import * as PeopleContactsClient from "../src/PeopleContactsClient.js"
import { HttpLive, fixture, fixtureJson, setup } from "./utils.js"

const ctx = { module: "people-contacts", method: "test" }
const decodeContact = HttpPolicy.decodeText(Contacts.Contact, ctx)
const decodeList = HttpPolicy.decodeText(Schema.Array(Contacts.Contact), ctx)
const fast = { emulator: { rateLimitScale: 0.01 }, client: { rateLimitScale: 0.01 } }

const valueFor = (field: Contacts.ValueField) =>
  field === "telephone" ? "+1 (713) 987 2967" : field === "email" ? "chess.cole@widget.example" : field === "chat" ? "https://chat.example/u/1" : "www.chesscole.example"

describe("Contacts samples", () => {
  it.effect("decodes the documented list: no integration/verified means unknown", () =>
    Effect.gen(function*() {
      const list = yield* decodeList(fixture("contacts-list.json"))
      expect(list).toHaveLength(2)
      expect(list[0]).toMatchObject({ id: "1720", label: "mobile", telephone: "+1 03 413 7223" })
      expect(list[0]!.integration).toBeUndefined()
      expect(list[0]!.verified).toBeUndefined()
      expect(Contacts.valueOf(list[1]!)).toEqual({ field: "website", value: "www.my-stie.com" })
    }))

  it.effect("decodes a single contact with integration: true", () =>
    Effect.gen(function*() {
      const contact = yield* decodeContact(fixture("contact-get.json"))
      expect(contact).toMatchObject({ id: "1720", label: "mobile", integration: true })
    }))

  it.effect("decodes the recorded create answer: 200, nodeID kept, no flags", () =>
    Effect.gen(function*() {
      const exchange = fixtureJson("contact-create.exchange.json") as { response: { status: number; body: unknown } }
      expect(exchange.response.status).toBe(200)
      const contact = yield* decodeContact(JSON.stringify(exchange.response.body))
      expect(contact).toMatchObject({ id: "85602", label: "mobile", telephone: "111111", nodeID: "NG1lLXFhLm1vcy5ydS9Db250YWN0Lzg1NjAy" })
      expect("integration" in contact).toBe(false)
    }))

  it.effect("keeps unknown labels and unknown fields; rejects a bad element by path", () =>
    Effect.gen(function*() {
      const list = yield* decodeList(JSON.stringify([
        { id: 1, label: "emergency", telephone: "911", extra: { a: 1 } },
        { id: "2", label: "chat_hipchat", chat: "x", integration: null }
      ]))
      expect(list[0]).toMatchObject({ label: "emergency", extra: { a: 1 } })
      expect(list[1]!.integration).toBeUndefined()
      const bad = yield* Effect.flip(decodeList(JSON.stringify([{ id: 1, label: "work", email: "a@b.c" }, { id: 2, label: 7 }])))
      expect(bad).toBeInstanceOf(PeopleError.DecodeError)
      expect(bad.path).toBe("[1].label")
    }))

  it.effect("the import CSV's older protocol/label/uri rows map onto the current fields and rules", () =>
    Effect.gen(function*() {
      const rows = fixture("contact-details-import.csv").trim().split("\n").slice(1).map((line) => line.split(","))
      const contactRows = rows.filter((r) => r[1] !== "")
      expect(contactRows).toHaveLength(10)
      const outcomes = yield* Effect.forEach(contactRows, ([, protocol, label, uri]) =>
        Effect.either(Contacts.validateInput({ label: label!, [protocol === "telephone" ? "telephone" : protocol!]: uri! })))
      // `skype` under telephone is not in the current label list: refused before sending
      const refused = outcomes.flatMap((o, i) => Either.isLeft(o) ? [contactRows[i]![2]] : [])
      expect(refused).toEqual(["skype"])
    }))
})

describe("Contacts operations", () => {
  it.scopedLive("a person without contacts costs one call: an empty contact list is normal, not read again", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup()
      const person = emulator.addPerson()
      emulator.clearRequests()
      expect(yield* contacts.listContacts(String(person.id))).toEqual([])
      expect(emulator.requests().map((r) => r.path)).toEqual([`/v1/people/${person.id}/contacts`])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("list, get, create, update, delete and delete all", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup()
      const before = emulator.contactsOf(1).length
      const created = yield* contacts.createContact("1", { label: "mobile", telephone: "+1 03 413 7223", integration: true })
      expect(created).toMatchObject({ label: "mobile", telephone: "+1 03 413 7223", integration: true, verified: false })
      expect(emulator.contactsOf(1)).toHaveLength(before + 1)

      const got = yield* contacts.getContact("1", created.id)
      expect(got).toEqual(created)

      const listed = yield* contacts.listContacts("1")
      expect(listed.map((c) => c.id)).toContain(created.id)
      expect(listed).toHaveLength(before + 1)

      emulator.clearRequests()
      const updated = yield* contacts.updateContact("1", created.id, { label: "home" })
      expect(updated).toMatchObject({ id: created.id, label: "home", telephone: "+1 03 413 7223", integration: true })
      const patch = emulator.requests().find((r) => r.method === "PATCH")
      expect(patch?.body).toEqual({ label: "home" })

      const changed = yield* contacts.updateContact("1", created.id, { telephone: "+1 03 413 0000", integration: false })
      expect(changed).toMatchObject({ label: "home", telephone: "+1 03 413 0000", integration: false })

      yield* contacts.deleteContact("1", created.id)
      expect(emulator.contacts.has(Number(created.id))).toBe(false)
      const gone = yield* Effect.flip(contacts.getContact("1", created.id))
      expect(gone._tag).toBe("NotFound")

      yield* contacts.createContact("2", { label: "work", email: "ed@widget.example" })
      const otherBefore = emulator.contactsOf(3).length
      yield* contacts.deleteAllContacts("2")
      expect(emulator.contactsOf(2)).toHaveLength(0)
      expect(yield* contacts.listContacts("2")).toEqual([])
      expect(emulator.contactsOf(3)).toHaveLength(otherBefore)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("accepts the recorded 200 create answer without flags", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup({ emulator: { quirks: { createStatus: 200, createOmitsFlags: true } } })
      const created = yield* contacts.createContact("1", { label: "mobile", telephone: "111111", integration: true })
      expect(emulator.requests().at(-1)?.status).toBe(200)
      expect(created.integration).toBeUndefined()
      expect(created["nodeID"]).toEqual(expect.any(String))
      expect(emulator.contacts.get(Number(created.id))?.integration).toBe(true)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("reads unknown labels stored remotely", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup()
      const stored = emulator.addContact(4, { label: "emergency", telephone: "+1 713 555 0100" })
      const listed = yield* contacts.listContacts("4")
      expect(listed.find((c) => c.id === String(stored.id))).toMatchObject({ label: "emergency", telephone: "+1 713 555 0100" })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("pages over hundreds of contacts", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup({ emulator: { rateLimitScale: 0.01 }, client: { rateLimitScale: 0.01, perPage: 30 } })
      emulator.addGeneratedContacts(5, 350)
      const expected = emulator.contactsOf(5).map((c) => String(c.id))
      emulator.clearRequests()
      const listed = yield* contacts.listContacts("5")
      expect(listed.map((c) => c.id)).toEqual(expected)
      expect(new Set(listed.map((c) => c.id)).size).toBe(expected.length)
      const pages = emulator.requests().filter((r) => r.path === "/v1/people/5/contacts")
      expect(pages).toHaveLength(Math.ceil(expected.length / 30))
      expect(pages.every((p) => p.status === 200)).toBe(true)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a missing person or contact is NotFound", () =>
    Effect.gen(function*() {
      const { contacts } = yield* setup()
      expect((yield* Effect.flip(contacts.listContacts("999999")))._tag).toBe("NotFound")
      expect((yield* Effect.flip(contacts.getContact("1", "424242")))._tag).toBe("NotFound")
      expect((yield* Effect.flip(contacts.deleteAllContacts("999999")))._tag).toBe("NotFound")
    }).pipe(Effect.provide(HttpLive)))
})

describe("Contact rules", () => {
  const fields = Contacts.valueFields
  const labels = ["work", "home", "mobile", "fax", "personal", "chat_skype", "chat_slack", "chat_teams", "chat_workchat"] as const
  // the seed's table, written out here only to check that the core matrix says the same
  const seed: Record<(typeof labels)[number], ReadonlyArray<Contacts.ValueField>> = {
    work: ["telephone", "email", "website"],
    home: ["telephone"],
    mobile: ["telephone"],
    fax: ["telephone"],
    personal: ["email", "website"],
    chat_skype: ["chat"],
    chat_slack: ["chat"],
    chat_teams: ["chat"],
    chat_workchat: ["chat"]
  }

  it.scopedLive("every cell of the kind-by-label matrix: allowed is created, refused is never sent", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup(fast)
      let allowed = 0
      let refused = 0
      for (const label of labels) {
        for (const field of fields) {
          const before = emulator.requests().length
          const result = yield* Effect.either(contacts.createContact("6", { label, [field]: valueFor(field) }))
          if (seed[label].includes(field)) {
            allowed++
            expect(Either.isRight(result), `${label} × ${field}`).toBe(true)
            const created = Either.getOrThrow(result)
            expect(emulator.contacts.get(Number(created.id))).toMatchObject({ label, [field]: valueFor(field) })
          } else {
            refused++
            expect(Either.isLeft(result), `${label} × ${field}`).toBe(true)
            const error = Either.flip(result).pipe(Either.getOrThrow)
            expect(error).toBeInstanceOf(PeopleError.InvalidRequest)
            expect(error).toMatchObject({ sent: false, field: "label" })
            expect((error as PeopleError.InvalidRequest).reason).toContain(`${label} is only for`)
            expect(emulator.requests().length, `${label} × ${field} sent nothing`).toBe(before)
          }
        }
      }
      expect([allowed, refused]).toEqual([12, 24])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("every refused cell is also refused by the server, decoded into the same error type", () =>
    Effect.gen(function*() {
      const { emulator, client, provide } = yield* setup(fast)
      for (const label of labels) {
        for (const field of fields) {
          const raw = client.execute(
            HttpClientRequest.post(client.url("/people/6/contacts")).pipe(HttpClientRequest.bodyUnsafeJson({ label, [field]: valueFor(field) })),
            { method: "createContact" }
          )
          const result = yield* Effect.either(provide(raw))
          if (seed[label].includes(field)) {
            expect(Either.isRight(result), `${label} × ${field}`).toBe(true)
          } else {
            const error = Either.flip(result).pipe(Either.getOrThrow)
            expect(error).toBeInstanceOf(PeopleError.InvalidRequest)
            expect(error).toMatchObject({ sent: true, status: 422, field: "label" })
            expect((error as PeopleError.InvalidRequest).violations).toEqual([{ field: "label", message: expect.stringContaining(`${label} is only for`) }])
          }
        }
      }
      expect(emulator.statusCounts()[422]).toBe(24)
    }).pipe(Effect.provide(HttpLive)))

  it.effect("value rules: exactly one value field, at most 255 characters, a known label", () =>
    Effect.gen(function*() {
      const refuse = (input: Contacts.ContactInput) => Effect.flip(Contacts.validateInput(input))
      expect(yield* refuse({ label: "work" })).toMatchObject({ field: "base", sent: false })
      expect(yield* refuse({ label: "work", email: "a@b.c", website: "www.b.c" })).toMatchObject({ field: "website" })
      const long = yield* refuse({ label: "work", email: `${"a".repeat(250)}@b.com` })
      expect(long).toMatchObject({ field: "email" })
      expect(long.reason).toContain("maximum is 255")
      expect(yield* Contacts.validateInput({ label: "work", email: `${"a".repeat(249)}@b.com` })).toBeDefined()
      expect(yield* refuse({ label: "emergency", telephone: "911" })).toMatchObject({ field: "label", reason: "is not included in the list" })
      expect(yield* refuse({ label: "", telephone: "911" })).toMatchObject({ field: "label" })
      expect(yield* refuse({ label: "work", telephone: "   " })).toMatchObject({ field: "telephone" })
      expect((yield* Effect.flip(Contacts.validatePatch({})))).toMatchObject({ field: "base" })
      expect((yield* Effect.flip(Contacts.validatePatch({ label: "fax", email: "a@b.c" })))).toMatchObject({ field: "label" })
      // a label alone is checked against the list only; the server checks it against the stored kind
      expect(yield* Contacts.validatePatch({ label: "fax" })).toEqual({ label: "fax" })
    }))

  it.scopedLive("the server checks a patch merged into the stored contact", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup()
      const created = yield* contacts.createContact("7", { label: "fax", telephone: "+1 713 987 2911" })
      const wrongLabel = yield* Effect.flip(contacts.updateContact("7", created.id, { label: "personal" }))
      expect(wrongLabel).toMatchObject({ _tag: "InvalidRequest", sent: true, status: 422, field: "label" })
      const twoValues = yield* Effect.flip(contacts.updateContact("7", created.id, { email: "x@y.z" }))
      expect(twoValues).toMatchObject({ _tag: "InvalidRequest", sent: true, status: 422 })
      expect(twoValues.message).toContain("exactly one of email, telephone, chat or website")
      expect(emulator.contacts.get(Number(created.id))).toMatchObject({ label: "fax", telephone: "+1 713 987 2911" })
      expect(emulator.contacts.get(Number(created.id))?.email).toBeUndefined()
    }).pipe(Effect.provide(HttpLive)))
})

describe("Contacts area", () => {
  it.effect("a contact is a Schema.Class with a branded ContactId, read liberally; unknown fields are kept on the instance", () =>
    Effect.gen(function*() {
      const [contact] = yield* decodeList('[{"id":9007199254740993,"label":"mobile","telephone":"+1 03 413 7223","integration":null,"nodeID":"N1"}]')
      expect(contact).toBeInstanceOf(Contacts.Contact)
      const id: Contacts.ContactId = contact!.id
      expect(id).toBe("9007199254740993")
      expect(contact!.integration).toBeUndefined()
      expect(contact!["nodeID"]).toBe("N1")
      expect(Contacts.ContactId.make("12")).toBe("12")
      expect(Contacts.operations.updateContact).toEqual({ operationId: "updateContact", method: "PATCH", path: "/people/{personId}/contacts/{contactId}" })
    }))

  it.scopedLive("Contacts.layer needs only the client layer; its operations are those of the Contacts service", () =>
    Effect.gen(function*() {
      const { emulator, client } = yield* setup(fast)
      const contacts = yield* Contacts.Contacts.pipe(
        Effect.provide(Contacts.layer.pipe(Layer.provide(Layer.succeed(PeopleContactsClient.PeopleContactsClient, client))))
      )
      const created = yield* contacts.createContact("1", { label: "work", email: "layer@widget.example" })
      expect((yield* contacts.getContact("1", created.id)).email).toBe("layer@widget.example")
      expect((yield* contacts.listContacts("1")).map((c) => c.id)).toContain(created.id)
      expect(emulator.contactsOf(1).some((c) => String(c.id) === created.id)).toBe(true)
    }).pipe(Effect.provide(HttpLive)))
})
