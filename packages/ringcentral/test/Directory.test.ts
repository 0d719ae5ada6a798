import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Directory from "../src/Directory.js"
import { isListed } from "@unified-people/testkit/RingCentralEmulator/Directory"
import { setup } from "./utils.js"

const run = <A, E>(effect: (directory: Directory.Service) => Effect.Effect<A, E>, options: Parameters<typeof setup>[0] = {}) =>
  Effect.gen(function*() {
    const { client, directory, emulator } = yield* setup(options)
    return { result: yield* effect(directory), emulator, client }
  }).pipe(Effect.provide(NodeHttpClient.layerUndici))

describe("Directory", () => {
  it.scopedLive("streams thousands of entries across pages, lazily, with the largest page size", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 4500, maxPerPage: 1000 })
      const ids = yield* directory.streamDirectoryEntries().pipe(
        Stream.map((e) => e.id),
        Stream.runCollect
      )
      const expected = emulator.store.list().filter(isListed).map((e) => e.id)
      expect(Chunk.toReadonlyArray(ids)).toEqual(expected)
      const stats = yield* emulator.stats
      // perPage=max gives 1000 per page: 5 pages for ~4300 listed entries
      expect(stats.byGroup["Medium"]).toBe(Math.ceil(expected.length / 1000))
      // lazily: taking 10 reads one page
      const before = (yield* emulator.stats).requests
      const first = yield* directory.streamDirectoryEntries().pipe(Stream.take(10), Stream.runCollect)
      expect(first.length).toBe(10)
      expect((yield* emulator.stats).requests - before).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("stops on a short page when totals are missing, and on an exact multiple with an empty page", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 300, omitTotals: true, federatedShare: 0 })
      const listed = emulator.store.list().filter(isListed).length
      const all = yield* directory.streamDirectoryEntries({ perPage: 50 }).pipe(Stream.runCount)
      expect(all).toBe(listed)
      const perPage = listed % 2 === 0 ? listed / 2 : listed
      const before = (yield* emulator.stats).requests
      const exact = yield* directory.streamDirectoryEntries({ perPage }).pipe(Stream.runCount)
      expect(exact).toBe(listed)
      // full pages, then one empty page
      expect((yield* emulator.stats).requests - before).toBe(listed / perPage + 1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("passes every list parameter and answers 304 as a value", () =>
    Effect.gen(function*() {
      const { result } = yield* run((directory) => Effect.gen(function*() {
        const first = yield* directory.listDirectoryEntries({ page: 1, perPage: 20 })
        if (first._tag !== "Modified") throw new Error("expected Modified")
        expect(first.directory.records.length).toBe(20)
        expect(first.directory.paging).toMatchObject({ page: 1, perPage: 20, pageStart: 0, pageEnd: 19 })
        expect(first.etag).toBeDefined()
        const again = yield* directory.listDirectoryEntries({ page: 1, perPage: 20, ifNoneMatch: first.etag! })
        expect(again).toEqual({ _tag: "NotModified", etag: first.etag })
        const departments = yield* directory.listDirectoryEntries({ type: "Department", perPage: "all" })
        if (departments._tag !== "Modified") throw new Error("expected Modified")
        expect(departments.directory.records.length).toBeGreaterThan(0)
        expect(departments.directory.records.every((r) => r.type === "Department" && r.name !== undefined && r.firstName === undefined)).toBe(true)
        const nonUsers = yield* directory.listDirectoryEntries({ typeGroup: "NonUser", perPage: "all" })
        if (nonUsers._tag !== "Modified") throw new Error("expected Modified")
        expect(nonUsers.directory.records.length).toBe(departments.directory.records.length)
        const own = yield* directory.listDirectoryEntries({ showFederated: false, perPage: "all", siteId: "main-site" })
        if (own._tag !== "Modified") throw new Error("expected Modified")
        expect(own.directory.records.every((r) => r.account === undefined && r.site?.id === "main-site")).toBe(true)
        return first.etag
      }), { size: 200 })
      expect(result).toMatch(/^"/)
    }))

  it.scopedLive("a change in the directory changes the ETag", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 20 })
      const list = (ifNoneMatch?: string) =>
        directory.listDirectoryEntries(ifNoneMatch === undefined ? {} : { ifNoneMatch })
      const first = yield* list()
      const etag = first._tag === "Modified" ? first.etag! : ""
      yield* emulator.changeDirectory((store) => {
        store.update(store.list()[3]!.id, (e) => {
          e.contact.jobTitle = "CTO"
        })
      })
      const second = yield* list(etag)
      expect(second._tag).toBe("Modified")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("reads one entry; NotFound only for a 404 ADG-122, an empty 200 is read again and never NotFound", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 10 })
      const missing = yield* Effect.flip(directory.readDirectoryEntry("999"))
      expect(missing).toMatchObject({ _tag: "NotFound", remoteCode: "ADG-122", status: 404 })
      const target = emulator.store.list()[2]!
      const entry = yield* directory.readDirectoryEntry(target.id)
      expect(entry.id).toBe(target.id)
      // the specification says a missing entry may get an empty body: that is no proof, it is read again
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 200 }, path: "/restapi/v1.0/account/~/directory/entries/" })
      expect((yield* directory.readDirectoryEntry(target.id)).id).toBe(target.id)
      // one attempt and the policy's 5 retries (an empty body is read again like a broken one)
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 200 }, times: 6, path: "/restapi/v1.0/account/~/directory/entries/" })
      const empty = yield* Effect.flip(directory.readDirectoryEntry(target.id))
      expect(empty).toMatchObject({ _tag: "Unavailable", status: 200, reason: "an empty body on a success status" })
      expect(empty.isRetryable).toBe(true)
      // a 404 that does not say "not found" proves nothing either
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 404 }, times: 3, path: "/restapi/v1.0/account/~/directory/entries/" })
      const bare = yield* Effect.flip(directory.readDirectoryEntry(target.id))
      expect(bare).toMatchObject({ _tag: "Unavailable", status: 404 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("searches with filters and ordering, also as a stream", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 400 })
      const sales = yield* directory.searchDirectoryEntries({
        department: "Sales",
        extensionStatuses: ["Enabled"],
        orderBy: [{ index: 1, fieldName: "lastName", direction: "Desc" }],
        perPage: 1000
      })
      const expected = emulator.store.list().filter((e) => isListed(e) && e.contact.department === "Sales" && e.status === "Enabled")
      expect(sales.records.length).toBe(expected.length)
      const lastNames = sales.records.map((r) => r.lastName ?? "")
      expect(lastNames).toEqual([...lastNames].sort((a, b) => b.localeCompare(a)))
      const someone = expected[0]!
      const byEmail = yield* directory.searchDirectoryEntries({ searchString: someone.contact.email!.toUpperCase(), searchFields: ["email"] })
      expect(byEmail.records.map((r) => r.id)).toEqual([someone.id])
      const labs = yield* directory.streamSearchDirectoryEntries({ accountIds: ["400248807008"], perPage: 7 }).pipe(Stream.runCollect)
      const expectedLabs = emulator.store.list().filter((e) => isListed(e) && e.accountId === "400248807008")
      expect(labs.length).toBe(expectedLabs.length)
      expect(labs.length).toBeGreaterThan(7)
      const stats = yield* emulator.stats
      expect(stats.byGroup["Heavy"]).toBe(2 + Math.ceil(expectedLabs.length / 7) + (expectedLabs.length % 7 === 0 ? 1 : 0))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a search stream falls back to the largest page size the server accepts", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 700, maxPerPage: 250 })
      const refused = yield* Effect.flip(directory.searchDirectoryEntries({ perPage: 2000 }))
      expect(refused).toMatchObject({ _tag: "InvalidRequest", field: "perPage", remoteCode: "ADG-121", sent: true })
      const before = (yield* emulator.stats).byGroup["Heavy"] ?? 0
      const count = yield* directory.streamSearchDirectoryEntries({}).pipe(Stream.runCount)
      expect(count).toBe(emulator.store.list().filter(isListed).length)
      // 2000 and 1000 refused, then 500 refused, then pages of 200
      expect((yield* emulator.stats).byGroup["Heavy"]! - before).toBe(3 + Math.ceil(count / 200))
      const invalid = yield* Effect.flip(directory.searchDirectoryEntries({ extensionIds: Array.from({ length: 101 }, (_, i) => String(i)) }))
      expect(invalid).toMatchObject({ _tag: "InvalidRequest", field: "extensionIds", sent: false })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a directory stream falls back when the server refuses perPage=max", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 600 })
      const listed = emulator.store.list().filter(isListed).length
      // a server that knows no keywords and takes at most 1000
      yield* emulator.faults.inject({
        fault: { _tag: "Status", status: 400, body: { errors: [{ errorCode: "ADG-121", message: "Parameter [perPage] is invalid.", parameterName: "perPage" }] } },
        times: 2,
        path: /directory\/entries$/
      })
      const count = yield* directory.streamDirectoryEntries().pipe(Stream.runCount)
      expect(count).toBe(listed)
      expect(yield* emulator.faults.injected).toBe(2)
      // max and 2000 refused (by the fault), then one page of 1000 holds everything
      expect(emulator.context.log().filter((r) => r.group === "Medium").map((r) => r.status)).toEqual([200])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("reads the federation", () =>
    Effect.gen(function*() {
      const { result } = yield* run((directory) => Effect.gen(function*() {
        const all = yield* directory.readDirectoryFederation({ types: "All", rcExtensionId: "62000001004" })
        const adminOnly = yield* Effect.flip(directory.readDirectoryFederation({ types: "AdminOnly" }))
        return { all, adminOnly }
      }))
      expect(result.all.type).toBe("Regular")
      expect(result.all.accounts?.map((a) => a.id)).toEqual(["400131426008", "400248807008"])
      expect(result.adminOnly).toMatchObject({ _tag: "NotFound", remoteCode: "ADG-105" })
    }))

  it.scopedLive("retries injected 503s and connection resets", () =>
    Effect.gen(function*() {
      const { client, directory, emulator } = yield* setup({ size: 50 })
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 503, body: { errors: [{ errorCode: "ADG-000", message: "Service temporary unavailable." }] } }, times: 2, path: "/restapi/v1.0/account" })
      yield* emulator.faults.inject({ fault: { _tag: "Reset" }, times: 1, path: "/restapi/v1.0/account" })
      const count = yield* directory.streamDirectoryEntries({ perPage: 10 }).pipe(Stream.runCount)
      expect(count).toBe(emulator.store.list().filter(isListed).length)
      expect(yield* emulator.faults.injected).toBe(3)
      const stats = yield* client.policy.stats
      expect(stats.retries).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a 503 that never ends is Unavailable with the ADG code after the retries", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 5 }, { retry: { times: 2, base: "5 millis" } })
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 503, body: { errors: [{ errorCode: "ADG-000", message: "Service temporary unavailable." }] } }, times: 10, path: "/restapi/v1.0/account" })
      const error = yield* Effect.flip(directory.listDirectoryEntries())
      expect(error).toMatchObject({ _tag: "Unavailable", remoteCode: "ADG-000", status: 503 })
      expect(yield* emulator.faults.injected).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a body that is not JSON is a DecodeError at body; a bad record is skipped and reported with its path", () =>
    Effect.gen(function*() {
      const { directory, emulator } = yield* setup({ size: 5 })
      // read again like a broken body: one attempt and the policy's 5 retries
      yield* emulator.faults.inject({ fault: { _tag: "Malformed" }, times: 6, path: "/restapi/v1.0/account" })
      const notJson = yield* Effect.flip(directory.listDirectoryEntries())
      expect(notJson).toMatchObject({ _tag: "DecodeError", path: "body" })
      yield* emulator.faults.inject({
        fault: {
          _tag: "Status",
          status: 200,
          body: { records: [{ id: "1" }, { id: "2", phoneNumbers: [{ phoneNumber: 12 }] }], paging: { perPage: 2 } }
        },
        path: "/restapi/v1.0/account"
      })
      // one bad record does not reject its page: it is skipped and reported
      const bad = yield* directory.listDirectoryEntries()
      if (bad._tag !== "Modified") throw new Error("expected Modified")
      expect(bad.directory.records.map((r) => r.id)).toEqual(["1"])
      expect(bad.unreadable).toEqual([{ remoteId: "2", path: "page 1, records[1].phoneNumbers[0].phoneNumber", reason: "Expected string, actual 12" }])
      // unknown enum values are kept
      yield* emulator.faults.inject({
        fault: { _tag: "Status", status: 200, body: { records: [{ id: "1", type: "Hologram", status: "Dormant", phoneNumbers: [{ phoneNumber: "+16505550100", usageType: "SpaceNumber" }] }], paging: { perPage: 1 } } },
        path: "/restapi/v1.0/account"
      })
      const odd = yield* directory.listDirectoryEntries()
      if (odd._tag !== "Modified") throw new Error("expected Modified")
      const person = Directory.toPerson(odd.directory.records[0]!)
      expect(person.status).toBe("Dormant")
      expect(person.contactPoints[0]).toMatchObject({ label: "other", customLabel: "SpaceNumber" })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
