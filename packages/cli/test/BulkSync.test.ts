/**
 * The sync's bulk mode end to end: the RingCentral directory into the People
 * system through the People-Contacts adapter's Import and Export APIs, against
 * both emulators (and the People emulator's download host).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import { type Duration, Effect, Either, Option } from "effect"
import * as Connections from "../src/Connections.js"
import { endState, HttpLive, rows, setup, writes } from "./utils.js"

/** Both emulators with the same company, and a job factory over one in-memory state and the bulk contact book. */
const bulkSetup = (size = 60, pollTimeout: Duration.DurationInput = "20 seconds") =>
  Effect.gen(function*() {
    const env = yield* setup({ size })
    const connections = yield* Connections.make({ ...env.settings, people: { ...env.settings.people, bulk: { pollTimeout } } })
    const bulkJob = (state: SyncState.Service, overrides: Partial<Sync.Options> = {}) =>
      Sync.make({ ...connections, contacts: connections.bulkContacts, concurrency: 6, bulk: "always", ...overrides }).pipe(
        Effect.provideService(SyncState.SyncState, state)
      )
    return { ...env, connections, bulkJob }
  })

const peopleCalls = (env: { readonly people: { readonly requests: () => ReadonlyArray<unknown> } }) => env.people.requests().length

describe("bulk sync, end to end through both emulators", () => {
  it.scopedLive("a first sync by export and import ends in the REST sync's People state; a second run writes nothing", () =>
    Effect.gen(function*() {
      // the same company twice: one synced by REST, one by bulk
      const rest = yield* setup({ size: 60 })
      const bulk = yield* bulkSetup(60)
      expect(endState(bulk.people)).toEqual(endState(rest.people))
      const own = rows(bulk.people).filter((r) => !r.integration)

      const restReport = yield* Effect.flatMap(rest.job({ bulk: "never" }), (job) => job.run)
      expect(restReport.summary.failures).toEqual([])
      const state = yield* SyncState.makeMemory
      const job = yield* bulk.bulkJob(state)
      bulk.people.clearRequests()
      const report = yield* job.run
      expect(report.summary.failures).toEqual([])
      expect(report.plan.read).toBe("export")
      expect(report.summary.created).toBe(restReport.summary.created)
      expect(endState(bulk.people)).toEqual(endState(rest.people))
      // people's own contacts untouched
      expect(rows(bulk.people).filter((r) => !r.integration)).toEqual(own)
      // a handful of People calls instead of one per person and contact
      const calls = bulk.people.requests()
      expect(calls.filter((r) => r.method === "POST" && r.path.endsWith("/import"))).toHaveLength(1)
      expect(calls.filter((r) => r.path.includes("/contacts"))).toEqual([])
      expect(calls.length).toBeLessThanOrEqual(20)

      // a verifying second run reads one export and writes nothing
      yield* state.setVersion(undefined)
      bulk.people.clearRequests()
      const again = yield* Effect.flatMap(bulk.bulkJob(state, { verify: true }), (j) => j.run)
      expect(again.summary).toMatchObject({ created: 0, updated: 0, deleted: 0 })
      expect(writes(bulk.people).filter((w) => !w.path.endsWith("/export"))).toEqual([])
      expect(peopleCalls(bulk)).toBeLessThanOrEqual(10)
      // and the REST job over the state the bulk one left finds nothing to do either
      const restAfter = yield* Effect.flatMap(
        Sync.make({ ...bulk.connections, concurrency: 6, bulk: "never", verify: true }).pipe(Effect.provideService(SyncState.SyncState, state)),
        (j) => j.run
      )
      expect(restAfter.summary).toMatchObject({ created: 0, updated: 0, deleted: 0 })
    }).pipe(Effect.provide(HttpLive)), { timeout: 60_000 })

  it.scopedLive("interrupted after the upload: the next run polls the same import; nothing is uploaded twice", () =>
    Effect.gen(function*() {
      // the first run gives up polling after 2 s
      const env = yield* bulkSetup(40, "2 seconds")
      const state = yield* SyncState.makeMemory
      const job = yield* env.bulkJob(state)
      // a run that stops right after the upload: its polls all fail (a dropped connection)
      yield* env.people.faults.inject({ fault: { _tag: "Reset" }, method: "GET", path: /\/import\//, times: 1_000 })
      const first = yield* Effect.either(job.run)
      const uploads = () => env.people.requests().filter((r) => r.method === "POST" && r.path.endsWith("/import"))
      expect(uploads()).toHaveLength(1)
      const pending = yield* state.pendingImport
      expect(Option.isSome(pending) && pending.value.token !== undefined).toBe(true)
      const token = Option.getOrThrow(pending).token!
      expect(env.people.imports.list().map((i) => i.token)).toEqual([token])
      // the first run reported its people as failed, wrote nothing by itself
      if (Either.isRight(first)) expect(first.right.summary.failures.length).toBeGreaterThan(0)
      yield* env.people.faults.clear
      const second = yield* job.run
      expect(second.summary.failures).toEqual([])
      // the same import polled, not uploaded again
      expect(uploads()).toHaveLength(1)
      expect(Option.isNone(yield* state.pendingImport)).toBe(true)
      // the end state equals a clean run's: a verifying run writes nothing
      yield* state.setVersion(undefined)
      const third = yield* Effect.flatMap(env.bulkJob(state, { verify: true }), (j) => j.run)
      expect(third.summary).toMatchObject({ created: 0, updated: 0, deleted: 0 })
      expect(uploads()).toHaveLength(1)
    }).pipe(Effect.provide(HttpLive)), { timeout: 60_000 })

  it.scopedLive("an import ending in state: error fails its people and deletes nothing; the next run writes them", () =>
    Effect.gen(function*() {
      const env = yield* bulkSetup(40)
      const before = rows(env.people)
      const state = yield* SyncState.makeMemory
      const job = yield* env.bulkJob(state)
      env.people.imports.failNext({ message: "Encoding error: invalid byte sequence in UTF-8 on line 7" })
      const first = yield* job.run
      expect(first.summary.failures.length).toBeGreaterThan(0)
      expect(first.summary.failures.some((f) => f.error.reason.includes("line 7"))).toBe(true)
      expect(first.summary).toMatchObject({ created: 0, deleted: 0 })
      // nothing of anyone's was removed
      expect(rows(env.people).filter((r) => before.some((b) => b.id === r.id))).toEqual(before)
      expect(Option.isNone(yield* state.pendingImport)).toBe(true)
      // the next run plans again and writes everyone
      const second = yield* job.run
      expect(second.summary.failures).toEqual([])
      expect(second.summary.created).toBeGreaterThan(0)
    }).pipe(Effect.provide(HttpLive)), { timeout: 60_000 })

  it.scopedLive("the download host never sees the token or the account header", () =>
    Effect.gen(function*() {
      const env = yield* bulkSetup(30)
      const state = yield* SyncState.makeMemory
      yield* Effect.flatMap(env.bulkJob(state), (j) => j.run)
      const downloads = env.people.downloads.requests()
      // the run's export, and the follow-up export after the import
      expect(downloads.length).toBeGreaterThanOrEqual(2)
      for (const r of downloads) {
        const names = Object.keys(r.headers).map((h) => h.toLowerCase())
        expect(names).not.toContain("authorization")
        expect(names).not.toContain("x-xurrent-account")
        expect(JSON.stringify(r.headers)).not.toContain(env.people.tokens[0]!)
      }
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("auto: a first sync of many people goes by bulk; a 4-person change goes through REST in a few calls", () =>
    Effect.gen(function*() {
      const env = yield* bulkSetup(60)
      const state = yield* SyncState.makeMemory
      const job = yield* env.bulkJob(state, { bulk: "auto" })
      const first = yield* job.run
      expect(first.summary.failures).toEqual([])
      expect(env.people.imports.list()).toHaveLength(1)
      const matched = [...env.company.matched].slice(0, 4)
      yield* env.ringcentral.changeDirectory((store) => {
        for (const [rcId] of matched) {
          store.update(rcId, (e) => {
            e.phoneNumbers = [...e.phoneNumbers.filter((p) => p.usageType !== "MobileNumber"), {
              id: store.nextId(),
              phoneNumber: `+1415555${String(1000 + Number(rcId) % 9000).slice(-4)}`,
              usageType: "MobileNumber"
            }]
          })
        }
      })
      env.people.clearRequests()
      const second = yield* job.run
      expect(second.summary.failures).toEqual([])
      expect(env.people.imports.list()).toHaveLength(1)
      expect(peopleCalls(env)).toBeLessThanOrEqual(30)
      expect(writes(env.people).every((w) => w.path.includes("/contacts") || w.path.endsWith("/export"))).toBe(true)
    }).pipe(Effect.provide(HttpLive)), { timeout: 60_000 })
})
