/**
 * What the sync job must never do, whatever the remote sides answer: delete
 * contacts of people still in the directory, run twice on one state, or hide a
 * partial run. On the in-memory ports (see `utils/Memory.ts`), whose reads can
 * be made incomplete, empty, shifted or failing, detected or not.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Option, Stream, TestClock } from "effect"
import * as fc from "fast-check"
import * as PeopleErrors from "../src/PeopleError.js"
import type * as Person from "../src/Person.js"
import * as Sync from "../src/Sync.js"
import * as SyncState from "../src/SyncState.js"
import * as Memory from "./utils/Memory.js"
import { expectedAfterFirstRun, PC, RC, runOnce, type Scenario, scenario } from "./utils/SyncScenario.js"

const removedPlans = (plan: Sync.Plan) => plan.people.filter((p) => p.removed)

describe("deletes need proof: full reads", () => {
  it.effect("a read the adapter found incomplete plans no removal, stores no version, and says why", () =>
    Effect.gen(function*() {
      const s = scenario()
      s.source.remove("rc-3")
      yield* runOnce(s)
      const state = yield* SyncState.SyncState
      yield* state.setVersion(undefined)
      // the listing stops after the first person, and the adapter's audit noticed
      s.source.answer({ _tag: "Truncated", keep: 1, detected: true })
      const before = s.book.dumpAll()
      const report = yield* runOnce(s)
      expect(s.book.dumpAll()).toEqual(before)
      expect(report.summary.deleted).toBe(0)
      expect(report.summary.status).toBe("partial")
      expect(report.summary.held).toBe(2)
      expect(removedPlans(report.plan).map((p) => [p.sourceId, p.held])).toEqual([
        ["rc-2", "absent from a read of the directory that proves nothing (injected: truncated read; the ringcentral read has 1 people, the last complete read had 3: implausible (under 50%)): not removed"],
        ["rc-4", "absent from a read of the directory that proves nothing (injected: truncated read; the ringcentral read has 1 people, the last complete read had 3: implausible (under 50%)): not removed"]
      ])
      expect(report.summary.issues).toEqual([
        "the source read proves nothing: injected: truncated read; the ringcentral read has 1 people, the last complete read had 3: implausible (under 50%)",
        "2 removal(s) held back for lack of proof"
      ])
      expect(yield* state.version).toEqual(Option.none())
      expect(Sync.formatPlan(report.plan)).toContain("! the source read proves nothing, so nothing is deleted on its strength")
      // the next, complete read finds everyone and has nothing to do
      const next = yield* runOnce(s)
      expect(next.summary.status).toBe("complete")
      expect(Sync.counts(next.plan)).toMatchObject({ create: 0, update: 0, delete: 0 })
      expect(yield* state.version).toEqual(Option.some(s.source.version()))
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a read that lies consistently (says complete, misses people): the direct read finds them, nothing is deleted", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      const state = yield* SyncState.SyncState
      yield* state.setVersion(undefined)
      s.source.answer({ _tag: "Shifted", drop: 1, detected: false })
      const before = s.book.dumpAll()
      const gets = s.source.calls.get
      const report = yield* runOnce(s)
      expect(s.source.calls.get - gets).toBe(1)
      expect(s.book.dumpAll()).toEqual(before)
      expect(removedPlans(report.plan).map((p) => [p.sourceId, p.held])).toEqual([
        ["rc-2", "missing from the directory listing but found by a direct read: not removed"]
      ])
      expect(report.plan.reads[0]).toMatchObject({ side: "source", trusted: false })
      expect(report.plan.reads[0]!.issues).toEqual(["1 people missing from the listing were found by a direct read (rc-2)"])
      expect(yield* state.version).toEqual(Option.none())
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("an empty listing after a complete one is implausible: nothing is deleted, even when the server says it is complete", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      const state = yield* SyncState.SyncState
      expect(yield* state.lastCount("source")).toEqual(Option.some(4))
      yield* state.setVersion(undefined)
      s.source.answer({ _tag: "Truncated", keep: 0, detected: false })
      const before = s.book.dumpAll()
      const gets = s.source.calls.get
      const report = yield* runOnce(s)
      expect(s.book.dumpAll()).toEqual(before)
      expect(s.source.calls.get).toBe(gets) // no call spent confirming absences of an untrusted read
      expect(report.summary.held).toBe(3)
      expect(report.plan.reads[0]!.issues).toEqual(["the ringcentral read is empty, the last complete read had 4: implausible"])
      expect(yield* state.lastCount("source")).toEqual(Option.some(4))
      // a much smaller read is implausible too
      s.source.answer({ _tag: "Truncated", keep: 1, detected: false })
      const smaller = yield* runOnce(s)
      expect(smaller.plan.reads[0]!.issues).toEqual([
        "the ringcentral read has 1 people, the last complete read had 4: implausible (under 50%)"
      ])
      expect(s.book.dumpAll()).toEqual(before)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a read that fails midway writes nothing", () =>
    Effect.gen(function*() {
      const s = scenario({ pageSize: 2 })
      yield* runOnce(s)
      const state = yield* SyncState.SyncState
      yield* state.setVersion(undefined)
      s.source.answer({ _tag: "Fail", afterPages: 1 })
      const writes = s.book.writes()
      const failed = yield* Effect.flip(runOnce(s))
      expect(failed._tag).toBe("Unavailable")
      expect(s.book.writes()).toBe(writes)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("an absence the direct read cannot confirm (it fails) is held, not acted on", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      s.source.remove("rc-2")
      s.source.failGets(1)
      const report = yield* runOnce(s)
      expect(removedPlans(report.plan).map((p) => p.held)).toEqual([
        "the absence could not be confirmed (ringcentral.get: injected: the read failed (HTTP 503)): not removed"
      ])
      expect(s.book.dump("p-2")).toEqual(expectedAfterFirstRun["p-2"])
      // confirmed the next time
      const next = yield* runOnce(s)
      expect(next.summary.deleted).toBe(2)
      expect(next.summary.status).toBe("complete")
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("an empty or incomplete People listing never makes anyone unmatched and never deletes their contacts", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      const state = yield* SyncState.SyncState
      const before = s.book.dumpAll()
      for (const answer of [
        { _tag: "Truncated", keep: 0, detected: false },
        { _tag: "Truncated", keep: 1, detected: true },
        { _tag: "Shifted", drop: 0, detected: false }
      ] as const) {
        yield* state.setVersion(undefined)
        s.target.answer(answer)
        const report = yield* runOnce(s, { verify: true })
        expect(s.book.dumpAll()).toEqual(before)
        expect(report.summary.deleted).toBe(0)
        expect(report.summary.status).toBe("partial")
        expect(report.plan.reads.find((r) => r.side === "target")!.trusted).toBe(false)
        expect(yield* state.xrefs).toHaveLength(3)
      }
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

describe("deletes need proof: partial runs and events", () => {
  it.effect("a single NotFound while re-reading a person deletes nothing unless a delete event confirms it", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      const job = yield* s.job()
      // the person is there, but one read says 404
      s.source.hideOnGet(["rc-2"])
      const report = yield* job.syncPeople(["rc-2"])
      expect(report.plan.people.map((p) => [p.sourceId, p.held])).toEqual([
        ["rc-2", "not found by a direct read, but no delete event confirms it: left for the next full run"]
      ])
      expect(report.summary.status).toBe("partial")
      expect(s.book.dump("p-2")).toEqual(expectedAfterFirstRun["p-2"])
      // an update event whose re-read says 404: held, and the event stays unprocessed
      const update = yield* job.applyEvents([{ uuid: "e-1", changes: [{ type: "Update", remoteId: "rc-2" }] }])
      expect(update.summary.held).toBe(1)
      expect(yield* Effect.flatMap(SyncState.SyncState, (state) => state.isEventProcessed("e-1"))).toBe(false)
      expect(s.book.dump("p-2")).toEqual(expectedAfterFirstRun["p-2"])
      // a failing re-read is a failure, not a removal
      s.source.hideOnGet([])
      s.source.failGets(1)
      const failing = yield* job.applyEvents([{ uuid: "e-2", changes: [{ type: "Delete", remoteId: "rc-2" }] }])
      expect(failing.summary.failures.map((f) => [f.sourceId, f.error._tag])).toEqual([["rc-2", "Unavailable"]])
      expect(s.book.dump("p-2")).toEqual(expectedAfterFirstRun["p-2"])
      // a delete event and a 404: confirmed
      s.source.remove("rc-2")
      const deleted = yield* job.applyEvents([{ uuid: "e-3", changes: [{ type: "Delete", remoteId: "rc-2" }] }])
      expect(deleted.summary.deleted).toBe(2)
      expect(deleted.summary.status).toBe("complete")
      expect(s.book.dump("p-2")).toEqual([])
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

describe("the delete guard", () => {
  const bigScenario = () => scenario({ extraPeople: 30 })

  it.effect("a run deleting more than allowed writes nothing, lists what it would delete, and says how to allow it", () =>
    Effect.gen(function*() {
      const s = bigScenario()
      const first = yield* runOnce(s)
      expect(first.summary.created).toBe(67)
      for (let i = 10; i < 16; i++) s.source.remove(`rc-${i}`)
      const before = s.book.dumpAll()
      const writes = s.book.writes()
      const gets = s.source.calls.get
      const state = yield* SyncState.SyncState
      const version = yield* state.version
      // 12 deletions; the default limit is max(10, 10% of 67 owned) = 10
      const refused = yield* Effect.flip(runOnce(s))
      expect(refused._tag).toBe("MassDeleteRefused")
      if (refused._tag !== "MassDeleteRefused") return
      expect(refused).toMatchObject({ deletes: 12, limit: 10, owned: 67 })
      expect(refused.deletions).toHaveLength(12)
      expect(refused.deletions[0]).toMatch(/^- delete \d+ email work p10@acme.com on p-10 \(rc-10\): the person left the directory/)
      expect(refused.message).toContain("would delete 12 contacts (limit 10; the job owns 67)")
      expect(refused.message).toContain("--allow-mass-delete")
      expect(refused.isRetryable).toBe(false)
      expect(s.book.writes()).toBe(writes)
      expect(s.book.dumpAll()).toEqual(before)
      expect(s.source.calls.get).toBe(gets) // no absence confirmed for a run the guard refuses
      expect(yield* state.version).toEqual(version)
      // a dry run shows it
      const plan = yield* Effect.flatMap(s.job({ dryRun: true }), (job) => job.plan)
      expect(plan.guard.tripped).toBe(true)
      expect(Sync.formatPlan(plan)).toContain("! the delete guard refuses this plan: 12 deletions (limit 10 of 67 owned)")
      // allowed: explicitly, by a higher limit or a higher ratio
      const allowed = yield* runOnce(s, { maxDeletes: 12 })
      expect(allowed.summary.deleted).toBe(12)
      expect(s.source.calls.get - gets).toBe(6)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("allowMassDelete and maxDeleteRatio lift the guard", () =>
    Effect.gen(function*() {
      for (const extra of [{ allowMassDelete: true }, { maxDeleteRatio: 0.2 }]) {
        const s = bigScenario()
        yield* runOnce(s)
        for (let i = 10; i < 16; i++) s.source.remove(`rc-${i}`)
        const report = yield* runOnce(s, extra)
        expect(report.summary.deleted).toBe(12)
      }
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("too many linked people unmatched at once trips the guard too", () =>
    Effect.gen(function*() {
      const s = bigScenario()
      yield* runOnce(s)
      // eleven People records deleted: their people are no longer matched (nothing to delete: the contacts went with them)
      for (let i = 10; i < 21; i++) {
        s.target.remove(`p-${i}`)
        s.book.removePerson(`p-${i}`)
      }
      yield* Effect.flatMap(SyncState.SyncState, (state) => state.setVersion(undefined))
      const refused = yield* Effect.flip(runOnce(s))
      expect(refused).toMatchObject({ _tag: "MassDeleteRefused", deletes: 0, unmatched: 11, unmatchedLimit: 10, linked: 33 })
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

describe("one run per state", () => {
  it.effect("a second run on the same state fails at once, naming the holder; the lease is released at the end", () =>
    Effect.gen(function*() {
      const s = scenario({ latency: "10 millis" })
      const first = yield* Effect.fork(runOnce(s, { lease: { owner: "host-a:123" } }))
      yield* TestClock.adjust("1 millis")
      const second = yield* Effect.flip(runOnce(s, { lease: { owner: "host-b:456" } }))
      expect(second._tag).toBe("StateBusy")
      expect(second.message).toMatch(/^the sync state is in use by host-a:123 \(started 0 s ago, last heartbeat 0 s ago\): one run at a time; if that run crashed, its lease expires in 60 s$/)
      yield* TestClock.adjust("10 seconds")
      const report = yield* Fiber.join(first)
      expect(report.summary.status).toBe("complete")
      expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
      // released: the next run goes
      const state = yield* SyncState.SyncState
      yield* state.setVersion(undefined)
      const third = yield* runOnce(s, { lease: { owner: "host-b:456" } })
      expect(Sync.counts(third.plan)).toMatchObject({ create: 0, delete: 0 })
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a crashed run's lease is taken over once expired, and the stalled run stops writing", () =>
    Effect.gen(function*() {
      const state = yield* SyncState.SyncState
      const crashed = new SyncState.Lease({ owner: "crashed", startedAt: 0, heartbeatAt: 0, expiresAt: 60_000 })
      expect(yield* state.tryLease(crashed)).toEqual(Option.none())
      const s = scenario()
      expect((yield* Effect.flip(runOnce(s)))._tag).toBe("StateBusy")
      yield* TestClock.adjust("60 seconds")
      const report = yield* runOnce(s)
      expect(report.summary.status).toBe("complete")
      // the crashed holder cannot renew what it lost
      expect(yield* state.renewLease("crashed", 61_000, 121_000)).toBe(false)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("dry runs need no lease", () =>
    Effect.gen(function*() {
      const state = yield* SyncState.SyncState
      yield* state.tryLease(new SyncState.Lease({ owner: "other", startedAt: 0, heartbeatAt: 0, expiresAt: 60_000 }))
      const report = yield* runOnce(scenario(), { dryRun: true })
      expect(report.summary.dryRun).toBe(true)
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

describe("partial runs are visible", () => {
  it.effect("a person whose writes keep failing is a failure; everyone else is written; the version is not stored", () =>
    Effect.gen(function*() {
      const s = scenario()
      // Bob's People record refuses every write (it was locked)
      const report = yield* runOnce(s, { concurrency: 1, contacts: failingFor(s, "p-2") })
      expect(report.summary.status).toBe("partial")
      expect(report.summary.failures.map((f) => [f.sourceId, f.personId, f.action?._tag, f.error._tag])).toEqual([
        ["rc-2", "p-2", "Create", "Unavailable"],
        ["rc-2", "p-2", "Create", "Unavailable"]
      ])
      expect(report.summary.created).toBe(5)
      expect(s.book.dump("p-1")).toEqual(expectedAfterFirstRun["p-1"])
      expect(s.book.dump("p-4")).toEqual(expectedAfterFirstRun["p-4"])
      expect(Sync.formatFailure(report.summary.failures[0]!)).toBe(
        "! create email work bob@acme.com on p-2 (rc-2): people-contacts.create: injected: the server keeps refusing p-2 (HTTP 503)"
      )
      const state = yield* SyncState.SyncState
      expect(yield* state.version).toEqual(Option.none())
      // the next run writes just Bob
      const next = yield* runOnce(s)
      expect(next.summary.created).toBe(2)
      expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("refused credentials stop the run at once; too many failures in a row stop it too; both say why", () =>
    Effect.gen(function*() {
      const s = scenario({ extraPeople: 20 })
      const unauthorized = yield* runOnce(s, { concurrency: 1, contacts: unauthorizedBook(s) })
      expect(unauthorized.summary.status).toBe("stopped")
      expect(unauthorized.summary.failures).toHaveLength(1)
      expect(unauthorized.summary.issues.at(-1)).toMatch(/^stopped writing: the credentials were refused/)
      expect(unauthorized.summary.notApplied).toBe(22)
      const s2 = scenario({ extraPeople: 20 })
      s2.book.failAfter(0)
      const failing = yield* runOnce(s2, { concurrency: 1, stopAfterFailures: 3 })
      expect(failing.summary.status).toBe("stopped")
      expect(failing.summary.failures).toHaveLength(3)
      expect(failing.summary.issues.at(-1)).toBe(
        "stopped writing after 3 failures in a row (last: people-contacts.create: injected fault (HTTP 503))"
      )
      expect(failing.summary.notApplied).toBeGreaterThan(15)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.live("an interrupted run finishes the write in flight and records it; the next run continues without duplicates", () =>
    Effect.gen(function*() {
      const s = scenario({ latency: "20 millis", extraPeople: 10 })
      const fiber = yield* Effect.fork(runOnce(s, { concurrency: 2 }))
      while (s.book.calls.create < 5) yield* Effect.sleep("5 millis")
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      const created = s.book.calls.create
      const state = yield* SyncState.SyncState
      let recorded = 0
      for (const id of ["p-1", "p-2", "p-4", ...Array.from({ length: 10 }, (_, i) => `p-${i + 10}`)]) {
        recorded += (yield* state.written(id)).length
      }
      // every create that reached the book was recorded: none was cut between the write and its record
      expect(recorded).toBe(created)
      const next = yield* runOnce(s)
      expect(next.summary.adopted).toBe(0)
      expect(next.summary.created).toBe(27 - created)
      expect(s.book.dump("p-1")).toEqual(expectedAfterFirstRun["p-1"])
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

/** A contact book whose writes for one person fail with a retryable error. */
const failingFor = (s: Scenario, personId: string) => {
  const book = s.book.service
  const refuse = (method: string) =>
    Effect.fail(
      new PeopleErrors.Unavailable({ module: PC, method, reason: `injected: the server keeps refusing ${personId}`, status: 503 })
    )
  return {
    ...book,
    create: (...args: Parameters<typeof book.create>) => args[0] === personId ? refuse("create") : book.create(...args),
    update: (...args: Parameters<typeof book.update>) => args[0] === personId ? refuse("update") : book.update(...args),
    delete: (...args: Parameters<typeof book.delete>) => args[0] === personId ? refuse("delete") : book.delete(...args)
  }
}

