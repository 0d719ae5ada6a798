import { describe, expect, it } from "@effect/vitest"
import * as Generator from "../src/Generator.js"
import * as Merge from "../src/Merge.js"

/**
 * Pairwise precision and recall of the merge on a labelled company of 3,000
 * people (about 7,000 records in three systems).
 *
 * The thresholds: a false merge mixes two people's contact details and is
 * expensive to undo, so precision must stay at or above 0.995. Recall is bounded
 * by the data: some records share no identifying key with the rest of their
 * person (a record with only a personal e-mail address and no number, a
 * directory entry with only the company main number), and names alone never
 * link records, so about 5% of true pairs cannot be found by any key (the
 * "reachable" recall below, computed from the truth). Recall must stay at or
 * above 0.93, and at or above 99% of the reachable recall.
 */
describe("Merge quality", () => {
  for (const seed of [1, 2]) {
    it(`precision and recall on a labelled company (seed ${seed})`, () => {
      const company = Generator.company({ seed, size: 3000 })
      const started = performance.now()
      const result = Merge.merge(company.records, { sourcePriority: ["hr", "ringcentral", "people-contacts"] })
      const millis = performance.now() - started
      const quality = Generator.evaluate(result.clusters.map((c) => c.members), company.truth)
      console.log(
        `merge quality (seed ${seed}): ${company.records.length} records of ${company.identities.length} people -> ${result.people.length} merged; ` +
          `precision ${quality.precision.toFixed(4)}, recall ${quality.recall.toFixed(4)}, F1 ${quality.f1.toFixed(4)} ` +
          `(${quality.correctPairs}/${quality.predictedPairs} predicted pairs correct, ${quality.truePairs} true pairs); ` +
          `${result.decisions.length} decisions, ${result.skipped.length} keys skipped, ${result.rounds} rounds, ${millis.toFixed(0)} ms`
      )
      const reachable = reachableRecall(company)
      console.log(`reachable recall (seed ${seed}): ${reachable.toFixed(4)}`)
      expect(quality.precision).toBeGreaterThanOrEqual(0.995)
      expect(quality.recall).toBeGreaterThanOrEqual(0.93)
      expect(quality.recall).toBeGreaterThanOrEqual(0.99 * reachable)
      // no namesake is merged: every merged person holds records of one identity only
      const mixed = result.clusters.filter((c) => new Set(c.members.map((m) => company.truth.get(m))).size > 1)
      expect(mixed.length).toBeLessThanOrEqual(Math.ceil(company.identities.length * 0.002))
    })
  }

  it("a naive exact e-mail grouping is measurably worse", () => {
    const company = Generator.company({ seed: 1, size: 3000 })
    const merged = Merge.merge(company.records, { sourcePriority: ["hr", "ringcentral", "people-contacts"] })
    const naive = emailGrouping(company.records)
    const ours = Generator.evaluate(merged.clusters.map((c) => c.members), company.truth)
    const theirs = Generator.evaluate(naive, company.truth)
    console.log(`naive exact e-mail grouping: precision ${theirs.precision.toFixed(4)}, recall ${theirs.recall.toFixed(4)}`)
    expect(ours.recall).toBeGreaterThan(theirs.recall + 0.05)
  })
})

/**
 * The best recall any key-based resolution can reach: the records of each true
 * person linked whenever they share a blocking key, transitively.
 */
const reachableRecall = (company: Generator.Company): number => {
  const byIdentity = new Map<string, Array<number>>()
  company.records.forEach((record, i) => {
    const identity = company.truth.get(record.id)!
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), i])
  })
  const clusters: Array<Array<string>> = []
  for (const members of byIdentity.values()) {
    const parent = members.map((_, i) => i)
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)))
    const keys = members.map((m) => new Set(Merge.blockingKeys(company.records[m]!)))
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        if ([...keys[a]!].some((k) => keys[b]!.has(k))) parent[find(a)] = find(b)
      }
    }
    const groups = new Map<number, Array<string>>()
    members.forEach((m, i) => {
      groups.set(find(i), [...(groups.get(find(i)) ?? []), company.records[m]!.id])
    })
    clusters.push(...groups.values())
  }
  return Generator.evaluate(clusters, company.truth).recall
}

/** Groups records by their first e-mail address as written, lower-cased. */
const emailGrouping = (records: ReadonlyArray<{ readonly id: string; readonly contactPoints: ReadonlyArray<{ readonly kind: string; readonly value: string }> }>) => {
  const groups = new Map<string, Array<string>>()
  for (const record of records) {
    const email = record.contactPoints.find((p) => p.kind === "email")?.value.trim().toLowerCase() ?? `none:${record.id}`
    groups.set(email, [...(groups.get(email) ?? []), record.id])
  }
  return [...groups.values()]
}
