import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Schema from "effect/Schema"
import * as ContactPoint from "../src/ContactPoint.js"
import * as Label from "../src/Label.js"
import * as Text from "../src/Text.js"

describe("ContactPoint.make", () => {
  it("normalizes the value and keeps the raw one", () => {
    const point = ContactPoint.make({ kind: "phone", value: "+1 (650) 555-0100", label: "mobile" })
    expect(point.value).toBe("+1 (650) 555-0100")
    expect(point.normalized).toBe("+16505550100")
    expect(point.issue).toBeUndefined()
    expect(point.label).toBe("mobile")
    expect(point.customLabel).toBeUndefined()
  })

  it("an unparseable value keeps the raw value, no normalized value, and the reason", () => {
    const point = ContactPoint.make({ kind: "phone", value: "+1 03 413 7223", label: "mobile" })
    expect(point.value).toBe("+1 03 413 7223")
    expect(point.normalized).toBeUndefined()
    expect(point.issue).toContain("not a possible phone number")
    expect(point.key).toBe("phone:+1 03 413 7223")
  })

  it("uses the default region", () => {
    expect(ContactPoint.make({ kind: "phone", value: "020 7946 0958", defaultRegion: "GB" }).normalized).toBe("+442079460958")
    expect(ContactPoint.make({ kind: "phone", value: "020 7946 0958" }).normalized).toBeUndefined()
  })

  it("a label not allowed for the kind becomes other, with the label kept as custom label", () => {
    const point = ContactPoint.make({ kind: "email", value: "a@b.co", label: "mobile" })
    expect(point.label).toBe("other")
    expect(point.customLabel).toBe("mobile")
    // an explicit custom label wins
    const explicit = ContactPoint.make({ kind: "chat", value: "x", label: "home", customLabel: "hipchat" })
    expect([explicit.label, explicit.customLabel]).toEqual(["other", "hipchat"])
  })

  it("property: every (kind, label) pair gives a label allowed for the kind, and the requested label is never lost", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Label.kinds), fc.constantFrom(...Label.labels), (kind, label) => {
        const point = ContactPoint.make({ kind, value: "x", label })
        expect(Label.isAllowed(point.label, kind)).toBe(true)
        if (Label.isAllowed(label, kind)) expect(point.label).toBe(label)
        else expect([point.label, point.customLabel]).toEqual(["other", label])
      })
    )
  })

  it("an unchecked label outside the vocabulary becomes other with the label kept", () => {
    const point = ContactPoint.make({ kind: "phone", value: "+16505550100", label: "emergency" as Label.Label })
    expect([point.label, point.customLabel, point.shared]).toEqual(["other", "emergency", undefined])
  })

  it("without a label the point is other", () => {
    const point = ContactPoint.make({ kind: "website", value: "www.my-stie.com" })
    expect([point.label, point.customLabel, point.normalized]).toEqual(["other", undefined, "https://www.my-stie.com"])
  })

  it("main numbers are shared and not identifying; other labels are not shared unless told", () => {
    const main = ContactPoint.make({ kind: "phone", value: "(877) 200-9098", label: "main" })
    expect(main.shared).toBe(true)
    expect(ContactPoint.isIdentifying(main)).toBe(false)
    const work = ContactPoint.make({ kind: "phone", value: "(877) 200-9098", label: "work" })
    expect(work.shared).toBeUndefined()
    expect(ContactPoint.isIdentifying(work)).toBe(true)
    const sharedWork = ContactPoint.make({ kind: "phone", value: "(877) 200-9098", label: "work", shared: true })
    expect(ContactPoint.isIdentifying(sharedWork)).toBe(false)
  })

  it("an unnormalized point is not identifying", () => {
    expect(ContactPoint.isIdentifying(ContactPoint.make({ kind: "email", value: "not-an-address", label: "work" }))).toBe(false)
    expect(ContactPoint.isIdentifying(ContactPoint.make({ kind: "email", value: "A@B.co", label: "work" }))).toBe(true)
  })

  it("key compares by normalized value and kind", () => {
    const a = ContactPoint.make({ kind: "phone", value: "650.555.0100", label: "work" })
    const b = ContactPoint.make({ kind: "phone", value: "+1-650-555-0100", label: "mobile" })
    expect(a.key).toBe("phone:+16505550100")
    expect(a.key).toBe(b.key)
    const email = ContactPoint.make({ kind: "email", value: "MAILTO:Jane@Example.com" })
    expect(email.key).toBe("email:jane@example.com")
    expect(ContactPoint.make({ kind: "chat", value: "jane@example.com" }).key).not.toBe(email.key)
  })

  it("keeps primary, capabilities and source", () => {
    const point = ContactPoint.make({
      kind: "phone",
      value: "+16505550100",
      label: "work",
      primary: true,
      capabilities: ["voice", "sms"],
      source: new ContactPoint.SourceRef({ system: "ringcentral", remoteId: "123" })
    })
    expect(point.primary).toBe(true)
    expect(point.capabilities).toEqual(["voice", "sms"])
    expect(point.source).toEqual(new ContactPoint.SourceRef({ system: "ringcentral", remoteId: "123" }))
  })
})

