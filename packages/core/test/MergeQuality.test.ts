import { describe, expect, it } from "@effect/vitest"
import * as Generator from "@unified-people/testkit/Generator"
import * as Merge from "../src/Merge.js"
import * as Person from "../src/Person.js"

/**
 * Pairwise precision and recall of the merge, at the default threshold, on
 * labelled companies of about 5,000 records in three systems
 * (`Generator.company`). The model is estimated on each input (no labels).
 *
 * The thresholds: a false merge mixes two people's contact details and is
 * expensive to undo, so precision must stay at or above 0.995; F1 must stay at
 * or above 0.95. The same measurement on a second, independent generator is in
 * `packages/testkit/test/MergeQuality.test.ts`; 100,000 records are measured by
 * `npm run bench`.
 */
describe("Merge quality", () => {
  const options: Merge.Options = { sourcePriority: ["hr", "ringcentral", "people-contacts"] }

  for (const seed of [1, 2]) {
    it(`precision and recall on a labelled company of 5,000 records (seed ${seed})`, () => {
      const company = Generator.company({ seed, size: 2200 })
      const started = performance.now()
      const result = Merge.merge(company.records, options)
      const millis = performance.now() - started
      const quality = Generator.evaluate(result.clusters.map((c) => c.members), company.truth)
      console.log(
        `merge quality (seed ${seed}): ${company.records.length} records of ${company.identities.length} people -> ${result.people.length} merged; ` +
          `precision ${quality.precision.toFixed(4)}, recall ${quality.recall.toFixed(4)}, F1 ${quality.f1.toFixed(4)} ` +
          `(${quality.correctPairs}/${quality.predictedPairs} predicted pairs correct, ${quality.truePairs} true pairs); ` +
          `${result.decisions.length} decisions, ${result.suggestions.length} suggestions, ${result.skipped.length} keys skipped, ${result.rounds} rounds, ` +
          `threshold ${result.model.threshold}, prior ${result.model.prior.toFixed(2)} bits, ${millis.toFixed(0)} ms`
      )
      expect(result.model.training?.records).toBe(company.records.length)
      expect(quality.precision).toBeGreaterThanOrEqual(0.995)
      expect(quality.f1).toBeGreaterThanOrEqual(0.95)
      // no namesake is merged: every merged person holds records of one identity only
      const mixed = result.clusters.filter((c) => new Set(c.members.map((m) => company.truth.get(m))).size > 1)
      expect(mixed.length).toBeLessThanOrEqual(Math.ceil(company.identities.length * 0.002))
    })
  }

  it("permuting the input changes nothing, and merging the result again changes nothing (5,000 records)", () => {
    const company = Generator.company({ seed: 3, size: 2200 })
    const once = Merge.merge(company.records, options)
    const reversed = Merge.merge([...company.records].reverse(), options)
    expect(reversed.people.map((p) => Person.encode(p))).toEqual(once.people.map((p) => Person.encode(p)))
    expect(reversed.decisions).toEqual(once.decisions)
    const again = Merge.merge(once.people, { ...options, model: once.model })
    expect(again.people.map((p) => Person.encode(p))).toEqual(once.people.map((p) => Person.encode(p)))
    expect(again.decisions.filter((d) => d.matched)).toEqual([])
  })

  it("a naive exact e-mail grouping is measurably worse", () => {
    const company = Generator.company({ seed: 1, size: 2200 })
    const merged = Merge.merge(company.records, options)
    const ours = Generator.evaluate(merged.clusters.map((c) => c.members), company.truth)
    const theirs = Generator.evaluate(emailGrouping(company.records), company.truth)
    console.log(`naive exact e-mail grouping: precision ${theirs.precision.toFixed(4)}, recall ${theirs.recall.toFixed(4)}, F1 ${theirs.f1.toFixed(4)}`)
    expect(ours.recall).toBeGreaterThan(theirs.recall + 0.1)
  })
})

/** Groups records by their first e-mail address as written, lower-cased. */
const emailGrouping = (records: ReadonlyArray<{ readonly id: string; readonly contactPoints: ReadonlyArray<{ readonly kind: string; readonly value: string }> }>) => {
  const groups = new Map<string, Array<string>>()
  for (const record of records) {
    const email = record.contactPoints.find((p) => p.kind === "email")?.value.trim().toLowerCase() ?? `none:${record.id}`
    groups.set(email, [...(groups.get(email) ?? []), record.id])
  }
  return [...groups.values()]
}
