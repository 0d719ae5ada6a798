import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Equal from "effect/Equal"
import * as Exit from "effect/Exit"
import * as ContactPoint from "../src/ContactPoint.js"
import * as Person from "../src/Person.js"

const readAt = new Date("2026-11-30T12:34:56.789Z")

const jane = new Person.Person({
  id: Person.canonicalId("ringcentral", "871817004"),
  name: new Person.Name({ given: "Jane", family: "Doe" }),
  jobTitle: "Engineer",
  department: "R&D",
  company: new Person.Reference({ id: "400386146004", name: "Acme" }),
  site: new Person.Reference({ id: "main-site", name: "HQ" }),
  employeeNumber: "E-17",
  extensionNumber: "101",
  status: "Enabled",
  contactPoints: [
    ContactPoint.make({ kind: "email", value: "Jane@Acme.com", label: "work", primary: true }),
    ContactPoint.make({ kind: "phone", value: "+1 03 413 7223", label: "mobile" }),
    ContactPoint.make({ kind: "phone", value: "(877) 200-9098", label: "main", capabilities: ["voice"] })
  ],
  customFields: { "Employee ID": "17", "T-shirt": "M" },
  photo: new Person.Photo({ uri: "https://media.example/p.jpg", etag: "\"abc\"" }),
  provenance: [
    new Person.Provenance({ system: "ringcentral", remoteId: "871817004", version: "W/\"1\"", readAt }),
    new Person.Provenance({ system: "people-contacts", remoteId: "42" })
  ],
  fieldSources: { jobTitle: "people-contacts" }
})

describe("Person", () => {
  it("canonicalId is system:remoteId and a provenance key matches it", () => {
    expect(jane.id).toBe("ringcentral:871817004")
    expect(jane.provenance[0]!.key).toBe(jane.id)
  })

  it("encodes to JSON-compatible data with the Date as an ISO string", () => {
    const encoded = Person.encode(jane)
    expect(encoded.provenance[0]).toEqual({
      system: "ringcentral",
      remoteId: "871817004",
      version: "W/\"1\"",
      readAt: "2026-11-30T12:34:56.789Z"
    })
    expect(encoded.provenance[1]).toEqual({ system: "people-contacts", remoteId: "42" })
    expect(encoded.contactPoints[1]).toEqual({
      kind: "phone",
      value: "+1 03 413 7223",
      issue: expect.stringContaining("not a possible"),
      label: "mobile"
    })
  })

  it.effect("round-trips through JSON, keeping every field and the Date", () =>
    Effect.gen(function*() {
      const text = JSON.stringify(Person.encode(jane))
      const decoded = yield* Person.decode(JSON.parse(text))
      expect(decoded).toBeInstanceOf(Person.Person)
      expect(decoded).toEqual(jane)
      expect(decoded.provenance[0]!.readAt).toBeInstanceOf(Date)
      expect(decoded.provenance[0]!.readAt!.getTime()).toBe(readAt.getTime())
      expect(decoded.contactPoints.map((p) => p.key)).toEqual(jane.contactPoints.map((p) => p.key))
      expect(decoded.contactPoints[2]!.shared).toBe(true)
    }))

  it.effect("decode refuses an invalid date and a missing name, naming the path", () =>
    Effect.gen(function*() {
      const encoded = Person.encode(jane)
      const badDate = yield* Effect.exit(
        Person.decode({ ...encoded, provenance: [{ system: "x", remoteId: "1", readAt: "yesterday" }] })
      )
      expect(Exit.isFailure(badDate)).toBe(true)
      expect(String(Exit.isFailure(badDate) ? badDate.cause : "")).toMatch(/readAt/)
      const { name: _name, ...nameless } = encoded
      const missing = yield* Effect.exit(Person.decode(nameless))
      expect(String(Exit.isFailure(missing) ? missing.cause : "")).toMatch(/name/)
    }))

  it("displayName prefers display, else given + family, skipping empty parts", () => {
    expect(jane.displayName).toBe("Jane Doe")
    const make = (name: ConstructorParameters<typeof Person.Name>[0]) =>
      new Person.Person({ id: "x:1", name: new Person.Name(name), contactPoints: [], customFields: {}, provenance: [] })
    expect(make({ display: "Dr. J. Doe", given: "Jane", family: "Doe" }).displayName).toBe("Dr. J. Doe")
    expect(make({ given: "Sales", family: "" }).displayName).toBe("Sales")
    expect(make({ family: "Doe" }).displayName).toBe("Doe")
    expect(make({}).displayName).toBe("")
  })

  it("lists the single-valued fields survivorship picks from", () => {
    expect(Person.singleValuedFields).toContain("jobTitle")
    expect(Person.singleValuedFields).not.toContain("contactPoints")
    for (const field of Person.singleValuedFields) expect(Object.keys(Person.Person.fields)).toContain(field)
  })
})