describe("ContactPoint: strict values", () => {
  it("an invalid value carries its issue and no normalized form", () => {
    for (const [kind, value] of [
      ["website", "javascript:alert(1)"],
      ["email", "jane\u200b@example.com"],
      ["email", "a@b@c"],
      ["phone", "+999999999999999999"],
      ["chat", "jane.doe"]
    ] as const) {
      const point = ContactPoint.make({ kind, value })
      expect(point.normalized).toBeUndefined()
      expect(point.issue).toBeDefined()
      expect(Text.isSafe(point.issue!)).toBe(true)
      expect(ContactPoint.isIdentifying(point)).toBe(false)
    }
  })

  it("maxLength (the target's limit) is applied when the point is made", () => {
    const value = `${"a".repeat(60)}@${"b".repeat(60)}.example.com`
    expect(ContactPoint.make({ kind: "email", value }).normalized).toBe(value)
    const limited = ContactPoint.make({ kind: "email", value, maxLength: 100 })
    expect(limited.normalized).toBeUndefined()
    expect(limited.issue).toContain("at most 100 characters")
  })

  it("a 300-character e-mail comes out invalid", () => {
    const point = ContactPoint.make({ kind: "email", value: `${"j".repeat(288)}@example.com`, label: "work" })
    expect(point.value).toHaveLength(300)
    expect(point.normalized).toBeUndefined()
    expect(point.issue).toMatch(/more than 64 characters before the @/)
  })

  it("validate: the issue, else the value to write, checked again under the target's options", () => {
    const good = ContactPoint.make({ kind: "phone", value: "+1 (650) 555-0100", label: "work" })
    expect(ContactPoint.validate(good)).toEqual({ _tag: "Normalized", value: "+16505550100" })
    expect(ContactPoint.validate(good, { maxLength: 5 })._tag).toBe("Unnormalized")
    const bad = ContactPoint.make({ kind: "website", value: "javascript:alert(1)" })
    expect(ContactPoint.validate(bad)).toEqual({ _tag: "Unnormalized", reason: bad.issue })
    // a point built around validation (no make) is checked from its value
    const forged = new ContactPoint.ContactPoint({ kind: "website", value: "x", normalized: "javascript:alert(1)", label: "work" }, true)
    expect(ContactPoint.validate(forged)._tag).toBe("Unnormalized")
    const raw = new ContactPoint.ContactPoint({ kind: "phone", value: "020 7946 0958", label: "work" }, true)
    expect(ContactPoint.validate(raw, { defaultRegion: "GB" })).toEqual({ _tag: "Normalized", value: "+442079460958" })
  })

  it("a custom label is cleaned like free text", () => {
    const point = ContactPoint.make({ kind: "phone", value: "+16505550100", label: "other", customLabel: "emer\u200bgency\u202e" })
    expect(point.customLabel).toBe("emergency")
    expect(ContactPoint.make({ kind: "phone", value: "+16505550100", label: "other", customLabel: "\u200b" }).customLabel).toBeUndefined()
  })
})

describe("ContactPoint schema", () => {
  const encode = Schema.encodeSync(ContactPoint.ContactPoint)
  const decode = Schema.decodeUnknownSync(ContactPoint.ContactPoint)

  it("round-trips through encode/decode, keeping every field", () => {
    const point = ContactPoint.make({
      kind: "phone",
      value: "+1 650 555 0100 ext. 12",
      label: "fax",
      primary: false,
      capabilities: ["fax"],
      source: new ContactPoint.SourceRef({ system: "people-contacts", remoteId: "1720" })
    })
    const encoded = encode(point)
    expect(JSON.parse(JSON.stringify(encoded))).toEqual({
      kind: "phone",
      value: "+1 650 555 0100 ext. 12",
      normalized: "+16505550100;ext=12",
      label: "fax",
      primary: false,
      capabilities: ["fax"],
      source: { system: "people-contacts", remoteId: "1720" }
    })
    const decoded = decode(JSON.parse(JSON.stringify(encoded)))
    expect(decoded).toBeInstanceOf(ContactPoint.ContactPoint)
    expect(decoded).toEqual(point)
    expect(decoded.key).toBe(point.key)
  })

  it("property: make then encode/decode is the identity", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Label.kinds),
        fc.oneof(fc.string(), fc.emailAddress(), fc.webUrl(), fc.constantFrom("+1 (650) 555-0100", "111111")),
        fc.option(fc.constantFrom(...Label.labels), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        (kind, value, label, customLabel) => {
          const point = ContactPoint.make({
            kind,
            value,
            ...(label === undefined ? {} : { label }),
            ...(customLabel === undefined ? {} : { customLabel })
          })
          expect(point.value).toBe(value)
          expect(point.normalized === undefined).toBe(point.issue !== undefined)
          expect(decode(JSON.parse(JSON.stringify(encode(point))))).toEqual(point)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("refuses labels outside the vocabulary and unknown kinds, naming the field", () => {
    expect(() => decode({ kind: "phone", value: "1", label: "emergency" })).toThrow(/label/)
    expect(() => decode({ kind: "fax", value: "1", label: "work" })).toThrow(/kind/)
  })
})
