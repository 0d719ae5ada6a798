import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Text from "../src/Text.js"

/** One character of every unsafe family, with its category. */
const unsafeSamples: ReadonlyArray<readonly [string, Text.Category]> = [
  ["\u0000", "control"],
  ["\u0007", "control"],
  ["\t", "control"],
  ["\n", "control"],
  ["\r", "control"],
  ["\u001b", "control"],
  ["\u007f", "control"],
  ["\u0085", "control"],
  ["\u009b", "control"],
  ["\u2028", "line separator"],
  ["\u2029", "line separator"],
  ["\u200b", "zero-width"],
  ["\u200c", "zero-width"],
  ["\u200d", "zero-width"],
  ["\u2060", "zero-width"],
  ["\ufeff", "zero-width"],
  ["\u180e", "invisible"],
  ["\u2061", "invisible"],
  ["\u206a", "invisible"],
  ["\ufff9", "invisible"],
  ["\u{e0041}", "invisible"],
  ["\u200e", "bidi"],
  ["\u200f", "bidi"],
  ["\u061c", "bidi"],
  ["\u202a", "bidi"],
  ["\u202b", "bidi"],
  ["\u202c", "bidi"],
  ["\u202d", "bidi"],
  ["\u202e", "bidi"],
  ["\u2066", "bidi"],
  ["\u2067", "bidi"],
  ["\u2068", "bidi"],
  ["\u2069", "bidi"],
  ["\ud800", "unpaired surrogate"],
  ["\udfff", "unpaired surrogate"]
]

/** Text that must be kept as is. */
const safeSamples = [
  "",
  "Jane Doe",
  "José Müller-Lüdenscheidt",
  "O'Brien \"Bob\" <b>",
  "山田 太郎",
  "محمد عبد الله",
  "שלום",
  "Zoë 👩🏽",
  "Ελένη",
  "\u00a0non-breaking\u00a0space",
  "\ud83d\ude00 a real surrogate pair",
  "DOMAIN\\jane"
]

const hostileChar = fc.constantFrom(...unsafeSamples.map(([c]) => c))
const mixed = fc.array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 4 }), hostileChar), { maxLength: 12 }).map((parts) => parts.join(""))

describe("Text", () => {
  it.each(unsafeSamples)("%j is unsafe (%s)", (char, category) => {
    const s = `ab${char}cd`
    expect(Text.isSafe(s)).toBe(false)
    expect(Text.findUnsafe(s)).toMatchObject({ index: 2, category })
    expect(Text.check(s)).toMatch(/^contains (a|an) .+ \(U\+[0-9A-F]{4,5}\) at position 2$/)
    expect(Text.strip(s)).toBe("abcd")
    expect(Text.isSafe(Text.printable(s))).toBe(true)
  })

  it.each(safeSamples)("%j is safe and kept as is", (s) => {
    expect(Text.isSafe(s)).toBe(true)
    expect(Text.findUnsafe(s)).toBeUndefined()
    expect(Text.check(s)).toBeUndefined()
    expect(Text.strip(s)).toBe(s)
    expect(Text.clean(s)).toBe(s)
    expect(Text.printable(s)).toBe(s)
  })

  it("describes the code point and the position", () => {
    expect(Text.check("Jane\u202eeoD")).toBe("contains a bidi control character (U+202E) at position 4")
    expect(Text.check("a\u{e0041}")).toBe("contains an invisible character (U+E0041) at position 1")
    expect(Text.check("x\udc00")).toBe("contains an unpaired surrogate (U+DC00) at position 1")
    expect(Text.findAllUnsafe("a\u0007b\u200bc")).toEqual([
      { index: 1, codePoint: 7, category: "control" },
      { index: 3, codePoint: 0x200b, category: "zero-width" }
    ])
  })

  it("printable shows visible escapes: nothing moves the cursor, changes colours or reorders text", () => {
    expect(Text.printable("\u001b[2J\u001b[31mred\u0007")).toBe("\\u001b[2J\\u001b[31mred\\u0007")
    expect(Text.printable("evil\u202etxt.exe")).toBe("evil\\u202etxt.exe")
    expect(Text.printable("a\tb\nc\rd")).toBe("a\\tb\\nc\\rd")
    expect(Text.printable("\u009b31m")).toBe("\\u009b31m")
    expect(Text.printable("hidden\u{e0041}\u{e0042}")).toBe("hidden\\u{e0041}\\u{e0042}")
    expect(Text.printable("lone \ud800 surrogate")).toBe("lone \\ud800 surrogate")
    expect(Text.printable("zero\u200bwidth\ufeff")).toBe("zero\\u200bwidth\\ufeff")
  })

  it("clean: line breaks and tabs become one space, the rest of the unsafe characters go, the ends are trimmed", () => {
    expect(Text.clean("Jane\nDoe")).toBe("Jane Doe")
    expect(Text.clean("Jane\t\tDoe")).toBe("Jane Doe")
    expect(Text.clean("Ja\u200bne")).toBe("Jane")
    expect(Text.clean("\u202eJane Doe\u202c")).toBe("Jane Doe")
    expect(Text.clean(" \u0007Jane\r\n")).toBe("Jane")
    expect(Text.clean("\u200b")).toBe("")
    // untouched strings keep their own spaces
    expect(Text.clean(" Jane  Doe ")).toBe(" Jane  Doe ")
  })

  it("quote: printable, in quotes, cut (on a code point) with the full length when long", () => {
    expect(Text.quote("a\u0007b")).toBe("\"a\\u0007b\"")
    expect(Text.quote("x".repeat(300))).toBe(`"${"x".repeat(64)}…" (300 characters)`)
    expect(Text.quote(`${"x".repeat(63)}😀tail`)).toBe(`"${"x".repeat(63)}…" (69 characters)`)
    expect(Text.quote("\u202e".repeat(100), 3)).toBe("\"\\u202e\\u202e\\u202e…\" (100 characters)")
  })

  it("property: strip, clean and printable always give safe text; safe text is a fixed point", () => {
    fc.assert(
      fc.property(fc.oneof(mixed, fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" })), (s) => {
        const stripped = Text.strip(s)
        const cleaned = Text.clean(s)
        const printed = Text.printable(s)
        expect(Text.isSafe(stripped)).toBe(true)
        expect(Text.isSafe(cleaned)).toBe(true)
        expect(Text.isSafe(printed)).toBe(true)
        expect(Text.clean(cleaned)).toBe(cleaned)
        expect(Text.strip(stripped)).toBe(stripped)
        // printable never hides an unsafe character: each one shows as an escape
        expect(Text.isSafe(s)).toBe(Text.findAllUnsafe(s).length === 0)
        if (Text.isSafe(s)) expect([stripped, cleaned, printed]).toEqual([s, s, s])
        else expect(printed).toMatch(/\\[tnru]/)
        expect(Text.isSafe(Text.quote(s))).toBe(true)
      }),
      { numRuns: 1000 }
    )
  })

  it("property: printable output has no ESC, no C1 control, no bidi control and no line break", () => {
    fc.assert(
      fc.property(mixed, (s) => {
        const moving = [...Text.printable(s)].filter((c) => {
          const cp = c.codePointAt(0)!
          return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || cp === 0x200e || cp === 0x200f ||
            cp === 0x061c || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
        })
        expect(moving).toEqual([])
      }),
      { numRuns: 500 }
    )
  })
})
