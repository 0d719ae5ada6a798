import { describe, expect, it } from "@effect/vitest"
import * as ContactBook from "@unified-people/core/ContactBook"
import * as ContactPoint from "@unified-people/core/ContactPoint"
import type * as Label from "@unified-people/core/Label"
import * as Normalize from "@unified-people/core/Normalize"
import * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Text from "@unified-people/core/Text"
import { Chunk, Context, Effect, Either, Layer, Option, Schema, Stream } from "effect"
import * as fc from "fast-check"
import * as Contacts from "../src/Contacts.js"
import * as People from "../src/People.js"
import type * as Emulator from "@unified-people/testkit/PeopleContactsEmulator"
import * as PeopleContactsClient from "../src/PeopleContactsClient.js"
import * as PeopleContactsPeople from "../src/PeopleContactsPeople.js"
import { HttpLive, setup } from "./utils.js"

/** An emulator, and the core ports over a client pointed at it. */
const ports = (options: { readonly emulator?: Emulator.Options } = {}) =>
  Effect.gen(function*() {
    const { emulator, client } = yield* setup({ emulator: { rateLimitScale: 0.01, ...options.emulator }, client: { rateLimitScale: 0.01 } })
    const context = yield* Layer.build(
      PeopleContactsPeople.layer.pipe(Layer.provide(Layer.succeed(PeopleContactsClient.PeopleContactsClient, client)))
    )
    return { emulator, book: Context.get(context, ContactBook.ContactBook), directory: Context.get(context, PeopleDirectory.PeopleDirectory) }
  })

const writes = (emulator: Emulator.Served) => emulator.requests().filter((r) => r.method !== "GET")

