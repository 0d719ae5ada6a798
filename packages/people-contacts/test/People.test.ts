import { describe, expect, it } from "@effect/vitest"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as PeopleError from "@unified-people/core/PeopleError"
import { Chunk, Effect, Layer, Option, Stream } from "effect"
import * as Link from "../src/Link.js"
import * as People from "../src/People.js"
import * as PeopleContactsClient from "../src/PeopleContactsClient.js"
import * as PeopleContactsPeople from "../src/PeopleContactsPeople.js"
import { HttpLive, fixture, fixtureJson, setup } from "./utils.js"

const ctx = { module: "people-contacts", method: "test" }
const fast = { emulator: { rateLimitScale: 0.01 }, client: { rateLimitScale: 0.01 } }

describe("People samples", () => {
  it.effect("decodes a full person: camel-case ID fields, decimals as strings, references without id", () =>
    Effect.gen(function*() {
      const person = yield* HttpPolicy.decodeText(People.Person, ctx)(fixture("person.json"))
      expect(person).toMatchObject({ id: "30", name: "Ashok Kumar", primary_email: "ashok.kumar@virtualsupport.com", cost_per_hour: "80.0" })
      expect(person.sourceID).toBeUndefined()
      expect(person["work_hours"]).toEqual({ name: "Monday through Friday, 9:00am until 5:00pm" })
      expect(person.contacts?.map((c) => c.label)).toEqual(["work", "fax"])
      expect(person.updated_at).toBe("2016-03-14T03:10:31-06:00")
      const canonical = PeopleContactsPeople.toPerson(person)
      expect(canonical.id).toBe("people-contacts:30")
      expect(canonical.company?.name).toBe("Widget Data Center, External IT")
      expect(canonical.site).toMatchObject({ id: "13", name: "Widget Data Center" })
      expect(canonical.contactPoints.map((p) => [p.kind, p.label, p.normalized])).toEqual([
        ["email", "work", "ashok.kumar@virtualsupport.com"],
        ["phone", "work", "+17139872967"],
        ["phone", "fax", "+17139872911"]
      ])
      expect(canonical.provenance[0]).toMatchObject({ system: "people-contacts", remoteId: "30", version: "2016-03-14T03:10:31-06:00" })
      expect(canonical.status).toBe("Enabled")
    }))

  it.effect("decodes the recorded created person with every field", () =>
    Effect.gen(function*() {
      const exchange = fixtureJson("person-create.exchange.json") as { response: { body: unknown } }
      const person = yield* HttpPolicy.decodeText(People.Person, ctx)(JSON.stringify(exchange.response.body))
      expect(person).toMatchObject({ id: "136401", source: "infralab", primary_email: "redacted@it.mos.ru", contacts: [] })
      expect(person.employeeID).toBeUndefined()
      expect(person["nodeID"]).toBe("NG1lLWRldi5tb3MucnUvUGVyc29uLzEzNjQwMQ")
      expect(person["formats"]).toMatchObject({ time: "%H:%M %Z" })
      expect(PeopleContactsPeople.toPerson(person).contactPoints).toHaveLength(1)
    }))

  it.effect("a list ending in the string \"...\" is a DecodeError naming the element", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(HttpPolicy.decodeText(People.PeopleList, ctx)(fixture("people-list.json")))
      expect(error).toBeInstanceOf(PeopleError.DecodeError)
      expect(error.path).toBe("[2]")
      // the two real elements decode on their own
      const first = yield* HttpPolicy.decodeText(People.PeopleList, ctx)(JSON.stringify((JSON.parse(fixture("people-list.json")) as Array<unknown>).slice(0, 2)))
      expect(first.map((p) => p.id)).toEqual(["30", "58"])
    }))

  it("reads the captured first-page headers: only rel=next, an encoded cursor, string totals", () => {
    const exchange = fixtureJson("collection-first-page.headers.json") as { response: { headers: Record<string, string> } }
    const headers = exchange.response.headers
    expect(Link.parse(headers["Link"]).map((l) => l.rels)).toEqual([["next"]])
    expect(Link.next(headers["Link"])).toMatch(/search_after=.*%3D%3D$/)
    expect(headers["X-Pagination-Total-Entries"]).toBe("405")
  })
})

