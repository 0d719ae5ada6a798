/**
 * The sync job end to end through real loopback HTTP, with a hostile proxy in
 * front of each emulator rewriting their answers: every situation in which a
 * sync used to delete contacts of people still in the directory. Each test
 * ends with nothing lost: after the fault is gone, the People system's
 * contacts equal those of a clean run on a fresh copy of the same company.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import { Effect, Option } from "effect"
import * as Connections from "../src/Connections.js"
import type * as Emulators from "@unified-people/testkit/Emulators"
import { endState, HttpLive, setup, writes } from "./utils.js"

const directoryList = /\/directory\/entries$/
const peopleList = /\/people$/

/** Both emulators behind hostile proxies; a job over one in-memory state. */
const hostile = (options: Emulators.Options = {}) =>
  Effect.gen(function*() {
    const env = yield* setup({ size: 120, directoryPageSize: 25, ...options })
    const rc = yield* HostileProxy.make({ target: env.ringcentral.url })
    const people = yield* HostileProxy.make({ target: env.people.url })
    const connections = yield* Connections.make({
      ...env.settings,
      ringcentral: { ...env.settings.ringcentral, serverUrl: rc.url },
      people: { ...env.settings.people, baseUrl: people.through(env.people.baseUrl), perPage: 20 }
    })
    const state = yield* SyncState.makeMemory
    const job = (overrides: Partial<Sync.Options> = {}) =>
      Sync.make({ ...connections, concurrency: 6, ...overrides }).pipe(Effect.provideService(SyncState.SyncState, state))
    return { env, rc, people, state, job }
  })

/** What a clean first run gives on a fresh copy of the same company, changed the same way. */
const cleanEndState = (change: (env: Emulators.Emulators) => Effect.Effect<unknown> = () => Effect.void) =>
  Effect.gen(function*() {
    const fresh = yield* setup({ size: 120, directoryPageSize: 25 })
    yield* change(fresh)
    const report = yield* Effect.flatMap(fresh.job(), (job) => job.run)
    expect(report.summary.status).toBe("complete")
    return endState(fresh.people)
  })

/** A full, fault-free run that must converge. */
const settle = (job: Effect.Effect<Sync.Sync>) =>
  Effect.gen(function*() {
    const report = yield* Effect.flatMap(job, (j) => j.run)
    expect(report.summary.issues).toEqual([])
    return report
  })