describe("ContactBook", () => {
  it.scopedLive("creates owned contacts from ContactPoints and lists them back mapped", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      const point = ContactPoint.make({ kind: "phone", value: "+1 (713) 987 2967", label: "mobile" })
      const created = yield* book.create("1", point)
      expect(created).toMatchObject({ personId: "1", integration: true })
      expect(created.point).toMatchObject({ kind: "phone", label: "mobile", normalized: "+17139872967", source: { system: "people-contacts", remoteId: created.id } })
      // strict writing: the normalized value is what is written
      expect(emulator.contacts.get(Number(created.id))).toMatchObject({ telephone: "+17139872967", label: "mobile", integration: true })

      emulator.addContact(1, { label: "emergency", telephone: "911" })
      emulator.addContact(1, { label: "personal", website: "www.my-stie.com" })
      const listed = Chunk.toReadonlyArray(yield* Stream.runCollect(book.list("1")))
      expect(listed).toHaveLength(emulator.contactsOf(1).length)
      const emergency = listed.find((c) => c.point.value === "911")!
      expect(emergency.point).toMatchObject({ label: "other", customLabel: "emergency", kind: "phone" })
      expect(listed.find((c) => c.point.kind === "website" && c.point.value === "www.my-stie.com")?.point).toMatchObject({
        label: "personal",
        normalized: "https://www.my-stie.com"
      })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("labels the API cannot store are refused before sending", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      emulator.clearRequests()
      const main = yield* Effect.flip(book.create("1", ContactPoint.make({ kind: "phone", value: "+1 800 555 0100", label: "main" })))
      expect(main).toMatchObject({ _tag: "InvalidRequest", sent: false, field: "label" })
      const custom = yield* Effect.flip(book.create("1", ContactPoint.make({ kind: "phone", value: "911", label: "other", customLabel: "emergency" })))
      expect(custom).toMatchObject({ _tag: "InvalidRequest", sent: false, field: "label", reason: "is not included in the list" })
      // `ContactPoint.make` turns a disallowed label into other + custom: still refused, still not sent
      const chatWork = yield* Effect.flip(book.create("1", ContactPoint.make({ kind: "chat", value: "https://chat.example/u/1", label: "work" })))
      expect(chatWork).toMatchObject({ _tag: "InvalidRequest", sent: false })
      expect(emulator.requests()).toHaveLength(0)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("refuses to update or delete a contact with integration: false unless allowUnowned", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      const theirs = emulator.addContact(2, { label: "home", telephone: "+1 713 555 0101", integration: false })
      const patch = { point: ContactPoint.make({ kind: "phone", value: "+1 713 555 0199", label: "home" }) }
      emulator.clearRequests()
      const refusedUpdate = yield* Effect.flip(book.update("2", String(theirs.id), patch))
      expect(refusedUpdate).toMatchObject({ _tag: "InvalidRequest", sent: false, field: "integration" })
      expect(refusedUpdate.message).toContain("integration: false")
      const refusedDelete = yield* Effect.flip(book.delete("2", String(theirs.id)))
      expect(refusedDelete).toMatchObject({ _tag: "InvalidRequest", sent: false, field: "integration" })
      expect(writes(emulator)).toHaveLength(0)
      expect(emulator.contacts.get(theirs.id)?.telephone).toBe("+1 713 555 0101")

      const forced = yield* book.update("2", String(theirs.id), patch, { allowUnowned: true })
      expect(forced.point.value).toBe("+17135550199")
      expect(writes(emulator).map((r) => r.body)).toEqual([{ label: "home", telephone: "+17135550199" }])
      yield* book.delete("2", String(theirs.id), { allowUnowned: true })
      expect(emulator.contacts.has(theirs.id)).toBe(false)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a missing integration flag is unknown: refused unless the library created the contact", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports({ emulator: { quirks: { createStatus: 200, createOmitsFlags: true, listOmitsFlags: true, getOmitsIntegration: true } } })
      const unknown = emulator.addContact(3, { label: "work", email: "typed.by.hand@widget.example", integration: true })
      const refused = yield* Effect.flip(book.delete("3", String(unknown.id)))
      expect(refused).toMatchObject({ _tag: "InvalidRequest", field: "integration" })
      expect(refused.message).toContain("integration: unknown")
      expect(emulator.contacts.has(unknown.id)).toBe(true)

      const ours = yield* book.create("3", ContactPoint.make({ kind: "email", value: "sync@widget.example", label: "work" }))
      expect(ours.integration).toBe(true)
      const listed = Chunk.toReadonlyArray(yield* Stream.runCollect(book.list("3")))
      expect(listed.find((c) => c.id === ours.id)?.integration).toBe(true)
      expect(listed.find((c) => c.id === String(unknown.id))?.integration).toBeUndefined()
      emulator.clearRequests()
      const updated = yield* book.update("3", ours.id, { point: ContactPoint.make({ kind: "email", value: "sync2@widget.example", label: "personal" }) })
      expect(updated.point).toMatchObject({ value: "sync2@widget.example", label: "personal" })
      // remembered: no read was needed to prove ownership
      expect(emulator.requests().map((r) => r.method)).toEqual(["PATCH"])
      yield* book.delete("3", ours.id)
      expect(emulator.contacts.has(Number(ours.id))).toBe(false)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a remote contact with integration: true may be changed after a read proves it", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      const owned = emulator.addContact(4, { label: "chat_teams", chat: "https://teams.example/u/4", integration: true })
      emulator.clearRequests()
      const updated = yield* book.update("4", String(owned.id), { point: ContactPoint.make({ kind: "chat", value: "https://teams.example/u/4b", label: "chat_teams" }) })
      expect(updated.point.value).toBe("https://teams.example/u/4b")
      expect(emulator.requests().map((r) => r.method)).toEqual(["GET", "PATCH"])
      const released = yield* book.update("4", String(owned.id), { integration: false })
      expect(released.integration).toBe(false)
      expect((yield* Effect.flip(book.delete("4", String(owned.id))))).toMatchObject({ field: "integration" })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("deleteAll removes only that person's contacts", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      emulator.addGeneratedContacts(5, 40)
      emulator.addGeneratedContacts(6, 7)
      const others = [...emulator.people.keys()].filter((id) => id !== 5).map((id) => [id, emulator.contactsOf(id).length] as const)
      yield* book.deleteAll("5")
      expect(emulator.contactsOf(5)).toHaveLength(0)
      expect(Chunk.size(yield* Stream.runCollect(book.list("5")))).toBe(0)
      for (const [id, count] of others) expect(emulator.contactsOf(id), `person ${id}`).toHaveLength(count)
      expect(emulator.contactsOf(6).length).toBeGreaterThanOrEqual(7)
    }).pipe(Effect.provide(HttpLive)))
})

describe("PeopleDirectory", () => {
  it.scopedLive("streams, gets and searches canonical people", () =>
    Effect.gen(function*() {
      const { emulator, directory } = yield* ports({ emulator: { people: 120 } })
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(directory.stream))
      expect(all).toHaveLength(120)
      // the same stream value runs again in full
      expect(yield* Stream.runCount(directory.stream)).toBe(120)
      expect(all[0]!.id).toBe("people-contacts:1")
      expect(all[0]!.provenance[0]!.readAt).toBeInstanceOf(Date)
      const stored = emulator.people.get(8)!
      expect(all[7]!.contactPoints[0]).toMatchObject({ kind: "email", primary: true, normalized: stored.primary_email })

      const one = yield* directory.get("8")
      expect(one).toMatchObject({ id: "people-contacts:8", employeeNumber: stored.employeeID, company: { name: stored.organization!.name } })
      expect(one.contactPoints).toHaveLength(1 + emulator.contactsOf(8).length)

      const byEmail = Chunk.toReadonlyArray(yield* Stream.runCollect(directory.search({ email: stored.primary_email })))
      expect(byEmail.map((p) => p.id)).toEqual(["people-contacts:8"])
      const byEmployee = Chunk.toReadonlyArray(yield* Stream.runCollect(directory.search({ employeeNumber: stored.employeeID! })))
      expect(byEmployee.map((p) => p.id)).toEqual(["people-contacts:8"])
      const department = stored.organization!.name
      const byDepartment = Chunk.toReadonlyArray(yield* Stream.runCollect(directory.search({ department })))
      expect(byDepartment.length).toBe([...emulator.people.values()].filter((p) => p.organization?.name === department).length)

      const snapshot = yield* directory.snapshot()
      expect(snapshot._tag).toBe("Modified")
      expect(directory.system).toBe("people-contacts")
    }).pipe(Effect.provide(HttpLive)))
})

