import { describe, expect, it } from "@effect/vitest"
import { Person } from "@unified-people/core"
import * as NoisyCompany from "../src/NoisyCompany.js"

const ascii = (s: string): string => s.normalize("NFD").replace(/\p{M}/gu, "")

describe("NoisyCompany", () => {
  const company = NoisyCompany.make({ seed: 7, people: 2000 })

  it("is deterministic: the same seed gives the same company, another seed another", () => {
    const again = NoisyCompany.make({ seed: 7, people: 2000 })
    expect(again.records.map((p) => Person.encode(p))).toEqual(company.records.map((p) => Person.encode(p)))
    expect([...again.truth]).toEqual([...company.truth])
    const other = NoisyCompany.make({ seed: 8, people: 2000 })
    expect(other.records.map((p) => p.id)).not.toEqual(company.records.map((p) => p.id))
  })

  it("writes the same records with the fast option (known normalized numbers)", () => {
    const slow = NoisyCompany.make({ seed: 3, people: 400 })
    const fast = NoisyCompany.make({ seed: 3, people: 400, fast: true })
    expect(fast.records.map((p) => Person.encode(p))).toEqual(slow.records.map((p) => Person.encode(p)))
  })

  it("labels every record, with unique ids, in three systems, about 2.2 records per person", () => {
    const ids = company.records.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(company.truth.size).toBe(ids.length)
    for (const record of company.records) expect(company.identities.some((i) => i.id === company.truth.get(record.id))).toBe(true)
    expect(Object.keys(company.bySystem)).toEqual(["hris", "pbx", "crm"])
    const perPerson = company.records.length / company.identities.length
    expect(perPerson).toBeGreaterThan(2)
    expect(perPerson).toBeLessThan(2.4)
    // contractors have no HRIS record
    const hris = new Set(company.bySystem.hris.map((r) => company.truth.get(r.id)))
    for (const who of company.identities) if (who.contractor) expect(hris.has(who.id)).toBe(false)
  })

  it("puts about 11% of people on their office's main number: shared in the phone system, unmarked elsewhere", () => {
    const onMain = company.identities.filter((i) => i.onMainNumber)
    expect(onMain.length / company.identities.length).toBeGreaterThan(0.08)
    expect(onMain.length / company.identities.length).toBeLessThan(0.14)
    const mains = new Set(company.mainNumbers)
    let unmarked = 0
    for (const record of company.records) {
      for (const point of record.contactPoints) {
        if (point.kind !== "phone" || point.normalized === undefined || !mains.has(point.normalized.split(";")[0]!)) continue
        if (record.id.startsWith("pbx:")) expect(point).toMatchObject({ label: "main", shared: true })
        else if (point.shared !== true) unmarked++
      }
    }
    expect(unmarked).toBeGreaterThan(onMain.length / 2)
  })

  it("carries the noise: nicknames, dropped accents, typos, swapped and display-only names, old domain, aliases, no e-mail", () => {
    const byId = new Map(company.identities.map((i) => [i.id, i] as const))
    let nickname = 0
    let dropped = 0
    let swapped = 0
    let displayOnly = 0
    let oldDomain = 0
    let alias = 0
    let noEmail = 0
    let typo = 0
    for (const record of company.records) {
      const who = byId.get(company.truth.get(record.id)!)!
      const given = record.name.given ?? ""
      const family = record.name.family ?? ""
      if (who.nickname !== undefined && given.toLowerCase() === who.nickname.toLowerCase()) nickname++
      if (given !== "" && given !== who.given && ascii(who.given) === given && who.given !== ascii(who.given)) dropped++
      if (family !== "" && given !== "" && family.toLowerCase().startsWith(ascii(who.given).toLowerCase()) && who.given !== who.family) swapped++
      if (record.name.given === undefined && record.name.display !== undefined) displayOnly++
      const known = [who.given, who.nickname, ascii(who.given), who.nickname === undefined ? undefined : ascii(who.nickname), `${who.given} ${who.middle ?? ""}`.trim()]
        .filter((s): s is string => s !== undefined).map((s) => s.toLowerCase())
      const families = [who.family, ascii(who.family), who.formerFamily, who.formerFamily === undefined ? undefined : ascii(who.formerFamily)]
        .filter((s): s is string => s !== undefined).map((s) => s.toLowerCase())
      if (given !== "" && family !== "" && !known.includes(given.toLowerCase()) && families.includes(family.toLowerCase())) typo++
      const emails = record.contactPoints.filter((p) => p.kind === "email").map((p) => p.normalized ?? "")
      if (emails.length === 0) noEmail++
      if (emails.some((e) => e.endsWith(`@${NoisyCompany.domains.previous}`))) oldDomain++
      if (emails.some((e) => who.aliases.includes(e))) alias++
    }
    const n = company.records.length
    for (const [count, at] of [[nickname, 0.05], [dropped, 0.02], [swapped, 0.003], [displayOnly, 0.01], [oldDomain, 0.1], [alias, 0.03], [noEmail, 0.05], [typo, 0.005]] as const) {
      expect(count / n).toBeGreaterThan(at)
    }
  })

  it("writes phone numbers in many formats, including extensions and international prefixes", () => {
    const shapes = new Set<string>()
    for (const record of company.records) {
      for (const point of record.contactPoints) if (point.kind === "phone") shapes.add(point.value.replace(/\d/g, "9"))
    }
    expect(shapes.size).toBeGreaterThan(25)
    const values = company.records.flatMap((r) => r.contactPoints.filter((p) => p.kind === "phone").map((p) => p.value))
    expect(values.some((v) => v.startsWith("00"))).toBe(true)
    expect(values.some((v) => v.includes("(0)"))).toBe(true)
    expect(values.some((v) => / x\d+$| ext\.? \d+$/.test(v))).toBe(true)
  })

  it("has namesakes in different departments", () => {
    const namesakes = company.identities.filter((i) => i.namesakeOf !== undefined)
    expect(namesakes.length).toBeGreaterThan(20)
    const byId = new Map(company.identities.map((i) => [i.id, i] as const))
    for (const who of namesakes) {
      const twin = byId.get(who.namesakeOf!)!
      expect([who.given, who.family]).toEqual([twin.given, twin.family])
      expect(who.department).not.toBe(twin.department)
    }
  })

  it("evaluates a clustering pairwise, counting false merges through a main number", () => {
    const byIdentity = new Map<string, Array<string>>()
    for (const record of company.records) {
      const who = company.truth.get(record.id)!
      byIdentity.set(who, [...(byIdentity.get(who) ?? []), record.id])
    }
    const perfect = NoisyCompany.evaluate(company, [...byIdentity.values()])
    expect(perfect).toMatchObject({ precision: 1, recall: 1, f1: 1, falsePairs: 0, falseSharedPairs: 0, mixedClusters: 0 })
    const singletons = NoisyCompany.evaluate(company, company.records.map((r) => [r.id]))
    expect(singletons.recall).toBe(0)
    expect(singletons.precision).toBe(1)
    // two people on the same main number, merged
    const mains = new Set(company.mainNumbers)
    const onMain = company.records.filter((r) => r.contactPoints.some((p) => p.normalized !== undefined && mains.has(p.normalized.split(";")[0]!)))
    const [a, b] = [onMain[0]!, onMain.find((r) =>
      company.truth.get(r.id) !== company.truth.get(onMain[0]!.id) &&
      r.contactPoints.some((p) => onMain[0]!.contactPoints.some((q) => q.normalized !== undefined && p.normalized?.split(";")[0] === q.normalized.split(";")[0] && mains.has(q.normalized.split(";")[0]!)))
    )!]
    const wrong = NoisyCompany.evaluate(company, [[a.id, b.id]])
    expect(wrong).toMatchObject({ predictedPairs: 1, falsePairs: 1, falseSharedPairs: 1, mixedClusters: 1 })
  })
})
