import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as fc from "fast-check"
import * as HttpPolicy from "../src/HttpPolicy.js"
import * as Json from "../src/internal/json.js"
import * as Liberal from "../src/Liberal.js"

const Entry = Schema.Struct({
  id: Liberal.Id,
  jobTitle: Liberal.optional(Schema.String),
  size: Liberal.optional(Liberal.Numeric),
  status: Liberal.optional(Liberal.open("Enabled", "Disabled"))
})
const decode = Schema.decodeUnknownEither(Entry)

describe("Liberal", () => {
  it("optional: null and undefined mean absent", () => {
    expect(decode({ id: "1", jobTitle: null, size: null, status: null })).toEqual(Either.right({ id: "1" }))
    expect(decode({ id: "1", jobTitle: undefined })).toEqual(Either.right({ id: "1" }))
    expect(decode({ id: "1", jobTitle: "CTO" })).toEqual(Either.right({ id: "1", jobTitle: "CTO" }))
    // a wrong type is still an error
    expect(Either.isLeft(decode({ id: "1", jobTitle: 12 }))).toBe(true)
  })

  it("Numeric: numbers and numeric strings, nothing else", () => {
    const n = Schema.decodeUnknownEither(Liberal.Numeric)
    expect(n(3600)).toEqual(Either.right(3600))
    expect(n("3600")).toEqual(Either.right(3600))
    expect(n(" 2.5 ")).toEqual(Either.right(2.5))
    expect(n("1e3")).toEqual(Either.right(1000))
    expect(n("-7")).toEqual(Either.right(-7))
    for (const bad of ["", "NaN", "Infinity", "12px", "0x10", "1,000", true, null]) {
      expect(Either.isLeft(n(bad))).toBe(true)
    }
    expect(Schema.encodeSync(Liberal.Numeric)(5)).toBe(5)
  })

  it("Numeric: any finite number survives being sent as a string", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      // String(-0) is "0"
      expect(Schema.decodeUnknownSync(Liberal.Numeric)(String(x)) === x).toBe(true)
    }))
  })

  it("Id: strings stay, numbers become strings", () => {
    const id = Schema.decodeUnknownEither(Liberal.Id)
    expect(id("abc")).toEqual(Either.right("abc"))
    expect(id(871817004)).toEqual(Either.right("871817004"))
    expect(Either.isLeft(id({}))).toBe(true)
    expect(Liberal.idOf({ id: 12 })).toBe("12")
    expect(Liberal.idOf({ id: " " })).toBeUndefined()
    expect(Liberal.idOf({ id: {} })).toBeUndefined()
    expect(Liberal.idOf("x")).toBeUndefined()
  })

  it("open: unknown values are kept", () => {
    expect(decode({ id: "1", status: "Dormant" })).toEqual(Either.right({ id: "1", status: "Dormant" }))
  })
})

describe("lossless JSON", () => {
  it("integers beyond 2^53 keep their digits as strings; everything else is JSON.parse", () => {
    expect(Json.parse(`{"id":8234962969801171948,"n":9007199254740991,"neg":-9007199254740993,"f":1.5e300,"s":"8234962969801171948"}`)).toEqual({
      id: "8234962969801171948",
      n: 9007199254740991,
      neg: "-9007199254740993",
      f: 1.5e300,
      s: "8234962969801171948"
    })
    // digits inside strings (with escaped quotes) are left alone
    expect(Json.parse(`["a\\"12345678901234567890", 12345678901234567890]`)).toEqual(["a\"12345678901234567890", "12345678901234567890"])
    expect(() => Json.parse(`{"id": 12345678901234567890,`)).toThrow()
  })

  it("agrees with JSON.parse on every JSON value, unsafe integers aside", () => {
    // the text of an unsafe integer written by JSON.stringify is String(n) unless it has an exponent
    const expected = (text: string) =>
      JSON.parse(text, (_, v: unknown) =>
        typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v) && !String(v).includes("e") ? String(v) : v)
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const text = JSON.stringify(value)
      expect(Json.parse(text)).toEqual(expected(text))
    }))
  })

  it.effect("HttpPolicy.decodeText keeps large ids exact", () =>
    Effect.gen(function*() {
      const decoded = yield* HttpPolicy.decodeText(Schema.Struct({ id: Liberal.Id, size: Liberal.Numeric }), { module: "m", method: "x" })(
        `{"id": 8234962969801171948, "size": "10"}`
      )
      expect(decoded).toEqual({ id: "8234962969801171948", size: 10 })
    }))
})
