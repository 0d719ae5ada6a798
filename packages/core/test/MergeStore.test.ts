import { describe, expect, it } from "@effect/vitest"
import type * as Merge from "../src/Merge.js"
import * as Person from "../src/Person.js"
import { Pairs } from "../src/internal/merge/blocking.js"
import * as Store from "../src/internal/merge/store.js"

const raw = (remoteId: string, contactPoints: ReadonlyArray<Merge.RawContactPoint>): Merge.RawRecord => ({
  system: "crm",
  remoteId,
  name: { given: "Ada", family: "Lovelace" },
  contactPoints
})

describe("RecordStore: compact contact points", () => {
  it("keeps values longer than 64 KiB, long capability lists and late custom labels exactly", () => {
    const long = `${"x".repeat(70_000)}@example.com`
    const records = [
      raw("1", [{ kind: "phone", value: "+1 650 555 0100", label: "work", capabilities: ["voice", "sms"] }]),
      raw("2", [
        { kind: "email", value: long, label: "work" },
        { kind: "phone", value: "+16505550101", capabilities: ["voice", "sms", "fax", "voice", "sms"] },
        { kind: "phone", value: "not a number at all", label: "other", customLabel: "Desk", capabilities: ["fax"] }
      ]),
      raw("3", [{ kind: "email", value: "Ada@Example.COM", primary: true }, { kind: "phone", value: "12", shared: true }])
    ]
    const store = new Store.RecordStore()
    for (const record of records) store.add(record)
    store.compact()
    records.forEach((record, r) => {
      const person = store.person(r)
      expect(Person.encode(person)).toEqual(Person.encode(Store.toPerson(record)))
    })
    expect(store.person(1).contactPoints.find((p) => p.kind === "email")?.value).toBe(long)
    expect(store.customLabelOf(0)).toBe(-1)
  })
})

describe("Pairs", () => {
  it("drops repeats before growing and returns every distinct pair once, sorted", () => {
    const n = 5000
    const pairs = new Pairs(n)
    const expected = new Set<number>()
    // 3 million pushes of about 400,000 distinct pairs: the list drops its repeats while it grows
    let x = 12345
    for (let k = 0; k < 3_000_000; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      const i = x % 1000
      const j = (x >>> 10) % 400
      if (i === j) continue
      pairs.push(i, j)
      expected.add(i < j ? i * n + j : j * n + i)
    }
    const distinct = pairs.distinct()
    expect(Array.from(distinct)).toEqual(Array.from(expected).sort((a, b) => a - b))
  })

  it.each([
    ["one pair over and over", (_k: number) => [1, 2] as const],
    ["ascending, each pair once", (k: number) => [Math.floor(k / 3000), 3000 + (k % 3000)] as const],
    ["descending, each pair once", (k: number) => [Math.floor((1_500_000 - k) / 3000), 3000 + (k % 3000)] as const],
    ["later pairs all before the earlier ones", (k: number) => (k < 1_200_000 ? [2000 + (k % 900), 3000 + (k % 1000)] as const : [k % 1000, 1000 + (k % 997)] as const)],
    ["later pairs all after the earlier ones", (k: number) => (k < 1_200_000 ? [k % 1000, 1000 + (k % 997)] as const : [2000 + (k % 900), 3000 + (k % 1000)] as const)],
    ["later pairs repeating earlier ones", (k: number) => [(k * 7) % 1500, 1500 + ((k * 13) % 1200)] as const]
  ])("settles what was pushed since the last time into the sorted pairs: %s", (_, pair) => {
    const n = 6000
    const pairs = new Pairs(n)
    const expected = new Set<number>()
    // the list settles once at about 1.2 million pushes, and again when done
    for (let k = 0; k < 1_500_000; k++) {
      const [i, j] = pair(k)
      pairs.push(i, j)
      expected.add(i < j ? i * n + j : j * n + i)
    }
    const distinct = pairs.distinct()
    expect(distinct.length).toBe(expected.size)
    expect(Array.from(distinct)).toEqual(Array.from(expected).sort((a, b) => a - b))
  })
})
