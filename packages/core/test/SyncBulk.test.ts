/**
 * The sync's bulk mode on the in-memory ports: one export reads every target
 * person's contacts, one import writes them; the end state is the one the
 * person-by-person path gives.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as fc from "fast-check"
import * as PeopleError from "../src/PeopleError.js"
import * as Sync from "../src/Sync.js"
import * as SyncState from "../src/SyncState.js"
import * as Memory from "./utils/Memory.js"
import { expectedAfterFirstRun, PC, RC, runOnce, scenario } from "./utils/SyncScenario.js"

describe("Sync bulk mode", () => {
  it.effect("always: one export reads everyone's contacts, one import writes them; the end state is the REST one", () =>
    Effect.gen(function*() {
      const s = scenario({ bulk: {} })
      const report = yield* runOnce(s, { bulk: "always" })
      expect(report.plan.read).toBe("export")
      expect(report.summary.status).toBe("complete")
      expect(s.book.calls).toMatchObject({ list: 0, create: 0, update: 0, delete: 0, exports: 2, imports: 1, uploads: 1 })
      expect(report.summary.created).toBe(7)
      expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
      // the new ids reached the state: a verifying run finds nothing to do, and reads no contact list
      const state = yield* SyncState.SyncState
      expect((yield* state.written("p-1")).length).toBe(4)
      yield* state.setVersion(undefined)
      const again = yield* runOnce(s, { bulk: "always", verify: true })
      expect(Sync.counts(again.plan)).toMatchObject({ create: 0, update: 0, delete: 0, adopt: 0 })
      expect(s.book.calls).toMatchObject({ list: 0, exports: 3, imports: 1 })
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("auto: reads by export, writes a few people one by one and many by import", () =>
    Effect.gen(function*() {
      const few = scenario({ bulk: {} })
      const small = yield* runOnce(few)
      expect(small.plan.read).toBe("export")
      expect(few.book.calls).toMatchObject({ imports: 0, create: 7, list: 0 })
      const many = scenario({ bulk: {}, extraPeople: 25 })
      yield* Effect.provide(runOnce(many), SyncState.layerMemory)
      expect(many.book.calls).toMatchObject({ imports: 1, create: 0, list: 0 })
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("people an import cannot write (no primary e-mail, nothing left to keep) are written one by one", () =>
    Effect.gen(function*() {
      const s = scenario({ bulk: {} })
      yield* runOnce(s, { bulk: "always" })
      // Bob's projection empties: an import cannot take a person's last integration contact away
      s.source.put(Memory.person(RC, { id: "rc-2", given: "Bob", employeeNumber: "E-2", points: [] }))
      const report = yield* runOnce(s, { bulk: "always" })
      expect(report.summary.deleted).toBe(2)
      expect(s.book.calls.delete).toBe(2)
      expect(s.book.dump("p-2")).toEqual([])
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a failed export is read person by person instead; a refused one stops the run", () =>
    Effect.gen(function*() {
      const s = scenario({ bulk: {} })
      s.book.failExports(1)
      const report = yield* runOnce(s, { bulk: "always" })
      expect(report.plan.read).toBe("rest")
      expect(report.summary.status).toBe("complete")
      expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
      const refused = scenario({ bulk: {} })
      refused.book.failExports(1, new PeopleError.Unauthorized({ module: PC, method: "export", reason: "token revoked", status: 401 }))
      const stopped = yield* Effect.either(Effect.provide(runOnce(refused, { bulk: "always" }), SyncState.layerMemory))
      expect(stopped._tag).toBe("Left")
      expect(refused.book.dumpAll()).toEqual(scenario({ bulk: {} }).book.dumpAll())
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("a failed import fails its people; the next run writes them", () =>
    Effect.gen(function*() {
      const s = scenario({ bulk: {} })
      s.book.failAfter(0)
      const failed = yield* runOnce(s, { bulk: "always" })
      expect(failed.summary.status).toBe("partial")
      expect(new Set(failed.summary.failures.map((f) => f.sourceId))).toEqual(new Set(["rc-1", "rc-2", "rc-4"]))
      expect(yield* Effect.flatMap(SyncState.SyncState, (st) => st.pendingImport)).toEqual(Option.none())
      s.book.failAfter(undefined)
      const next = yield* runOnce(s, { bulk: "always" })
      expect(next.summary.status).toBe("complete")
      expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("interrupted after the upload: the next run polls the same import instead of uploading it again", () =>
    Effect.gen(function*() {
      const s = scenario({ bulk: {} })
      s.book.interruptUploads(1)
      const first = yield* runOnce(s, { bulk: "always" })
      expect(first.summary.status).toBe("partial")
      const state = yield* SyncState.SyncState
      const pending = yield* state.pendingImport
      expect(Option.map(pending, (p) => p.token)).toEqual(Option.some("import-1"))
      const next = yield* runOnce(s, { bulk: "always" })
      expect(next.summary.status).toBe("complete")
      expect(s.book.calls.uploads).toBe(1)
      expect(s.book.dumpAll()).toEqual(expectedAfterFirstRun)
      expect(yield* state.pendingImport).toEqual(Option.none())
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("imports are split by the book's largest import, each person's rows together", () =>
    Effect.gen(function*() {
      const s = scenario({ bulk: { maxRows: 5 }, extraPeople: 6 })
      const report = yield* runOnce(s, { bulk: "always" })
      expect(report.summary.status).toBe("complete")
      // 19 contacts in rows of 4, 2, 1 and 2 per person: at least four imports of at most five
      expect(s.book.calls.uploads).toBeGreaterThanOrEqual(4)
      const rest = scenario({ extraPeople: 6 })
      yield* Effect.provide(runOnce(rest), SyncState.layerMemory)
      expect(s.book.dumpAll()).toEqual(rest.book.dumpAll())
    }).pipe(Effect.provide(SyncState.layerMemory)))

  it.effect("for random directories and starting People states, bulk and REST end in the same state; a second run writes nothing (property)", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              phones: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }),
              own: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 2 }),
              foreign: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 2 }),
              inTarget: fc.boolean()
            }),
            { minLength: 1, maxLength: 12 }
          ),
          (people) =>
            Effect.runPromise(Effect.gen(function*() {
              const world = () => {
                const source = Memory.directory(RC, people.map((p, i) =>
                  Memory.person(RC, {
                    id: `rc-${i}`,
                    given: `P${i}`,
                    points: [
                      { kind: "email", value: `p${i}@acme.com`, label: "work" },
                      ...p.phones.map((n, k) => ({ kind: "phone" as const, value: `+1 650 555 ${String(1000 + n)}`, label: k === 0 ? "mobile" as const : "work" as const }))
                    ]
                  })))
                const targets = people.flatMap((p, i) => p.inTarget ? [Memory.person(PC, { id: `p-${i}`, given: `P${i}`, points: [{ kind: "email", value: `p${i}@acme.com` }] })] : [])
                const target = Memory.directory(PC, targets)
                const book = Memory.contactBook(PC, targets.map((t) => t.provenance[0]!.remoteId), { bulk: { directory: target } })
                people.forEach((p, i) => {
                  if (!p.inTarget) return
                  for (const n of p.own) book.seed(`p-${i}`, { kind: "phone", value: `+1 650 555 ${String(1000 + n)}`, label: "home", integration: false })
                  for (const n of p.foreign) book.seed(`p-${i}`, { kind: "phone", value: `+1 415 555 ${String(1000 + n)}`, label: "work", integration: true })
                })
                return { source, target, book }
              }
              const run = (w: ReturnType<typeof world>, bulk: "always" | "never") =>
                Effect.flatMap(Sync.make({ source: w.source.service, target: w.target.service, contacts: w.book.service, bulk }), (job) => job.run)
              const rest = world()
              const bulk = world()
              yield* Effect.provide(Effect.gen(function*() {
                const first = yield* run(rest, "never")
                expect(first.summary.status).toBe("complete")
                const writes = rest.book.writes()
                yield* Effect.flatMap(SyncState.SyncState, (st) => st.setVersion(undefined))
                yield* run(rest, "never")
                expect(rest.book.writes()).toBe(writes)
              }), SyncState.layerMemory)
              yield* Effect.provide(Effect.gen(function*() {
                const first = yield* run(bulk, "always")
                expect(first.summary.issues).toEqual([])
                const uploads = bulk.book.calls.uploads
                const writes = bulk.book.writes()
                yield* Effect.flatMap(SyncState.SyncState, (st) => st.setVersion(undefined))
                yield* run(bulk, "always")
                expect([bulk.book.calls.uploads, bulk.book.writes()]).toEqual([uploads, writes])
              }), SyncState.layerMemory)
              expect(bulk.book.dumpAll()).toEqual(rest.book.dumpAll())
            }))
        ),
        { numRuns: 60, seed: 13 }
      )
    ))
})
