import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Normalize from "../src/Normalize.js"

/**
 * What a normalized value of each kind looks like, written independently of
 * the normalizer: whatever it accepts, however hostile the input, has this
 * shape (a website's or chat link's host: letters, digits, dots and hyphens,
 * or an IP literal; a chat link is kept as written, an empty port included).
 */
const shapes: Readonly<Record<"email" | "phone" | "website" | "chat", RegExp>> = {
  email: /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9-]+\.)+[a-z][a-z0-9-]*$/,
  phone: /^\+[1-9]\d{5,14}(;ext=\d{1,10})?$/,
  website: /^https?:\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d+)?([/?#][\x21-\x7e]*)?$/,
  chat: /^(https?:\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d*)?([/?#]\S*)?|(skype|slack|msteams):\S+)$/i
}

/** Pieces of valid and hostile values, joined at random. */
const piece = fc.oneof(
  fc.constantFrom(
    "https://", "http://", "skype:", "slack:", "msteams:", "mailto:", "javascript:", "@", ".", "-", "_", ":", "/", "?", "#", "%",
    "&", ";", "[", "]", "+", " ", "\u200b", "\u202e", "ä", "xn--", "localhost", "1.2.3.4", "[::1]", "example", "com", "ext", "=",
    "\\", "\"", "<", ">", "0", "9", "+1 (617) 555-0100", "x"
  ),
  fc.string({ maxLength: 3 }),
  fc.string({ unit: "grapheme", maxLength: 2 })
)
const hostile = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(""))

describe("Normalize: every accepted value has the shape of its kind", () => {
  for (const kind of ["email", "phone", "website", "chat"] as const) {
    it(`${kind}: hostile pieces, URLs, e-mail addresses and domains`, () => {
      fc.assert(
        fc.property(fc.oneof(hostile, fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.emailAddress(), fc.domain()), (raw) => {
          const result = Normalize.value(kind, raw, { maxLength: 255 })
          if (result._tag === "Normalized") expect(result.value, JSON.stringify(raw)).toMatch(shapes[kind])
        }),
        { numRuns: 3000 }
      )
    })
  }
})
