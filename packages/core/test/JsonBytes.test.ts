import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Json from "../src/internal/json.js"

const bytes = (text: string) => new TextEncoder().encode(text)

/** What Json.parse says of a text: its value, or that it throws. */
const outcome = (f: () => unknown): { readonly value: unknown } | "throws" => {
  try {
    return { value: f() }
  } catch {
    return "throws"
  }
}

const listing = (records: ReadonlyArray<unknown>) =>
  JSON.stringify({ uri: "https://x/entries?page=2", records, paging: { page: 2, perPage: 2, totalPages: 3 }, navigation: {} })

describe("Json.parseBytes (a large body parsed in pieces)", () => {
  it("gives what Json.parse gives for every object of arrays and values, compact or indented", () => {
    const body = fc.dictionary(fc.string(), fc.oneof(fc.array(fc.jsonValue(), { maxLength: 5 }), fc.jsonValue()), { maxKeys: 5 })
    fc.assert(fc.property(body, fc.boolean(), (value, indent) => {
      const text = indent ? JSON.stringify(value, null, 2) : JSON.stringify(value)
      expect(Json.parseBytes(bytes(text), 0)).toEqual(Json.parse(text))
    }))
  })

  it("a listing page: records, unsafe integers, escapes and non-ASCII text in records come out as from the whole text", () => {
    const text = `{"records":[{"id":8234962969801171948,"name":"Zoë \\"Q\\" [x], {y}"},{"id":2,"tags":["a,b",[1,2]]}],"paging":{"page":1}}`
    expect(Json.parseBytes(bytes(text), 0)).toEqual({
      records: [{ id: "8234962969801171948", name: "Zoë \"Q\" [x], {y}" }, { id: 2, tags: ["a,b", [1, 2]] }],
      paging: { page: 1 }
    })
    expect(Json.parseBytes(bytes(` \n{"records": [ ] , "a" : [ 1 ,2 ] }\n`), 0)).toEqual({ records: [], a: [1, 2] })
  })

  it("throws exactly when the text is not JSON: every cut of a listing, and hostile shapes", () => {
    const text = listing([{ id: "1", email: "a@x" }, { id: "2", phoneNumbers: [{ phoneNumber: "+1" }] }])
    for (let end = 0; end < text.length; end++) {
      const cut = text.slice(0, end)
      expect(outcome(() => Json.parseBytes(bytes(cut), 0)), cut).toEqual(outcome(() => Json.parse(cut)))
    }
    for (const bad of [`{"a":[1,]}`, `{"a":[,1]}`, `{"a":[1}`, `{"a":[1]]}`, `{"a":[1]} x`, `{"a":[1]}{"b":[2]}`, `{"a":[1 2]}`, `{"a":["x]}`, `{"a":[1],}`]) {
      expect(() => Json.parseBytes(bytes(bad), 0), bad).toThrow()
      expect(() => Json.parse(bad), bad).toThrow()
    }
  })

  it("a duplicate key keeps its last array, a __proto__ key stays an own property, a byte-order mark is skipped", () => {
    expect(Json.parseBytes(bytes(`{"a":[1],"a":[2,3]}`), 0)).toEqual({ a: [2, 3] })
    const proto = Json.parseBytes(bytes(`{"__proto__":[1,2],"b":[3]}`), 0) as Record<string, unknown>
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(proto, "__proto__")?.value).toEqual([1, 2])
    expect(Json.parseBytes(bytes(`\uFEFF{"a":[1]}`), 0)).toEqual({ a: [1] })
    // not an object: the whole text
    expect(Json.parseBytes(bytes(`[{"a":[1]}]`), 0)).toEqual([{ a: [1] }])
  })

  it("a large page (beyond the default threshold) is read in pieces with the same result", () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({ id: String(62009893004 + i), firstName: "Zoë", email: `p${i}@example.com`, phoneNumbers: [{ phoneNumber: "+16172830107", primary: true }] }))
    const text = listing(records)
    expect(text.length).toBeGreaterThan(64 * 1024)
    expect(Json.parseBytes(bytes(text))).toEqual(JSON.parse(text))
  })
})