// -----------------------------------------------------------------------------
// strict writing: nothing invalid is ever sent
// -----------------------------------------------------------------------------

const fieldOf: Readonly<Record<Label.Kind, string>> = { email: "email", phone: "telephone", chat: "chat", website: "website" }

/** The value field of a logged body and its value. */
const valueOfBody = (body: unknown): { readonly kind: Label.Kind; readonly value: unknown } | undefined => {
  if (body === null || typeof body !== "object") return undefined
  const record = body as Record<string, unknown>
  for (const kind of ["email", "phone", "chat", "website"] as const) {
    if (record[fieldOf[kind]] !== undefined) return { kind, value: record[fieldOf[kind]] }
  }
  return undefined
}

/** Every string of a logged body is safe, and its value is valid for the People system as it is. */
const expectWritable = (body: unknown) => {
  for (const value of Object.values(body as Record<string, unknown>)) if (typeof value === "string") expect(Text.isSafe(value)).toBe(true)
  const found = valueOfBody(body)
  if (found === undefined) return
  expect(typeof found.value).toBe("string")
  const value = found.value as string
  expect(value.length).toBeLessThanOrEqual(PeopleContactsPeople.maxLength)
  expect(Normalize.value(found.kind, value, { maxLength: PeopleContactsPeople.maxLength })).toEqual({ _tag: "Normalized", value })
  // and, independently of the normalizer, the shape of each kind
  const shapes: Readonly<Record<Label.Kind, RegExp>> = {
    email: /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9-]+\.)+[a-z][a-z0-9-]*$/,
    phone: /^\+[1-9]\d{5,14}(;ext=\d{1,10})?$/,
    website: /^https?:\/\/[a-z0-9.-]+(:\d+)?([/?#][\x21-\x7e]*)?$/,
    chat: /^(https?:\/\/[a-z0-9.-]+(:\d+)?([/?#]\S*)?|(skype|slack|msteams):\S+)$/i
  }
  expect(value).toMatch(shapes[found.kind])
}

describe("ContactBook: strict writing", () => {
  const invalid: ReadonlyArray<readonly [Label.Kind, Label.Label, string, RegExp]> = [
    ["website", "work", "javascript:alert(document.cookie)", /unsupported URL scheme "javascript:"/],
    ["website", "personal", "data:text/html,<script>alert(1)</script>", /unsupported URL scheme "data:"/],
    ["website", "work", "file:///etc/passwd", /unsupported URL scheme "file:"/],
    ["website", "work", "vbscript:msgbox(1)", /unsupported URL scheme "vbscript:"/],
    ["email", "work", "jane\u200b@widget.example", /zero-width character \(U\+200B\)/],
    ["email", "work", "jane@widget.example\u202e", /bidi control character/],
    ["email", "work", "ja\u001b[31mne@widget.example", /control character \(U\+001B\)/],
    ["email", "work", "a@b@c", /more than one @/],
    ["email", "work", "jane@localhost", /domain/],
    ["email", "work", `${"j".repeat(288)}@example.com`, /more than 64 characters before the @/],
    ["phone", "mobile", "+999999999999999999", /./],
    ["phone", "mobile", "+1 713 987", /not a possible phone number/],
    ["phone", "mobile", "+1 713 CALL NOW", /letters/],
    ["chat", "chat_slack", "jane.doe", /no scheme/],
    ["chat", "chat_teams", "javascript:alert(1)", /unsupported chat link scheme/],
    ["website", "work", `https://widget.example/${"a".repeat(250)}`, /too long for the target \(at most 255 characters\)/]
  ]

  it.scopedLive.each(invalid)("create refuses %s %j before sending (sent: false, the field, the reason)", ([kind, label, value, reason]) =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      emulator.clearRequests()
      const error = yield* Effect.flip(book.create("1", ContactPoint.make({ kind, value, label })))
      expect(error).toBeInstanceOf(PeopleError.InvalidRequest)
      expect(error).toMatchObject({ _tag: "InvalidRequest", sent: false, field: fieldOf[kind], method: "createContact" })
      const refused = error as PeopleError.InvalidRequest
      expect(refused.reason).toMatch(reason)
      expect(refused.violations).toEqual([{ field: fieldOf[kind], message: refused.reason }])
      // safe to print, and no request at all
      expect(Text.isSafe(refused.message)).toBe(true)
      expect(emulator.requests()).toHaveLength(0)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("update refuses an invalid point before the ownership read and before sending", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      const theirs = emulator.addContact(2, { label: "work", website: "www.widget.example", integration: true })
      emulator.clearRequests()
      const error = yield* Effect.flip(book.update("2", String(theirs.id), { point: ContactPoint.make({ kind: "website", value: "javascript:alert(1)", label: "work" }) }))
      expect(error).toMatchObject({ _tag: "InvalidRequest", sent: false, field: "website", method: "updateContact" })
      expect(emulator.requests()).toHaveLength(0)
      expect(emulator.contacts.get(theirs.id)?.website).toBe("www.widget.example")
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a point built around ContactPoint.make is checked again: a forged normalized value is refused", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      emulator.clearRequests()
      const forged = [
        new ContactPoint.ContactPoint({ kind: "website", value: "x", normalized: "javascript:alert(1)", label: "work" }, true),
        new ContactPoint.ContactPoint({ kind: "email", value: "x", normalized: "jane\u202e@widget.example", label: "work" }, true),
        new ContactPoint.ContactPoint({ kind: "email", value: "x", normalized: `${"a".repeat(60)}@${"b".repeat(200)}.example`, label: "work" }, true)
      ]
      for (const point of forged) {
        expect(yield* Effect.flip(book.create("1", point))).toMatchObject({ _tag: "InvalidRequest", sent: false, field: fieldOf[point.kind] })
      }
      expect(emulator.requests()).toHaveLength(0)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("the normalized value is written; the book tells its limit", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports()
      expect(book.maxLength).toBe(255)
      emulator.clearRequests()
      yield* book.create("1", ContactPoint.make({ kind: "email", value: " MAILTO:Jane.Doe@Widget.Example\n", label: "work" }))
      yield* book.create("1", ContactPoint.make({ kind: "website", value: "WWW.Widget.Example/", label: "work" }))
      yield* book.create("1", ContactPoint.make({ kind: "chat", value: " Skype:jane.doe?chat ", label: "chat_skype" }))
      expect(writes(emulator).map((r) => r.body)).toEqual([
        { label: "work", email: "jane.doe@widget.example", integration: true },
        { label: "work", website: "https://www.widget.example", integration: true },
        { label: "chat_skype", chat: "skype:jane.doe?chat", integration: true }
      ])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("the low-level operations refuse unsafe characters in any field of a body", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup({ emulator: { rateLimitScale: 0.01 }, client: { rateLimitScale: 0.01 } })
      emulator.clearRequests()
      const create = yield* Effect.flip(contacts.createContact("1", { label: "mobile", telephone: "+1 713 987 2967\u0007" }))
      expect(create).toMatchObject({ _tag: "InvalidRequest", sent: false, field: "telephone" })
      expect((create as PeopleError.InvalidRequest).reason).toContain("control character (U+0007)")
      const label = yield* Effect.flip(Contacts.validatePatch({ label: "work\u200b" }))
      expect(label).toMatchObject({ sent: false, violations: expect.arrayContaining([{ field: "label", message: expect.stringContaining("zero-width") }]) })
      const patch = yield* Effect.flip(contacts.updateContact("1", "1000", { website: "https://widget.example/\u202e" }))
      expect(patch).toMatchObject({ _tag: "InvalidRequest", sent: false, field: "website" })
      expect(emulator.requests()).toHaveLength(0)
    }).pipe(Effect.provide(HttpLive)))
})

// -----------------------------------------------------------------------------
// the property, against the emulator
// -----------------------------------------------------------------------------

const unsafeChars = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009b", "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\u2069", "\u200f", "\u2028", "\u{e0041}", "\ud800", "\udc00"]

const validValues: Readonly<Record<Label.Kind, ReadonlyArray<string>>> = {
  email: ["jane.doe@widget.example", "O'Brien+tag@Mail.Widget.Example", "mailto:ed@widget.example"],
  phone: ["+1 (713) 987 2967", "+17139872946", "+44 20 7946 0958 ext. 12", "713.555.0100"],
  website: ["www.widget.example", "https://widget.example/about?x=1#top", "HTTP://Widget.Example:8080/"],
  chat: ["https://widget.facebook.com/chat/t/100215506159543", "skype:jane.doe?chat", "msteams:/l/chat/0/0?users=jane@widget.example", "slack://user?team=T1&id=U2"]
}

const hostile: Readonly<Record<Label.Kind, ReadonlyArray<string>>> = {
  email: ["a@b@c", "a@b", "a@.com", "\"a b\"@c.com", "a..b@c.com", "@x.com", "jane@", "a@b.123", "jane@widget.example?x", "<script>@x.com"],
  phone: ["+999999999999999999", "+0 650 555 0100", "12", "+1 650 555", "1-800-FLOWERS", "+1 650 555 0100 <x>", "+1 650 555 0100;ext=99999999999", "911", "111111"],
  website: ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "file:///c:/windows", "vbscript:msgbox", "ftp://x.example.com", "//", "../../admin", "http:evil.example", "https://user:pw@evil.example", "intranet"],
  chat: ["jane.doe", "javascript:alert(1)", "sip:jane@example.com", "xmpp:jane@example.com", "skype:", "skype:jane doe", "https://x.example/\"><img>", "http://chat", "data:,x"]
}

const labelsOf: Readonly<Record<Label.Kind, ReadonlyArray<Label.Label>>> = {
  email: ["work", "personal"],
  phone: ["work", "home", "mobile", "fax"],
  website: ["work", "personal"],
  chat: ["chat_skype", "chat_slack", "chat_teams", "chat_workchat"]
}

const inject = (value: string) =>
  fc.array(fc.tuple(fc.nat(), fc.constantFrom(...unsafeChars)), { minLength: 1, maxLength: 3 }).map((insertions) => {
    let out = value
    for (const [at, char] of insertions) {
      const i = at % (out.length + 1)
      out = out.slice(0, i) + char + out.slice(i)
    }
    return out
  })

const overlong = (kind: Label.Kind) =>
  fc.integer({ min: 200, max: 320 }).map((n) =>
    kind === "email"
      ? `${"a".repeat(Math.min(64, n))}@${"b".repeat(Math.max(1, n - 80))}.example`.slice(0, n + 20)
      : kind === "phone"
      ? `+1713987${"2".repeat(n)}`
      : kind === "chat"
      ? `skype:${"j".repeat(n)}`
      : `https://widget.example/${"p".repeat(n)}`
  )

const valueFor = (kind: Label.Kind): fc.Arbitrary<string> => {
  const valid = fc.constantFrom(...validValues[kind])
  const bad = fc.constantFrom(...hostile[kind])
  return fc.oneof(
    { arbitrary: valid, weight: 3 },
    { arbitrary: valid.chain(inject), weight: 2 },
    { arbitrary: bad, weight: 2 },
    { arbitrary: fc.constantFrom(...hostile.website, ...hostile.chat, ...hostile.email).chain(inject), weight: 1 },
    { arbitrary: overlong(kind), weight: 1 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }), weight: 1 }
  )
}

const pointArb = fc.constantFrom<Label.Kind>("email", "phone", "website", "chat").chain((kind) =>
  fc.record({ kind: fc.constant(kind), label: fc.constantFrom(...labelsOf[kind]), value: valueFor(kind) })
)

describe("ContactBook: property over hostile values", () => {
  it.scopedLive("no invalid value is ever sent, and every refused one is reported", () =>
    Effect.gen(function*() {
      const { emulator, book } = yield* ports({ emulator: { hourly: { limit: 100_000, windowMillis: 3_600_000 } } })
      const personIds = [...emulator.people.keys()].slice(0, 5).map(String)
      let runs = 0
      let refusedTotal = 0
      let writtenTotal = 0
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(fc.array(pointArb, { minLength: 1, maxLength: 8 }), fc.array(pointArb, { maxLength: 4 }), async (creates, updates) => {
            emulator.clearRequests()
            const person = personIds[runs++ % personIds.length]!
            let refused = 0
            let written = 0
            const created: Array<{ readonly id: string; readonly kind: Label.Kind }> = []
            let attempts = 0
            const attempt = async (point: ContactPoint.ContactPoint, write: Effect.Effect<ContactBook.Contact, PeopleError.PeopleError>) => {
              attempts++
              const expected = ContactPoint.validate(point, { maxLength: PeopleContactsPeople.maxLength })
              const outcome = await Effect.runPromise(Effect.either(write))
              if (Either.isLeft(outcome)) {
                // reported: a typed local refusal naming the field, with a printable reason
                const error = outcome.left
                expect(error).toBeInstanceOf(PeopleError.InvalidRequest)
                const invalidRequest = error as PeopleError.InvalidRequest
                expect(invalidRequest.sent, invalidRequest.message).toBe(false)
                expect(invalidRequest.field).toBe(fieldOf[point.kind])
                expect(invalidRequest.reason.length).toBeGreaterThan(0)
                expect(Text.isSafe(invalidRequest.message)).toBe(true)
                expect(expected._tag).toBe("Unnormalized")
                refused++
                return undefined
              }
              // written: exactly the validated value
              expect(expected).toEqual({ _tag: "Normalized", value: outcome.right.point.value })
              written++
              return outcome.right
            }
            for (const input of creates) {
              const point = ContactPoint.make(input)
              const contact = await attempt(point, book.create(person, point))
              if (contact !== undefined) created.push({ id: contact.id, kind: point.kind })
            }
            // a contact keeps its kind (the API allows one value field), so an update changes a contact of the same kind
            for (const input of updates) {
              const target = created.find((c) => c.kind === input.kind)
              if (target === undefined) continue
              const point = ContactPoint.make(input)
              await attempt(point, book.update(person, target.id, { point }))
            }
            const sent = emulator.requests().filter((r) => r.method === "POST" || r.method === "PATCH")
            // nothing refused reached the server; everything sent was valid as sent
            expect(sent).toHaveLength(written)
            for (const request of sent) {
              expect(request.status).toBeLessThan(300)
              expectWritable(request.body)
            }
            // what the server stores for this person's written contacts is valid too
            for (const { id } of created) {
              const stored = emulator.contacts.get(Number(id))
              if (stored !== undefined) expectWritable({ email: stored.email, telephone: stored.telephone, chat: stored.chat, website: stored.website })
            }
            expect(refused + written).toBe(attempts)
            refusedTotal += refused
            writtenTotal += written
          }),
          {
            numRuns: 60,
            // found by a run of this property: a host the URL parser accepts but no server has
            examples: [[[{ kind: "website", label: "work", value: "&.;" }, { kind: "email", label: "work", value: "a@b@c" }], []]]
          }
        )
      )
      // the generator exercises both sides
      expect(refusedTotal).toBeGreaterThan(20)
      expect(writtenTotal).toBeGreaterThan(20)
    }).pipe(Effect.provide(HttpLive)))
})

