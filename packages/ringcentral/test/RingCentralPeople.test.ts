import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as ContactPoint from "@unified-people/core/ContactPoint"
import * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import { isListed } from "@unified-people/testkit/RingCentralEmulator/Directory"
import * as Directory from "../src/Directory.js"
import * as DirectorySchema from "../src/Directory/Schema.js"
import * as RingCentralClient from "../src/RingCentralClient.js"
import * as RingCentralPeople from "../src/RingCentralPeople.js"

describe("RingCentralPeople", () => {
  it.scopedLive("implements the core PeopleDirectory port over the directory", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 300, scale: 0.01 })
      const layer = RingCentralPeople.layer().pipe(Layer.provide(RingCentralClient.layer(Emulator.clientOptions(emulator))))
      yield* Effect.gen(function*() {
        const directory = yield* PeopleDirectory.PeopleDirectory
        expect(directory.system).toBe("ringcentral")
        const people = yield* Stream.runCollect(directory.stream)
        const listed = emulator.store.list().filter(isListed)
        expect(people.length).toBe(listed.length)
        const all = [...people]
        expect(all.every((p) => p.provenance[0]!.system === "ringcentral" && p.id === `ringcentral:${p.provenance[0]!.remoteId}`)).toBe(true)
        // people sharing the company main number: shared, never identifying
        const main = all.flatMap((p) => p.contactPoints).filter((c) => c.label === "main")
        expect(main.length).toBeGreaterThan(0)
        expect(main.every((c) => c.shared === true && !ContactPoint.isIdentifying(c))).toBe(true)
        // Department entries keep their name only
        const queue = all.find((p) => p.name.display?.includes("queue"))
        expect(queue?.name.given).toBeUndefined()

        const snapshot = yield* directory.snapshot()
        if (snapshot._tag !== "Modified") throw new Error("expected Modified")
        expect(yield* Stream.runCount(snapshot.people)).toBe(listed.length)
        const again = yield* directory.snapshot({ ifNoneMatch: snapshot.version })
        expect(again).toEqual({ _tag: "NotModified", version: snapshot.version })

        const target = listed.find((e) => e.type === "User" && e.contact.email !== undefined)!
        const person = yield* directory.get(target.id)
        expect(person.name).toMatchObject({ given: target.contact.firstName, family: target.contact.lastName })
        expect(person.jobTitle).toBe(target.contact.jobTitle)
        const missing = yield* Effect.flip(directory.get("1"))
        expect(missing._tag).toBe("NotFound")

        const found = yield* Stream.runCollect(directory.search({ email: target.contact.email!.toUpperCase() }))
        expect([...found].map((p) => p.provenance[0]!.remoteId)).toEqual([target.id])
        const sales = yield* Stream.runCollect(directory.search({ department: "Sales" }))
        expect(sales.length).toBe(listed.filter((e) => e.contact.department === "Sales").length)
        expect([...sales].every((p) => p.department === "Sales")).toBe(true)
      }).pipe(Effect.provide(layer))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("make runs over any Directory service: a stub replaces only the area, the real mapping runs", () =>
    Effect.gen(function*() {
      const entry = Schema.decodeUnknownSync(DirectorySchema.ContactResource)({
        id: 871817004,
        firstName: "Ada",
        lastName: "Lovelace",
        email: "Ada@Example.com",
        jobTitle: null,
        phoneNumbers: [{ phoneNumber: "+16505550100", usageType: "DirectNumber", type: "VoiceFax" }]
      })
      const unused = () => Effect.dieMessage("not used")
      const stub: Directory.Service = {
        listDirectoryEntries: unused,
        snapshotDirectoryEntries: () =>
          Effect.succeed({ _tag: "Modified", etag: '"v1"', entries: Stream.make(entry), completeness: Effect.succeed(PeopleDirectory.notRead) }),
        streamDirectoryEntries: () => Stream.make(entry),
        snapshotMappedEntries: () =>
          Effect.succeed({ _tag: "Modified", etag: '"v1"', entries: Stream.make(entry), completeness: Effect.succeed(PeopleDirectory.notRead) }),
        streamMappedEntries: () => Stream.make(entry),
        readDirectoryEntry: (id) => id === entry.id ? Effect.succeed(entry) : unused(),
        searchDirectoryEntries: unused,
        streamSearchDirectoryEntries: () => Stream.make(entry),
        readDirectoryFederation: unused
      }
      const port = yield* RingCentralPeople.make().pipe(Effect.provideService(Directory.Directory, stub))
      const [person] = yield* Stream.runCollect(port.stream)
      expect(person!.id).toBe("ringcentral:871817004")
      expect(person!.name).toMatchObject({ given: "Ada", family: "Lovelace" })
      expect(person!.jobTitle).toBeUndefined()
      expect(person!.contactPoints.map((p) => [p.kind, p.normalized, p.label])).toEqual([
        ["email", "ada@example.com", "work"],
        ["phone", "+16505550100", "work"]
      ])
      expect((yield* port.get("871817004")).provenance[0]!.remoteId).toBe("871817004")
      const snapshot = yield* port.snapshot()
      expect(snapshot).toMatchObject({ _tag: "Modified", version: '"v1"' })
      // exact e-mail matches only
      expect(yield* Stream.runCount(port.search({ email: "ada@example.com" }))).toBe(1)
      expect(yield* Stream.runCount(port.search({ email: "da@example.com" }))).toBe(0)
    }))
})