describe("Person: free text is cleaned when built", () => {
  const hostile = new Person.Person({
    id: "people-contacts:1",
    name: new Person.Name({ given: "Ja\u200bne\u202e", family: "\u001b[31mDoe\u0007", display: "Jane\nDoe" }),
    jobTitle: "Engi\u2066neer",
    department: "R&D\t(Labs)",
    company: new Person.Reference({ id: "co\u200b1", name: "Ac\u202eme" }),
    site: new Person.Reference({ name: "HQ\r\n" }),
    employeeNumber: "E\u200d17",
    extensionNumber: "10\u00851",
    status: "Enabled\u0000",
    contactPoints: [],
    customFields: { "T-\u200bshirt": "M\u202e", "Notes": "line 1\nline 2" },
    provenance: [new Person.Provenance({ system: "people-contacts", remoteId: "1" })]
  })

  it("control, zero-width and bidi characters are removed, line breaks and tabs become spaces, the rest is kept", () => {
    expect(hostile.name).toMatchObject({ given: "Jane", family: "[31mDoe", display: "Jane Doe" })
    expect(hostile.displayName).toBe("Jane Doe")
    expect(hostile.jobTitle).toBe("Engineer")
    expect(hostile.department).toBe("R&D (Labs)")
    expect(hostile.company).toMatchObject({ id: "co\u200b1", name: "Acme" })
    expect(hostile.site?.name).toBe("HQ")
    expect([hostile.employeeNumber, hostile.extensionNumber, hostile.status]).toEqual(["E17", "10 1", "Enabled"])
    expect(hostile.customFields).toEqual({ "T-shirt": "M", Notes: "line 1 line 2" })
  })

  it("also without validation (adapters build models with `true`) and when decoding stored data", () => {
    const unchecked = new Person.Name({ given: "Ja\u200bne" }, true)
    expect(unchecked.given).toBe("Jane")
    const decoded = Effect.runSync(Person.decode({ ...Person.encode(jane), name: { given: "\u202eJane" }, jobTitle: "a\u0007b" }))
    expect(decoded.name.given).toBe("Jane")
    expect(decoded.jobTitle).toBe("ab")
  })

  it("clean text is kept as it is, the same strings", () => {
    const name = new Person.Name({ given: "José", family: "Müller-Lüdenscheidt", display: " محمد  عبد الله " })
    expect(name).toMatchObject({ given: "José", family: "Müller-Lüdenscheidt", display: " محمد  عبد الله " })
    expect(new Person.Person({ ...jane }, true).customFields).toBe(jane.customFields)
  })
})

describe("trusted constructors", () => {
  it("makePerson, makeName, makeReference, makePhoto, makeProvenance and makeSourceRef build what the constructors build", () => {
    const source = ContactPoint.makeSourceRef({ system: "hr", remoteId: "7" })
    expect(source).toStrictEqual(new ContactPoint.SourceRef({ system: "hr", remoteId: "7" }, true))
    expect(source).toBeInstanceOf(ContactPoint.SourceRef)
    const name = { given: "Ada\u202e", family: "Love\u0000lace", display: "Ada  Lovelace" }
    expect(Person.makeName(name)).toStrictEqual(new Person.Name(name, true))
    expect(Person.makeReference({ id: "s1", name: "HQ\n" })).toStrictEqual(new Person.Reference({ id: "s1", name: "HQ\n" }, true))
    expect(Person.makePhoto({ uri: "https://x/p.png" })).toStrictEqual(new Person.Photo({ uri: "https://x/p.png" }, true))
    const provenance = { system: "hr", remoteId: "7", version: "3", readAt: new Date(0) }
    expect(Person.makeProvenance(provenance)).toStrictEqual(new Person.Provenance(provenance, true))
    const fields = {
      id: "hr:7",
      name: Person.makeName(name),
      jobTitle: "Engineer\u0007",
      status: "Active",
      contactPoints: [ContactPoint.make({ kind: "email", value: "Ada@Example.com", label: "work", source })],
      customFields: { "cost\u0000Center": "CC-1\u202e" },
      provenance: [Person.makeProvenance(provenance)]
    }
    const made = Person.makePerson(fields)
    const built = new Person.Person(fields, true)
    expect(made).toStrictEqual(built)
    expect(made).toBeInstanceOf(Person.Person)
    // structural equality as between two constructed people (plain arrays and records compare by reference)
    expect(Equal.equals(made, new Person.Person(fields, true))).toBe(Equal.equals(built, new Person.Person(fields, true)))
    expect(Equal.equals(Person.makeName(name), new Person.Name(name, true))).toBe(true)
    expect(made.displayName).toBe(built.displayName)
    expect(Person.encode(made)).toEqual(Person.encode(built))
    // the input is not aliased
    expect(made).not.toBe(fields)
  })
})
