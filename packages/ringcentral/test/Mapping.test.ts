import * as ContactPoint from "@unified-people/core/ContactPoint"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Mapping from "../src/Mapping.js"

describe("Mapping", () => {
  it("maps usageType to labels and type to capabilities", () => {
    const person = Mapping.toPerson({
      id: "42",
      firstName: "Ada",
      lastName: "Lovelace",
      name: "Ada Old-Name",
      phoneNumbers: [
        { phoneNumber: "+16505550101", usageType: "DirectNumber", type: "VoiceOnly", primary: true },
        { phoneNumber: "+16505550102", usageType: "MobileNumber" },
        { phoneNumber: "+16505550103", usageType: "MainCompanyNumber", type: "VoiceFax" },
        { phoneNumber: "+16505550104", usageType: "CompanyFaxNumber", type: "FaxOnly" },
        { phoneNumber: "+16505550105", usageType: "ContactNumber", type: "FaxOnly" },
        { phoneNumber: "+16505550106", usageType: "ForwardedNumber" },
        { phoneNumber: "+16505550107", usageType: "WarpNumber", type: "Telepathy" },
        { phoneNumber: "+16505550108", usageType: "DirectNumber", type: "VoiceFax", smsAvailabilityStatus: "Active" }
      ]
    })
    expect(person.name).toMatchObject({ given: "Ada", family: "Lovelace" })
    expect(person.name.display).toBeUndefined()
    expect(person.contactPoints.map((p) => [p.label, p.customLabel, p.capabilities, p.shared])).toEqual([
      ["work", undefined, ["voice"], undefined],
      ["mobile", undefined, undefined, undefined],
      ["main", undefined, ["voice", "fax"], true],
      ["fax", undefined, ["fax"], true],
      ["fax", undefined, ["fax"], undefined],
      ["other", "ForwardedNumber", undefined, undefined],
      ["other", "WarpNumber", undefined, undefined],
      ["work", undefined, ["voice", "fax", "sms"], undefined]
    ])
    expect(person.contactPoints.filter(ContactPoint.isIdentifying).length).toBe(6)
    expect(person.contactPoints.every((p) => p.normalized?.startsWith("+1650555010"))).toBe(true)
  })

  it("uses the name only for name-only records; empty last names are dropped", () => {
    expect(Mapping.toPerson({ id: "1", name: "Sales queue" }).name).toMatchObject({ display: "Sales queue" })
    const department = Mapping.toPerson({ id: "2", firstName: "Sales", lastName: "", name: "Sales" })
    expect(department.name).toMatchObject({ given: "Sales" })
    expect(department.name.family).toBeUndefined()
    expect(department.displayName).toBe("Sales")
  })

  it("maps extension-only inputs: businessPhone, mobilePhone, company, custom fields by displayName", () => {
    const person = Mapping.toPerson({
      id: "3",
      firstName: "Alice",
      lastName: "Smith",
      company: "Example, Inc.",
      businessPhone: "+12484897302",
      mobilePhone: "(650) 555-0199",
      phoneNumbers: [{ phoneNumber: "+12484897302", usageType: "DirectNumber", type: "VoiceFax" }],
      customFields: [{ id: "33333", displayName: "Salesforce User", value: "https://example.my.salesforce.com/1" }, { id: "9" }]
    }, { version: "v7", readAt: new Date(0) })
    expect(person.company?.name).toBe("Example, Inc.")
    // the business phone repeats a direct number: kept once
    expect(person.contactPoints.map((p) => [p.label, p.normalized])).toEqual([
      ["work", "+12484897302"],
      ["mobile", "+16505550199"]
    ])
    expect(person.customFields).toEqual({ "Salesforce User": "https://example.my.salesforce.com/1" })
    const odd = Mapping.toPerson({ id: "4", customFields: [{ name: "__proto__", value: "x" }], phoneNumbers: [{ phoneNumber: "+16505550100", usageType: "constructor", type: "toString" }] })
    // never reaches the prototype (the core Person schema drops such a key)
    expect(Object.getPrototypeOf(odd.customFields)).toBe(Object.prototype)
    expect(odd.contactPoints[0]).toMatchObject({ label: "other", customLabel: "constructor" })
    expect(odd.contactPoints[0]!.capabilities).toBeUndefined()
    expect(person.provenance[0]).toMatchObject({ system: "ringcentral", remoteId: "3", version: "v7" })
  })

  it("never throws and never loses a number, whatever the input", () => {
    const text = fc.option(fc.string(), { nil: undefined })
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string({ minLength: 1 }),
          firstName: text,
          lastName: text,
          name: text,
          email: text,
          phoneNumbers: fc.array(fc.record({
            phoneNumber: fc.oneof(fc.string(), fc.constantFrom("+16505550100", "not a number", "")),
            usageType: fc.option(fc.oneof(fc.constantFrom(...Object.keys(Mapping.usageTypes), "toString", "__proto__"), fc.string()), { nil: undefined }),
            type: fc.option(fc.oneof(fc.constantFrom("VoiceOnly", "FaxOnly", "VoiceFax", "constructor", "__proto__"), fc.string()), { nil: undefined })
          }))
        }),
        (input) => {
          const person = Mapping.toPerson(input)
          const phones = person.contactPoints.filter((p) => p.kind === "phone")
          expect(phones.length).toBe(input.phoneNumbers.filter((p) => p.phoneNumber.trim() !== "").length)
          for (const p of phones) {
            expect(p.normalized !== undefined || p.issue !== undefined).toBe(true)
          }
        }
      ),
      { numRuns: 200 }
    )
  })
})