describe("sync safety through hostile servers", () => {
  it.scopedLive("a directory listing that comes back empty once deletes nothing, stores no version, and says why", () =>
    Effect.gen(function*() {
      const h = yield* hostile()
      yield* settle(h.job())
      const before = endState(h.env.people)
      const version = yield* h.state.version
      yield* h.state.setVersion(undefined)
      // an empty first page that claims the directory is empty
      yield* h.rc.add({
        path: directoryList,
        times: Infinity,
        rewrite: HostileProxy.json((body) => HostileProxy.set("paging", { page: 1, perPage: 25, totalPages: 0, totalElements: 0 })(HostileProxy.emptyArray("records")(body)))
      })
      const report = yield* Effect.flatMap(h.job(), (j) => j.run)
      expect(report.summary.deleted).toBe(0)
      expect(report.summary.status).toBe("partial")
      expect(report.summary.held).toBeGreaterThan(80)
      expect(report.summary.issues[0]).toMatch(/^the source read proves nothing: the ringcentral read is empty, the last complete read had \d+: implausible$/)
      expect(endState(h.env.people)).toEqual(before)
      expect(yield* h.state.version).toEqual(Option.none())
      yield* h.rc.clear
      yield* settle(h.job())
      expect(Option.isSome(version)).toBe(true)
      expect(endState(h.env.people)).toEqual(yield* cleanEndState())
    }).pipe(Effect.provide(HttpLive)), { timeout: 120_000 })

  it.scopedLive("an empty page, or a listing cut short with totals that agree with the cut, deletes nothing", () =>
    Effect.gen(function*() {
      const h = yield* hostile()
      yield* settle(h.job())
      const before = endState(h.env.people)
      for (const rule of [
        // page 3 empty (every time it is asked: the re-reads see it too)
        [{ path: directoryList, when: (r: HostileProxy.Request) => r.query.get("page") === "3", times: Infinity, rewrite: HostileProxy.json(HostileProxy.emptyArray("records")) }],
        // the listing ends after page 2 and every page's totals say so: only the direct reads can tell
        [
          {
            path: directoryList,
            times: Infinity,
            when: (r: HostileProxy.Request) => Number(r.query.get("page") ?? "1") > 2,
            respond: (r: HostileProxy.Request) =>
              HostileProxy.answer(200, { json: { records: [], paging: { page: Number(r.query.get("page")), perPage: 25 } } })
          },
          {
            path: directoryList,
            times: Infinity,
            when: (r: HostileProxy.Request) => Number(r.query.get("page") ?? "1") <= 2,
            rewrite: HostileProxy.json(HostileProxy.update("paging", (p) => ({ ...(p as object), totalPages: 2, totalElements: 50 })))
          }
        ]
      ] satisfies ReadonlyArray<ReadonlyArray<HostileProxy.Rule>>) {
        yield* h.state.setVersion(undefined)
        for (const r of rule) yield* h.rc.add(r)
        const report = yield* Effect.flatMap(h.job(), (j) => j.run)
        expect(report.summary.deleted).toBe(0)
        expect(report.summary.status).toBe("partial")
        expect(endState(h.env.people)).toEqual(before)
        expect(yield* h.state.version).toEqual(Option.none())
        yield* h.rc.clear
      }
      yield* settle(h.job())
      expect(endState(h.env.people)).toEqual(yield* cleanEndState())
    }).pipe(Effect.provide(HttpLive)), { timeout: 120_000 })

  it.scopedLive("a user leaving between page 1 and page 2: nobody else loses contacts or gets them recreated", () =>
    Effect.gen(function*() {
      const h = yield* hostile()
      yield* settle(h.job())
      const leaver = h.env.ringcentral.store.list().find((e) => h.env.company.matched.has(e.id))!
      const idsBefore = new Map([...h.env.people.contacts.values()].map((c) => [c.id, c.personId]))
      yield* h.state.setVersion(undefined)
      yield* h.rc.add({
        path: directoryList,
        when: (r) => (r.query.get("page") ?? "1") === "1",
        after: Effect.sync(() => void h.env.ringcentral.store.remove(leaver.id))
      })
      const shifted = yield* Effect.flatMap(h.job(), (j) => j.run)
      expect(shifted.summary.deleted).toBe(0)
      expect(shifted.plan.reads[0]!.trusted).toBe(false)
      expect(shifted.plan.reads[0]!.issues.join("; ")).toMatch(/changed from 120 to 119 during the read/)
      // the next, clean run removes only the leaver's contacts; every other contact keeps its id
      const clean = yield* settle(h.job())
      const leaverPerson = h.env.company.matched.get(leaver.id)!
      expect(clean.summary.removed).toBe(1)
      const gone = [...idsBefore].filter(([id]) => !h.env.people.contacts.has(id))
      expect(gone.every(([, personId]) => personId === leaverPerson)).toBe(true)
      expect(endState(h.env.people)).toEqual(yield* cleanEndState((fresh) => Effect.sync(() => fresh.ringcentral.store.remove(leaver.id))))
    }).pipe(Effect.provide(HttpLive)), { timeout: 120_000 })

  it.scopedLive("a 404 or an empty 200 while re-reading a person for a webhook event deletes nothing", () =>
    Effect.gen(function*() {
      const h = yield* hostile()
      yield* settle(h.job())
      const before = endState(h.env.people)
      const [entryId] = [...h.env.company.matched][3]!
      const job = yield* h.job()
      const entryPath = new RegExp(`/directory/entries/${entryId}$`)
      // a single 404 on an update event: held, the event stays unprocessed
      yield* h.rc.add({ path: entryPath, respond: HostileProxy.answer(404, { json: { errors: [{ errorCode: "ADG-122", message: "Contact not found" }] } }) })
      const notFound = yield* job.applyEvents([{ uuid: "e-404", changes: [{ type: "Update", remoteId: entryId }] }])
      expect(notFound.summary.held).toBe(1)
      expect(notFound.summary.deleted).toBe(0)
      expect(yield* h.state.isEventProcessed("e-404")).toBe(false)
      // empty 200s, even for a delete event: a failure, not a removal
      yield* h.rc.add({ path: entryPath, times: Infinity, rewrite: HostileProxy.emptyBody })
      const empty = yield* job.applyEvents([{ uuid: "e-empty", changes: [{ type: "Delete", remoteId: entryId }] }])
      expect(empty.summary.failures.map((f) => f.sourceId)).toEqual([entryId])
      expect(empty.summary.deleted).toBe(0)
      expect(endState(h.env.people)).toEqual(before)
      yield* h.rc.clear
      const again = yield* job.applyEvents([{ uuid: "e-404", changes: [{ type: "Update", remoteId: entryId }] }])
      expect(again.summary.status).toBe("complete")
      expect(endState(h.env.people)).toEqual(before)
    }).pipe(Effect.provide(HttpLive)), { timeout: 120_000 })

  it.scopedLive("a People listing that comes back empty once makes nobody unmatched and deletes nothing", () =>
    Effect.gen(function*() {
      const h = yield* hostile()
      yield* settle(h.job())
      const before = endState(h.env.people)
      yield* h.state.setVersion(undefined)
      yield* h.people.add({
        method: "GET",
        path: peopleList,
        times: Infinity,
        rewrite: [HostileProxy.json(() => []), HostileProxy.header("Link", undefined), HostileProxy.header("X-Pagination-Total-Entries", "0")]
      })
      const report = yield* Effect.flatMap(h.job({ verify: true }), (j) => j.run)
      expect(report.summary.deleted).toBe(0)
      expect(report.plan.reads.find((r) => r.side === "target")?.trusted).toBe(false)
      expect(endState(h.env.people)).toEqual(before)
      expect((yield* h.state.xrefs).length).toBeGreaterThan(80)
      yield* h.people.clear
      yield* settle(h.job())
      expect(endState(h.env.people)).toEqual(yield* cleanEndState())
    }).pipe(Effect.provide(HttpLive)), { timeout: 120_000 })

  it.scopedLive("a person the People system keeps refusing (5xx) does not block anyone else; the next run finishes", () =>
    Effect.gen(function*() {
      const h = yield* hostile()
      const [, refused] = [...h.env.company.matched][2]!
      yield* h.people.add({
        method: "POST",
        path: new RegExp(`/people/${refused}/contacts$`),
        times: Infinity,
        respond: HostileProxy.answer(503, { json: { message: "Service Unavailable" } })
      })
      const first = yield* Effect.flatMap(h.job(), (j) => j.run)
      expect(first.summary.status).toBe("partial")
      expect(new Set(first.summary.failures.map((f) => f.personId))).toEqual(new Set([String(refused)]))
      expect(first.summary.created).toBeGreaterThan(200)
      expect(writes(h.env.people).filter((w) => w.path.includes(`/people/${refused}/`))).toEqual([])
      yield* h.people.clear
      const second = yield* settle(h.job())
      const personOf = (path: string) => /\/people\/(\d+)\//.exec(path)?.[1]
      expect(new Set(writes(h.env.people).slice(-second.summary.created).map((w) => personOf(w.path)))).toEqual(new Set([String(refused)]))
      expect(endState(h.env.people)).toEqual(yield* cleanEndState())
    }).pipe(Effect.provide(HttpLive)), { timeout: 120_000 })
})
