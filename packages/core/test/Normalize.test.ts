import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Normalize from "../src/Normalize.js"

const normalizedValue = (result: Normalize.Result): string | undefined =>
  result._tag === "Normalized" ? result.value : undefined

/** A US number that libphonenumber accepts: NXX-NXX-XXXX. */
const usNumber = fc.record({
  area: fc.tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 99 })),
  exchange: fc.tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 99 })),
  line: fc.integer({ min: 0, max: 9999 })
}).map(({ area, exchange, line }) => ({
  area: `${area[0]}${String(area[1]).padStart(2, "0")}`,
  exchange: `${exchange[0]}${String(exchange[1]).padStart(2, "0")}`,
  line: String(line).padStart(4, "0")
}))

/** The same US number written in one of many styles. */
const written = (n: { area: string; exchange: string; line: string }) =>
  fc.record({
    prefix: fc.constantFrom("", "1", "+1", "+1 ", "1-", "+1-", "1 ", "001 ", "tel:+1"),
    sep: fc.constantFrom("", " ", "-", ".", "  "),
    parens: fc.boolean(),
    padding: fc.constantFrom("", " ", "  ", "\t")
  }).map(({ prefix, sep, parens, padding }) => {
    const area = parens ? `(${n.area})${sep === "" ? "" : " "}` : `${n.area}${sep}`
    return `${padding}${prefix}${area}${n.exchange}${sep}${n.line}${padding}`
  })

