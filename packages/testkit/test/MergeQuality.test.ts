import { describe, expect, it } from "@effect/vitest"
import { Merge } from "@unified-people/core"
import * as Generator from "../src/Generator.js"
import * as NoisyCompany from "../src/NoisyCompany.js"

/**
 * `Merge.merge` at its default threshold on about 5,000 records of each of two
 * independent generators: the core `Generator` and `NoisyCompany` (nicknames,
 * typos, dropped accents, swapped names, aliases, an old domain, phones in
 * every format, records without e-mail, namesakes, ~11% of people on a shared
 * main number). The model is estimated on each input, without labels.
 *
 * Required on both: precision ≥ 0.995, F1 ≥ 0.95, no false merge through a
 * shared number, and clearly better than grouping by exact e-mail address.
 * 100,000 records are measured by `npm run bench`.
 */
describe("Merge quality on two generators", () => {
  const options: Merge.Options = { sourcePriority: ["hris", "hr", "pbx", "ringcentral", "crm", "people-contacts"] }

  /** Groups records by their first e-mail address as written, lower-cased. */
  const emailGrouping = (records: ReadonlyArray<{ readonly id: string; readonly contactPoints: ReadonlyArray<{ readonly kind: string; readonly value: string }> }>) => {
    const groups = new Map<string, Array<string>>()
    for (const record of records) {
      const email = record.contactPoints.find((p) => p.kind === "email")?.value.trim().toLowerCase() ?? `none:${record.id}`
      groups.set(email, [...(groups.get(email) ?? []), record.id])
    }
    return [...groups.values()]
  }

  for (const seed of [1, 2]) {
    it(`NoisyCompany, 5,000 records (seed ${seed})`, () => {
      const company = NoisyCompany.make({ seed, people: 2270 })
      const result = Merge.merge(company.records, options)
      const quality = NoisyCompany.evaluate(company, result.clusters.map((c) => c.members))
      const naive = NoisyCompany.evaluate(company, emailGrouping(company.records))
      console.log(
        `NoisyCompany (seed ${seed}): ${company.records.length} records of ${company.identities.length} people -> ${result.people.length}; ` +
          `precision ${quality.precision.toFixed(4)}, recall ${quality.recall.toFixed(4)}, F1 ${quality.f1.toFixed(4)}, ` +
          `false pairs ${quality.falsePairs} (${quality.falseSharedPairs} through a shared number), ${result.suggestions.length} suggestions; ` +
          `naive e-mail grouping F1 ${naive.f1.toFixed(4)}`
      )
      expect(company.records.length).toBeGreaterThan(4800)
      expect(quality.precision).toBeGreaterThanOrEqual(0.995)
      expect(quality.f1).toBeGreaterThanOrEqual(0.95)
      expect(quality.falseSharedPairs).toBe(0)
      expect(quality.f1).toBeGreaterThan(naive.f1 + 0.1)
    })
  }

  it("Generator.company, 5,000 records", () => {
    const company = Generator.company({ seed: 4, size: 2200 })
    const result = Merge.merge(company.records, options)
    const quality = Generator.evaluate(result.clusters.map((c) => c.members), company.truth)
    const naive = Generator.evaluate(emailGrouping(company.records), company.truth)
    // false merges through a company main number: two people's records in one cluster, both holding the number
    const mains = new Set(company.sites.map((s) => s.mainNumber))
    const byId = new Map(company.records.map((r) => [r.id, r] as const))
    const mainOf = (id: string) =>
      byId.get(id)!.contactPoints.flatMap((p) => (p.kind === "phone" && p.normalized !== undefined && mains.has(p.normalized.split(";")[0]!) ? [p.normalized.split(";")[0]!] : []))
    let falseShared = 0
    for (const cluster of result.clusters) {
      for (let x = 0; x < cluster.members.length; x++) {
        for (let y = x + 1; y < cluster.members.length; y++) {
          const a = cluster.members[x]!
          const b = cluster.members[y]!
          if (company.truth.get(a) !== company.truth.get(b) && mainOf(a).some((m) => mainOf(b).includes(m))) falseShared++
        }
      }
    }
    console.log(
      `Generator (seed 4): ${company.records.length} records -> ${result.people.length}; precision ${quality.precision.toFixed(4)}, ` +
        `recall ${quality.recall.toFixed(4)}, F1 ${quality.f1.toFixed(4)}, ${falseShared} false pairs through a shared number; naive F1 ${naive.f1.toFixed(4)}`
    )
    expect(quality.precision).toBeGreaterThanOrEqual(0.995)
    expect(quality.f1).toBeGreaterThanOrEqual(0.95)
    expect(falseShared).toBe(0)
    expect(quality.f1).toBeGreaterThan(naive.f1 + 0.1)
  })
})
