import { describe, expect, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import * as Generator from "../src/Generator.js"
import * as Person from "@unified-people/core/Person"

const company = Generator.company({ seed: 7, size: 600 })

describe("Generator", () => {
  it("is deterministic for a seed, and differs between seeds", () => {
    const again = Generator.company({ seed: 7, size: 600 })
    expect(again.records.map((p) => Person.encode(p))).toEqual(company.records.map((p) => Person.encode(p)))
    expect(again.identities).toEqual(company.identities)
    const other = Generator.company({ seed: 8, size: 600 })
    expect(other.records.map((p) => p.id)).not.toEqual(company.records.map((p) => p.id))
  })

  it("writes the same records in fast mode, where phone numbers are not parsed", () => {
    const fast = Generator.company({ seed: 7, size: 600, fast: true })
    expect(fast.records.map((p) => Person.encode(p))).toEqual(company.records.map((p) => Person.encode(p)))
  })

  it("produces valid people: every record decodes as a Person", () => {
    const decode = Schema.decodeUnknownSync(Person.Person)
    for (const record of company.records) {
      const encoded = Person.encode(record)
      expect(Person.encode(decode(encoded))).toEqual(encoded)
      expect(record.id).toBe(record.provenance[0]!.key)
    }
  })

  it("labels every record with its identity, and spreads people over the systems", () => {
    expect(company.truth.size).toBe(company.records.length)
    const identities = new Set(company.identities.map((i) => i.id))
    for (const id of company.truth.values()) expect(identities.has(id)).toBe(true)
    expect(new Set(company.records.map((p) => p.id)).size).toBe(company.records.length)
    for (const system of Generator.systems) expect(company.bySystem[system].length).toBeGreaterThan(300)
    const single = company.identities.filter((i) => i.systems.length === 1)
    expect(single.length).toBeGreaterThan(10)
  })

  it("has the quirks of real sources", () => {
    const points = company.records.flatMap((p) => p.contactPoints)
    // a shared company main number, never identifying
    const main = points.filter((p) => p.label === "main")
    expect(main.length).toBeGreaterThan(300)
    expect(main.every((p) => p.shared === true)).toBe(true)
    // the same number written in several ways
    const phones = points.filter((p) => p.kind === "phone" && p.label !== "main")
    expect(phones.some((p) => /^\+1 \(\d{3}\) \d{3}-\d{4}$/.test(p.value))).toBe(true)
    expect(phones.some((p) => /^\d{3}\.\d{3}\.\d{4}$/.test(p.value))).toBe(true)
    expect(phones.some((p) => /^1\d{10}$/.test(p.value))).toBe(true)
    expect(phones.every((p) => p.normalized !== undefined && /^\+1\d{10}$/.test(p.normalized))).toBe(true)
    // e-mail addresses in mixed case
    expect(points.some((p) => p.kind === "email" && p.value !== p.value.toLowerCase())).toBe(true)
    // nicknames and accents
    const givenNames = new Set(company.records.map((p) => p.name.given))
    expect(givenNames.has("Bob") || givenNames.has("Rob")).toBe(true)
    expect(company.records.some((p) => [...p.displayName].some((c) => c.charCodeAt(0) > 127))).toBe(true)
    // display names only
    expect(company.records.some((p) => p.name.given === undefined && p.name.display?.includes(","))).toBe(true)
    // namesakes: the same name, different people
    const byName = new Map<string, Set<string>>()
    for (const who of company.identities) {
      const key = `${who.given} ${who.family}`
      byName.set(key, (byName.get(key) ?? new Set()).add(who.id))
    }
    expect([...byName.values()].some((ids) => ids.size > 1)).toBe(true)
    // relatives sharing a home number
    const homes = new Map<string, number>()
    for (const who of company.identities) if (who.home !== undefined) homes.set(who.home, (homes.get(who.home) ?? 0) + 1)
    expect([...homes.values()].some((n) => n > 1)).toBe(true)
    // name changes
    expect(company.identities.some((i) => i.previousFamily !== undefined)).toBe(true)
  })

  it("measures pairwise precision and recall", () => {
    const truth = new Map([["a", "1"], ["b", "1"], ["c", "1"], ["d", "2"]])
    expect(Generator.evaluate([["a", "b", "c"], ["d"]], truth)).toMatchObject({ precision: 1, recall: 1 })
    const split = Generator.evaluate([["a", "b"], ["c"], ["d"]], truth)
    expect(split).toMatchObject({ precision: 1, truePairs: 3, correctPairs: 1 })
    expect(split.recall).toBeCloseTo(1 / 3)
    const lumped = Generator.evaluate([["a", "b", "c", "d"]], truth)
    expect(lumped).toMatchObject({ predictedPairs: 6, correctPairs: 3, recall: 1, precision: 0.5 })
  })

  it("draws from a seeded PRNG", () => {
    const a = Generator.random(1)
    const b = Generator.random(1)
    const xs = Array.from({ length: 100 }, () => a.next())
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(new Set(xs).size).toBe(100)
  })
})