const phoneish = fc.stringMatching(/^[+]?[0-9 ().-]{0,18}((ext\.?|x|;ext=|#|,) ?[0-9]{1,5})?\s*$/)

describe("Normalize.phone", () => {
  it.each([
    "+1 (650) 555-0100",
    "16505550100",
    "650.555.0100",
    "(650) 555-0100",
    "+1-650-555-0100",
    "6505550100",
    "tel:+16505550100",
    "  +1 650 555 0100  "
  ])("%j normalizes to +16505550100 (default region US)", (raw) => {
    expect(Normalize.phone(raw, { defaultRegion: "US" })).toEqual({ _tag: "Normalized", value: "+16505550100" })
  })

  it("the default region is US, and another region reads national numbers differently", () => {
    expect(normalizedValue(Normalize.phone("650.555.0100"))).toBe("+16505550100")
    expect(normalizedValue(Normalize.phone("020 7946 0958", { defaultRegion: "gb" }))).toBe("+442079460958")
    expect(Normalize.phone("020 7946 0958", { defaultRegion: "US" })._tag).toBe("Unnormalized")
    expect(normalizedValue(Normalize.phone("00 44 20 7946 0958"))).toBe("+442079460958")
  })

  it.each([
    ["+1 650 555 0100 ext. 12", "+16505550100;ext=12"],
    ["+1 650 555 0100 ext 12", "+16505550100;ext=12"],
    ["+1 650 555 0100 x12", "+16505550100;ext=12"],
    ["650-555-0100 extension 7", "+16505550100;ext=7"],
    ["+1 650 555 0100 #12", "+16505550100;ext=12"],
    ["+1 (650) 555-0100,12", "+16505550100;ext=12"],
    ["+16505550100;ext=12", "+16505550100;ext=12"],
    ["+16505550100 ; ext = 12", "+16505550100;ext=12"]
  ])("extension: %j -> %j", (raw, expected) => {
    expect(normalizedValue(Normalize.phone(raw))).toBe(expected)
  })

  it.each([
    ["111111", "not a possible phone number"],
    ["+1 03 413 7223", "not a possible phone number"],
    ["abc", "no digits"],
    ["", "empty"],
    ["   ", "empty"],
    ["1-800-FLOWERS", "letters"],
    ["+1213252604000  ", "not a possible phone number"]
  ])("unparseable %j gives a reason (%s) and no value", (raw, reason) => {
    const result = Normalize.phone(raw)
    expect(result._tag).toBe("Unnormalized")
    expect(result._tag === "Unnormalized" && result.reason).toContain(reason)
  })

  it("a number with trailing spaces is trimmed before parsing", () => {
    expect(normalizedValue(Normalize.phone("+12132526040  "))).toBe("+12132526040")
    const tooLong = Normalize.phone("+1213252604000  ")
    // the reason quotes the trimmed value
    expect(tooLong).toEqual({ _tag: "Unnormalized", reason: "\"+1213252604000\" is not a possible phone number in US" })
  })

  it("property: the same number written differently normalizes alike", () => {
    fc.assert(
      fc.property(usNumber.chain((n) => fc.tuple(fc.constant(n), written(n), written(n))), ([n, a, b]) => {
        const expected = `+1${n.area}${n.exchange}${n.line}`
        expect(normalizedValue(Normalize.phone(a, { defaultRegion: "US" }))).toBe(expected)
        expect(normalizedValue(Normalize.phone(b, { defaultRegion: "US" }))).toBe(expected)
      }),
      { numRuns: 300 }
    )
  })

  it("property: extensions survive every spelling", () => {
    fc.assert(
      fc.property(
        usNumber,
        fc.integer({ min: 1, max: 99999 }),
        fc.constantFrom(" ext. ", " ext ", " x", " extension ", ";ext=", " #", ","),
        (n, ext, marker) => {
          const raw = `+1 ${n.area} ${n.exchange} ${n.line}${marker}${ext}`
          expect(normalizedValue(Normalize.phone(raw))).toBe(`+1${n.area}${n.exchange}${n.line};ext=${ext}`)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("property: normalization is idempotent (phone-like and arbitrary strings)", () => {
    fc.assert(
      fc.property(fc.oneof(phoneish, fc.string(), usNumber.chain(written)), (raw) => {
        const once = normalizedValue(Normalize.phone(raw))
        if (once !== undefined) expect(Normalize.phone(once)).toEqual({ _tag: "Normalized", value: once })
      }),
      { numRuns: 500 }
    )
  })

  it("property: never throws, and an unnormalized result always says why", () => {
    fc.assert(
      fc.property(fc.oneof(phoneish, fc.string({ unit: "grapheme" })), fc.constantFrom("US", "GB", "de", "XX"), (raw, region) => {
        const result = Normalize.phone(raw, { defaultRegion: region })
        if (result._tag === "Unnormalized") expect(result.reason.length).toBeGreaterThan(0)
        else expect(result.value).toMatch(/^\+\d{6,15}(;ext=\d+)?$/)
      }),
      { numRuns: 500 }
    )
  })
})

describe("Normalize.email", () => {
  it.each([
    ["Foo.Bar@Example.COM", "foo.bar@example.com"],
    ["mailto:Jane@Example.com", "jane@example.com"],
    ["MAILTO:jane@example.com", "jane@example.com"],
    ["  jane+tag@example.com ", "jane+tag@example.com"],
    ["mailto:mailto:a@b.co", "a@b.co"]
  ])("%j -> %j", (raw, expected) => {
    expect(Normalize.email(raw)).toEqual({ _tag: "Normalized", value: expected })
  })

  it.each(["", "  ", "nope", "a@@b", "a b@c.d", "mailto:"])("%j is not an address", (raw) => {
    expect(Normalize.email(raw)._tag).toBe("Unnormalized")
  })

  it("property: idempotent", () => {
    const address = fc.tuple(fc.constantFrom("", "mailto:", "MailTo:", " "), fc.emailAddress(), fc.constantFrom("", " "))
      .map(([prefix, addr, suffix]) => `${prefix}${addr.toUpperCase()}${suffix}`)
    fc.assert(
      fc.property(fc.oneof(address, fc.string()), (raw) => {
        const once = normalizedValue(Normalize.email(raw))
        if (once !== undefined) {
          expect(once).toBe(once.toLowerCase())
          expect(Normalize.email(once)).toEqual({ _tag: "Normalized", value: once })
        }
      }),
      { numRuns: 500 }
    )
  })
})

describe("Normalize.website", () => {
  it.each([
    ["www.my-stie.com", "https://www.my-stie.com"],
    ["HTTP://Example.COM:80/", "http://example.com"],
    ["https://example.com:443/a/", "https://example.com/a"],
    ["https://Ex.com/Path/?q=1#x", "https://ex.com/Path?q=1#x"],
    ["example.com/a//", "https://example.com/a"],
    ["http://ex.com:8080/", "http://ex.com:8080"]
  ])("%j -> %j", (raw, expected) => {
    expect(Normalize.website(raw)).toEqual({ _tag: "Normalized", value: expected })
  })

  it.each(["", "ftp://x.com", "not a url", "mailto:x@y.com", "jane@example.com", "intranet"])("%j is not a website", (raw) => {
    expect(Normalize.website(raw)._tag).toBe("Unnormalized")
  })

  it("property: idempotent", () => {
    const url = fc.tuple(fc.constantFrom("", "http://", "HTTPS://"), fc.webUrl({ withQueryParameters: true, withFragments: true }))
      .map(([scheme, u]) => scheme === "" ? u : u.replace(/^https?:\/\//, scheme))
    fc.assert(
      fc.property(fc.oneof(url, fc.domain(), fc.string()), (raw) => {
        const once = normalizedValue(Normalize.website(raw))
        if (once !== undefined) expect(Normalize.website(once)).toEqual({ _tag: "Normalized", value: once })
      }),
      { numRuns: 500 }
    )
  })
})

describe("Normalize.chat and value", () => {
  it("chat handles are trimmed; empty ones are refused", () => {
    expect(Normalize.chat("  https://teams.microsoft.com/l/chat/0/0?users=a@b.com ")).toEqual({
      _tag: "Normalized",
      value: "https://teams.microsoft.com/l/chat/0/0?users=a@b.com"
    })
    expect(Normalize.chat(" ")._tag).toBe("Unnormalized")
  })

  it("value dispatches on the kind and passes the region to phones", () => {
    expect(normalizedValue(Normalize.value("phone", "020 7946 0958", { defaultRegion: "GB" }))).toBe("+442079460958")
    expect(normalizedValue(Normalize.value("email", "A@B.CO"))).toBe("a@b.co")
    expect(normalizedValue(Normalize.value("website", "b.co"))).toBe("https://b.co")
    expect(normalizedValue(Normalize.value("chat", " skype:jane "))).toBe("skype:jane")
  })
})
