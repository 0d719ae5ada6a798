import { describe, expect, it } from "@effect/vitest"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Loopback from "@unified-people/testkit/Loopback"
import * as RingCentralClient from "@unified-people/ringcentral/RingCentralClient"
import * as RingCentralEmulator from "@unified-people/testkit/RingCentralEmulator"
import * as Events from "@unified-people/ringcentral/Events"
import { Effect, Either, Fiber, Queue, Redacted, Stream, SubscriptionRef } from "effect"
import * as Connections from "../src/Connections.js"
import { digits, endState, HttpLive, rows, setup, toDirectoryEvents, webhookReceiver, writes } from "./utils.js"

const directoryPath = "/restapi/v1.0/account/~/directory/entries"

/** What the job should have created on a person for a directory user: `label|normalized value`. */
const expectedFor = (extension: ReturnType<RingCentralEmulator.Emulator["store"]["get"]> & {}) => {
  const out: Array<string> = []
  if (extension.contact.email !== undefined) out.push(`work|${extension.contact.email.toLowerCase()}`)
  for (const p of extension.phoneNumbers) {
    if (p.usageType === "DirectNumber") out.push(`${p.type === "FaxOnly" ? "fax" : "work"}|${p.phoneNumber}`)
    else if (p.usageType === "ContactNumber") out.push(`work|${p.phoneNumber}`)
    else if (p.usageType === "MobileNumber") out.push(`mobile|${p.phoneNumber}`)
    // MainCompanyNumber, CompanyFaxNumber: shared, never projected
  }
  return out
}

