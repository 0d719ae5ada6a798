import { describe, expect, it } from "@effect/vitest"
import * as ContactBook from "@unified-people/core/ContactBook"
import * as ContactPoint from "@unified-people/core/ContactPoint"
import * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import { Chunk, Context, Effect, Layer, Stream } from "effect"
import type * as Emulator from "../src/Emulator.js"
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
      expect(emulator.contacts.get(Number(created.id))).toMatchObject({ telephone: "+1 (713) 987 2967", label: "mobile", integration: true })

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
      expect(forced.point.value).toBe("+1 713 555 0199")
      expect(writes(emulator).map((r) => r.body)).toEqual([{ label: "home", telephone: "+1 713 555 0199" }])
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
