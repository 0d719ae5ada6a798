/**
 * The hostile-server suite (issue 11): the People-Contacts adapter behind a
 * proxy that rewrites the emulator's answers. The directory stream and
 * snapshot and the contact CRUD each end with nothing lost or duplicated, and
 * with a typed error naming the field where an error is due.
 *
 * Body retries: one attempt of the client's `HttpPolicy` is the request, its
 * status and its whole body, under the configured per-attempt timeout. Reads
 * (list pages, single reads) and idempotent writes (an update is a PATCH of
 * the same fields) read an empty, cut or stalled answer again; a create whose
 * answer breaks off is not sent again (it may exist): a typed error, and the
 * contact exists exactly once.
 */
import { describe, expect, it } from "@effect/vitest"
import * as ContactPoint from "@unified-people/core/ContactPoint"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import { Chunk, Clock, Effect, Either, Redacted, Schema, Stream } from "effect"
import * as Contacts from "../src/Contacts.js"
import * as Emulator from "@unified-people/testkit/PeopleContactsEmulator"
import * as PeopleContactsClient from "../src/PeopleContactsClient.js"
import * as People from "../src/People.js"
import * as PeopleContactsPeople from "../src/PeopleContactsPeople.js"
import { drive, fixtureJson, HttpLive } from "./utils.js"

const people = /^\/v1\/people$/
const contacts = /^\/v1\/people\/\d+\/contacts$/
const contact = /^\/v1\/people\/\d+\/contacts\/\d+$/
const json = { "Content-Type": "application/json" }

const setup = (count = 150) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.serve({ people: count, rateLimitScale: 0.01 })
    const proxy = yield* HostileProxy.make({ target: emulator.url })
    const client = yield* PeopleContactsClient.make({
      baseUrl: proxy.through(emulator.baseUrl),
      token: Redacted.make(emulator.tokens[0]!),
      account: emulator.account,
      retry: { base: "5 millis", cap: "40 millis", times: 4 },
      rateLimitScale: 0.01
    })
    const provide = Effect.provideService(PeopleContactsClient.PeopleContactsClient, client)
    const directory = yield* PeopleContactsPeople.makeDirectory.pipe(Effect.provide(People.layer), provide)
    const book = yield* PeopleContactsPeople.makeContactBook.pipe(Effect.provide(Contacts.layer), provide)
    const ids = () => [...emulator.people.keys()].sort((a, b) => a - b).map(String)
    const stored = (personId: number) => emulator.contactsOf(personId).map((c) => ({ ...c }))
    return { emulator, proxy, directory, book, ids, stored }
  })

type Setup = Effect.Effect.Success<ReturnType<typeof setup>>

const snapshot = (s: Setup) =>
  Effect.gen(function*() {
    const result = yield* s.directory.snapshot()
    if (result._tag !== "Modified") throw new Error("expected Modified")
    const read = Chunk.toReadonlyArray(yield* Stream.runCollect(result.people))
    return { ids: read.map((p) => p.provenance[0]!.remoteId), completeness: yield* result.completeness }
  })

const phone = (value: string) => ContactPoint.make({ kind: "phone", value, label: "mobile" })

