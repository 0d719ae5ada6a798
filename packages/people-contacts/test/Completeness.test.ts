/**
 * Issue 10 through real loopback HTTP: the People system's people listing
 * behind a hostile proxy. Each test asserts the completeness verdict and its
 * issue text, and that nothing is lost where the read could go on.
 */
import { describe, expect, it } from "@effect/vitest"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import { Chunk, Effect, HashMap, Logger, Redacted, Stream } from "effect"
import * as Emulator from "@unified-people/testkit/PeopleContactsEmulator"
import * as PeopleContactsClient from "../src/PeopleContactsClient.js"
import * as People from "../src/People.js"
import * as PeopleContactsPeople from "../src/PeopleContactsPeople.js"
import { HttpLive } from "./utils.js"

const people = /^\/v1\/people$/

/** The page a people request asks for (pages of 100): from the cursor's offset. */
const pageOf = (request: HostileProxy.Request): number => {
  const after = request.query.get("search_after")
  if (after === null) return 1
  const { offset } = JSON.parse(Buffer.from(after, "base64").toString("utf8")) as { offset: number }
  return Math.floor((offset + 1) / 100) + 1
}
const onPage = (n: number) => (request: HostileProxy.Request) => pageOf(request) === n

/** An emulator of 250 people, a proxy in front of it, and the directory port behind the proxy. */
const setup = (count = 250) =>
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
    const directory = yield* PeopleContactsPeople.makeDirectory.pipe(
      Effect.provide(People.layer),
      Effect.provideService(PeopleContactsClient.PeopleContactsClient, client)
    )
    const ids = () => [...emulator.people.keys()].sort((a, b) => a - b).map(String)
    return { emulator, proxy, directory, ids }
  })

type Setup = Effect.Effect.Success<ReturnType<typeof setup>>

const snapshot = (s: Setup) =>
  Effect.gen(function*() {
    const result = yield* s.directory.snapshot()
    if (result._tag !== "Modified") throw new Error("expected Modified")
    const read = yield* Stream.runCollect(result.people)
    return { ids: Chunk.toReadonlyArray(read).map((p) => p.provenance[0]!.remoteId), completeness: yield* result.completeness }
  })

const listRequests = (s: Setup) => Effect.map(s.proxy.exchanges, (all) => all.filter((e) => people.test(e.path)))