const personOfPath = (path: string) => Number(/\/people\/(\d+)\//.exec(path)?.[1])

describe("sync, end to end through both emulators", () => {
  it.scopedLive("creates the directory's contacts as integration: true with the right labels, never touching people's own", () =>
    Effect.gen(function*() {
      const env = yield* setup()
      const own = rows(env.people).filter((r) => !r.integration)
      expect(own.length).toBeGreaterThan(5)
      const report = yield* Effect.flatMap(env.job(), (job) => job.run)
      expect(report.summary.failures).toEqual([])

      const after = rows(env.people)
      // people's own contacts: all there, unchanged
      expect(after.filter((r) => !r.integration)).toEqual(own)
      const created = after.filter((r) => r.integration)
      expect(created).toHaveLength(report.summary.created)
      expect(report.summary.created).toBeGreaterThan(env.company.matched.size)

      const labels = new Set<string>()
      for (const [rcId, personId] of env.company.matched) {
        const extension = env.ringcentral.store.get(rcId)!
        const typedByPerson = own.filter((r) => r.personId === personId).map((r) => digits(r.value).slice(-10))
        // a number the person already typed is not created again
        const expected = expectedFor(extension).filter((e) => e.includes("@") || !typedByPerson.includes(digits(e).slice(-10)))
        const mine = created.filter((r) => r.personId === personId).map((r) => `${r.label}|${r.value}`)
        expect(mine.sort()).toEqual(expected.sort())
        for (const m of mine) labels.add(m.split("|")[0]!)
      }
      expect([...labels].sort()).toEqual(["fax", "mobile", "work"])
      // nobody outside the matched people got anything
      const matchedIds = new Set(env.company.matched.values())
      expect(created.every((r) => matchedIds.has(r.personId))).toBe(true)
      // every write was a create of an integration contact
      expect(writes(env.people).every((w) => w.method === "POST" && (w.body as { integration?: boolean }).integration === true)).toBe(true)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a second run makes zero writes; an unchanged directory costs one directory call and no People calls", () =>
    Effect.gen(function*() {
      const env = yield* setup()
      const job = yield* env.job()
      const first = yield* job.run
      expect(first.summary.created).toBeGreaterThan(0)

      // unchanged directory: 304
      env.people.clearRequests()
      const rcBefore = yield* env.ringcentral.stats
      const second = yield* job.run
      const rcAfter = yield* env.ringcentral.stats
      expect(second.plan.unchanged).toBe(true)
      expect(rcAfter.requests - rcBefore.requests).toBe(1)
      expect((rcAfter.byPath[directoryPath] ?? 0) - (rcBefore.byPath[directoryPath] ?? 0)).toBe(1)
      expect(env.people.requests()).toEqual([])
      expect(second.summary.calls).toEqual({ source: 1, target: 0, contacts: 0 })

      // a verifying full comparison (stored version forgotten, every person's contacts read) finds nothing to write either
      yield* env.state.setVersion(undefined)
      const third = yield* Effect.flatMap(env.job({ verify: true }), (j) => j.run)
      expect(third.plan.unchanged).toBe(false)
      expect(third.summary).toMatchObject({ created: 0, updated: 0, deleted: 0, adopted: 0 })
      expect(writes(env.people)).toEqual([])
      expect(third.summary.calls.contacts).toBe(env.company.matched.size)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a directory change writes just the affected people; a removed person loses only the job's contacts", () =>
    Effect.gen(function*() {
      const env = yield* setup()
      const job = yield* env.job()
      yield* job.run
      const matched = [...env.company.matched]
      const [changedId, changedPerson] = matched[3]!
      const [removedId, removedPerson] = matched.find(([, p]) =>
        p !== changedPerson && env.people.contactsOf(p).some((c) => !c.integration)
      )!
      const [movedId, movedPerson] = matched.filter(([, p]) => p !== changedPerson && p !== removedPerson)[5]!
      const peopleOnly = env.people.people.get(env.company.peopleOnly[0]!)!
      const ownOfRemoved = env.people.contactsOf(removedPerson).filter((c) => !c.integration)

      let addedId = ""
      yield* env.ringcentral.changeDirectory((store) => {
        store.update(changedId, (e) => {
          e.phoneNumbers = [...e.phoneNumbers.filter((p) => p.usageType !== "MobileNumber"), {
            id: store.nextId(),
            phoneNumber: "+14155550177",
            usageType: "MobileNumber"
          }]
        })
        store.remove(removedId)
        store.update(movedId, (e) => {
          e.contact = { ...e.contact, email: "moved.person@example.com" }
        })
        // someone only the People system knew joins the directory
        addedId = store.create({
          extensionNumber: "9001",
          contact: { firstName: "New", lastName: "Hire", email: peopleOnly.primary_email },
          phoneNumbers: [{ phoneNumber: "+12065550188", usageType: "DirectNumber", type: "VoiceOnly" }]
        }).id
      })

      env.people.clearRequests()
      const report = yield* job.run
      expect(report.summary.failures).toEqual([])
      const touched = new Set(writes(env.people).map((w) => personOfPath(w.path)))
      expect([...touched].sort((a, b) => a - b)).toEqual([changedPerson, removedPerson, movedPerson, peopleOnly.id].sort((a, b) => a - b))

      const valuesOf = (person: number) => env.people.contactsOf(person).filter((c) => c.integration).map((c) => `${c.label}|${c.email ?? c.telephone}`)
      expect(valuesOf(changedPerson)).toContain("mobile|+14155550177")
      expect(valuesOf(movedPerson)).toContain("work|moved.person@example.com")
      expect(valuesOf(peopleOnly.id).sort()).toEqual([`work|${peopleOnly.primary_email}`, "work|+12065550188"].sort())
      // the removed person keeps only what people typed themselves
      expect(env.people.contactsOf(removedPerson)).toEqual(ownOfRemoved)
      expect(report.plan.people.find((p) => p.sourceId === removedId)?.removed).toBe(true)
      expect(report.plan.people.find((p) => p.sourceId === movedId)?.matchedBy).toBe("xref")
      expect(addedId).not.toBe("")
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("webhook directory events delivered by the emulator re-sync just the people they name, once", () =>
    Effect.gen(function*() {
      const env = yield* setup()
      const job = yield* env.job()
      yield* job.run
      const receiver = yield* webhookReceiver("verify-me")
      const client = yield* RingCentralClient.make(RingCentralEmulator.clientOptions(env.ringcentral))
      const subscriptions = yield* Effect.provideService(Events.make, RingCentralClient.RingCentralClient, client)
      yield* subscriptions.createSubscription({ address: receiver.address, verificationToken: Redacted.make("verify-me") })
      const [changedId, changedPerson] = [...env.company.matched][5]!
      const accepted = yield* env.ringcentral.changeDirectory((store) =>
        void store.update(changedId, (e) => {
          e.phoneNumbers = [...e.phoneNumbers, { id: store.nextId(), phoneNumber: "+13035550144", usageType: "MobileNumber" }]
        })
      )
      expect(accepted).toBe(1)
      const events = toDirectoryEvents(yield* Queue.takeAll(receiver.changes))
      expect(events.flatMap((e) => e.changes.map((c) => c.remoteId))).toEqual([changedId])

      env.people.clearRequests()
      const rcBefore = yield* env.ringcentral.stats
      const report = yield* job.applyEvents(events)
      const rcAfter = yield* env.ringcentral.stats
      expect(report.plan.mode).toBe("partial")
      expect(report.summary.created).toBe(1)
      // one entry read, no directory listing
      expect((rcAfter.byPath[directoryPath] ?? 0) - (rcBefore.byPath[directoryPath] ?? 0)).toBe(0)
      expect(rcAfter.requests - rcBefore.requests).toBe(1)
      expect(writes(env.people).map((w) => personOfPath(w.path))).toEqual([changedPerson])
      expect(env.people.contactsOf(changedPerson).some((c) => c.telephone === "+13035550144" && c.label === "mobile" && c.integration)).toBe(true)

      // a repeated delivery (same uuid) is dropped by the webhook, a forged one refused,
      // and events applied twice are processed once
      env.people.clearRequests()
      const delivery = env.ringcentral.subscriptions.delivered[0]!
      expect(yield* env.ringcentral.subscriptions.redeliver(delivery)).toBe(1)
      expect(yield* env.ringcentral.subscriptions.redeliver(delivery, { verificationToken: "forged" })).toBe(0)
      expect(yield* receiver.stats).toMatchObject({ accepted: 1, duplicates: 1, rejected: 1 })
      expect(yield* Queue.size(receiver.changes)).toBe(0)
      const again = yield* job.applyEvents(events)
      expect(again.plan.people).toEqual([])
      expect(env.people.requests()).toEqual([])
    }).pipe(Effect.provide(HttpLive)))
})

describe("resumability", () => {
  const runUntilClean = (job: Sync.Sync) =>
    Effect.gen(function*() {
      let runs = 0
      for (;;) {
        runs++
        const result = yield* Effect.either(job.run)
        if (Either.isRight(result) && result.right.summary.failures.length === 0 && !result.right.plan.unchanged) return runs
        if (runs >= 6) return runs
      }
    })

  it.scopedLive("failing on injected 503s, 500s and connection resets, the next runs converge to a clean run's end state", () =>
    Effect.gen(function*() {
      const clean = yield* setup({ size: 40 })
      yield* Effect.flatMap(clean.job(), (job) => job.run)
      const expected = endState(clean.people)
      for (const list of Object.values(expected)) expect(new Set(list).size).toBe(list.length)

      const faulty = yield* setup({ size: 40 })
      yield* faulty.people.faults.inject({ fault: { _tag: "Status", status: 503 }, method: "POST", skip: 5, times: 4 })
      yield* faulty.people.faults.inject({ fault: { _tag: "Reset" }, method: "POST", skip: 30, times: 1 })
      yield* faulty.people.faults.inject({ fault: { _tag: "Status", status: 500, body: { message: "boom" } }, method: "POST", skip: 60, times: 1 })
      yield* faulty.people.faults.inject({ fault: { _tag: "Reset" }, method: "GET", path: /\/contacts$/, skip: 20, times: 1 })
      const job = yield* faulty.job()
      // the faults are failures of some people: the run goes on with the others and says so
      const first = yield* job.run
      expect(first.summary.status).toBe("partial")
      expect(first.summary.failures.length).toBeGreaterThan(0)
      const runs = yield* runUntilClean(job)
      expect(runs).toBeLessThan(6)
      expect(yield* faulty.people.faults.pending).toBe(0)
      expect(endState(faulty.people)).toEqual(expected)
      // and it stays converged
      yield* faulty.state.setVersion(undefined)
      const settled = yield* job.run
      expect(settled.summary).toMatchObject({ created: 0, updated: 0, deleted: 0 })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("interrupted after some writes, the next run finishes the job with nothing duplicated or lost", () =>
    Effect.gen(function*() {
      const clean = yield* setup({ size: 40 })
      yield* Effect.flatMap(clean.job(), (job) => job.run)

      const env = yield* setup({ size: 40 })
      const job = yield* env.job()
      const fiber = yield* Effect.fork(job.run)
      yield* job.progress.changes.pipe(Stream.takeUntil((p) => p.writes >= 25), Stream.runDrain)
      yield* Fiber.interrupt(fiber)
      const partial = rows(env.people).filter((r) => r.integration).length
      expect(partial).toBeGreaterThanOrEqual(25)
      expect(partial).toBeLessThan(rows(clean.people).filter((r) => r.integration).length)

      const resumed = yield* Effect.flatMap(env.job(), (next) => next.run)
      expect(resumed.summary.failures).toEqual([])
      expect(endState(env.people)).toEqual(endState(clean.people))
      expect(yield* SubscriptionRef.get(job.progress)).toMatchObject({ phase: "applying" })
    }).pipe(Effect.provide(HttpLive)))
  it.scopedLive("a create whose answer was lost is adopted by the next run, not created twice", () =>
    Effect.gen(function*() {
      const clean = yield* setup({ size: 40 })
      yield* Effect.flatMap(clean.job(), (job) => job.run)

      // the 12th create reaches the People system, which creates the contact but answers after
      // the client gave up: a front server runs the emulator's app, then holds that answer back
      const env = yield* setup({ size: 40 })
      let posts = 0
      const front = yield* Loopback.serve(Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const response = yield* Effect.uninterruptible(env.people.app)
        if (request.method === "POST" && ++posts === 12) yield* Effect.sleep("400 millis")
        return response
      }))
      const connections = yield* Connections.make({
        ...env.settings,
        people: { ...env.settings.people, baseUrl: `${front.url}/v1` },
        peopleTimeout: "150 millis"
      })
      const job = yield* Sync.make({ ...connections, concurrency: 1 }).pipe(Effect.provideService(SyncState.SyncState, env.state))
      const first = yield* job.run
      // that one create is a failure of its person; the run went on with the others
      expect(first.summary.failures.map((f) => [f.action?._tag, f.error._tag])).toEqual([["Create", "Unavailable"]])
      yield* Effect.sleep("400 millis")
      // the contact was created all the same
      expect(rows(env.people).filter((r) => r.integration)).toHaveLength(first.summary.created + 1)

      const second = yield* job.run
      expect(second.summary.adopted).toBe(1)
      expect(second.summary.created).toBe(0)
      expect(second.summary.failures).toEqual([])
      expect(endState(env.people)).toEqual(endState(clean.people))
    }).pipe(Effect.provide(HttpLive)))
})

describe("rate limits", () => {
  it.scopedLive("a sync of a few hundred people waits for the limiters and provokes no 429 on either side", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 200, scale: 0.02, rateLimitMargin: (w) => w * 0.1 + 100 })
      const report = yield* Effect.flatMap(env.job({ concurrency: 8 }), (job) => job.run)
      expect(report.summary.failures).toEqual([])
      expect(report.summary.peopleRead).toBe(200)
      expect(env.people.statusCounts()[429]).toBeUndefined()
      expect((yield* env.ringcentral.stats).rateLimited).toBe(0)
      expect(report.summary.rateLimitWaits).toBeGreaterThan(0)
      expect(report.summary.retries).toBe(0)
    }).pipe(Effect.provide(HttpLive)), 60_000)
})