describe("ports over the area services", () => {
  it.effect("makeContactBook and makeDirectory run over any Contacts and People service: stubs replace only the areas, the real mapping and guards run", () =>
    Effect.gen(function*() {
      const stored = new Map<string, Contacts.Contact>([
        ["10", Schema.decodeUnknownSync(Contacts.Contact)({ id: 10, label: "emergency", telephone: "911" })],
        ["11", Schema.decodeUnknownSync(Contacts.Contact)({ id: 11, label: "work", email: "Mine@Example.com", integration: true })]
      ])
      const sent: Array<unknown> = []
      const unused = () => Effect.dieMessage("not used")
      const contacts: Contacts.Service = {
        streamContacts: () => Stream.fromIterable(stored.values()),
        listContacts: () => Effect.succeed([...stored.values()]),
        getContact: (_, id) => Effect.succeed(stored.get(id)!),
        createContact: (_, input) =>
          Effect.sync(() => {
            sent.push(input)
            return Schema.decodeUnknownSync(Contacts.Contact)({ id: 12, ...input })
          }),
        updateContact: unused,
        deleteContact: () => Effect.void,
        deleteAllContacts: unused
      }
      const person = Schema.decodeUnknownSync(People.Person)({ id: 3, name: "Ada", primary_email: "ada@example.com", disabled: false })
      const people: People.Service = {
        readPeople: () => ({ stream: Stream.make(person), completeness: Effect.succeed(PeopleDirectory.notRead) }),
        streamPeople: () => Stream.make(person),
        listPeople: () => Effect.succeed([person]),
        getPerson: () => Effect.succeed(person),
        findByPrimaryEmail: () => Effect.succeed(Option.some(person)),
        findByEmployeeId: () => Effect.succeed([person])
      }
      const book = yield* PeopleContactsPeople.makeContactBook.pipe(Effect.provideService(Contacts.Contacts, contacts))
      const listed = Chunk.toReadonlyArray(yield* Stream.runCollect(book.list("3")))
      expect(listed.map((c) => [c.id, c.point.kind, c.point.label, c.point.customLabel, c.integration])).toEqual([
        ["10", "phone", "other", "emergency", undefined],
        ["11", "email", "work", undefined, true]
      ])
      expect(listed[1]!.point.normalized).toBe("mine@example.com")
      // the value is validated and normalized before the area sees it
      yield* book.create("3", ContactPoint.make({ kind: "phone", value: "+1 (713) 987 2967", label: "mobile" }))
      expect(sent).toEqual([{ label: "mobile", telephone: "+17139872967", integration: true }])
      // the ownership guard runs over the area: a contact whose flag is unknown is refused
      expect(yield* Effect.flip(book.delete("3", "10"))).toMatchObject({ _tag: "InvalidRequest", field: "integration", sent: false })
      yield* book.delete("3", "11")
      const directory = yield* PeopleContactsPeople.makeDirectory.pipe(Effect.provideService(People.People, people))
      expect((yield* directory.get("3")).contactPoints.map((p) => p.normalized)).toEqual(["ada@example.com"])
      expect((yield* directory.get("3")).status).toBe("Enabled")
    }))
})
