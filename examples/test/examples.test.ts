import { describe, expect, it } from "@effect/vitest"
import { Person } from "@unified-people/core"
import { Effect, Schema } from "effect"
import * as Demo from "../src/demo.js"
import * as DirectoryStream from "../src/directory-stream.js"
import * as MergeTwoSources from "../src/merge-two-sources.js"
import * as PeopleContactsExample from "../src/people-contacts.js"
import * as PromiseApi from "../src/promise-api.js"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as RingCentralDirectory from "../src/ringcentral-directory.js"
import * as SyncJob from "../src/sync-job.js"

describe("examples", () => {
  it.live("merge-two-sources merges each directory user with their People record, keeping field sources", () =>
    Effect.gen(function*() {
      const { people, result, ringcentral } = yield* MergeTwoSources.main
      const both = result.people.filter((p) => new Set(p.provenance.map((x) => x.system)).size === 2)
      expect(both.length).toBeGreaterThan(30)
      expect(result.people).toHaveLength(ringcentral + people - both.length)
      for (const person of both) {
        expect(person.fieldSources?.["name"]).toBe("ringcentral")
        expect(person.fieldSources?.["employeeNumber"]).toBe("people-contacts")
      }
      expect(() => Schema.encodeSync(Schema.Array(Person.Person))(result.people)).not.toThrow()
    }))

  it.live("sync-job plans, syncs, and finds the directory unchanged the second time", () =>
    Effect.gen(function*() {
      const { dryRun, first, second } = yield* SyncJob.main
      const planned = dryRun.people.reduce((n, p) => n + p.actions.length, 0)
      expect(planned).toBeGreaterThan(50)
      expect(first.summary.created).toBe(planned)
      expect(first.summary.failures).toEqual([])
      expect(second.plan.unchanged).toBe(true)
      expect(second.summary.calls).toEqual({ source: 1, target: 0, contacts: 0 })
    }))

  it.live("directory-stream counts the directory's people per department", () =>
    Effect.gen(function*() {
      const counts = yield* DirectoryStream.main
      expect([...counts.keys()].sort()).toEqual(["Engineering", "Finance", "HR", "Legal", "Marketing", "Operations", "Sales", "Support"])
      // every generated user has a department; call queues do not
      const total = [...counts.values()].reduce((a, b) => a + b, 0)
      expect(total).toBeGreaterThan(250)
      expect(total).toBeLessThan(300)
    }))

  it.live("ringcentral-directory lists every entry as a Person, re-reads with a 304 and searches", () =>
    Effect.gen(function*() {
      const result = yield* RingCentralDirectory.main(300)
      expect(result.count).toBe(300)
      expect(result.sharedNumbers).toBeGreaterThan(0)
      expect(result.again).toBe("NotModified")
      expect(result.sales).toBeGreaterThan(0)
      expect(result.sales).toBeLessThan(300)
      expect(result.stats.rateLimited).toBe(0)
      expect(result.stats.tokensIssued).toBe(1)
    }))

  it.live("people-contacts creates, refuses before sending, updates, lists and deletes only its own contacts", () =>
    Effect.gen(function*() {
      const result = yield* PeopleContactsExample.main
      const ids = result.created.map((c) => c.id)
      expect(result.refused).toMatchObject({ _tag: "InvalidRequest", sent: false })
      expect(result.updated.point).toMatchObject({ kind: "phone", label: "fax", normalized: "+17139872911" })
      expect(result.listed.map((c) => c.id)).toEqual(expect.arrayContaining(ids))
      expect(result.left).toBe(result.listed.length - 2)
    }))

  it("promise-api awaits the library without Effect and rejects with a PeopleError", async () => {
    const { email, found, missing, people, report } = await PromiseApi.main()
    expect(people).toHaveLength(40)
    expect(found.map((p) => p.contactPoints.find((c) => c.kind === "email")?.normalized)).toContain(email.toLowerCase())
    expect(missing).toBeInstanceOf(PeopleError.NotFound)
    expect(missing).toMatchObject({ _tag: "NotFound", module: "people-contacts", status: 404 })
    expect(report.summary.status).toBe("complete")
    expect(report.summary.created).toBeGreaterThan(40)
  })

  it.live("demo: the second run and the full re-check write nothing, changes and a webhook event write just the affected people, then 304", () =>
    Effect.gen(function*() {
      const result = yield* Demo.main({ size: 120, progress: false })
      const [first, second, recheck, changed, webhook, afterWebhook, unchanged] = result.steps
      // the first run in bulk mode: one export reads the People system, one import writes every contact
      expect(first).toMatchObject({ readBy: "export", imports: 1, peopleWrites: 1 })
      expect(first!.summary.created).toBeGreaterThan(100)
      expect(first!.peopleCalls).toBeLessThanOrEqual(50)
      expect(second).toMatchObject({ peopleWrites: 0, peopleCalls: 0, ringcentralCalls: 1 })
      expect(recheck!.peopleWrites).toBe(0)
      expect(recheck!.summary.calls.contacts).toBe(result.company.matched)
      expect(changed!.peopleWritten).toBe(4)
      expect(changed!.summary).toMatchObject({ removed: 1, failures: [] })
      expect(webhook!.summary).toMatchObject({ mode: "partial", peopleRead: 1, updated: 1, failures: [] })
      expect(webhook!.ringcentralCalls).toBe(1)
      expect(afterWebhook!.peopleWrites).toBe(0)
      expect(unchanged).toMatchObject({ peopleWrites: 0, peopleCalls: 0, ringcentralCalls: 1 })
      expect(result.ownContacts.unchanged).toBe(true)
      expect(result.store).toMatch(/^SQLite file .*state\.sqlite$/)
    }), 60_000)
})