describe("People operations", () => {
  it.scopedLive("get a person, find by primary_email and by employeeID", () =>
    Effect.gen(function*() {
      const { emulator, people: peopleService } = yield* setup()
      const stored = emulator.people.get(3)!
      const person = yield* peopleService.getPerson("3")
      expect(person).toMatchObject({ id: "3", name: stored.name, primary_email: stored.primary_email, cost_per_hour: "80.0" })
      expect(person.contacts).toHaveLength(emulator.contactsOf(3).length)

      const found = yield* peopleService.findByPrimaryEmail(stored.primary_email.toUpperCase())
      expect(Option.map(found, (p) => p.id)).toEqual(Option.some("3"))
      expect(yield* peopleService.findByPrimaryEmail("nobody@nowhere.example")).toEqual(Option.none())

      emulator.addPerson({ employeeID: "E-SHARED" })
      emulator.addPerson({ employeeID: "E-SHARED" })
      const byEmployee = yield* peopleService.findByEmployeeId("E-SHARED")
      expect(byEmployee).toHaveLength(2)
      expect(byEmployee.every((p) => p.employeeID === "E-SHARED")).toBe(true)

      expect((yield* Effect.flip(peopleService.getPerson("424242")))._tag).toBe("NotFound")
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("streams thousands of people, 100 per page, with the fields asked for", () =>
    Effect.gen(function*() {
      const { emulator, people: peopleService } = yield* setup({ emulator: { rateLimitScale: 0.01, people: 2500, maxContactsPerPerson: 0 }, client: { rateLimitScale: 0.01 } })
      emulator.clearRequests()
      const people = yield* peopleService.listPeople()
      expect(people).toHaveLength(2500)
      expect(new Set(people.map((p) => p.id)).size).toBe(2500)
      expect(people.map((p) => Number(p.id))).toEqual([...emulator.people.keys()])
      expect(people.every((p) => p.primary_email !== undefined)).toBe(true)
      const pages = emulator.requests()
      expect(pages).toHaveLength(25)
      expect(pages[0]!.query).toContain("per_page=100")
      expect(pages[1]!.query).toMatch(/^\?per_page=100&search_after=[^&]+&fields=/)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("follows legacy page= links too, and stops lazily", () =>
    Effect.gen(function*() {
      const { emulator, people: peopleService } = yield* setup({ ...fast, emulator: { ...fast.emulator, people: 450, quirks: { legacyPaging: true } } })
      const people = yield* peopleService.listPeople()
      expect(people).toHaveLength(450)
      emulator.clearRequests()
      const firstTen = yield* Stream.runCollect(Stream.take(peopleService.streamPeople(), 10))
      expect(Chunk.size(firstTen)).toBe(10)
      expect(emulator.requests()).toHaveLength(1)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("filters by updated_at", () =>
    Effect.gen(function*() {
      const { emulator, people: peopleService } = yield* setup()
      const recent = emulator.addPerson({ updated_at: "2026-02-01T10:00:00+03:00" })
      const people = yield* peopleService.listPeople({ updatedSince: new Date("2026-01-01T00:00:00Z") })
      expect(people.map((p) => p.id)).toEqual([String(recent.id)])
      expect(emulator.requests().at(-1)?.query).toContain("updated_at=%3E%3D2026-01-01T00%3A00%3A00.000Z")
    }).pipe(Effect.provide(HttpLive)))
})

describe("People area", () => {
  it.effect("a person is a Schema.Class with a branded PersonId, read liberally; unknown fields are kept on the instance", () =>
    Effect.gen(function*() {
      const person = yield* HttpPolicy.decodeText(People.Person, ctx)('{"id":9007199254740993,"name":"Big","job_title":null,"nodeID":"N2"}')
      expect(person).toBeInstanceOf(People.Person)
      const id: People.PersonId = person.id
      expect(id).toBe("9007199254740993")
      expect(person.job_title).toBeUndefined()
      expect(person["nodeID"]).toBe("N2")
      expect(PeopleContactsPeople.toPerson(person).id).toBe("people-contacts:9007199254740993")
      expect(People.operations.getPerson).toEqual({ operationId: "getPerson", method: "GET", path: "/people/{personId}" })
    }))

  it.scopedLive("People.layer needs only the client layer; readPeople is an audited read", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup(fast)
      const people = yield* People.People.pipe(
        Effect.provide(People.layer.pipe(Layer.provide(Layer.succeed(PeopleContactsClient.PeopleContactsClient, client))))
      )
      const read = people.readPeople()
      expect(yield* Stream.runCount(read.stream)).toBe(emulator.people.size)
      expect(yield* read.completeness).toMatchObject({ complete: true, records: emulator.people.size })
    }).pipe(Effect.provide(HttpLive)))
})
