import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Label from "../src/Label.js"
import type { Kind } from "../src/Label.js"
import * as Normalize from "../src/Normalize.js"
import * as Text from "../src/Text.js"

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

describe("Normalize.isPhoneRegion", () => {
  it("accepts two-letter codes with a numbering plan, in any case, and nothing else", () => {
    for (const region of ["US", "gb", "De", "JP"]) expect(Normalize.isPhoneRegion(region), region).toBe(true)
    for (const region of ["", "ZZ", "XX", "usa", "U", "1", "U S", "us ", "__proto__"]) expect(Normalize.isPhoneRegion(region), region).toBe(false)
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

// -----------------------------------------------------------------------------
// strict writing: the one validation of contact values
// -----------------------------------------------------------------------------

const reasonOf = (result: Normalize.Result): string | undefined => (result._tag === "Unnormalized" ? result.reason : undefined)

const expectRefused = (result: Normalize.Result, reason?: string | RegExp) => {
  expect(result._tag).toBe("Unnormalized")
  const why = reasonOf(result)!
  expect(why.length).toBeGreaterThan(0)
  // a reason is safe to print and short, whatever the value
  expect(Text.isSafe(why)).toBe(true)
  expect(why.length).toBeLessThan(300)
  if (reason !== undefined) expect(why).toMatch(reason)
}

/** Unsafe characters, one of each family. */
const unsafeChars = ["\u0000", "\u0007", "\u0008", "\u001b", "\u007f", "\u0085", "\u009b", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202e", "\u2066", "\u2069", "\u200f", "\u2028", "\u{e0041}", "\ud800", "\udc00"]

const validByKind: Readonly<Record<Kind, ReadonlyArray<string>>> = {
  email: ["jane.doe@example.com", "o'brien+tag@mail.example.co.uk"],
  phone: ["+16505550100", "+1 (650) 555-0100 ext. 12"],
  website: ["https://www.example.com/a/b?q=1", "example.org"],
  chat: ["https://chat.example.com/u/1", "skype:jane.doe?chat"]
}

describe("Normalize: character hygiene (every kind)", () => {
  const cases = Label.kinds.flatMap((kind) =>
    validByKind[kind].flatMap((valid) =>
      unsafeChars.map((char) => [kind, `${valid.slice(0, 5)}${char}${valid.slice(5)}`] as const)
    )
  )

  it.each(cases)("%s %j is refused", (kind, raw) => {
    expectRefused(Normalize.value(kind, raw))
  })

  it("the reason names the character and where it is, escaped", () => {
    expect(reasonOf(Normalize.email("jane\u202e@example.com"))).toBe(
      "e-mail address \"jane\\u202e@example.com\" contains a bidi control character (U+202E) at position 4"
    )
    expect(reasonOf(Normalize.website("https://exa\u001b[31mmple.com"))).toBe(
      "website \"https://exa\\u001b[31mmple.com\" contains a control character (U+001B) at position 11"
    )
  })

  it("surrounding whitespace is trimmed, not refused; the normalized value never has it", () => {
    expect(Normalize.email("\n jane@example.com\t")).toEqual({ _tag: "Normalized", value: "jane@example.com" })
    expect(Normalize.phone("\ufeff+16505550100\n")).toEqual({ _tag: "Normalized", value: "+16505550100" })
  })
})

describe("Normalize.email: syntax and limits", () => {
  it.each([
    ["jane@example.com", "jane@example.com"],
    ["Jane.Doe+Tag@Sub.Example.CO.UK", "jane.doe+tag@sub.example.co.uk"],
    ["o'brien@x.ie", "o'brien@x.ie"],
    ["a_b-c!#$%&*/=?^`{|}~@x-y.example", "a_b-c!#$%&*/=?^`{|}~@x-y.example"],
    ["jane@xn--bcher-kva.de", "jane@xn--bcher-kva.de"],
    ["Jane@Bücher.DE", "jane@bücher.de"],
    [`${"a".repeat(64)}@example.com`, `${"a".repeat(64)}@example.com`]
  ])("%j is valid: %j", (raw, expected) => {
    expect(Normalize.email(raw)).toEqual({ _tag: "Normalized", value: expected })
  })

  it.each([
    ["a@b@c", /more than one @/],
    ["a@b", /domain/],
    ["a@.com", /domain/],
    ["a@b.", /domain/],
    ["a@b..com", /domain/],
    ["a@-b.com", /domain/],
    ["a@b-.com", /domain/],
    ["a@b.123", /domain/],
    ["a@[127.0.0.1]", /domain/],
    ["@example.com", /nothing before the @/],
    ["jane@", /no domain/],
    [".jane@example.com", /before the @/],
    ["jane.@example.com", /before the @/],
    ["ja..ne@example.com", /before the @/],
    ["\"jane doe\"@example.com", /before the @/],
    ["\"a@b\"@example.com", /more than one @/],
    ["jane doe@example.com", /before the @/],
    ["(comment)jane@example.com", /before the @/],
    ["Jane <jane@example.com>", /./],
    ["jane@example.com?subject=hi", /domain/],
    ["jane@bücher.de/x", /domain/],
    ["jöne@example.com", /before the @/],
    ["jane@exa mple.com", /domain/],
    ["<script>@example.com", /before the @/],
    [`${"a".repeat(65)}@example.com`, /more than 64 characters before the @/],
    [`jane@${"a".repeat(64)}.com`, /domain/],
    [`${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.com`, /longer than 254/]
  ])("%j is refused (%s)", (raw, reason) => {
    expectRefused(Normalize.email(raw), reason)
  })

  it("a 300-character address is refused by normalization itself", () => {
    const long = `${"a".repeat(60)}@${Array.from({ length: 4 }, () => "b".repeat(58)).join(".")}.example`
    expect(long.length).toBeGreaterThan(254)
    expectRefused(Normalize.email(long))
    expectRefused(Normalize.email(`${"x".repeat(290)}@example.com`))
  })

  it("maxLength is the target's limit on top of RFC 5321", () => {
    const address = `${"a".repeat(60)}@${"b".repeat(60)}.example.com` // 133 characters
    expect(Normalize.email(address)._tag).toBe("Normalized")
    expectRefused(Normalize.email(address, { maxLength: 100 }), /too long for the target \(at most 100 characters\)/)
    expect(Normalize.email(address, { maxLength: address.length })._tag).toBe("Normalized")
  })
})

describe("Normalize.phone: possible numbers only", () => {
  it.each([
    ["+999999999999999999", /./],
    ["+99999999999", /cannot parse/],
    ["+1 650 555 010", /not a possible/],
    ["+1 650 555 01000", /not a possible/],
    ["+44 20 7946 0958 0000 0000", /./],
    ["123", /not a possible|cannot parse/],
    ["+1 650 555 0100 call me", /letters/],
    ["+1 650 ABC 0100", /letters/],
    ["+1 650 555 0100 <b>", /letters|unexpected/],
    ["+1 650 555 0100 \"", /unexpected/],
    ["+1 650 555 0100;ext=12345678901", /extension .* more than 10 digits/],
    ["javascript:alert(1)", /letters|no digits/]
  ])("%j is refused (%s)", (raw, reason) => {
    expectRefused(Normalize.phone(raw), reason)
  })

  it("extensions are kept, E.164 has at most 15 digits", () => {
    expect(normalizedValue(Normalize.phone("+16505550100;ext=1234567890"))).toBe("+16505550100;ext=1234567890")
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 20 }), (digits) => {
        const value = normalizedValue(Normalize.phone(`+${digits}`))
        if (value !== undefined) expect(value.replace(/;ext=\d+$/, "").length - 1).toBeLessThanOrEqual(15)
      }),
      { numRuns: 500 }
    )
  })

  it("maxLength applies to phones too", () => {
    expectRefused(Normalize.phone("+16505550100;ext=12", { maxLength: 12 }), /at most 12 characters/)
    expectRefused(Normalize.phone("+16505550100", { maxLength: 11 }), /at most 11 characters/)
    expect(normalizedValue(Normalize.phone("+16505550100", { maxLength: 12 }))).toBe("+16505550100")
  })

  it("property: the E.164 fast path agrees with the full parse for every calling code", () => {
    // the same digits written with a space do not take the fast path
    const e164 = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 4, maxLength: 14 }))
      .map(([cc, rest]) => `+${cc}${rest}`.slice(0, 16))
    fc.assert(
      fc.property(e164, (value) => {
        const fast = Normalize.phone(value)
        const slow = Normalize.phone(`${value.slice(0, 3)} ${value.slice(3)}`)
        expect(fast._tag).toBe(slow._tag)
        if (fast._tag === "Normalized" && slow._tag === "Normalized") expect(fast.value).toBe(slow.value)
      }),
      { numRuns: 3000 }
    )
  })
})

