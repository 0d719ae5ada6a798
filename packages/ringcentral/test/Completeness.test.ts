/**
 * Issue 10 through real loopback HTTP: the directory read behind a hostile
 * proxy, for every situation where a sync could wrongly believe someone left.
 * Each test asserts the completeness verdict and its issue text, and that
 * nothing is lost where the read could go on.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Logger from "effect/Logger"
import * as Stream from "effect/Stream"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import { isListed } from "@unified-people/testkit/RingCentralEmulator/Directory"
import * as Directory from "../src/Directory.js"
import * as RingCentralClient from "../src/RingCentralClient.js"
import * as RingCentralPeople from "../src/RingCentralPeople.js"

const entries = /\/directory\/entries$/
const onPage = (n: number) => (request: HostileProxy.Request) => request.query.get("page") === String(n)

/** An emulator of `size` extensions with pages of 100, a proxy in front, and a client and the port behind it. */
const setup = (size = 350) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ size, scale: 0.01, maxPerPage: 100, federatedShare: 0 })
    const proxy = yield* HostileProxy.make({ target: emulator.url })
    const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator, { serverUrl: proxy.url }))
    const people = yield* RingCentralPeople.make().pipe(
      Effect.provide(Directory.layer),
      Effect.provideService(RingCentralClient.RingCentralClient, client)
    )
    const listed = () => emulator.store.list().filter(isListed).map((e) => e.id)
    return { emulator, proxy, client, people, listed }
  })

type Setup = Effect.Effect.Success<ReturnType<typeof setup>>

/** Runs a snapshot of the port to its end: the remote ids read and the completeness. */
const snapshot = (s: Setup) =>
  Effect.gen(function*() {
    const result = yield* s.people.snapshot()
    if (result._tag !== "Modified") throw new Error("expected Modified")
    const read = yield* Stream.runCollect(result.people)
    return {
      ids: Chunk.toReadonlyArray(read).map((p) => p.provenance[0]!.remoteId),
      completeness: yield* result.completeness
    }
  })

/** Adds `navigation.nextPage` to every directory page, as RingCentral's other listings do. */
const withNavigation = (proxyUrl: string): HostileProxy.Rewrite =>
  HostileProxy.json((body) => {
    const page = body as { paging?: { page?: number; perPage?: number; totalPages?: number } }
    const { page: n = 1, perPage = 100, totalPages = 1 } = page.paging ?? {}
    return {
      ...page,
      navigation: {
        firstPage: { uri: `${proxyUrl}/restapi/v1.0/account/~/directory/entries?page=1&perPage=${perPage}` },
        ...(n < totalPages ? { nextPage: { uri: `${proxyUrl}/restapi/v1.0/account/~/directory/entries?page=${n + 1}&perPage=${perPage}` } } : {})
      }
    }
  })