describe("hostile People-Contacts server", () => {
  it("every sample still decodes with null in every optional field and its numbers as strings", () => {
    const body = (name: string) => (fixtureJson(name) as { response: { body: unknown } }).response.body
    const samples: ReadonlyArray<readonly [string, unknown, Schema.Schema<unknown, unknown>]> = [
      ["person.json", fixtureJson("person.json"), People.Person as Schema.Schema<unknown, unknown>],
      ["person-create.exchange.json", body("person-create.exchange.json"), People.Person as Schema.Schema<unknown, unknown>],
      ["contact-get.json", fixtureJson("contact-get.json"), Contacts.Contact as Schema.Schema<unknown, unknown>],
      ["contact-create.exchange.json", body("contact-create.exchange.json"), Contacts.Contact as Schema.Schema<unknown, unknown>],
      ["contacts-list.json", fixtureJson("contacts-list.json"), Schema.Array(Contacts.Contact) as Schema.Schema<unknown, unknown>]
    ]
    for (const [name, sample, schema] of samples) {
      const decode = Schema.decodeUnknownEither(schema)
      for (const variant of [
        HostileProxy.nulls({ keep: ["id"] })(sample),
        HostileProxy.nulls({ keep: ["id"], leaves: false })(sample),
        HostileProxy.numbersToStrings()(sample)
      ]) {
        const decoded = decode(variant)
        expect(Either.isRight(decoded) ? "ok" : `${name}: ${String(decoded.left)}`).toBe("ok")
      }
    }
  })

  it.scopedLive("null in every optional field and numbers as strings: the directory and the contact list read everything", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({
        path: people,
        times: Infinity,
        rewrite: HostileProxy.json((body) => HostileProxy.numbersToStrings()(HostileProxy.nulls({ keep: ["id"] })(body)))
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.ids())
      expect(completeness).toMatchObject({ complete: true, announced: 150, unreadable: [] })
      expect(yield* Stream.runCount(s.directory.stream)).toBe(150)
      // contacts: nulls everywhere but the id and the value, ids as strings
      s.emulator.addGeneratedContacts(1, 3)
      yield* s.proxy.add({
        path: contacts,
        times: Infinity,
        rewrite: HostileProxy.json((body) => HostileProxy.numbersToStrings()(HostileProxy.nulls({ keep: ["id", "email", "telephone", "chat", "website"] })(body)))
      })
      const listed = Chunk.toReadonlyArray(yield* Stream.runCollect(s.book.list("1")))
      expect(listed.map((c) => c.id)).toEqual(s.stored(1).map((c) => String(c.id)))
      // the flags were null: unknown, never false
      expect(listed.every((c) => c.integration === undefined)).toBe(true)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("odd header casing on every answer: Link, X-Pagination-* and rate-limit headers still read", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ times: Infinity, rewrite: HostileProxy.headerCase("upper") })
      const upper = yield* snapshot(s)
      expect(upper.ids).toEqual(s.ids())
      expect(upper.completeness).toMatchObject({ complete: true, announced: 150 })
      yield* s.proxy.clear
      yield* s.proxy.add({ times: Infinity, rewrite: HostileProxy.headerCase("mixed") })
      expect((yield* snapshot(s)).completeness).toMatchObject({ complete: true, announced: 150 })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("cut, stalled and empty list pages and single reads are read again: nothing lost", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ name: "cut", path: people, delivery: { _tag: "Truncate", bytes: 200 } })
      yield* s.proxy.add({ name: "empty", path: people, skip: 1, respond: HostileProxy.answer(200, { headers: json }) })
      yield* s.proxy.add({ name: "stall", path: people, skip: 3, delivery: { _tag: "Stall", bytes: 200, millis: 150 } })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.ids())
      expect(completeness.complete).toBe(true)
      expect((yield* s.proxy.exchanges).filter((e) => people.test(e.path)).map((e) => e.rules.join(","))).toEqual(["cut", "empty", "", "stall", ""])
      const [first] = s.emulator.addGeneratedContacts(2, 1)
      yield* s.proxy.add({ path: contact, delivery: { _tag: "Truncate", bytes: 10 } })
      yield* s.proxy.add({ path: contact, skip: 1, respond: HostileProxy.answer(200, { headers: json }) })
      expect((yield* s.book.get("2", String(first!.id))).id).toBe(String(first!.id))
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("create: a 503 before processing is retried, and one contact exists", () =>
    Effect.gen(function*() {
      const s = yield* setup(5)
      const before = s.stored(1).length
      yield* s.proxy.add({ method: "POST", path: contacts, respond: HostileProxy.answer(503, { text: "<html>503</html>", headers: { "Content-Type": "text/html" } }) })
      const created = yield* s.book.create("1", phone("+1 212 555 0101"))
      expect(s.stored(1)).toHaveLength(before + 1)
      expect(s.stored(1).filter((c) => c.telephone === "+12125550101").map((c) => String(c.id))).toEqual([created.id])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a create whose answer is cut or empty is not sent again: a typed error, and the contact exists exactly once", () =>
    Effect.gen(function*() {
      const s = yield* setup(5)
      const before = s.stored(1).length
      yield* s.proxy.add({ method: "POST", path: contacts, delivery: { _tag: "Truncate", bytes: 10 } })
      const cut = yield* Effect.flip(s.book.create("1", phone("+1 212 555 0102")))
      expect(cut).toMatchObject({ _tag: "Unavailable" })
      expect(s.stored(1).filter((c) => c.telephone === "+12125550102")).toHaveLength(1)
      yield* s.proxy.add({ method: "POST", path: contacts, rewrite: HostileProxy.emptyBody })
      const empty = yield* Effect.flip(s.book.create("1", phone("+1 212 555 0103")))
      expect(empty).toMatchObject({ _tag: "Unavailable", reason: "an empty body on a success status" })
      expect(s.stored(1).filter((c) => c.telephone === "+12125550103")).toHaveLength(1)
      expect((yield* s.proxy.exchanges).filter((e) => e.method === "POST")).toHaveLength(2)
      // nothing lost, nothing twice: the list shows both, once each
      expect(s.stored(1)).toHaveLength(before + 2)
      const listed = Chunk.toReadonlyArray(yield* Stream.runCollect(s.book.list("1")))
      expect(listed.map((c) => c.id).sort()).toEqual(s.stored(1).map((c) => String(c.id)).sort())
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a create answered with nulls keeps what was asked for; update and delete survive 502 and 429", () =>
    Effect.gen(function*() {
      const s = yield* setup(5)
      yield* s.proxy.add({ method: "POST", path: contacts, rewrite: HostileProxy.json(HostileProxy.nulls({ keep: ["id", "telephone"] })) })
      const created = yield* s.book.create("1", phone("+1 212 555 0104"))
      expect(created).toMatchObject({ integration: true })
      yield* s.proxy.add({ method: "PATCH", path: contact, times: 2, respond: HostileProxy.answer(502, { text: "<html>Bad Gateway</html>", headers: { "Content-Type": "text/html" } }) })
      const updated = yield* s.book.update("1", created.id, { point: phone("+1 212 555 0105") })
      expect(updated.point.normalized).toBe("+12125550105")
      expect(s.stored(1).filter((c) => String(c.id) === created.id).map((c) => c.telephone)).toEqual(["+12125550105"])
      const others = s.stored(1).filter((c) => String(c.id) !== created.id)
      yield* s.proxy.add({ method: "DELETE", path: contact, respond: HostileProxy.answer(429, { json: { message: "Too Many Requests" }, headers: { "Retry-After": "0" } }) })
      yield* s.book.delete("1", created.id)
      expect(s.stored(1)).toEqual(others)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("an update whose answer is cut or empty is asked again (the same PATCH is harmless): the change is made, its answer read", () =>
    Effect.gen(function*() {
      const s = yield* setup(5)
      const created = yield* s.book.create("1", phone("+1 212 555 0106"))
      yield* s.proxy.add({ method: "PATCH", path: contact, delivery: { _tag: "Truncate", bytes: 5 } })
      yield* s.proxy.add({ method: "PATCH", path: contact, skip: 1, rewrite: HostileProxy.emptyBody })
      const updated = yield* s.book.update("1", created.id, { point: phone("+1 212 555 0107") })
      expect(updated.point.normalized).toBe("+12125550107")
      expect(s.stored(1).filter((c) => String(c.id) === created.id).map((c) => c.telephone)).toEqual(["+12125550107"])
      expect((yield* s.proxy.exchanges).filter((e) => e.method === "PATCH").map((e) => e.delivery)).toEqual(["Truncate", "Whole", "Whole"])
    }).pipe(Effect.provide(HttpLive)))

  it.scoped("a 429 with Retry-After: 2 whose rate-limit headers say nothing remains until a reset 74 s away: the next request leaves after 2 s", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 3 })
      const proxy = yield* HostileProxy.make({ target: emulator.url })
      // the real limits (3600 per hour, 20 per 2 s), unscaled
      const client = yield* PeopleContactsClient.make({
        baseUrl: proxy.through(emulator.baseUrl),
        token: Redacted.make(emulator.tokens[0]!),
        account: emulator.account
      })
      const start = yield* Clock.currentTimeMillis
      yield* proxy.add({
        path: contacts,
        respond: HostileProxy.answer(429, {
          json: { message: "Too Many Requests" },
          headers: { "Retry-After": "2", "X-RateLimit-Limit": "3600", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(Math.ceil((start + 74_000) / 1000)) }
        })
      })
      const contactsArea = yield* Contacts.make.pipe(Effect.provideService(PeopleContactsClient.PeopleContactsClient, client))
      const fiber = yield* Effect.fork(contactsArea.listContacts("1"))
      const exit = yield* drive(fiber, "10 seconds")
      expect(exit._tag).toBe("Success")
      expect((yield* Clock.currentTimeMillis) - start).toBe(2000)
      expect((yield* proxy.exchanges).map((e) => e.status)).toEqual([429, 200])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a server that echoes the token in its error messages: no error holds it", () =>
    Effect.gen(function*() {
      const s = yield* setup(5)
      const token = s.emulator.tokens[0]!
      yield* s.proxy.add({
        method: "POST",
        path: contacts,
        respond: (request) =>
          HostileProxy.answer(422, {
            json: {
              message: `Validation Failed for ${request.headers["authorization"]}`,
              errors: [["telephone", `is invalid (token ${token})`], [token, "is not a field"]]
            }
          })
      })
      const refused = yield* Effect.flip(s.book.create("1", phone("+1 212 555 0110")))
      expect(refused).toMatchObject({ _tag: "InvalidRequest", field: "telephone", status: 422 })
      for (const form of [String(refused), refused.message, JSON.stringify(refused)]) expect(form).not.toContain(token)
      expect(refused.message).toContain("Bearer [redacted]")
      yield* s.proxy.add({ path: /^\/v1\/people\/\d+$/, respond: HostileProxy.answer(404, { text: `no person for token=${token}` }) })
      const missing = yield* Effect.flip(s.directory.get("1"))
      expect(missing._tag).toBe("NotFound")
      expect(JSON.stringify(missing)).not.toContain(token)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("alternate error shapes give typed errors naming the field", () =>
    Effect.gen(function*() {
      const s = yield* setup(5)
      yield* s.proxy.add({
        method: "POST",
        path: contacts,
        respond: HostileProxy.answer(422, { json: { message: "Validation Failed", errors: [["telephone", "is invalid"]] } })
      })
      expect(yield* Effect.flip(s.book.create("1", phone("+1 212 555 0108")))).toMatchObject({ _tag: "InvalidRequest", field: "telephone", sent: true, status: 422 })
      yield* s.proxy.add({
        method: "POST",
        path: contacts,
        respond: HostileProxy.answer(422, { json: { message: "Validation Failed", errors: [{ attribute: "label", message: "is not included in the list" }] } })
      })
      expect(yield* Effect.flip(s.book.create("1", phone("+1 212 555 0109")))).toMatchObject({ _tag: "InvalidRequest", field: "label" })
      yield* s.proxy.add({ path: /^\/v1\/people\/\d+$/, respond: HostileProxy.answer(404, { json: { message: "Not found" } }) })
      expect(yield* Effect.flip(s.directory.get("1"))).toMatchObject({ _tag: "NotFound", status: 404, reason: "Not found" })
      yield* s.proxy.add({ path: /^\/v1\/people\/\d+$/, respond: HostileProxy.answer(401, { json: { message: "Unauthorized" } }) })
      expect(yield* Effect.flip(s.directory.get("1"))).toMatchObject({ _tag: "Unauthorized", status: 401 })
      // nothing was created by the refused writes
      expect(s.stored(1).filter((c) => c.telephone === "+12125550108" || c.telephone === "+12125550109")).toEqual([])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a bad value in a single read is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const s = yield* setup(5)
      yield* s.proxy.add({ path: /^\/v1\/people\/\d+$/, rewrite: HostileProxy.json(HostileProxy.set("primary_email", ["a@b.example"])) })
      expect(yield* Effect.flip(s.directory.get("1"))).toMatchObject({ _tag: "DecodeError", path: "primary_email" })
      s.emulator.addGeneratedContacts(1, 1)
      yield* s.proxy.add({ path: contacts, rewrite: HostileProxy.json(HostileProxy.update("0.label", () => 7)) })
      // a contact list never skips a contact (a skipped one would be created again): it fails naming it
      const failed = yield* Effect.flip(Stream.runCollect(s.book.list("1")))
      expect(failed).toMatchObject({ _tag: "DecodeError", path: "page 1, [0].label" })
    }).pipe(Effect.provide(HttpLive)))
})