describe("Normalize.website: http and https only, with a host", () => {
  it.each([
    ["javascript:alert(1)", /unsupported URL scheme "javascript:"/],
    ["JavaScript:alert(document.cookie)", /unsupported URL scheme/],
    [" javascript://example.com/%0Aalert(1)", /unsupported URL scheme/],
    ["data:text/html,<script>alert(1)</script>", /unsupported URL scheme "data:"/],
    ["file:///etc/passwd", /unsupported URL scheme "file:"/],
    ["vbscript:msgbox(1)", /unsupported URL scheme "vbscript:"/],
    ["ftp://example.com", /unsupported URL scheme/],
    ["blob:https://example.com/x", /unsupported URL scheme/],
    ["http:example.com", /no \/\/ after the scheme/],
    ["/relative/path", /no valid host/],
    ["../../etc/passwd", /no valid host/],
    ["?q=1", /not a URL/],
    ["#top", /not a URL|no valid host/],
    ["https://", /not a URL/],
    ["https://a..b.com", /no valid host/],
    // hosts the URL parser lets through but no server has (found by the People contact book's property test)
    ["&.;", /no valid host/],
    ["https://a&b.example.com", /no valid host/],
    ["https://x;.example", /no valid host/],
    ["https://-a.example.com", /no valid host/],
    ["https://a-.example.com", /no valid host/],
    ["https://a_b.example.com", /no valid host/],
    ["https://a!b.example.com/x", /no valid host/],
    [`https://${"a".repeat(64)}.com`, /no valid host/],
    ["https://user:pass@example.com", /user info/],
    [`https://example.com/${"a".repeat(2100)}`, /longer than 2048/],
    ["java\tscript:alert(1)", /control character/],
    ["https://example.com/\u202efdp.exe", /bidi/]
  ])("%j is refused (%s)", (raw, reason) => {
    expectRefused(Normalize.website(raw), reason)
  })

  it.each([
    ["example.com:8080/x", "https://example.com:8080/x"],
    ["https://bücher.de/ä", "https://xn--bcher-kva.de/%C3%A4"],
    ["HTTPS://Example.com/<b>\"x\"", "https://example.com/%3Cb%3E%22x%22"],
    ["localhost:3000", "https://localhost:3000"],
    ["https://sub-domain.Example-1.co.uk/a", "https://sub-domain.example-1.co.uk/a"],
    ["http://192.168.0.1:8080/", "http://192.168.0.1:8080"]
  ])("%j -> %j", (raw, expected) => {
    expect(Normalize.website(raw)).toEqual({ _tag: "Normalized", value: expected })
  })

  it("maxLength: a URL too long for the target is refused", () => {
    const url = `https://example.com/${"a".repeat(300)}`
    expect(Normalize.website(url)._tag).toBe("Normalized")
    expectRefused(Normalize.website(url, { maxLength: 255 }), /at most 255 characters/)
  })
})