describe("people listing completeness (issue 10)", () => {
  it.scopedLive("a consistent read is complete", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.ids())
      expect(completeness).toMatchObject({ complete: true, issues: [], records: 250, pages: 3, announced: 250, unreadable: [] })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a people listing that comes back empty (no link, totals kept) is read again, then incomplete", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({
        path: people,
        times: Infinity,
        rewrite: [HostileProxy.json(HostileProxy.emptyArray()), HostileProxy.header("Link", undefined)]
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual([])
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual(["the read ended at page 1 of 3 announced", "0 records were read, 250 announced"])
      expect((yield* listRequests(s)).length).toBe(3)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("an empty listing once: the second read is whole and the read complete", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ path: people, rewrite: [HostileProxy.json(HostileProxy.emptyArray()), HostileProxy.header("Link", undefined)] })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.ids())
      expect(completeness.complete).toBe(true)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("an empty page whose next link says more: read again, the link followed, the read incomplete", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ path: people, when: onPage(2), times: Infinity, rewrite: HostileProxy.json(HostileProxy.emptyArray()) })
      const { ids, completeness } = yield* snapshot(s)
      // the cursor of the empty page's link still points after page 2: page 3 is read
      expect(ids).toEqual([...s.ids().slice(0, 100), ...s.ids().slice(200)])
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual(["page 2 was empty before the end of the listing", "150 records were read, 250 announced"])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("lying totals (X-Pagination-Total-Entries) make the read incomplete, nothing else changes", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ path: people, times: Infinity, rewrite: HostileProxy.header("X-Pagination-Total-Entries", "1000") })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.ids())
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual(["250 records were read, 1000 announced"])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a short page before the end with a next link is read again, then reported", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ path: people, when: onPage(1), times: Infinity, rewrite: HostileProxy.json(HostileProxy.truncateArray("", 60)) })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual([...s.ids().slice(0, 60), ...s.ids().slice(100)])
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toEqual(["page 1 had 60 of 100 records before the end of the listing", "210 records were read, 250 announced"])
      expect((yield* listRequests(s)).filter((e) => !e.search.includes("search_after")).length).toBe(3)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a next link left on the last page read (it points back): the read stops there and says so", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      // a clean read first, to learn the URL of page 1
      yield* snapshot(s)
      const page1 = (yield* listRequests(s))[0]!
      // then page 2's next link is the very URL of page 1
      yield* s.proxy.add({
        path: people,
        when: onPage(2),
        times: Infinity,
        rewrite: HostileProxy.header("Link", `<${s.proxy.url}${page1.path}${page1.search}>; rel="next"`)
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.ids().slice(0, 200))
      expect(completeness.complete).toBe(false)
      expect(completeness.issues[0]).toMatch(/^page 2 links to a page already read \(http:\/\/127\.0\.0\.1:\d+\/v1\/people\?per_page=100&fields=.*\): the read stopped there$/)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a person leaving between page 1 and page 2: nobody is skipped with cursors, and the read still says it changed", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const before = s.ids()
      const leaving = before[3]!
      yield* s.proxy.add({
        path: people,
        when: onPage(1),
        after: Effect.sync(() => {
          s.emulator.people.delete(Number(leaving))
        })
      })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(before)
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toContain("the total changed from 250 to 249 during the read (the directory changed while it was read)")
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("one unreadable person is skipped, reported, and logged for stream users", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const bad = s.ids()[150]!
      yield* s.proxy.add({ path: people, when: onPage(2), times: Infinity, rewrite: HostileProxy.json(HostileProxy.update("50.primary_email", () => 42)) })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.ids().filter((id) => id !== bad))
      expect(completeness.complete).toBe(true)
      expect(completeness.unreadable).toEqual([{ remoteId: bad, path: "page 2, [50].primary_email", reason: "Expected string, actual 42" }])
      const warnings: Array<Record<string, unknown>> = []
      const logger = Logger.make(({ annotations, logLevel, message }) => {
        if (logLevel._tag === "Warning") warnings.push({ message: String(message), ...Object.fromEntries(HashMap.toEntries(annotations)) })
      })
      const streamed = yield* Stream.runCount(s.directory.stream).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      expect(streamed).toBe(249)
      expect(warnings).toEqual([{
        message: "a record could not be read and was skipped",
        module: "people-contacts",
        method: "listPeople",
        path: "page 2, [50].primary_email",
        reason: "Expected string, actual 42",
        remoteId: bad
      }])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a single read: NotFound only for a 404; an empty 200 is read again and never NotFound", () =>
    Effect.gen(function*() {
      const s = yield* setup(5)
      const person = /^\/v1\/people\/\d+$/
      yield* s.proxy.add({ path: person, times: Infinity, respond: HostileProxy.answer(200, { headers: { "Content-Type": "application/json" } }) })
      const empty = yield* Effect.flip(s.directory.get("1"))
      expect(empty).toMatchObject({ _tag: "Unavailable", status: 200, reason: "an empty body on a success status" })
      // one attempt and the policy's 4 retries (an empty body is read again like a broken one)
      expect((yield* s.proxy.exchanges).filter((e) => person.test(e.path)).length).toBe(5)
      yield* s.proxy.clear
      yield* s.proxy.add({ path: person, respond: HostileProxy.answer(200, { headers: { "Content-Type": "application/json" } }) })
      expect((yield* s.directory.get("1")).provenance[0]!.remoteId).toBe("1")
      const missing = yield* Effect.flip(s.directory.get("999"))
      expect(missing).toMatchObject({ _tag: "NotFound", status: 404 })
    }).pipe(Effect.provide(HttpLive)))
})
