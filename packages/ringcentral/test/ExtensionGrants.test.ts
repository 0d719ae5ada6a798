/**
 * Grants as an audited paged read (`Extensions.readExtensionGrants`), behind a
 * proxy that answers the way servers written by someone else do: short pages
 * while more is announced, a record that is not a grant, pages without totals
 * or links, a server that caps the page size, a next-page link that never
 * ends. Every test ends with every grant read once, or with a completeness
 * that says why not, and never with an endless read.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as Extensions from "../src/Extensions.js"
import * as RingCentralClient from "../src/RingCentralClient.js"
import { areas } from "./utils.js"

const grants = /\/grant$/
const onPage = (n: number) => (request: HostileProxy.Request) => (request.query.get("page") ?? "1") === String(n)

const setup = Effect.gen(function*() {
  const emulator = yield* Emulator.make({ size: 30, federatedShare: 0 })
  const proxy = yield* HostileProxy.make({ target: emulator.url })
  const client = yield* RingCentralClient.make(
    Emulator.clientOptions(emulator, { serverUrl: proxy.url, mediaUrl: proxy.url, retry: { base: "1 millis" } })
  )
  const { extensions } = yield* areas(client)
  const expected = emulator.store.list()
    .filter((e) => e.id !== emulator.store.ownerId && e.status !== "Unassigned")
    .map((e) => e.id)
    .sort()
  const pageRequests = Effect.map(proxy.exchanges, (all) => all.filter((x) => grants.test(x.path)).length)
  return { emulator, proxy, extensions, expected, pageRequests }
})

const readAll = (extensions: Extensions.Service, options: Parameters<Extensions.Service["readExtensionGrants"]>[1] = {}) =>
  Effect.gen(function*() {
    const read = extensions.readExtensionGrants("~", options)
    const all = Chunk.toReadonlyArray(yield* Stream.runCollect(read.stream))
    return { ids: all.map((g) => g.extension?.id ?? "?").sort(), completeness: yield* read.completeness }
  })

describe("Extension grants, audited", () => {
  it.scopedLive("the emulator's listing: every grant once, complete, one request per page", () =>
    Effect.gen(function*() {
      const { expected, extensions, pageRequests } = yield* setup
      const { completeness, ids } = yield* readAll(extensions, { perPage: 7 })
      expect(ids).toEqual(expected)
      expect(completeness.complete).toBe(true)
      expect(completeness.records).toBe(expected.length)
      expect(yield* pageRequests).toBe(Math.ceil(expected.length / 7))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a short page while more is announced is read again, and nothing is lost", () =>
    Effect.gen(function*() {
      const { expected, extensions, pageRequests, proxy } = yield* setup
      yield* proxy.add({ path: grants, when: onPage(2), rewrite: HostileProxy.json(HostileProxy.truncateArray("records", 2)) })
      const { completeness, ids } = yield* readAll(extensions, { perPage: 7 })
      expect(ids).toEqual(expected)
      expect(completeness.complete).toBe(true)
      expect(yield* pageRequests).toBe(Math.ceil(expected.length / 7) + 1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a short page that stays short ends the read as incomplete (it is not taken as the end)", () =>
    Effect.gen(function*() {
      const { expected, extensions, proxy } = yield* setup
      yield* proxy.add({
        path: grants,
        when: onPage(2),
        times: Infinity,
        rewrite: HostileProxy.json(HostileProxy.truncateArray("records", 2))
      })
      const { completeness, ids } = yield* readAll(extensions, { perPage: 7 })
      expect(ids.length).toBeLessThan(expected.length)
      expect(completeness.complete).toBe(false)
      expect(completeness.issues.join(" ")).toMatch(/page 2/)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a record that is not a grant is skipped and listed; the other grants are read", () =>
    Effect.gen(function*() {
      const { expected, extensions, proxy } = yield* setup
      yield* proxy.add({
        path: grants,
        when: onPage(1),
        rewrite: HostileProxy.json(HostileProxy.update("records", (records) =>
          Array.isArray(records) ? [...records, null, { extension: { id: 12, name: 5 } }] : records
        ))
      })
      const { completeness, ids } = yield* readAll(extensions, { perPage: 100 })
      expect(ids).toEqual(expected)
      expect(completeness.unreadable.length).toBe(2)
      expect(completeness.unreadable.some((u) => u.remoteId === "12")).toBe(true)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("pages without totals or links: the read goes on until a short page", () =>
    Effect.gen(function*() {
      const { expected, extensions, proxy } = yield* setup
      yield* proxy.add({
        path: grants,
        times: Infinity,
        rewrite: HostileProxy.json((body) => HostileProxy.remove("navigation")(HostileProxy.remove("paging")(body)))
      })
      const { completeness, ids } = yield* readAll(extensions, { perPage: 7 })
      expect(ids).toEqual(expected)
      expect(completeness.complete).toBe(true)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a server that caps the page size below the one asked for: every grant is read", () =>
    Effect.gen(function*() {
      const { expected, extensions, proxy } = yield* setup
      const all = (yield* extensions.listExtensionGrants("~", { perPage: 1000 })).records.map((g) => ({ extension: g.extension }))
      // the client asks for 1000; the server answers 5 a page and says so
      yield* proxy.add({
        path: grants,
        times: Infinity,
        respond: (request) => {
          const page = Number(request.query.get("page") ?? "1")
          return HostileProxy.answer(200, {
            json: {
              records: all.slice((page - 1) * 5, page * 5),
              paging: { page, perPage: 5, totalPages: Math.ceil(all.length / 5), totalElements: all.length }
            }
          })
        }
      })
      const { completeness, ids } = yield* readAll(extensions, { perPage: 1000 })
      expect(ids).toEqual(expected)
      expect(completeness.complete).toBe(true)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a server that ignores the page asked for (page 1 again and again, always linking on) stops after page 2", () =>
    Effect.gen(function*() {
      const { extensions, pageRequests, proxy } = yield* setup
      const first = (yield* extensions.listExtensionGrants("~", { perPage: 10 })).records.map((g) => ({ extension: g.extension }))
      const before = yield* pageRequests
      yield* proxy.add({
        path: grants,
        times: Infinity,
        respond: () => HostileProxy.answer(200, { json: { records: first, navigation: { nextPage: { uri: "/grant?page=2" } } } })
      })
      const { completeness, ids } = yield* readAll(extensions, { perPage: 10 })
      expect(ids.length).toBe(10)
      expect(completeness.complete).toBe(false)
      expect(completeness.issues.join(" ")).toMatch(/page 2 repeats records already read/)
      expect((yield* pageRequests) - before).toBe(2)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("empty pages that keep linking to a next page: the read stops after a few, incomplete", () =>
    Effect.gen(function*() {
      const { extensions, pageRequests, proxy } = yield* setup
      yield* proxy.add({
        path: grants,
        when: (request) => request.query.get("page") !== "1",
        times: Infinity,
        respond: () => HostileProxy.answer(200, { json: { records: [], navigation: { nextPage: { uri: "/grant?page=9" } } } })
      })
      const { completeness, ids } = yield* readAll(extensions, { perPage: 10 })
      expect(ids.length).toBe(10)
      expect(completeness.complete).toBe(false)
      expect(completeness.issues.join(" ")).toMatch(/3 pages in a row up to page 4 were empty/)
      // page 1, then pages 2 to 4 each read three times (two re-reads of a suspicious page)
      expect(yield* pageRequests).toBe(1 + 3 * 3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an extension with no grants: an empty listing is complete after one request", () =>
    Effect.gen(function*() {
      const { extensions, pageRequests, proxy } = yield* setup
      yield* proxy.add({
        path: grants,
        times: Infinity,
        rewrite: HostileProxy.json(() => ({ records: [], paging: { page: 1, perPage: 100, totalPages: 1, totalElements: 0 }, navigation: {} }))
      })
      const { completeness, ids } = yield* readAll(extensions)
      expect(ids).toEqual([])
      expect(completeness.complete).toBe(true)
      expect(yield* pageRequests).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