describe("Normalize.chat: http(s) links and the People system's chat schemes", () => {
  it.each([
    ["skype:jane.doe?chat", "skype:jane.doe?chat"],
    ["Skype:+16505550100?call", "skype:+16505550100?call"],
    ["slack://user?team=T0123&id=U0456", "slack://user?team=T0123&id=U0456"],
    ["MSTeams:/l/chat/0/0?users=jane@example.com", "msteams:/l/chat/0/0?users=jane@example.com"],
    ["https://widget.facebook.com/chat/t/100215506159543", "https://widget.facebook.com/chat/t/100215506159543"],
    [" HTTPS://teams.microsoft.com/l/chat/0/0?users=a@b.com ", "https://teams.microsoft.com/l/chat/0/0?users=a@b.com"]
  ])("%j -> %j", (raw, expected) => {
    expect(Normalize.chat(raw)).toEqual({ _tag: "Normalized", value: expected })
  })

  it.each([
    ["jane.doe", /no scheme/],
    ["chesscole1", /no scheme/],
    ["javascript:alert(1)", /unsupported chat link scheme "javascript:"/],
    ["data:text/html,x", /unsupported chat link scheme/],
    ["sip:jane@example.com", /unsupported chat link scheme/],
    ["xmpp:jane@example.com", /unsupported chat link scheme/],
    ["skype:", /nothing after the scheme/],
    ["skype:jane doe", /characters a link cannot hold/],
    ["skype:jane\"><script>alert(1)</script>", /characters a link cannot hold/],
    ["https://x.example/ä", /characters a link cannot hold/],
    ["https:jane", /no \/\/ after the scheme/],
    ["http://chat", /no valid host/],
    ["https://user@chat.example.com", /user info/],
    [`skype:${"a".repeat(2100)}`, /longer than 2048/]
  ])("%j is refused (%s)", (raw, reason) => {
    expectRefused(Normalize.chat(raw), reason)
  })

  it("maxLength applies to chat links", () => {
    expectRefused(Normalize.chat(`skype:${"a".repeat(300)}`, { maxLength: 255 }), /at most 255 characters/)
  })
})