describe("directory completeness (issue 10)", () => {
  it.scopedLive("a consistent read is complete and reads everyone once", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed())
      expect(completeness).toMatchObject({ complete: true, issues: [], records: ids.length, announced: ids.length, unreadable: [] })
      expect(completeness.pages).toBe(Math.ceil(ids.length / 100))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an empty listing (records gone, totals kept) is read again, then incomplete", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const total = s.listed().length
      yield* s.proxy.add({ path: entries, times: Infinity, rewrite: HostileProxy.json(HostileProxy.emptyArray("records")) })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual([])
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual([`the read ended at page 1 of ${Math.ceil(total / 100)} announced`, `0 records were read, ${total} announced`])
      // page 1 read three times: the first answer and two re-reads
      expect((yield* s.proxy.exchanges).filter((e) => entries.test(e.path)).length).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an empty listing that says so (totals 0) is complete: judging it against the last read is the sync's", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({
        path: entries,
        times: Infinity,
        rewrite: HostileProxy.json((body) =>
          HostileProxy.set("paging", { page: 1, perPage: 100, totalPages: 0, totalElements: 0 })(HostileProxy.emptyArray("records")(body))
        )
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual([])
      expect(completeness).toMatchObject({ complete: true, records: 0, announced: 0 })
      // still read twice more before believing it
      expect((yield* s.proxy.exchanges).filter((e) => entries.test(e.path)).length).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an empty page in the middle: read again; when it stays empty the read is incomplete", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const total = s.listed().length
      const pages = Math.ceil(total / 100)
      yield* s.proxy.add({ path: entries, when: onPage(2), times: Infinity, rewrite: HostileProxy.json(HostileProxy.emptyArray("records")) })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed().slice(0, 100))
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual([`the read ended at page 2 of ${pages} announced`, `100 records were read, ${total} announced`])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an empty page that comes back whole when read again costs one call and the read is complete", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ path: entries, when: onPage(2), times: 1, rewrite: HostileProxy.json(HostileProxy.emptyArray("records")) })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed())
      expect(completeness).toMatchObject({ complete: true, issues: [] })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an empty page while the server's link says more: read again, then the link is followed", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const total = s.listed().length
      yield* s.proxy.add({ path: entries, times: Infinity, rewrite: withNavigation(s.proxy.url) })
      yield* s.proxy.add({ path: entries, when: onPage(2), times: Infinity, rewrite: HostileProxy.json(HostileProxy.emptyArray("records")) })
      const { ids, completeness } = yield* snapshot(s)
      // everyone but page 2 is read: nothing after the hole is lost
      expect(ids).toEqual([...s.listed().slice(0, 100), ...s.listed().slice(200)])
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual(["page 2 was empty before the end of the listing", `${total - 100} records were read, ${total} announced`])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("totals that lie low do not stop the read while the server's next-page link says there is more (issue 11)", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const pages = Math.ceil(s.listed().length / 100)
      // the links run to the real end; the totals announce one page less
      yield* s.proxy.add({ path: entries, times: Infinity, rewrite: withNavigation(s.proxy.url) })
      yield* s.proxy.add({
        path: entries,
        times: Infinity,
        rewrite: HostileProxy.json((body) =>
          HostileProxy.set("paging.totalElements", (pages - 1) * 100)(HostileProxy.set("paging.totalPages", pages - 1)(body))
        )
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed())
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual([`${ids.length} records were read, ${(pages - 1) * 100} announced`])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a truncated page with totals that say more: read again, the rest still read, and the read is incomplete", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const total = s.listed().length
      yield* s.proxy.add({ path: entries, when: onPage(2), times: Infinity, rewrite: HostileProxy.json(HostileProxy.truncateArray("records", 40)) })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual([...s.listed().slice(0, 140), ...s.listed().slice(200)])
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual(["page 2 had 40 of 100 records before the end of the listing", `${total - 60} records were read, ${total} announced`])
      expect((yield* s.proxy.exchanges).filter((e) => entries.test(e.path) && e.search.includes("page=2")).length).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a user leaving between page 1 and page 2 shifts the pages: the read says so", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const before = s.listed()
      const leaving = before[0]!
      const skipped = before[100]!
      yield* s.proxy.add({
        path: entries,
        when: onPage(1),
        after: Effect.sync(() => {
          s.emulator.store.remove(leaving)
        })
      })
      const { ids, completeness } = yield* snapshot(s)
      // the first person of page 2 moved to page 1 after it was read: nobody read them
      expect(ids).not.toContain(skipped)
      expect(ids).toContain(leaving)
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toContain(`the total changed from ${before.length} to ${before.length - 1} during the read (the directory changed while it was read)`)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a link to the same page forever stops the read with an issue", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({
        path: entries,
        times: Infinity,
        rewrite: HostileProxy.json(HostileProxy.set("navigation.nextPage.uri", `${s.proxy.url}/restapi/v1.0/account/~/directory/entries?page=2&perPage=100`))
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed().slice(0, 200))
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toContain("page 2 links to a page already read (page=2): the read stopped there")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("pages that never end stop at the announced count plus slack", () =>
    Effect.gen(function*() {
      const s = yield* setup(150)
      // beyond the real pages, a server that keeps inventing people and linking further
      yield* s.proxy.add({
        path: entries,
        times: Infinity,
        respond: (request) => {
          const n = Number(request.query.get("page") ?? "1")
          return HostileProxy.answer(200, {
            json: {
              records: Array.from({ length: 100 }, (_, i) => ({ id: `ghost-${n}-${i}`, firstName: "Ghost" })),
              paging: { page: n, perPage: 100, totalPages: 2, totalElements: 200 },
              navigation: { nextPage: { uri: `${s.proxy.url}/restapi/v1.0/account/~/directory/entries?page=${n + 1}&perPage=100` } }
            }
          })
        }
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids.length).toBe(400)
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toContain("the listing did not end after 4 pages although 2 were announced: the read stopped there")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("one unreadable record is skipped and reported; the page and the read survive", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const bad = s.listed()[5]!
      yield* s.proxy.add({
        path: entries,
        when: onPage(1),
        times: Infinity,
        rewrite: HostileProxy.json(HostileProxy.update("records.5.phoneNumbers", () => [{ phoneNumber: { digits: "42" } }]))
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed().filter((id) => id !== bad))
      // the record has an id: the read stays complete (the sync treats that person as a failure, not as gone)
      expect(completeness.complete).toBe(true)
      expect(completeness.unreadable).toEqual([
        { remoteId: bad, path: "page 1, records[5].phoneNumbers[0].phoneNumber", reason: "Expected string, actual {\"digits\":\"42\"}" }
      ])
      // a record whose id cannot be read could be anyone
      yield* s.proxy.add({ path: entries, when: onPage(2), times: Infinity, rewrite: HostileProxy.json(HostileProxy.update("records.0.id", () => ({}))) })
      const again = yield* snapshot(s)
      expect(again.completeness.complete).toBe(false)
      expect(again.completeness.issues[0]).toMatch(/^a record could not be read and has no id \(page 2, records\[0\]\.id: /)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("stream users get the same read without completeness, and a warning for the skipped record", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const bad = s.listed()[0]!
      const warnings: Array<Record<string, unknown>> = []
      const logger = Logger.make(({ annotations, logLevel, message }) => {
        if (logLevel._tag === "Warning") warnings.push({ message: String(message), ...Object.fromEntries(HashMap.toEntries(annotations)) })
      })
      yield* s.proxy.add({ path: entries, when: onPage(1), rewrite: HostileProxy.json(HostileProxy.update("records.0.jobTitle", () => 7)) })
      const read = yield* Stream.runCollect(s.people.stream).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      expect(Chunk.toReadonlyArray(read).map((p) => p.provenance[0]!.remoteId)).toEqual(s.listed().filter((id) => id !== bad))
      expect(warnings).toEqual([{
        message: "a record could not be read and was skipped",
        module: "ringcentral",
        method: "listDirectoryEntries",
        path: "page 1, records[0].jobTitle",
        reason: "Expected string, actual 7",
        remoteId: bad
      }])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a single read: NotFound for a 404 ADG-122 only; an empty 200 is never NotFound", () =>
    Effect.gen(function*() {
      const s = yield* setup(20)
      const someone = s.listed()[3]!
      const entry = /\/directory\/entries\/[^/]+$/
      yield* s.proxy.add({ path: entry, times: Infinity, respond: HostileProxy.answer(200, { headers: { "Content-Type": "application/json" } }) })
      const empty = yield* Effect.flip(s.people.get(someone))
      expect(empty._tag).toBe("Unavailable")
      expect(empty.message).toBe("ringcentral.readDirectoryEntry: an empty body on a success status (HTTP 200)")
      // one attempt and the policy's 5 retries
      expect((yield* s.proxy.exchanges).filter((e) => entry.test(e.path)).length).toBe(6)
      yield* s.proxy.clear
      yield* s.proxy.add({
        path: entry,
        times: Infinity,
        respond: HostileProxy.answer(404, { json: { errors: [{ errorCode: "ADG-122", message: "Contact not found." }] } })
      })
      const gone = yield* Effect.flip(s.people.get(someone))
      expect(gone).toMatchObject({ _tag: "NotFound", remoteCode: "ADG-122", status: 404 })
      yield* s.proxy.clear
      yield* s.proxy.add({ path: entry, times: Infinity, respond: HostileProxy.answer(404, { text: "<html>Not Found</html>", headers: { "Content-Type": "text/html" } }) })
      const gateway = yield* Effect.flip(s.people.get(someone))
      expect(gateway._tag).toBe("Unavailable")
      expect(gateway.message).toContain(`no proof that directory entry ${someone} is gone`)
      yield* s.proxy.clear
      expect((yield* s.people.get(someone)).provenance[0]!.remoteId).toBe(someone)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