/** A contact book whose writes are refused for bad credentials. */
const unauthorizedBook = (s: Scenario) => {
  const book = s.book.service
  return {
    ...book,
    create: () => Effect.fail(new PeopleErrors.Unauthorized({ module: PC, method: "create", reason: "token revoked", status: 401 }))
  }
}

describe("never deletes the contacts of a person still in the directory (property)", () => {
  type Fault = Memory.Answer
  type Change =
    | { readonly _tag: "Remove"; readonly index: number }
    | { readonly _tag: "Restore"; readonly index: number }
    | { readonly _tag: "Renumber"; readonly index: number; readonly suffix: number }
  interface Step {
    readonly source: Fault
    readonly target: Fault
    readonly failGets: number
    readonly failWritesAfter: number | undefined
    readonly verify: boolean
    readonly changes: ReadonlyArray<Change>
  }
  const people = 14
  const answer = (size: number): fc.Arbitrary<Fault> =>
    fc.oneof(
      fc.constant<Fault>({ _tag: "Complete" }),
      fc.record({ _tag: fc.constant("Truncated" as const), keep: fc.integer({ min: 0, max: size }), detected: fc.boolean() }),
      fc.record({ _tag: fc.constant("Shifted" as const), drop: fc.integer({ min: 0, max: size - 1 }), detected: fc.boolean() }),
      fc.record({ _tag: fc.constant("Fail" as const), afterPages: fc.integer({ min: 0, max: 3 }) })
    )
  const change: fc.Arbitrary<Change> = fc.oneof(
    fc.record({ _tag: fc.constant("Remove" as const), index: fc.integer({ min: 0, max: people - 1 }) }),
    fc.record({ _tag: fc.constant("Restore" as const), index: fc.integer({ min: 0, max: people - 1 }) }),
    fc.record({ _tag: fc.constant("Renumber" as const), index: fc.integer({ min: 0, max: people - 1 }), suffix: fc.integer({ min: 0, max: 9 }) })
  )
  const step: fc.Arbitrary<Step> = fc.record({
    source: answer(people),
    target: answer(people - 1),
    failGets: fc.integer({ min: 0, max: 2 }),
    failWritesAfter: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    verify: fc.boolean(),
    changes: fc.array(change, { maxLength: 2 })
  })

  /** The source people of the scenario, by index; `Renumber` gives one a new work number. */
  const makeWorld = () => ({
    s: scenario({ extraPeople: 10, pageSize: 3 }),
    ids: ["rc-1", "rc-2", "rc-3", "rc-4", ...Array.from({ length: 10 }, (_, i) => `rc-${i + 10}`)]
  })

  const apply = (world: ReturnType<typeof makeWorld>, present: Map<string, boolean>, c: Change, people: Map<string, Person.Person>) => {
    const id = world.ids[c.index]!
    switch (c._tag) {
      case "Remove":
        world.s.source.remove(id)
        present.set(id, false)
        return
      case "Restore":
        if (present.get(id) === false) {
          world.s.source.put(people.get(id)!)
          present.set(id, true)
        }
        return
      case "Renumber": {
        if (present.get(id) === false) return
        const before = people.get(id)!
        const next: Person.Person = Memory.person(RC, {
          id,
          given: before.name.given ?? "X",
          ...(before.employeeNumber === undefined ? {} : { employeeNumber: before.employeeNumber }),
          points: [
            ...before.contactPoints.filter((p) => p.kind === "email").map((p) => ({ kind: p.kind, value: p.value, label: p.label })),
            { kind: "phone" as const, value: `+1 415 555 01${c.index.toString().padStart(1, "0")}${c.suffix}`, label: "work" as const }
          ]
        })
        people.set(id, next)
        world.s.source.put(next)
        return
      }
    }
  }

  it.effect("for random sequences of faulty answers and real changes, no wanted contact is deleted; a clean run converges", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) =>
          Effect.runPromise(
            Effect.gen(function*() {
              const world = makeWorld()
              const { s } = world
              const snapshot = Chunk.toReadonlyArray(yield* Stream.runCollect(s.source.service.stream))
              const people = new Map(snapshot.map((p) => [p.provenance[0]!.remoteId, p] as const))
              const present = new Map(world.ids.map((id) => [id, true] as const))
              const replay: Array<Change> = []
              yield* runOnce(s)
              for (const st of steps) {
                for (const c of st.changes) {
                  apply(world, present, c, people)
                  replay.push(c)
                }
                s.source.answer(st.source)
                s.target.answer(st.target)
                s.source.failGets(st.failGets)
                s.book.failAfter(st.failWritesAfter)
                const deletedBefore = s.book.deleted().length
                yield* Effect.either(runOnce(s, { verify: st.verify }))
                s.book.failAfter(undefined)
                s.source.failGets(0)
                // every delete of this run: the person left the directory, or the value is not one they should have
                for (const d of s.book.deleted().slice(deletedBefore)) {
                  const sourceId = `rc-${d.personId.slice(2)}`
                  if (present.get(sourceId) !== true) continue
                  const wanted = Sync.project(people.get(sourceId)!, { system: RC, sourceId }).desired.map((p) => `${p.kind}|${p.normalized}`)
                  expect(wanted).not.toContain(`${d.kind}|${d.value}`)
                }
              }
              // a clean, verifying run with everything answering converges to what a clean first run gives
              const state = yield* SyncState.SyncState
              yield* state.setVersion(undefined)
              s.source.answer()
              s.target.answer()
              const final = yield* runOnce(s, { verify: true, allowMassDelete: true })
              expect(final.summary.issues).toEqual([])
              const fresh = makeWorld()
              const freshPeople = new Map(snapshot.map((p) => [p.provenance[0]!.remoteId, p] as const))
              const freshPresent = new Map(fresh.ids.map((id) => [id, true] as const))
              for (const c of replay) apply(fresh, freshPresent, c, freshPeople)
              yield* Effect.provide(runOnce(fresh.s), SyncState.layerMemory)
              expect(s.book.dumpAll()).toEqual(fresh.s.book.dumpAll())
            }).pipe(Effect.provide(SyncState.layerMemory))
          )
        ),
        { numRuns: 60, seed: 42 }
      )
    ), { timeout: 240_000 })
})