// -----------------------------------------------------------------------------
// the property: nothing invalid comes out as valid
// -----------------------------------------------------------------------------

const hostileChar = fc.constantFrom(...unsafeChars)
/** Inserts 1-3 unsafe characters at random places. */
const inject = (value: string) =>
  fc.array(fc.tuple(fc.nat(), hostileChar), { minLength: 1, maxLength: 3 }).map((insertions) => {
    let out = value
    for (const [at, char] of insertions) {
      const i = at % (out.length + 1)
      out = out.slice(0, i) + char + out.slice(i)
    }
    return out
  })

const hostileValue = (kind: Kind): fc.Arbitrary<string> => {
  const valid = fc.constantFrom(...validByKind[kind])
  const wrongSchemes = fc.constantFrom(
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "file:///c:/windows",
    "vbscript:msgbox",
    "ftp://x.example.com",
    "sip:jane@example.com",
    "mailto:jane@example.com",
    "//evil.example.com",
    "../../admin",
    "jane.doe"
  )
  const malformedEmails = fc.constantFrom("a@b@c.com", "a@b", "a@.com", "\"a b\"@c.com", "a..b@c.com", "a@b.c-", "@x.com", "jane@", "a@b.123", "a@[1.2.3.4]")
  const malformedPhones = fc.constantFrom("+999999999999999999", "+0 650 555 0100", "12", "+1 650 555", "1-800-FLOWERS", "+1 650 555 0100 <x>", "+1 650 555 0100;ext=99999999999")
  const overlong = fc.tuple(fc.integer({ min: 240, max: 320 }), valid).map(([n, v]) =>
    kind === "email" ? `${"a".repeat(Math.max(1, n - 12))}@example.com` : kind === "phone" ? `+1650555${"0".repeat(n)}` : `${v}/${"x".repeat(n)}`
  )
  return fc.oneof(
    valid,
    valid.chain(inject),
    wrongSchemes,
    wrongSchemes.chain(inject),
    malformedEmails,
    malformedPhones,
    overlong,
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    kind === "email" ? fc.emailAddress() : kind === "website" || kind === "chat" ? fc.webUrl() : usNumber.chain(written)
  )
}

/** What a valid normalized value of each kind looks like, checked independently of the normalizer. */
const looksValid = (kind: Kind, value: string): boolean => {
  switch (kind) {
    case "email": {
      const [local, domain, ...more] = value.split("@")
      return more.length === 0 && local !== undefined && domain !== undefined && local.length >= 1 && local.length <= 64 &&
        value.length <= 254 && !/^\.|\.$|\.\./.test(local) && /^[^.\s]+(\.[^.\s]+)+$/.test(domain) && value === value.toLowerCase()
    }
    case "phone":
      return /^\+[1-9]\d{5,14}(;ext=\d{1,10})?$/.test(value)
    case "website": {
      const url = new URL(value)
      return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "" && url.username === "" && value.length <= 2048
    }
    case "chat":
      return /^(https?:\/\/[^/?#\s]+|skype:|slack:|msteams:)\S+$/.test(value) || /^https?:\/\/[^/?#\s]+$/.test(value)
  }
}

describe("Normalize: property over hostile values", () => {
  it("nothing invalid is ever normalized, every refusal has a printable reason, and the target limit holds", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Label.kinds).chain((kind) => fc.tuple(fc.constant(kind), hostileValue(kind))),
        fc.constantFrom(undefined, 255, 40),
        ([kind, raw], maxLength) => {
          const result = Normalize.value(kind, raw, maxLength === undefined ? {} : { maxLength })
          if (result._tag === "Unnormalized") {
            expectRefused(result)
            return
          }
          const value = result.value
          expect(Text.isSafe(value)).toBe(true)
          expect(value).toBe(value.trim())
          if (maxLength !== undefined) expect(value.length).toBeLessThanOrEqual(maxLength)
          expect(looksValid(kind, value)).toBe(true)
          expect(/^(javascript|data|file|vbscript|ftp|sip|mailto):/i.test(value)).toBe(false)
          // normalizing the output gives it back: what was validated is what is written
          expect(Normalize.value(kind, value, maxLength === undefined ? {} : { maxLength })).toEqual(result)
        }
      ),
      { numRuns: 3000 }
    )
  })
})
