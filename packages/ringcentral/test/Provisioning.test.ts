import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import type * as Store from "@unified-people/testkit/RingCentralEmulator/Store"
import * as Provisioning from "../src/Provisioning.js"
import * as RingCentralClient from "../src/RingCentralClient.js"

const setup = (options: Emulator.Options = {}) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ size: 20, federatedShare: 0, ...options })
    const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator))
    const provisioning = yield* Effect.provide(Provisioning.make, Context.make(RingCentralClient.RingCentralClient, client))
    const changes: Array<Store.Change> = []
    emulator.store.subscribe((change) => changes.push(change))
    const calls = (method: string, suffix: string) =>
      emulator.context.log().filter((r) => r.method === method && r.path.endsWith(suffix))
    const directoryIds = Effect.map(
      client.json(Schema.Struct({ records: Schema.Array(Schema.Struct({ id: Schema.String })) }))(
        HttpClientRequest.get(client.accountPath("/directory/entries")).pipe(HttpClientRequest.setUrlParams({ perPage: "all" })),
        { method: "listDirectoryEntries", group: "Medium" }
      ),
      (page) => new Set(page.records.map((r) => r.id))
    )
    return { emulator, client, provisioning, changes, calls, directoryIds }
  })

const user = (i: number, overrides: Partial<Provisioning.BatchProvisionUsersRequestItem["contact"]> = {}): Provisioning.BatchProvisionUsersRequestItem => ({
  status: "Enabled",
  contact: { firstName: `New${i}`, lastName: "User", email: `new.user${i}@example.com`, ...overrides },
  devices: [
    {
      deviceInfo: {
        type: "OtherPhone",
        emergency: { address: { street: "20 Davis Dr", city: "Belmont", state: "CA", zip: "94002", country: "US" } },
        phoneInfo: { tollType: "Toll" }
      }
    }
  ]
})

