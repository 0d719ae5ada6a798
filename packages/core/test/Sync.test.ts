import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Stream, SubscriptionRef, TestClock } from "effect"
import * as fc from "fast-check"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as RateLimiter from "../src/RateLimiter.js"
import * as Sync from "../src/Sync.js"
import * as SyncState from "../src/SyncState.js"
import * as Sqlite from "./utils/Sqlite.js"
import * as Memory from "./utils/Memory.js"
import { expectedAfterFirstRun, PC, RC, runOnce, scenario } from "./utils/SyncScenario.js"

const summaryOf = (plan: Sync.Plan) =>
  plan.people.map((p) => ({
    source: p.sourceId,
    person: p.personId,
    by: p.matchedBy,
    actions: p.actions.map((a) => `${a._tag} ${a.point.kind} ${a.point.label} ${a.point.normalized}: ${a.reason}`),
    skipped: p.skipped.map((s) => `${s.point === undefined ? "" : `${s.point.label} ${s.point.value}: `}${s.reason}`)
  }))

describe("Sync.plan", () => {
  it.effect("plans creates per matched person, with reasons and skips, and writes nothing", () =>
    Effect.gen(function*() {
      const s = scenario()
      const job = yield* s.job()
      const plan = yield* job.plan
      expect(plan.mode).toBe("full")
      expect(plan.unchanged).toBe(false)
      expect(plan.peopleRead).toBe(4)
      expect(summaryOf(plan)).toEqual([
        {
          source: "rc-1",
          person: "p-1",
          by: "email",
          actions: [
            "Create email work alice@acme.com: new in the directory",
            "Create phone work +16505550101: new in the directory",
            "Create phone mobile +16505550102: new in the directory",
            "Create phone fax +16505550103: new in the directory"
          ],
          skipped: [
            "main +1 650 555 0100: shared number (company main): never projected",
            "work call me: unnormalized value: no digits in phone number \"call me\"",
            "work +16505550101: duplicate of phone work +16505550101"
          ]
        },
        {
          source: "rc-2",
          person: "p-2",
          by: "employeeNumber",
          actions: [
            "Create email work bob@acme.com: new in the directory",
            "Create phone work +16505550201: new in the directory"
          ],
          skipped: []
        },
        {
          source: "rc-3",
          person: undefined,
          by: undefined,
          actions: [],
          skipped: ["no matching person (e-mail carol@acme.com, no employee number)"]
        },
        {
          source: "rc-4",
          person: "p-4",
          by: "email",
          actions: ["Create email work dan@acme.com: new in the directory"],
          skipped: ["mobile +16505550402: already present, owned by a person"]
        }
      ])
      expect(Sync.counts(plan)).toEqual({ create: 7, update: 0, delete: 0, adopt: 0, forget: 0, skip: 5 })
      // every create carries the source reference
      for (const action of Sync.actions(plan)) {
        expect(action.point.source?.system).toBe(RC)
        expect(action.point.source?.remoteId).toBe(action.sourceId)
      }
      expect(s.book.writes()).toBe(0)
      // planning never writes state
      const state = yield* SyncState.SyncState
      expect(yield* state.xrefs).toEqual([])
      expect(yield* state.version).toEqual(Option.none())
      const text = Sync.formatPlan(plan)
      expect(text).toContain("7 to create, 0 to update, 0 to delete, 0 to adopt, 5 skipped")
      expect(text).toContain("rc-1 (Alice Archer) → p-1 (by email) [link]")
      expect(text).toContain("  + create phone fax +16505550103 on p-1: new in the directory")
      expect(text).toContain("rc-3 (Carol Cole) unmatched")
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a dry run plans without writing anything or changing the state", () =>
    Effect.gen(function*() {
      const s = scenario()
      const report = yield* runOnce(s, { dryRun: true })
      expect(report.summary.dryRun).toBe(true)
      expect(Sync.actions(report.plan)).toHaveLength(7)
      expect(report.summary.created).toBe(0)
      expect(s.book.writes()).toBe(0)
      const again = yield* runOnce(s, { dryRun: true })
      expect(again.plan.unchanged).toBe(false)
      expect(Sync.actions(again.plan)).toHaveLength(7)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("projects only the labels and kinds asked for", () =>
    Effect.gen(function*() {
      const s = scenario()
      const plan = yield* Effect.flatMap(s.job({ labels: ["mobile"], kinds: ["phone"] }), (job) => job.plan)
      expect(Sync.actions(plan).map((a) => `${a.point.label} ${a.point.normalized}`)).toEqual(["mobile +16505550102"])
      expect(plan.people[0]!.skipped.map((x) => x.reason)).toContain("kind email is not projected")
      expect(plan.people[0]!.skipped.map((x) => x.reason)).toContain("label fax is not projected")
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

describe("Sync.run", () => {
  it.effect("applies exactly the planned calls and never touches contacts people typed in", () =>
    Effect.gen(function*() {
      const s = scenario()
      const job = yield* s.job()
      const plan = yield* job.plan
      const reads = { list: s.book.calls.list, get: s.book.calls.get, source: s.source.total(), target: s.target.total() }
      const summary = yield* job.apply(plan)
      // applying reads nothing: it makes exactly the planned writes
      expect({ list: s.book.calls.list, get: s.book.calls.get, source: s.source.total(), target: s.target.total() }).toEqual(reads)
      expect(s.book.calls.create).toBe(7)
      expect(s.book.calls.update + s.book.calls.delete + s.book.calls.deleteAll).toBe(0)
      expect(summary).toMatchObject({ created: 7, updated: 0, deleted: 0, matched: 3, unmatched: 1, failures: [] })
      expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
      const state = yield* SyncState.SyncState
      expect((yield* state.xrefs).map((x) => [x.sourceId, x.targetId])).toEqual([["rc-1", "p-1"], ["rc-2", "p-2"], ["rc-4", "p-4"]])
      expect((yield* state.written("p-1")).map((w) => `${w.label} ${w.normalized}`)).toEqual([
        "work alice@acme.com",
        "work +16505550101",
        "mobile +16505550102",
        "fax +16505550103"
      ])
      expect(yield* state.version).toEqual(Option.some(s.source.version()))
      const progress = yield* SubscriptionRef.get(job.progress)
      expect(progress).toMatchObject({ phase: "done", writes: 7, peopleRead: 4, matched: 3, unmatched: 1 })
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("an unchanged directory costs one directory call and no People calls", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      const before = { source: s.source.total(), target: s.target.total(), book: { ...s.book.calls } }
      const report = yield* runOnce(s)
      expect(report.plan.unchanged).toBe(true)
      expect(s.source.total() - before.source).toBe(1)
      expect(s.source.calls.notModified).toBe(1)
      expect(s.target.total()).toBe(before.target)
      expect(s.book.calls).toEqual(before.book)
      expect(report.summary.calls).toEqual({ source: 1, target: 0, contacts: 0 })
      expect(Sync.formatPlan(report.plan)).toContain("directory unchanged")
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect.each(["index", "search"] as const)(
    "is idempotent: re-reading a directory it already synced plans nothing and writes nothing (match: %s)",
    (match) =>
      Effect.gen(function*() {
        const s = scenario()
        yield* runOnce(s, { match })
        const writes = s.book.writes()
        const state = yield* SyncState.SyncState
        yield* state.setVersion(undefined) // force a full re-read
        const lists = s.book.calls.list
        const report = yield* runOnce(s, { match })
        expect(report.plan.unchanged).toBe(false)
        expect(Sync.counts(report.plan)).toMatchObject({ create: 0, update: 0, delete: 0, adopt: 0, forget: 0 })
        // nobody's projection changed: no contacts are read
        expect(s.book.calls.list).toBe(lists)
        yield* state.setVersion(undefined)
        const verified = yield* runOnce(s, { match, verify: true })
        expect(verified.plan.unchanged).toBe(false)
        expect(s.book.calls.list - lists).toBe(3)
        expect(Sync.counts(verified.plan)).toMatchObject({ create: 0, update: 0, delete: 0, adopt: 0, forget: 0 })
        expect(s.book.writes()).toBe(writes)
        expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
      }).pipe(Effect.provide(SyncState.layerMemory))
  )

  it.effect("a changed directory re-reads the contacts of the changed people only; a verifying run repairs drift", () =>
    Effect.gen(function*() {
      const s = scenario({ extraPeople: 5 })
      yield* runOnce(s)
      s.source.put(Memory.person(RC, { id: "rc-12", given: "P12", points: [{ kind: "email", value: "p12@acme.com", label: "work" }] }))
      const lists = s.book.calls.list
      const report = yield* runOnce(s)
      expect(report.plan.unchanged).toBe(false)
      expect(s.book.calls.list - lists).toBe(1)
      expect(report.summary.deleted).toBe(1)
      expect(s.book.dump("p-12")).toEqual([["email", "p12@acme.com", "work", true]])
      // someone deletes a contact the job owns, by hand: a normal run does not notice, a verifying run restores it
      const state = yield* SyncState.SyncState
      const [bobEmail] = yield* state.written("p-2")
      yield* s.book.service.delete("p-2", bobEmail!.contactId)
      yield* state.setVersion(undefined)
      expect(Sync.actions((yield* runOnce(s)).plan)).toEqual([])
      yield* state.setVersion(undefined)
      const verified = yield* runOnce(s, { verify: true })
      expect(verified.plan.people.flatMap((p) => p.forget.map((f) => f.reason))).toEqual(["the contact no longer exists"])
      expect(Sync.actions(verified.plan).map((a) => `${a._tag} ${a.personId} ${a.point.normalized}`)).toEqual(["Create p-2 bob@acme.com"])
      expect(s.book.dump("p-2")).toEqual(expectedAfterFirstRun["p-2"])
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect.each([false, true])("follows directory changes: value changed, label changed, number removed (list omits integration: %s)", (omitIntegration) =>
    Effect.gen(function*() {
      const s = scenario({ omitIntegration })
      yield* runOnce(s)
      s.source.put(
        Memory.person(RC, {
          id: "rc-1",
          given: "Alice",
          family: "Archer",
          points: [
            { kind: "email", value: "alice@acme.com", label: "work" },
            { kind: "phone", value: "+1 650 555 0101", label: "mobile" },
            { kind: "phone", value: "+1 650 555 0111", label: "fax" }
          ]
        })
      )
      const job = yield* s.job()
      const plan = yield* job.plan
      expect(summaryOf(plan).find((p) => p.source === "rc-1")!.actions).toEqual([
        "Delete phone mobile +16505550102: no longer in the directory",
        "Update phone mobile +16505550101: label changed work → mobile",
        "Update phone fax +16505550111: value changed +16505550103 → +16505550111"
      ])
      expect(Sync.actions(plan)).toHaveLength(3)
      const writes = s.book.writes()
      yield* job.apply(plan)
      expect(s.book.writes() - writes).toBe(3)
      expect(s.book.dump("p-1")).toEqual([
        ["email", "alice@acme.com", "work", true],
        ["phone", "+1 650 555 0198", "work", false],
        ["phone", "+1 650 555 0199", "home", false],
        ["phone", "+16505550101", "mobile", true],
        ["phone", "+16505550111", "fax", true]
      ])
      const state = yield* SyncState.SyncState
      yield* state.setVersion(undefined)
      const again = yield* Effect.flatMap(s.job(), (j) => j.plan)
      expect(Sync.actions(again)).toHaveLength(0)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a contact a person took over (integration: false) is forgotten, never changed or deleted", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      const state = yield* SyncState.SyncState
      const fax = (yield* state.written("p-1")).find((w) => w.label === "fax")!
      s.book.edit("p-1", fax.contactId, { integration: false })
      s.source.put(
        Memory.person(RC, {
          id: "rc-1",
          given: "Alice",
          points: [{ kind: "email", value: "alice@acme.com", label: "work" }]
        })
      )
      const report = yield* runOnce(s)
      const p1 = report.plan.people.find((p) => p.sourceId === "rc-1")!
      expect(p1.forget.map((f) => [f.contactId, f.reason])).toEqual([[fax.contactId, "marked integration: false: a person owns it now"]])
      expect(p1.actions.map((a) => `${a._tag} ${a.point.label}`)).toEqual(["Delete work", "Delete mobile"])
      expect(s.book.dump("p-1")).toEqual([
        ["email", "alice@acme.com", "work", true],
        ["phone", "+1 650 555 0198", "work", false],
        ["phone", "+1 650 555 0199", "home", false],
        ["phone", "+16505550103", "fax", false]
      ])
      expect((yield* state.written("p-1")).map((w) => w.label)).toEqual(["work"])
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a person removed from the directory loses the contacts the job owns, and only those", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      s.source.remove("rc-1")
      const report = yield* runOnce(s)
      const removed = report.plan.people.find((p) => p.sourceId === "rc-1")!
      expect(removed.removed).toBe(true)
      expect(removed.unlink).toBe(true)
      expect(removed.actions.map((a) => `${a._tag} ${a.point.label}: ${a.reason}`)).toEqual([
        "Delete work: the person left the directory",
        "Delete work: the person left the directory",
        "Delete mobile: the person left the directory",
        "Delete fax: the person left the directory"
      ])
      expect(report.summary.deleted).toBe(4)
      expect(report.summary.removed).toBe(1)
      expect(s.book.dump("p-1")).toEqual([
        ["phone", "+1 650 555 0198", "work", false],
        ["phone", "+1 650 555 0199", "home", false]
      ])
      const state = yield* SyncState.SyncState
      expect(yield* state.xref("rc-1")).toEqual(Option.none())
      expect(yield* state.written("p-1")).toEqual([])
      expect(yield* state.sources).toEqual(["rc-2", "rc-4"])
      // others untouched
      expect(s.book.dump("p-2")).toEqual(expectedAfterFirstRun["p-2"])
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a target person deleted in the People system is unlinked and its state forgotten", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      s.book.removePerson("p-2")
      s.target.remove("p-2")
      s.source.put(Memory.person(RC, { id: "rc-2", given: "Bob", employeeNumber: "E-2", points: [{ kind: "email", value: "bob@acme.com", label: "work" }] }))
      const report = yield* runOnce(s)
      const bob = report.plan.people.find((p) => p.sourceId === "rc-2")!
      expect(bob.personId).toBeUndefined()
      expect(bob.unlink).toBe(true)
      expect(bob.forget).toHaveLength(2)
      expect(report.summary.failures).toEqual([])
      const state = yield* SyncState.SyncState
      expect(yield* state.xref("rc-2")).toEqual(Option.none())
      expect(yield* state.written("p-2")).toEqual([])
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

describe("Sync events", () => {
  it.effect("a webhook event re-syncs just the people it names, once per event id", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      s.source.put(
        Memory.person(RC, {
          id: "rc-2",
          given: "Bob",
          employeeNumber: "E-2",
          points: [
            { kind: "email", value: "bob@acme.com", label: "work" },
            { kind: "phone", value: "+1 650 555 0202", label: "mobile" }
          ]
        })
      )
      const before = { source: { ...s.source.calls }, target: s.target.total(), book: { ...s.book.calls } }
      const job = yield* s.job()
      const event: Sync.DirectoryEvent = { uuid: "ev-1", changes: [{ type: "Update", remoteId: "rc-2" }] }
      const report = yield* job.applyEvents([event, event])
      expect(report.plan.mode).toBe("partial")
      expect(summaryOf(report.plan)[0]!.actions).toEqual([
        "Update phone mobile +16505550202: value changed +16505550201 → +16505550202"
      ])
      expect(s.source.calls.get - before.source.get).toBe(1)
      expect(s.source.calls.snapshot).toBe(before.source.snapshot)
      expect(s.book.calls.list - before.book.list).toBe(1)
      expect(s.target.total() - before.target).toBeLessThanOrEqual(2)
      expect(s.book.dump("p-2")).toEqual([
        ["email", "bob@acme.com", "work", true],
        ["phone", "+16505550202", "mobile", true]
      ])
      const state = yield* SyncState.SyncState
      expect(yield* state.isEventProcessed("ev-1")).toBe(true)
      // a repeated delivery does nothing at all
      const calls = { source: s.source.total(), target: s.target.total(), book: s.book.writes() + s.book.calls.list }
      const repeat = yield* job.applyEvents([event])
      expect(repeat.plan.people).toEqual([])
      expect({ source: s.source.total(), target: s.target.total(), book: s.book.writes() + s.book.calls.list }).toEqual(calls)
      // processed ids are remembered for the retention (default 7 days), then forgotten
      yield* TestClock.adjust("6 days")
      yield* job.applyEvents([])
      expect(yield* state.isEventProcessed("ev-1")).toBe(true)
      yield* TestClock.adjust("2 days")
      yield* job.applyEvents([])
      expect(yield* state.isEventProcessed("ev-1")).toBe(false)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a delete event removes the owned contacts of the person; out-of-order updates converge", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      s.source.remove("rc-4")
      const job = yield* s.job()
      // the update arrives after the delete (out of order): the job reads the current state either way
      const report = yield* job.applyEvents([
        { uuid: "ev-2", changes: [{ type: "Delete", remoteId: "rc-4" }] },
        { uuid: "ev-1", changes: [{ type: "Update", remoteId: "rc-4" }] }
      ])
      expect(report.summary.deleted).toBe(1)
      expect(s.book.dump("p-4")).toEqual([["phone", "650-555-0402", "mobile", false]])
      const state = yield* SyncState.SyncState
      expect(yield* state.xref("rc-4")).toEqual(Option.none())
      expect(yield* state.isEventProcessed("ev-1")).toBe(true)
      expect(yield* state.isEventProcessed("ev-2")).toBe(true)
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

describe("Sync resumability", () => {
  it.effect("a create whose answer was lost is adopted on the next run, with or without integration in list answers", () =>
    Effect.gen(function*() {
      for (const omitIntegration of [false, true]) {
        const s = scenario({ omitIntegration })
        const run = Effect.gen(function*() {
          s.book.loseCreateAnswers(1)
          const failed = yield* runOnce(s, { concurrency: 1 })
          // the lost answer is one failure of one person; the others went on
          expect(failed.summary.status).toBe("partial")
          expect(failed.summary.failures.map((f) => [f.sourceId, f.action?._tag, f.error._tag])).toEqual([["rc-1", "Create", "Unavailable"]])
          expect(failed.summary.created).toBe(6)
          expect(yield* Effect.flatMap(SyncState.SyncState, (state) => state.version)).toEqual(Option.none())
          const gets = s.book.calls.get
          const report = yield* runOnce(s)
          expect(report.summary.adopted).toBe(1)
          expect(report.summary.created).toBe(0)
          expect(report.summary.status).toBe("complete")
          // without integration in list answers, the lost create is read once (the others were synced by the first run)
          expect(s.book.calls.get - gets).toBe(omitIntegration ? 1 : 0)
          expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
          const state = yield* SyncState.SyncState
          yield* state.setVersion(undefined)
          const third = yield* runOnce(s, { verify: true })
          expect(Sync.counts(third.plan)).toMatchObject({ create: 0, update: 0, delete: 0, adopt: 0 })
        })
        yield* Effect.provide(run, SyncState.layerMemory)
      }
    }))

  it.effect("killed after any number of writes, the next run converges with nothing duplicated or lost (property)", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), (k, concurrency, lose) =>
          Effect.runPromise(
            Effect.gen(function*() {
              const s = scenario()
              s.book.failAfter(k)
              if (lose) s.book.loseCreateAnswers(1)
              const first = yield* runOnce(s, { concurrency, stopAfterFailures: 3 })
              // every write after the k-th failed: recorded, and the run stopped writing after 3 in a row
              expect(first.summary.status).not.toBe("complete")
              expect(first.summary.failures.length).toBeGreaterThan(0)
              expect(first.summary.failures.length).toBeLessThanOrEqual(3 + concurrency)
              s.book.failAfter(undefined)
              s.book.loseCreateAnswers(0)
              const second = yield* runOnce(s, { concurrency })
              expect(second.summary.failures).toEqual([])
              expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
              const state = yield* SyncState.SyncState
              expect((yield* state.written("p-1")).length + (yield* state.written("p-2")).length + (yield* state.written("p-4")).length).toBe(7)
              yield* state.setVersion(undefined)
              const writes = s.book.writes()
              const third = yield* runOnce(s, { concurrency, verify: true })
              expect(Sync.counts(third.plan)).toMatchObject({ create: 0, update: 0, delete: 0, adopt: 0, forget: 0 })
              expect(s.book.writes()).toBe(writes)
            }).pipe(Effect.provide(SyncState.layerMemory))
          )
        ),
        { numRuns: 25, seed: 7 }
      )
    ))

  it.effect("an update whose answer was lost leaves a stale state record, refreshed without a write", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      const state = yield* SyncState.SyncState
      const work = (yield* state.written("p-1")).find((w) => w.normalized === "+16505550101")!
      // the state still describes the contact as it was before an update that did reach the book
      yield* state.recordWrite(new SyncState.Written({ ...work, label: "mobile", hash: SyncState.hash({ ...work, label: "mobile" }) }))
      yield* state.setVersion(undefined)
      const writes = s.book.writes()
      const report = yield* runOnce(s, { verify: true })
      expect(report.plan.people.flatMap((p) => p.adopt.map((a) => [a.contactId, a.reason]))).toEqual([[work.contactId, "state refreshed"]])
      expect(Sync.actions(report.plan)).toEqual([])
      expect(s.book.writes()).toBe(writes)
      expect((yield* state.written("p-1")).find((w) => w.contactId === work.contactId)!.label).toBe("work")
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a directory that returns a person twice (paging overlap) is planned once", () =>
    Effect.gen(function*() {
      const s = scenario()
      const source = {
        ...s.source.service,
        snapshot: () =>
          Effect.map(s.source.service.snapshot(), (snap) =>
            snap._tag === "NotModified" ? snap : { ...snap, people: Stream.concat(snap.people, Stream.take(snap.people, 2)) })
      }
      const report = yield* Effect.flatMap(Sync.make({ ...s.options(), source }), (job) => job.run)
      expect(report.plan.peopleRead).toBe(4)
      expect(report.summary.created).toBe(7)
      expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a failure that rejects one action is reported and the rest is applied; the version is not stored", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      // a contact the job owns disappears from the book but stays in the plan
      s.source.put(Memory.person(RC, { id: "rc-2", given: "Bob", employeeNumber: "E-2", points: [] }))
      const job = yield* s.job()
      const plan = yield* job.plan
      const state = yield* SyncState.SyncState
      const [first] = yield* state.written("p-2")
      const versionBefore = yield* state.version
      s.book.edit("p-2", first!.contactId, { integration: false }) // the book now refuses it (Forbidden)
      const summary = yield* job.apply(plan)
      expect(summary.failures.map((f) => f.error._tag)).toEqual(["Forbidden"])
      expect(summary.deleted).toBe(1)
      expect(yield* state.version).toEqual(versionBefore)
    }).pipe(Effect.provide(SyncState.layerMemory)))
})

describe("Sync limits and progress", () => {
  it.live("never has more than `concurrency` contact-book calls in flight", () =>
    Effect.gen(function*() {
      const s = scenario({ latency: "3 millis", extraPeople: 20 })
      const progress: Array<Sync.Progress> = []
      const report = yield* runOnce(s, { concurrency: 3, onProgress: (p) => Effect.sync(() => void progress.push(p)) })
      expect(report.summary.created).toBe(7 + 40)
      expect(s.book.maxInFlight()).toBeLessThanOrEqual(3)
      expect(s.book.maxInFlight()).toBeGreaterThan(1)
      expect(progress.map((p) => p.phase)).toContain("applying")
      expect(progress.at(-1)!.phase).toBe("done")
      expect(report.summary.calls.contacts).toBe(s.book.calls.list + s.book.writes())
      expect(Sync.formatSummary(report.summary)).toContain("47 created")
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.live("reports the waits of the adapters' rate limiters and stays within the limit", () =>
    Effect.gen(function*() {
      // People-Contacts' burst limit (20 requests per 2 s), scaled down 20 times
      const limiter = yield* RateLimiter.make({
        buckets: RateLimiter.scale({ contacts: { windows: [{ limit: 20, window: "2 seconds" }] } }, 0.05)
      })
      const stats = Effect.map(limiter.stats, (limiter) => ({ attempts: limiter.requests, retries: 0, failures: 0, limiter }))
      const s = scenario({ extraPeople: 12, limiter })
      const started = Date.now()
      const report = yield* runOnce(s, { stats: [stats] })
      const elapsed = Date.now() - started
      const calls = s.book.calls.list + s.book.writes()
      expect(report.summary.created).toBe(7 + 24)
      expect(report.summary.rateLimitWaits).toBeGreaterThan(0)
      expect(report.summary.rateLimitWaits).toBe((yield* limiter.stats).waits)
      // at most 20 calls per 100 ms: the run cannot be faster than the windows it needed
      expect(elapsed).toBeGreaterThanOrEqual(Math.floor((calls - 1) / 20) * 100 - 10)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("matches by cross-reference when e-mail and employee number no longer match; ambiguity is reported", () =>
    Effect.gen(function*() {
      const s = scenario()
      yield* runOnce(s)
      // Bob's employee number changes in the People system: the cross-reference still finds him
      s.target.put(Memory.person(PC, { id: "p-2", given: "Bob", employeeNumber: "E-22", points: [{ kind: "email", value: "bob.b@acme.com" }] }))
      // Carol's e-mail now belongs to two People records
      s.target.put(Memory.person(PC, { id: "p-5", given: "Carol", points: [{ kind: "email", value: "carol@acme.com" }] }))
      s.target.put(Memory.person(PC, { id: "p-6", given: "Caroline", points: [{ kind: "email", value: "carol@acme.com" }] }))
      const state = yield* SyncState.SyncState
      yield* state.setVersion(undefined)
      const plan = yield* Effect.flatMap(s.job(), (job) => job.plan)
      const bob = plan.people.find((p) => p.sourceId === "rc-2")
      expect(bob).toBeUndefined() // matched by xref, nothing to do
      const carol = plan.people.find((p) => p.sourceId === "rc-3")!
      expect(carol.personId).toBeUndefined()
      expect(carol.skipped.map((x) => x.reason)).toEqual(["e-mail carol@acme.com is ambiguous (2 people)"])
      expect(plan.matched).toBe(3)
      expect(plan.unmatched).toBe(1)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("two directory people matched to one person never duplicate or delete each other's contacts", () =>
    Effect.gen(function*() {
      const s = scenario()
      // rc-9 has Bob's employee number and his phone
      s.source.put(
        Memory.person(RC, { id: "rc-9", given: "Robert", employeeNumber: "E-2", points: [{ kind: "phone", value: "+1 650 555 0201", label: "work" }] })
      )
      yield* runOnce(s)
      expect(s.book.dump("p-2")).toEqual(expectedAfterFirstRun["p-2"])
      const state = yield* SyncState.SyncState
      yield* state.setVersion(undefined)
      const plan = yield* Effect.flatMap(s.job(), (job) => job.plan)
      expect(Sync.actions(plan)).toEqual([])
      expect(plan.people.find((p) => p.sourceId === "rc-9")!.skipped.map((x) => x.reason)).toEqual([
        "person p-2 is matched to directory person rc-2"
      ])
      // the linked one keeps the person even when it comes later in the directory
      s.source.remove("rc-9")
      s.source.put(
        Memory.person(RC, { id: "rc-0", given: "Robert", employeeNumber: "E-2", points: [{ kind: "phone", value: "+1 650 555 0209", label: "mobile" }] })
      )
      const later = yield* Effect.flatMap(s.job(), (job) => job.plan)
      expect(Sync.actions(later)).toEqual([])
      expect(later.people.find((p) => p.sourceId === "rc-0")!.skipped.map((x) => x.reason)).toEqual([
        "person p-2 is matched to directory person rc-2"
      ])
      // and a webhook for the newcomer does not take the person either
      const partial = yield* Effect.flatMap(s.job(), (job) => job.planPeople(["rc-0"]))
      expect(Sync.actions(partial)).toEqual([])
      expect(partial.unmatched).toBe(1)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("runs on the SQLite state store, which carries the state to the next process", () =>
    Effect.gen(function*() {
      const filename = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "up-sync-")), "state.db")
      const s = scenario()
      yield* Effect.provide(runOnce(s), Sqlite.layer({ filename }))
      const report = yield* Effect.provide(runOnce(s), Sqlite.layer({ filename }))
      expect(report.plan.unchanged).toBe(true)
      s.source.remove("rc-2")
      const removal = yield* Effect.provide(runOnce(s), Sqlite.layer({ filename }))
      expect(removal.summary.deleted).toBe(2)
      expect(s.book.dump("p-2")).toEqual([])
      expect(PC).toBe(s.target.service.system)
    }))
})

describe("Sync identity resolution", () => {
  it.effect("a person whose e-mail differs between the systems is matched by the resolution; names alone are only suggested", () =>
    Effect.gen(function*() {
      const source = Memory.directory(RC, [
        Memory.person(RC, {
          id: "rc-9",
          given: "Erin",
          family: "Ostrander",
          points: [
            { kind: "email", value: "erin.ostrander@newco.com", label: "work" },
            { kind: "phone", value: "+1 650 555 0901", label: "mobile" }
          ]
        }),
        Memory.person(RC, { id: "rc-8", given: "Frank", family: "Fairweather", points: [{ kind: "email", value: "frank@newco.com", label: "work" }] })
      ])
      const target = Memory.directory(PC, [
        Memory.person(PC, {
          id: "p-9",
          given: "Erin",
          family: "Ostrander",
          points: [{ kind: "email", value: "erin.ostrander@oldco.com" }, { kind: "phone", value: "(650) 555-0901", label: "mobile" }]
        }),
        Memory.person(PC, { id: "p-8", given: "Frank", family: "Fairweather", points: [{ kind: "email", value: "f.fairweather@elsewhere.org" }] }),
        Memory.person(PC, { id: "p-7", given: "Gail", family: "Gonzaga", points: [{ kind: "email", value: "gail@oldco.com" }] })
      ])
      const book = Memory.contactBook(PC, ["p-7", "p-8", "p-9"])
      const options = { source: source.service, target: target.service, contacts: book.service }
      const plan = yield* Effect.flatMap(Sync.make({ ...options, dryRun: true }), (job) => job.plan)
      const erin = plan.people.find((p) => p.sourceId === "rc-9")!
      expect(erin).toMatchObject({ personId: "p-9", matchedBy: "resolution", link: true })
      expect(erin.evidence!.join(" ")).toContain("+16505550901")
      expect(erin.actions.map((a) => `${a._tag} ${a.point.normalized}`)).toEqual(["Create erin.ostrander@newco.com", "Create +16505550901"])
      const frank = plan.people.find((p) => p.sourceId === "rc-8")!
      expect(frank.personId).toBeUndefined()
      expect(frank.suggestions?.map((s) => s.personId)).toEqual(["p-8"])
      expect(frank.actions).toEqual([])
      expect(Sync.formatPlan(plan)).toContain("? possibly → p-8")
      expect(Sync.formatPlan(plan)).toContain("confirm with: unified-people link rc-8 p-8")
      // resolve: false keeps to exact keys
      const exact = yield* Effect.flatMap(Sync.make({ ...options, dryRun: true, resolve: false }), (job) => job.plan)
      expect(exact.people.find((p) => p.sourceId === "rc-9")!.personId).toBeUndefined()
      // a confirmed suggestion (a stored cross-reference) is matched by it on the next run
      const state = yield* SyncState.SyncState
      yield* Effect.flatMap(Sync.make(options), (job) => job.run)
      yield* state.setXref("rc-8", "p-8")
      yield* state.setVersion(undefined)
      const next = yield* Effect.flatMap(Sync.make(options), (job) => job.run)
      expect(next.plan.people.find((p) => p.sourceId === "rc-8")).toMatchObject({ personId: "p-8", matchedBy: "xref" })
      expect(book.dump("p-8")).toEqual([["email", "frank@newco.com", "work", true]])
    }).pipe(Effect.provide(SyncState.layerMemory)))
})