describe("Provisioning over HTTP", () => {
  it.scopedLive("batch provisioning: 10 per call, per-record results, created users appear in the directory", () =>
    Effect.gen(function*() {
      const { emulator, provisioning, changes, calls, directoryIds } = yield* setup()
      const existing = emulator.store.list().find((e) => e.type === "User")!
      const records = Array.from({ length: 23 }, (_, i) => user(i))
      records[4] = user(4, { email: existing.contact.email! })
      records[15] = { ...user(15), extensionNumber: existing.extensionNumber! }
      records[21] = { ...user(21), extensionNumber: "7777" }
      const report = yield* provisioning.postBatchProvisionUsers(records)
      expect(report.calls).toBe(3)
      expect(calls("POST", "/batch-provisioning/users").map((r) => r.group)).toEqual(["Heavy", "Heavy", "Heavy"])
      expect(report.results.map((r) => r.index)).toEqual(records.map((_, i) => i))
      const failed = report.results.filter((r) => r._tag === "Failed")
      expect(failed.map((r) => r.index)).toEqual([4, 15])
      expect(failed.map((r) => r._tag === "Failed" && r.errors[0]?.parameterName)).toEqual(["records[4].contact.email", "records[15].extensionNumber"])
      const created = report.results.flatMap((r) => (r._tag === "Created" ? [r] : []))
      expect(created.length).toBe(21)
      for (const result of created) {
        const extension = emulator.store.get(result.extensionId!)
        expect(extension?.contact.email).toBe(records[result.index]!.contact.email)
        expect(result.devices.length).toBe(1)
      }
      expect(emulator.store.get(created.find((r) => r.index === 21)!.extensionId!)?.extensionNumber).toBe("7777")
      expect(changes.filter((c) => c.eventType === "Create").length).toBe(21)
      const listed = yield* directoryIds
      expect(created.every((r) => listed.has(r.extensionId!))).toBe(true)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an invalid record is refused before anything is sent, with its path in the whole input", () =>
    Effect.gen(function*() {
      const { provisioning, calls } = yield* setup()
      const records = Array.from({ length: 15 }, (_, i) => user(i))
      records[13] = user(13, { email: "not-an-email" })
      const result = yield* Effect.either(provisioning.postBatchProvisionUsers(records))
      expect(Either.isLeft(result) && result.left.sent).toBe(false)
      expect(Either.isLeft(result) && result.left.field).toBe("records[13].contact.email")
      expect(calls("POST", "/batch-provisioning/users")).toEqual([])
      const empty = yield* provisioning.postBatchProvisionUsers([])
      expect(empty).toEqual({ calls: 0, results: [] })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("bulk delete of 120 users in three calls, unknown ids fail per record", () =>
    Effect.gen(function*() {
      const { emulator, provisioning, changes, calls, directoryIds } = yield* setup({ size: 130 })
      const users = emulator.store.list().filter((e) => e.type === "User" && e.id !== emulator.store.ownerId).slice(0, 100)
      expect(users.length).toBe(100)
      const unknown = Array.from({ length: 20 }, (_, i) => String(990_000_000 + i))
      // unknown ids interleaved with real ones
      const ids = users.map((u) => u.id).flatMap((id, i) => (i % 5 === 0 ? [id, unknown[i / 5]!] : [id]))
      expect(ids.length).toBe(120)
      const report = yield* provisioning.bulkDeleteUsersV2(ids, { keepAssetsInInventory: true })
      expect(report.calls).toBe(3)
      expect(calls("DELETE", "/extensions").length).toBe(3)
      expect(report.results.map((r) => r.id)).toEqual(ids)
      const deleted = report.results.filter((r) => r._tag === "Deleted").map((r) => r.id)
      const failed = report.results.filter((r) => r._tag === "Failed")
      expect(deleted.sort()).toEqual(users.map((u) => u.id).sort())
      expect(failed.map((r) => r.id).sort()).toEqual([...unknown].sort())
      expect(failed.every((r) => r._tag === "Failed" && r.errors[0]?.errorCode === "CMN-102")).toBe(true)
      expect(users.every((u) => emulator.store.get(u.id) === undefined)).toBe(true)
      expect(changes.filter((c) => c.eventType === "Delete").map((c) => c.extension.id).sort()).toEqual([...deleted].sort())
      const listed = yield* directoryIds
      expect(deleted.some((id) => listed.has(id))).toBe(false)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("records the server refused or never answered are never reported deleted", () =>
    Effect.gen(function*() {
      const { emulator, provisioning } = yield* setup({ size: 130, scale: 0.01 })
      const users = emulator.store.list().filter((e) => e.type === "User" && e.id !== emulator.store.ownerId).slice(0, 60)
      const queue = emulator.store.list().find((e) => e.type === "Department")!
      // the second call fails on every attempt
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 503 }, path: "/restapi/v2/accounts/~/extensions", skip: 1, times: 100 })
      const ids = [emulator.store.ownerId, queue.id, ...users.map((u) => u.id)]
      const report = yield* provisioning.bulkDeleteUsersV2(ids)
      expect(report.calls).toBe(2)
      const byId = new Map(report.results.map((r) => [r.id, r]))
      expect(byId.get(emulator.store.ownerId)?._tag).toBe("Failed")
      expect(byId.get(queue.id)?._tag).toBe("Failed")
      const second = ids.slice(50)
      for (const id of second) {
        const result = byId.get(id)
        expect(result?._tag).toBe("Failed")
        expect(result?._tag === "Failed" && result.error?._tag).toBe("Unavailable")
        expect(emulator.store.get(id)).toBeDefined()
      }
      for (const result of report.results) {
        if (result._tag === "Deleted") expect(emulator.store.get(result.id)).toBeUndefined()
      }
      expect(report.results.filter((r) => r._tag === "Deleted").length).toBe(48)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("the Heavy group paces large inputs; a 429 caused by another client is waited out without duplicates", () =>
    Effect.gen(function*() {
      const { emulator, provisioning, calls } = yield* setup({ scale: 0.01 })
      // another client of the same user already used the whole Heavy window
      yield* emulator.consume("Heavy", 10)
      const records = Array.from({ length: 120 }, (_, i) => user(i))
      const report = yield* provisioning.postBatchProvisionUsers(records)
      expect(report.calls).toBe(12)
      expect(report.results.every((r) => r._tag === "Created")).toBe(true)
      const stats = yield* emulator.stats
      expect(stats.rateLimited).toBeGreaterThanOrEqual(1)
      // every record was created exactly once
      const emails = emulator.store.list().map((e) => e.contact.email).filter((e) => e?.startsWith("new.user"))
      expect(emails.length).toBe(120)
      expect(new Set(emails).size).toBe(120)
      expect(calls("POST", "/batch-provisioning/users").filter((r) => r.status === 200).length).toBe(12)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it("operations carry the Heavy group and the chunk sizes of the spec", () => {
    expect(Provisioning.operations.postBatchProvisionUsers.group).toBe("Heavy")
    expect(Provisioning.operations.bulkDeleteUsersV2.group).toBe("Heavy")
    expect(Provisioning.chunksOf(Array.from({ length: 120 }, (_, i) => i), Provisioning.maxDeleteRecords).map((c) => c.length)).toEqual([50, 50, 20])
    expect(Provisioning.chunksOf([1, 2, 3], 10)).toEqual([[1, 2, 3]])
  })
})
