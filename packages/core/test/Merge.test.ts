import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as ContactPoint from "../src/ContactPoint.js"
import * as Generator from "@unified-people/testkit/Generator"
import * as Merge from "../src/Merge.js"
import * as Normalize from "../src/Normalize.js"
import * as Person from "../src/Person.js"

interface RecordInput {
  readonly system: string
  readonly remoteId: string
  readonly given?: string
  readonly family?: string
  readonly display?: string
  readonly jobTitle?: string
  readonly department?: string
  readonly employeeNumber?: string
  readonly emails?: ReadonlyArray<string | { readonly value: string; readonly label?: "work" | "personal" | "other"; readonly customLabel?: string; readonly primary?: boolean }>
  readonly phones?: ReadonlyArray<string | { readonly value: string; readonly label?: "work" | "mobile" | "home" | "main" | "fax" | "other"; readonly shared?: boolean; readonly capabilities?: ReadonlyArray<ContactPoint.Capability>; readonly primary?: boolean }>
  readonly customFields?: Record<string, string>
  readonly readAt?: string
}

const record = (input: RecordInput): Person.Person =>
  new Person.Person({
    id: Person.canonicalId(input.system, input.remoteId),
    name: new Person.Name({
      ...(input.given === undefined ? {} : { given: input.given }),
      ...(input.family === undefined ? {} : { family: input.family }),
      ...(input.display === undefined ? {} : { display: input.display })
    }),
    ...(input.jobTitle === undefined ? {} : { jobTitle: input.jobTitle }),
    ...(input.department === undefined ? {} : { department: input.department }),
    ...(input.employeeNumber === undefined ? {} : { employeeNumber: input.employeeNumber }),
    contactPoints: [
      ...(input.emails ?? []).map((e) =>
        typeof e === "string" ? ContactPoint.make({ kind: "email", value: e, label: "work" }) : ContactPoint.make({ kind: "email", label: "work", ...e })
      ),
      ...(input.phones ?? []).map((p) =>
        typeof p === "string" ? ContactPoint.make({ kind: "phone", value: p, label: "work" }) : ContactPoint.make({ kind: "phone", label: "work", ...p })
      )
    ],
    customFields: input.customFields ?? {},
    provenance: [
      new Person.Provenance({
        system: input.system,
        remoteId: input.remoteId,
        ...(input.readAt === undefined ? {} : { readAt: new Date(input.readAt) })
      })
    ]
  })

const options: Merge.Options = { sourcePriority: ["hr", "ringcentral", "people-contacts"] }

const snapshot = (result: Merge.Result): string =>
  JSON.stringify({
    people: result.people.map((p) => Person.encode(p)),
    clusters: result.clusters.map((c) => ({ id: c.id, members: c.members })),
    decisions: result.decisions,
    skipped: result.skipped,
    rounds: result.rounds
  })

const pointKeys = (person: Person.Person): Array<string> => person.contactPoints.map((p) => p.key)

describe("Merge: identity resolution", () => {
  it("matches on an e-mail address whatever its case, and keeps the reasons", () => {
    const result = Merge.merge(
      [
        record({ system: "ringcentral", remoteId: "1", given: "Alice", family: "Martin", emails: ["Alice.Martin@Example.com"] }),
        record({ system: "hr", remoteId: "E1", given: "Alice", family: "Martin", emails: ["alice.martin@example.com"] })
      ],
      options
    )
    expect(result.people).toHaveLength(1)
    expect(result.decisions).toHaveLength(1)
    const [decision] = result.decisions
    expect(decision).toMatchObject({ a: "hr:E1", b: "ringcentral:1", matched: true, reasons: ["email:alice.martin@example.com", "name:exact"], round: 1 })
    // every decision says why: the prior plus each comparison's weight is the score
    expect(decision!.contributions.map((c) => [c.comparison, c.level])).toEqual([["name", "exact"], ["emailGivenName", "exact"], ["system", "other"]])
    const total = result.model.prior + decision!.contributions.reduce((sum, c) => sum + c.weight, 0)
    expect(decision!.score).toBeCloseTo(total, 4)
    expect(decision!.probability).toBeCloseTo(1 / (1 + 2 ** -decision!.score), 5)
    expect(decision!.probability).toBeGreaterThanOrEqual(Merge.defaultThreshold)
    expect(result.clusters[0]!.members).toEqual(["hr:E1", "ringcentral:1"])
    expect(result.people[0]!.id).toBe("hr:E1")
  })

  it("matches on a personal number written differently, with a nickname", () => {
    const result = Merge.merge(
      [
        record({ system: "people-contacts", remoteId: "a", given: "Bob", family: "Smith", phones: [{ value: "+1 (650) 555-0100", label: "mobile" }] }),
        record({ system: "hr", remoteId: "E2", given: "Robert", family: "Smith", phones: [{ value: "16505550100", label: "mobile" }] })
      ],
      options
    )
    expect(result.people).toHaveLength(1)
    expect(result.decisions[0]!.reasons).toEqual(["phone:+16505550100", "name:variant"])
    expect(result.people[0]!.contactPoints.map((p) => p.normalized)).toEqual(["+16505550100"])
  })

  it("reads names through accents, case, initials, nicknames and display names", () => {
    const phone = (n: number) => ({ value: `+1 617 555 01${String(n).padStart(2, "0")}`, label: "mobile" as const })
    const pairs: ReadonlyArray<readonly [RecordInput, RecordInput, string]> = [
      [{ system: "hr", remoteId: "1", given: "José", family: "García", phones: [phone(1)] }, { system: "people-contacts", remoteId: "1", display: "GARCIA, Jose", phones: [phone(1)] }, "name:exact"],
      [{ system: "hr", remoteId: "2", given: "John", family: "Lee", phones: [phone(2)] }, { system: "people-contacts", remoteId: "2", given: "J.", family: "Lee", phones: [phone(2)] }, "name:variant"],
      [{ system: "hr", remoteId: "3", given: "Christopher", family: "Okafor", phones: [phone(3)] }, { system: "people-contacts", remoteId: "3", given: "Chris", family: "Okafor", phones: [phone(3)] }, "name:variant"],
      [{ system: "hr", remoteId: "4", given: "Ana", family: "De la Cruz", phones: [phone(4)] }, { system: "people-contacts", remoteId: "4", given: "Ana", family: "Cruz", phones: [phone(4)] }, "name:variant"],
      [{ system: "hr", remoteId: "5", given: "Margaret", family: "Smith", phones: [phone(5)] }, { system: "people-contacts", remoteId: "5", given: "Peggy", family: "Smith", phones: [phone(5)] }, "name:variant"],
      [{ system: "hr", remoteId: "6", given: "Okonkwo", family: "Chidi", phones: [phone(6)] }, { system: "people-contacts", remoteId: "6", given: "Chidi", family: "Okonkwo", phones: [phone(6)] }, "name:swapped"],
      [{ system: "hr", remoteId: "7", given: "Rebecca", family: "Fernandez", phones: [phone(7)] }, { system: "people-contacts", remoteId: "7", given: "Rebecca", family: "Fernadnez", phones: [phone(7)] }, "name:fuzzy"],
      [{ system: "hr", remoteId: "8", given: "Maria", phones: [phone(8)] }, { system: "people-contacts", remoteId: "8", given: "Maria", family: "Rossi", phones: [phone(8)] }, "name:partial"],
      [{ system: "hr", remoteId: "9", given: "Mei", family: "Chen", phones: [phone(9)] }, { system: "people-contacts", remoteId: "9", given: "Wei", family: "Chen", phones: [phone(9)] }, "name:family-only"]
    ]
    for (const [a, b, outcome] of pairs) {
      const result = Merge.merge([record(a), record(b)], options)
      expect(result.decisions.map((d) => d.reasons.at(-1))).toEqual([outcome])
      // a personal number with agreeing (or partly known, agreeing) names is enough; two given names under one family name are two people
      expect(result.people).toHaveLength(outcome === "name:family-only" ? 2 : 1)
    }
  })

  it("never uses a shared or main number to find or score a pair", () => {
    const main = { value: "+1 650 555 0000", label: "main" as const }
    const result = Merge.merge(
      [
        record({ system: "ringcentral", remoteId: "1", given: "Alice", family: "Martin", phones: [main] }),
        record({ system: "ringcentral", remoteId: "2", given: "Alice", family: "Martin", phones: [main] }),
        record({ system: "people-contacts", remoteId: "x", given: "Alice", family: "Martin", phones: [{ value: "650.555.0000", label: "work", shared: true }] })
      ],
      options
    )
    expect(result.people).toHaveLength(3)
    // the names agree, so the pairs are compared (and suggested for review), but no number is compared or shared
    for (const d of result.decisions) {
      expect(d.matched).toBe(false)
      expect(d.reasons.filter((r) => r.startsWith("phone:"))).toEqual([])
      expect(d.contributions.map((c) => c.comparison)).not.toContain("phone")
    }
    expect(result.suggestions.map((s) => s.why)).toEqual(["below the match threshold", "below the match threshold"])
    expect(Merge.blockingKeys(result.people[0]!).filter((k) => !k.startsWith("name:"))).toEqual(["reference:people-contacts:x"])
  })

  it("never matches on names alone", () => {
    const result = Merge.merge(
      [
        record({ system: "ringcentral", remoteId: "1", given: "John", family: "Smith", emails: ["john.smith@example.com"] }),
        record({ system: "ringcentral", remoteId: "2", given: "John", family: "Smith", emails: ["john.smith2@example.com"] })
      ],
      options
    )
    expect(result.people).toHaveLength(2)
    expect(result.decisions).toEqual([])
  })

  it("does not match a shared personal number when the names differ, and says why", () => {
    const result = Merge.merge(
      [
        record({ system: "hr", remoteId: "E1", given: "Anna", family: "Jensen", phones: [{ value: "(303) 555-0199", label: "home" }] }),
        record({ system: "hr", remoteId: "E2", given: "Olga", family: "Jensen", phones: [{ value: "303.555.0199", label: "home" }] }),
        record({ system: "people-contacts", remoteId: "z", given: "Peter", family: "Ivanov", phones: [{ value: "+13035550199", label: "home" }] })
      ],
      options
    )
    expect(result.people).toHaveLength(3)
    expect(result.decisions.map((d) => [d.a, d.b, d.matched, d.reasons.at(-1)])).toEqual([
      ["hr:E1", "hr:E2", false, "name:family-only"],
      ["hr:E1", "people-contacts:z", false, "name:different"],
      ["hr:E2", "people-contacts:z", false, "name:different"]
    ])
    for (const d of result.decisions) expect(d.contributions.find((c) => c.comparison === "phone")).toMatchObject({ level: "exact" })
  })

  it("matches on an e-mail address even when the names differ, with a lower score", () => {
    const result = Merge.merge(
      [
        record({ system: "hr", remoteId: "E1", given: "Maria", family: "Garcia", emails: ["m.lopez@example.com"] }),
        record({ system: "ringcentral", remoteId: "7", given: "Maria", family: "Lopez", emails: ["M.Lopez@example.com"] })
      ],
      options
    )
    expect(result.people).toHaveLength(1)
    expect(result.decisions[0]).toMatchObject({ matched: true, reasons: ["email:m.lopez@example.com", "name:given-only"] })
    const agreeing = Merge.merge(
      [
        record({ system: "hr", remoteId: "E1", given: "Maria", family: "Lopez", emails: ["m.lopez@example.com"] }),
        record({ system: "ringcentral", remoteId: "7", given: "Maria", family: "Lopez", emails: ["M.Lopez@example.com"] })
      ],
      options
    )
    expect(result.decisions[0]!.score).toBeLessThan(agreeing.decisions[0]!.score)
  })

  it("matches on an employee number unless the names disagree", () => {
    const result = Merge.merge(
      [
        record({ system: "hr", remoteId: "E7", given: "Søren", family: "Åberg", employeeNumber: "E7" }),
        record({ system: "ringcentral", remoteId: "3", given: "Soren", family: "ABERG", employeeNumber: " E7 " }),
        record({ system: "ringcentral", remoteId: "4", given: "Kwame", family: "Mensah", employeeNumber: "E7" })
      ],
      options
    )
    expect(result.clusters.map((c) => c.members)).toEqual([["hr:E7", "ringcentral:3"], ["ringcentral:4"]])
  })

  it("links records through cross-references and shared provenance keys", () => {
    const result = Merge.merge(
      [
        record({ system: "ringcentral", remoteId: "1", given: "Ann" }),
        record({ system: "people-contacts", remoteId: "p1", family: "Other" }),
        record({ system: "hr", remoteId: "E9" })
      ],
      { ...options, crossReferences: [["people-contacts:p1", "ringcentral:1"], ["hr:E9", "people-contacts:p1"]] }
    )
    expect(result.clusters.map((c) => c.members)).toEqual([["hr:E9", "people-contacts:p1", "ringcentral:1"]])
    expect(result.decisions.every((d) => d.reasons[0] === "reference:hr:E9")).toBe(true)
  })

  it("links every record of the same remote record, however many", () => {
    const input = [
      record({ system: "hr", remoteId: "E1", given: "Old", family: "Name", readAt: "2025-01-01T00:00:00Z" }),
      record({ system: "hr", remoteId: "E1", given: "New", family: "Other", readAt: "2026-01-01T00:00:00Z" }),
      record({ system: "hr", remoteId: "E0", given: "Someone", family: "Else" }),
      record({ system: "hr", remoteId: "E1", given: "Newest", family: "Other", readAt: "2026-03-01T00:00:00Z" }),
      record({ system: "ringcentral", remoteId: "9", given: "Different", family: "Person" })
    ]
    const result = Merge.merge(input, options)
    expect(result.clusters.map((c) => c.members)).toEqual([["hr:E0"], ["hr:E1", "hr:E1", "hr:E1"], ["ringcentral:9"]])
    expect(result.people[1]!.name.given).toBe("Newest")
    expect(result.people[1]!.provenance.map((p) => p.readAt?.toISOString())).toEqual(["2026-03-01T00:00:00.000Z"])
    // a merged person holding the key links to a later copy of the record too
    const merged = new Person.Person({ ...result.people[2]!, provenance: [...result.people[2]!.provenance, ...record({ system: "hr", remoteId: "E0" }).provenance] })
    expect(Merge.merge([merged, input[2]!], options).clusters.map((c) => c.members)).toEqual([["hr:E0", "ringcentral:9"]])
  })

  it("closes matches transitively", () => {
    const result = Merge.merge(
      [
        record({ system: "ringcentral", remoteId: "1", given: "Li", family: "Wang", emails: ["li.wang@example.com"] }),
        record({ system: "hr", remoteId: "E3", given: "Li", family: "Wang", emails: ["li.wang@example.com"], phones: [{ value: "+1 212 555 0142", label: "mobile" }] }),
        record({ system: "people-contacts", remoteId: "q", given: "Li", family: "Wang", phones: [{ value: "(212) 555-0142", label: "mobile" }] })
      ],
      options
    )
    expect(result.clusters.map((c) => c.members)).toEqual([["hr:E3", "people-contacts:q", "ringcentral:1"]])
  })

  it("compares merged people again until nothing more matches", () => {
    // round 1: the nameless record cannot be linked by its phone alone; once merged with
    // its e-mail twin it carries a name, and round 2 links it to the phone record
    const input = [
      record({ system: "hr", remoteId: "E4", given: "Robert", family: "Smith", emails: ["rs@example.com"] }),
      record({ system: "ringcentral", remoteId: "5", emails: ["rs@example.com"], phones: [{ value: "+1 415 555 0177", label: "mobile" }] }),
      record({ system: "people-contacts", remoteId: "r", given: "Bob", family: "Smith", phones: [{ value: "415-555-0177", label: "mobile" }] })
    ]
    const result = Merge.merge(input, options)
    expect(result.clusters.map((c) => c.members)).toEqual([["hr:E4", "people-contacts:r", "ringcentral:5"]])
    expect(result.rounds).toBe(3)
    expect(result.decisions.filter((d) => d.matched).map((d) => [d.round, d.a, d.b])).toEqual([[1, "hr:E4", "ringcentral:5"], [2, "hr:E4", "people-contacts:r"]])
    expect(Merge.merge(result.people, options).people.map((p) => Person.encode(p))).toEqual(result.people.map((p) => Person.encode(p)))
  })

  it("decides again the pairs of a key that stops being too common once others merged", () => {
    // round 1: the number is held by four records (more than 3): skipped. Anna's two records
    // merge on their e-mail address, and one of them marks the number shared, so the merged
    // Anna no longer holds it. Round 2: three holders, and Bob and Robert match on it.
    const number = "+1 303 555 0123"
    const input = [
      record({ system: "hr", remoteId: "A1", given: "Anna", family: "Jensen", emails: ["anna@example.com"], phones: [number] }),
      record({ system: "ringcentral", remoteId: "A2", given: "Anna", family: "Jensen", emails: ["anna@example.com"], phones: [{ value: number, shared: true }] }),
      record({ system: "hr", remoteId: "B", given: "Robert", family: "Smith", phones: [number] }),
      record({ system: "people-contacts", remoteId: "C", given: "Bob", family: "Smith", phones: [number] }),
      record({ system: "people-contacts", remoteId: "D", given: "Olga", family: "Petrov", phones: [number] })
    ]
    const result = Merge.merge(input, { ...options, maxBlockSize: 3 })
    // skipped in round 1, used in round 2: not reported as skipped at the end
    expect(result.skipped).toEqual([])
    expect(result.decisions.filter((d) => d.round === 1 && d.reasons.includes("phone:+13035550123"))).toEqual([])
    expect(result.clusters.map((c) => c.members)).toEqual([["hr:A1", "ringcentral:A2"], ["hr:B", "people-contacts:C"], ["people-contacts:D"]])
    expect(result.decisions.filter((d) => d.matched).map((d) => [d.round, d.a, d.b])).toEqual([
      [1, "hr:A1", "ringcentral:A2"],
      [2, "hr:B", "people-contacts:C"]
    ])
    expect(Merge.merge(result.people, { ...options, maxBlockSize: 3 }).people.map((p) => Person.encode(p))).toEqual(result.people.map((p) => Person.encode(p)))
  })

  it("skips a key held by too many records and reports it", () => {
    const people = Array.from({ length: 6 }, (_, i) =>
      record({ system: "people-contacts", remoteId: String(i), given: "Sam", family: "Lee", phones: ["(650) 555-0000"] })
    )
    const result = Merge.merge(people, { ...options, maxBlockSize: 5 })
    expect(result.people).toHaveLength(6)
    expect(result.decisions).toEqual([])
    expect(result.skipped).toEqual([{ key: "phone:+16505550000", size: 6, reason: "held by 6 people (more than 5): not identifying" }])
    expect(Merge.merge(people.slice(0, 5), { ...options, maxBlockSize: 5 }).people).toHaveLength(1)
  })
})

describe("Merge: suggestions, chains and the model", () => {
  it("suggests pairs it does not merge, with the reasons, for review", () => {
    const result = Merge.merge(
      [
        record({ system: "hr", remoteId: "E1", given: "Priya", family: "Raman", department: "Finance", emails: ["priya.raman@example.com"] }),
        record({ system: "people-contacts", remoteId: "p", given: "Priya", family: "Raman", department: "Finance" })
      ],
      options
    )
    // the names and the department agree, nothing else: likely the same person, not certain enough to merge
    expect(result.people).toHaveLength(2)
    expect(result.suggestions).toHaveLength(1)
    const [suggestion] = result.suggestions
    expect(suggestion).toMatchObject({ a: "hr:E1", b: "people-contacts:p", why: "below the match threshold", reasons: ["name:exact"] })
    expect(suggestion!.probability).toBeGreaterThanOrEqual(Merge.defaultSuggestionThreshold)
    expect(suggestion!.probability).toBeLessThan(Merge.defaultThreshold)
    expect(suggestion!.contributions.map((c) => c.comparison)).toEqual(["name", "department", "system"])
  })

  it("never chains: a link that would put two employee numbers in one cluster is refused, and suggested with the conflict", () => {
    const phone = { value: "+1 415 555 0123", label: "mobile" as const }
    const result = Merge.merge(
      [
        record({ system: "hr", remoteId: "E1", given: "Bob", family: "Smith", employeeNumber: "E1", emails: ["bob.smith@example.com"] }),
        record({ system: "ringcentral", remoteId: "7", given: "Robert", family: "Smith", emails: ["bob.smith@example.com"], phones: [phone] }),
        record({ system: "people-contacts", remoteId: "c", given: "Rob", family: "Smith", employeeNumber: "E2", phones: [phone] })
      ],
      options
    )
    // each link alone is strong, but E1 and E2 cannot be one person: the weaker link is cut
    expect(result.clusters.map((c) => c.members)).toEqual([["hr:E1", "ringcentral:7"], ["people-contacts:c"]])
    expect(result.suggestions).toHaveLength(1)
    expect(result.suggestions[0]!.why).toMatch(/^conflict: employee numbers differ \(E[12] \/ E[12]\)$/)
    expect(result.decisions.find((d) => d.reasons.some((r) => r.startsWith("conflict:")))).toMatchObject({ matched: false })
  })

  it("keeps clusters small", () => {
    const people = ["hr", "ringcentral", "people-contacts", "crm"].map((system) =>
      record({ system, remoteId: "1", given: "Grace", family: "Hopper", emails: ["grace@example.com"] })
    )
    const result = Merge.merge(people, { ...options, maxClusterSize: 3 })
    expect(result.clusters.map((c) => c.members.length).sort()).toEqual([1, 3])
    expect(result.suggestions.map((s) => s.why)).toEqual(["conflict: cluster too large (4 records, at most 3)"])
  })

  it("matches a mailbox moved to a new domain (same local part, neither personal)", () => {
    const result = Merge.merge(
      [
        record({ system: "hr", remoteId: "E5", given: "Jane", family: "Doe", emails: ["jane.doe@acme-group.com"] }),
        record({ system: "ringcentral", remoteId: "5", given: "Jane", family: "Doe", emails: ["Jane.Doe@acme.io"] })
      ],
      options
    )
    expect(result.people).toHaveLength(1)
    expect(result.decisions[0]!.reasons).toEqual(["local:jane.doe", "name:exact"])
    expect(result.decisions[0]!.contributions.find((c) => c.comparison === "emailGivenName")).toMatchObject({ level: "local-part" })
  })

  it("uses the default model for small inputs, and estimates one on larger inputs without labels", () => {
    expect(Merge.merge([record({ system: "hr", remoteId: "1", given: "Ann" })], options).model).toEqual(Merge.defaultModel)
    const company = Generator.company({ seed: 5, size: 600 })
    const model = Merge.train(company.records)
    expect(model.training).toMatchObject({ records: company.records.length })
    expect(model.training!.sessions.map((s) => s.name)).toEqual(["email", "phone", "employeeNumber", "name"])
    expect(model.prior).toBeLessThan(-8)
    for (const comparison of model.comparisons) {
      for (const level of comparison.levels) {
        expect(level.m).toBeGreaterThan(0)
        expect(level.u).toBeGreaterThan(0)
        expect(level.weight).toBeCloseTo(Math.log2(level.m / level.u), 4)
      }
    }
    const weight = (comparison: string, level: string) => model.comparisons.find((c) => c.name === comparison)!.levels.find((l) => l.name === level)!.weight
    expect(weight("email", "exact")).toBeGreaterThan(10)
    expect(weight("phone", "exact")).toBeGreaterThan(weight("phone", "different"))
    expect(weight("name", "exact")).toBeGreaterThan(weight("name", "different"))
    expect(weight("employeeNumber", "different")).toBeLessThan(0)
    // merging with that model gives what merging with the model it was trained into gives
    const trained = Merge.merge(company.records, { ...options, model })
    const direct = Merge.merge(company.records, options)
    expect(trained.people.map((p) => Person.encode(p))).toEqual(direct.people.map((p) => Person.encode(p)))
    // rarer names weigh more (term frequencies)
    const frequencies = trained.decisions.flatMap((d) => d.contributions.filter((c) => c.comparison === "name" && c.frequency !== undefined).map((c) => c.frequency!))
    expect(Math.min(...frequencies)).toBeLessThan(0)
    expect(Math.max(...frequencies)).toBeGreaterThan(0)
  })
})

describe("Merge.link", () => {
  const source = [
    record({ system: "ringcentral", remoteId: "1", given: "Alice", family: "Martin", emails: ["alice.martin@example.com"] }),
    record({ system: "ringcentral", remoteId: "2", given: "Robert", family: "Smith", emails: ["rsmith@example.com"], phones: [{ value: "+1 650 555 0101", label: "mobile" }] }),
    record({ system: "ringcentral", remoteId: "3", given: "John", family: "Lee", emails: ["john.lee@example.com"] }),
    record({ system: "ringcentral", remoteId: "4", given: "Dana", family: "Kim", emails: ["dana.kim@example.com"] })
  ]
  const target = [
    record({ system: "people-contacts", remoteId: "a", given: "Alice", family: "Martin", emails: ["Alice.Martin@example.com"] }),
    // the e-mail differs between the systems: the number and the name still say who it is
    record({ system: "people-contacts", remoteId: "b", given: "Bob", family: "Smith", emails: ["bob@home.example.org"], phones: [{ value: "650.555.0101", label: "mobile" }] }),
    // two namesakes and nothing else in common: not a confident link
    record({ system: "people-contacts", remoteId: "c1", given: "John", family: "Lee", phones: ["+1 212 555 0150"] }),
    record({ system: "people-contacts", remoteId: "c2", given: "John", family: "Lee", phones: ["+1 212 555 0151"] }),
    record({ system: "people-contacts", remoteId: "d", given: "Dana", family: "K." })
  ]

  it("links each source person to at most one target person, confidently or as a suggestion, with reasons", () => {
    const result = Merge.link(source, target, { crossReferences: [["ringcentral:4", "people-contacts:d"]] })
    expect(result.matches.map((m) => [m.left, m.right, m.reasons[0]])).toEqual([
      ["ringcentral:1", "people-contacts:a", "email:alice.martin@example.com"],
      ["ringcentral:2", "people-contacts:b", "phone:+16505550101"],
      ["ringcentral:4", "people-contacts:d", "reference:people-contacts:d"]
    ])
    expect(result.matches[2]!.probability).toBe(1)
    for (const m of result.matches.slice(0, 2)) expect(m.probability).toBeGreaterThanOrEqual(Merge.defaultThreshold)
    expect(result.suggestions.map((s) => [s.left, s.right, s.why])).toEqual([
      ["ringcentral:3", "people-contacts:c1", "below the match threshold"],
      ["ringcentral:3", "people-contacts:c2", "below the match threshold"]
    ])
    expect(result.unmatchedLeft).toEqual(["ringcentral:3"])
    expect(result.unmatchedRight).toEqual(["people-contacts:c1", "people-contacts:c2"])
  })

  it("does not depend on the order of either side", () => {
    const once = Merge.link(source, target)
    const again = Merge.link([...source].reverse(), [...target].reverse())
    expect(again).toEqual(once)
  })

  it("links a target person to one source person only: two equally strong claims are both suggestions", () => {
    const result = Merge.link(
      [
        record({ system: "ringcentral", remoteId: "1", given: "Alice", family: "Martin", emails: ["alice.martin@example.com"] }),
        record({ system: "ringcentral", remoteId: "9", given: "Alice", family: "Martin", emails: ["alice.martin@example.com"] })
      ],
      [record({ system: "people-contacts", remoteId: "a", given: "Alice", family: "Martin", emails: ["alice.martin@example.com"] })]
    )
    expect(result.matches).toEqual([])
    expect(result.suggestions.map((s) => [s.left, s.right, s.why])).toEqual([
      ["ringcentral:1", "people-contacts:a", "ambiguous: ringcentral:9 ~ people-contacts:a is nearly as likely"],
      ["ringcentral:9", "people-contacts:a", "ambiguous: ringcentral:1 ~ people-contacts:a is nearly as likely"]
    ])
    // a clearly stronger claim wins, the other is suggested as taken
    const clear = Merge.link(
      [
        record({ system: "ringcentral", remoteId: "1", given: "Alice", family: "Martin", emails: ["alice.martin@example.com"], phones: ["+1 650 555 0199"] }),
        record({ system: "ringcentral", remoteId: "9", given: "Alice", family: "Martin", emails: ["alice.martin@example.com"] })
      ],
      [record({ system: "people-contacts", remoteId: "a", given: "Alice", family: "Martin", emails: ["alice.martin@example.com"], phones: ["650.555.0199"] })]
    )
    expect(clear.matches.map((m) => [m.left, m.right])).toEqual([["ringcentral:1", "people-contacts:a"]])
    expect(clear.suggestions.map((s) => [s.left, s.why])).toEqual([["ringcentral:9", "ambiguous: people-contacts:a is linked to ringcentral:1"]])
  })
})

describe("Merge: survivorship", () => {
  const people = [
    record({
      system: "ringcentral",
      remoteId: "1",
      given: "Bob",
      family: "Smith",
      jobTitle: "Engineer",
      department: "R&D",
      emails: [{ value: "Bob.Smith@Example.com", primary: true }],
      phones: [{ value: "+1 650 555 0100", capabilities: ["voice"] }, { value: "+1 650 555 0000", label: "main" }],
      customFields: { color: "red", team: "core" },
      readAt: "2026-01-02T00:00:00Z"
    }),
    record({
      system: "hr",
      remoteId: "E1",
      given: "Robert",
      family: "Smith",
      jobTitle: "Senior Engineer",
      employeeNumber: "E1",
      emails: [{ value: "bob.smith@example.com", label: "other", customLabel: "corp" }],
      phones: [{ value: "650.555.0100", label: "other", capabilities: ["sms"] }, { value: "16505550199", label: "mobile" }],
      customFields: { color: "blue" },
      readAt: "2026-01-01T00:00:00Z"
    }),
    record({
      system: "hr",
      remoteId: "E1-old",
      given: "Rob",
      family: "Smith",
      jobTitle: "Intern",
      employeeNumber: "E1",
      readAt: "2025-01-01T00:00:00Z"
    })
  ]

  it("takes each field from the best source, and records where it came from", () => {
    const [merged] = Merge.merge(people, options).people
    expect(merged!.id).toBe("hr:E1")
    expect(merged!.name.given).toBe("Robert")
    expect(merged!.jobTitle).toBe("Senior Engineer")
    expect(merged!.department).toBe("R&D")
    expect(merged!.employeeNumber).toBe("E1")
    expect(merged!.customFields).toEqual({ color: "blue", team: "core" })
    expect(merged!.fieldSources).toEqual({
      contactPoints: "hr,ringcentral",
      "customFields.color": "hr",
      "customFields.team": "ringcentral",
      department: "ringcentral",
      employeeNumber: "hr",
      jobTitle: "hr",
      name: "hr"
    })
    expect(merged!.provenance.map((p) => p.key)).toEqual(["hr:E1", "hr:E1-old", "ringcentral:1"])
  })

  it("honours a per-field priority", () => {
    const [merged] = Merge.merge(people, { ...options, fieldPriority: { name: ["ringcentral"] } }).people
    expect(merged!.name.given).toBe("Bob")
    expect(merged!.fieldSources?.["name"]).toBe("ringcentral")
  })

  it("prefers the most recent record of the same source", () => {
    const [merged] = Merge.merge(people, { sourcePriority: ["ringcentral", "hr"] }).people
    expect(merged!.jobTitle).toBe("Engineer")
    expect(Merge.survive([people[1]!, people[2]!], options).jobTitle).toBe("Senior Engineer")
  })

  it("unions contact points on their normalized value, keeping the best label", () => {
    const [merged] = Merge.merge(people, options).people
    const byKey = new Map(merged!.contactPoints.map((p) => [p.key, p]))
    expect(merged!.contactPoints.map((p) => p.key)).toEqual([
      "email:bob.smith@example.com",
      "phone:+16505550100",
      "phone:+16505550199",
      "phone:+16505550000"
    ])
    const email = byKey.get("email:bob.smith@example.com")!
    expect(email).toMatchObject({ label: "work", primary: true, source: { system: "hr", remoteId: "E1" } })
    expect(email.customLabel).toBeUndefined()
    const direct = byKey.get("phone:+16505550100")!
    expect(direct).toMatchObject({ label: "work", capabilities: ["voice", "sms"] })
    expect(byKey.get("phone:+16505550000")).toMatchObject({ label: "main", shared: true })
  })
})

// -----------------------------------------------------------------------------
// properties
// -----------------------------------------------------------------------------

const pools = {
  system: ["hr", "ringcentral", "people-contacts", "crm"],
  remoteId: ["1", "2", "3", "4", "5", "6"],
  given: ["Robert", "Bob", "rob", "Alice", "ALICE", "José", "Jose", "Zoë", "J"],
  family: ["Smith", "smith", "Garcia", "García", "Lee"],
  email: ["a@x.com", "A@X.com", "b@x.com", "c@y.org", "not an email"],
  phone: ["+1 650 555 0100", "650.555.0100", "16505550101", "(650) 555-0102", "+44 20 7946 0958", "12"],
  employee: ["E1", "E2", "E3"],
  title: ["Engineer", "Manager", "CEO"],
  readAt: ["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"]
}

const pointArbitrary = fc.oneof(
  fc.record({
    kind: fc.constant("email" as const),
    value: fc.constantFrom(...pools.email),
    label: fc.constantFrom("work" as const, "personal" as const, "other" as const),
    primary: fc.option(fc.boolean(), { nil: undefined })
  }),
  fc.record({
    kind: fc.constant("phone" as const),
    value: fc.constantFrom(...pools.phone),
    label: fc.constantFrom("work" as const, "mobile" as const, "main" as const, "home" as const, "other" as const),
    shared: fc.option(fc.constant(true), { nil: undefined }),
    capabilities: fc.option(fc.subarray(["voice", "fax", "sms"] as const), { nil: undefined })
  })
)

const personArbitrary: fc.Arbitrary<Person.Person> = fc
  .record({
    system: fc.constantFrom(...pools.system),
    remoteId: fc.constantFrom(...pools.remoteId),
    given: fc.option(fc.constantFrom(...pools.given), { nil: undefined }),
    family: fc.option(fc.constantFrom(...pools.family), { nil: undefined }),
    jobTitle: fc.option(fc.constantFrom(...pools.title), { nil: undefined }),
    employeeNumber: fc.option(fc.constantFrom(...pools.employee), { nil: undefined }),
    points: fc.array(pointArbitrary, { maxLength: 4 }),
    custom: fc.option(fc.constantFrom("red", "blue"), { nil: undefined }),
    readAt: fc.option(fc.constantFrom(...pools.readAt), { nil: undefined })
  })
  .map((r) =>
    new Person.Person({
      id: Person.canonicalId(r.system, r.remoteId),
      name: new Person.Name({
        ...(r.given === undefined ? {} : { given: r.given }),
        ...(r.family === undefined ? {} : { family: r.family })
      }),
      ...(r.jobTitle === undefined ? {} : { jobTitle: r.jobTitle }),
      ...(r.employeeNumber === undefined ? {} : { employeeNumber: r.employeeNumber }),
      contactPoints: r.points.map((p) =>
        ContactPoint.make({
          kind: p.kind,
          value: p.value,
          label: p.label,
          ...("primary" in p && p.primary !== undefined ? { primary: p.primary } : {}),
          ...("shared" in p && p.shared !== undefined ? { shared: p.shared } : {}),
          ...("capabilities" in p && p.capabilities !== undefined ? { capabilities: p.capabilities } : {})
        })
      ),
      customFields: r.custom === undefined ? {} : { color: r.custom },
      provenance: [
        new Person.Provenance({ system: r.system, remoteId: r.remoteId, ...(r.readAt === undefined ? {} : { readAt: new Date(r.readAt) }) })
      ]
    })
  )

const crossReferenceArbitrary = fc.array(
  fc.array(fc.tuple(fc.constantFrom(...pools.system), fc.constantFrom(...pools.remoteId)).map(([s, r]) => `${s}:${r}`), { minLength: 2, maxLength: 3 }),
  { maxLength: 2 }
)

const inputArbitrary = fc.record({
  people: fc.array(personArbitrary, { maxLength: 14 }),
  crossReferences: crossReferenceArbitrary,
  priority: fc.shuffledSubarray(pools.system),
  maxBlockSize: fc.constantFrom(2, 3, 32)
})

const generatedArbitrary = fc.record({ seed: fc.integer({ min: 0, max: 1_000_000 }), size: fc.integer({ min: 1, max: 40 }) }).map(
  ({ seed, size }) => Generator.company({ seed, size }).records
)

const optionsOf = (input: { crossReferences: ReadonlyArray<ReadonlyArray<string>>; priority: ReadonlyArray<string>; maxBlockSize: number }): Merge.Options => ({
  sourcePriority: input.priority,
  crossReferences: input.crossReferences,
  maxBlockSize: input.maxBlockSize
})

const checkNoPointLost = (people: ReadonlyArray<Person.Person>, result: Merge.Result) => {
  const byId = new Map<string, Array<Person.Person>>()
  for (const p of people) byId.set(p.id, [...(byId.get(p.id) ?? []), p])
  const seen = new Set<string>()
  for (const cluster of result.clusters) {
    const keys = new Set(pointKeys(cluster.person))
    for (const member of new Set(cluster.members)) {
      expect(seen.has(member)).toBe(false)
      seen.add(member)
      for (const p of byId.get(member)!) for (const key of pointKeys(p)) expect(keys.has(key)).toBe(true)
    }
    // no duplicates after de-duplication
    expect(keys.size).toBe(cluster.person.contactPoints.length)
    // every field of the result names its source
    const person = cluster.person
    const sources = person.fieldSources ?? {}
    for (const field of Person.singleValuedFields) {
      const present = field === "name" ? [person.name.given, person.name.family, person.name.display].some((v) => v !== undefined && v !== "") : person[field] !== undefined
      expect(sources[field] !== undefined).toBe(present)
    }
    for (const key of Object.keys(person.customFields)) expect(sources[`customFields.${key}`]).toBeDefined()
    for (const point of person.contactPoints) expect(point.source).toBeDefined()
    expect(person.provenance.map((p) => p.key)).toEqual([...new Set(cluster.members.flatMap((m) => byId.get(m)!.flatMap((p) => p.provenance.map((q) => q.key))))].sort())
  }
  expect(seen).toEqual(new Set(people.map((p) => p.id)))
}

describe("Merge: properties", () => {
  it("gives the same result whatever the input order (adversarial people)", () => {
    fc.assert(
      fc.property(inputArbitrary, fc.integer(), (input, salt) => {
        const options = optionsOf(input)
        const shuffled = shuffle(input.people, salt)
        expect(snapshot(Merge.merge(shuffled, options))).toBe(snapshot(Merge.merge(input.people, options)))
      }),
      { numRuns: 150 }
    )
  })

  it("is idempotent: merging a merged result changes nothing (adversarial people)", () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const options = optionsOf(input)
        const once = Merge.merge(input.people, options)
        const twice = Merge.merge(once.people, options)
        expect(twice.people.map((p) => Person.encode(p))).toEqual(once.people.map((p) => Person.encode(p)))
        expect(twice.decisions.filter((d) => d.matched)).toEqual([])
      }),
      { numRuns: 150 }
    )
  })

  it("loses no contact point and puts every record in exactly one cluster (adversarial people)", () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        checkNoPointLost(input.people, Merge.merge(input.people, optionsOf(input)))
      }),
      { numRuns: 150 }
    )
  })

  it("merges one person alone exactly as it merges it with a copy of itself", () => {
    fc.assert(
      fc.property(personArbitrary, fc.shuffledSubarray(pools.system), (person, priority) => {
        const options = { sourcePriority: priority }
        expect(Person.encode(Merge.survive([person], options))).toEqual(Person.encode(Merge.survive([person, person], options)))
      }),
      { numRuns: 150 }
    )
  })

  it("holds all three properties on generated companies", () => {
    fc.assert(
      fc.property(generatedArbitrary, fc.integer(), (records, salt) => {
        const shuffled = shuffle(records, salt)
        const once = Merge.merge(records, options)
        expect(snapshot(Merge.merge(shuffled, options))).toBe(snapshot(once))
        expect(Merge.merge(once.people, options).people.map((p) => Person.encode(p))).toEqual(once.people.map((p) => Person.encode(p)))
        checkNoPointLost(records, once)
      }),
      { numRuns: 30 }
    )
  })
})

/**
 * Checks that every cluster of `before` with several members is still whole in
 * `after`, or that `after` says why it is not: a suggestion between the parts
 * (a refused link, or a pair now below the threshold), a decision between the
 * parts that did not match (with its contributions), a decision that linked a
 * member to someone outside the cluster (a stronger link pulled it away), or a
 * key that became too common to identify anyone.
 */
const checkNoSilentSplit = (before: Merge.Result, after: Merge.Result, records: ReadonlyArray<Person.Person>) => {
  const clusterOf = new Map<string, string>()
  for (const c of after.clusters) for (const m of c.members) clusterOf.set(m, c.id)
  const newlySkipped = new Set(after.skipped.map((s) => s.key))
  for (const s of before.skipped) newlySkipped.delete(s.key)
  const byId = new Map(records.map((r) => [r.id, r] as const))
  for (const cluster of before.clusters) {
    if (cluster.members.length < 2) continue
    const parts = new Set(cluster.members.map((m) => clusterOf.get(m)!))
    if (parts.size === 1) continue
    const suggested = after.suggestions.some((s) => parts.has(s.a) && parts.has(s.b))
    // decisions name records, or merged people by their smallest record key (here a record id)
    const decided = after.decisions.some((d) =>
      !d.matched && clusterOf.has(d.a) && clusterOf.has(d.b) && clusterOf.get(d.a) !== clusterOf.get(d.b) &&
      parts.has(clusterOf.get(d.a)!) && parts.has(clusterOf.get(d.b)!)
    )
    const members = new Set(cluster.members)
    const pulled = after.decisions.some((d) => d.matched && members.has(d.a) !== members.has(d.b))
    const keys = cluster.members.flatMap((m) => Merge.blockingKeys(byId.get(m)!))
    const skipped = keys.some((k) => newlySkipped.has(k))
    expect({ cluster: cluster.members, parts: [...parts], explained: suggested || decided || pulled || skipped }).toMatchObject({ explained: true })
  }
}

describe("Merge: adding a record", () => {
  it("never splits an existing cluster without a reason recorded (generated companies)", () => {
    fc.assert(
      fc.property(
        fc.record({ seed: fc.integer({ min: 0, max: 1_000_000 }), size: fc.integer({ min: 3, max: 40 }), pick: fc.nat(), copy: fc.boolean() }),
        ({ seed, size, pick, copy }) => {
          const records = Generator.company({ seed, size }).records
          const before = Merge.merge(records, options)
          // a new record: another person's, or a new record of someone already there (a CRM contact, say)
          const pool = copy ? records : Generator.company({ seed: seed + 1, size }).records
          const source = pool[pick % pool.length]!
          const { fieldSources: _, ...fields } = source
          const extra = new Person.Person({
            ...fields,
            id: Person.canonicalId("crm", `new-${pick}`),
            provenance: [new Person.Provenance({ system: "crm", remoteId: `new-${pick}` })]
          })
          const after = Merge.merge([...records, extra], options)
          checkNoSilentSplit(before, after, [...records, extra])
        }
      ),
      { numRuns: 60 }
    )
  })

  it("never splits an existing cluster without a reason recorded (adversarial people)", () => {
    fc.assert(
      fc.property(inputArbitrary, personArbitrary, (input, extra) => {
        const options = optionsOf(input)
        const before = Merge.merge(input.people, options)
        const after = Merge.merge([...input.people, extra], options)
        checkNoSilentSplit(before, after, [...input.people, extra])
      }),
      { numRuns: 150 }
    )
  })
})

/** A deterministic shuffle (a seeded Fisher-Yates). */
const shuffle = <A>(items: ReadonlyArray<A>, salt: number): Array<A> => {
  const rng = Generator.random(salt)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

// -----------------------------------------------------------------------------
// raw records
// -----------------------------------------------------------------------------

/** A person as a source would hand it over: plain data, contact values as written. */
const rawOf = (person: Person.Person): Merge.RawRecord => {
  const prov = person.provenance[0]!
  return {
    system: prov.system,
    remoteId: prov.remoteId,
    ...(prov.version === undefined ? {} : { version: prov.version }),
    ...(prov.readAt === undefined ? {} : { readAt: prov.readAt.toISOString() }),
    name: {
      ...(person.name.given === undefined ? {} : { given: person.name.given }),
      ...(person.name.family === undefined ? {} : { family: person.name.family }),
      ...(person.name.display === undefined ? {} : { display: person.name.display })
    },
    ...(person.jobTitle === undefined ? {} : { jobTitle: person.jobTitle }),
    ...(person.department === undefined ? {} : { department: person.department }),
    ...(person.company === undefined ? {} : { company: { ...person.company } }),
    ...(person.site === undefined ? {} : { site: { ...person.site } }),
    ...(person.employeeNumber === undefined ? {} : { employeeNumber: person.employeeNumber }),
    ...(person.extensionNumber === undefined ? {} : { extensionNumber: person.extensionNumber }),
    ...(person.status === undefined ? {} : { status: person.status }),
    contactPoints: person.contactPoints.map((p) => ({
      kind: p.kind,
      value: p.value,
      label: p.customLabel !== undefined && p.label === "other" ? undefined : p.label,
      ...(p.customLabel === undefined ? {} : { customLabel: p.customLabel }),
      ...(p.primary === undefined ? {} : { primary: p.primary }),
      ...(p.capabilities === undefined ? {} : { capabilities: p.capabilities }),
      ...(p.shared === undefined ? {} : { shared: p.shared }),
      ...(p.source === undefined || (p.source.system === prov.system && p.source.remoteId === prov.remoteId)
        ? {}
        : { source: { system: p.source.system, ...(p.source.remoteId === undefined ? {} : { remoteId: p.source.remoteId }) } })
    })),
    customFields: { ...person.customFields }
  }
}

const rawPointArbitrary = fc.record({
  kind: fc.constantFrom("email" as const, "phone" as const, "website" as const),
  value: fc.constantFrom("a@x.com", "A@X.com ", "b@x.com", "not an email", "+1 650 555 0100", "650.555.0100", "(650) 555-0102", "+44 20 7946 0958", "12", "www.x.com", "x\u200b@y.com"),
  label: fc.option(fc.constantFrom("work" as const, "personal" as const, "mobile" as const, "main" as const, "other" as const), { nil: undefined }),
  customLabel: fc.option(fc.constantFrom("corp", " x\u0007"), { nil: undefined }),
  primary: fc.option(fc.boolean(), { nil: undefined }),
  shared: fc.option(fc.boolean(), { nil: undefined }),
  capabilities: fc.option(fc.subarray(["voice", "fax", "sms"] as const), { nil: undefined }),
  source: fc.option(fc.record({ system: fc.constantFrom(...pools.system), remoteId: fc.option(fc.constantFrom(...pools.remoteId), { nil: undefined }) }), { nil: undefined })
}).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as Merge.RawContactPoint)

const rawArbitrary: fc.Arbitrary<Merge.RawRecord> = fc.record({
  system: fc.constantFrom(...pools.system),
  remoteId: fc.constantFrom(...pools.remoteId),
  version: fc.option(fc.constantFrom("1", "2", "10"), { nil: undefined }),
  readAt: fc.option(fc.constantFrom(...pools.readAt), { nil: undefined }),
  name: fc.record({
    given: fc.option(fc.constantFrom(...pools.given, " ", "Jo\u200bse"), { nil: undefined }),
    family: fc.option(fc.constantFrom(...pools.family), { nil: undefined }),
    display: fc.option(fc.constantFrom("Smith, Bob", "Alice Lee", ""), { nil: undefined })
  }),
  jobTitle: fc.option(fc.constantFrom(...pools.title, ""), { nil: undefined }),
  department: fc.option(fc.constantFrom("R&D", "Sales"), { nil: undefined }),
  site: fc.option(fc.record({ id: fc.option(fc.constantFrom("s1", "s2"), { nil: undefined }), name: fc.option(fc.constantFrom("HQ", "Lab"), { nil: undefined }) }), { nil: undefined }),
  company: fc.option(fc.constant({ name: "Acme" }), { nil: undefined }),
  employeeNumber: fc.option(fc.constantFrom(...pools.employee, " E1 "), { nil: undefined }),
  contactPoints: fc.array(rawPointArbitrary, { maxLength: 5 }),
  customFields: fc.option(fc.dictionary(fc.constantFrom("color", "team", "b\u0000"), fc.constantFrom("red", "blue")), { nil: undefined })
}).map((r) => {
  const name = Object.fromEntries(Object.entries(r.name).filter(([, v]) => v !== undefined))
  const site = r.site === undefined ? undefined : Object.fromEntries(Object.entries(r.site).filter(([, v]) => v !== undefined))
  return { ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)), name, ...(site === undefined ? {} : { site }) } as Merge.RawRecord
})

describe("Merge: raw records (builder)", () => {
  it("builds the same person as the sources' records (toPerson round trip of generated records)", () => {
    const records = Generator.company({ seed: 7, size: 60 }).records
    for (const person of records) expect(Person.encode(Merge.toPerson(rawOf(person)))).toEqual(Person.encode(person))
  })

  it("merges raw records exactly as merge() merges their people (adversarial records)", () => {
    fc.assert(
      fc.property(fc.array(rawArbitrary, { maxLength: 14 }), crossReferenceArbitrary, fc.shuffledSubarray(pools.system), (raws, crossReferences, priority) => {
        const options: Merge.Options = { sourcePriority: priority, crossReferences, maxBlockSize: 3 }
        const expected = Merge.merge(raws.map(Merge.toPerson), options)
        const merged = Merge.builder(options).addAll(raws).merge()
        expect(snapshot(merged.toResult())).toBe(snapshot(expected))
        expect(merged.suggestions).toEqual(expected.suggestions)
        expect(merged.model).toEqual(expected.model)
      }),
      { numRuns: 200 }
    )
  })

  it("merges raw records exactly as merge() merges their people, whatever their order (generated companies)", () => {
    fc.assert(
      fc.property(generatedArbitrary, fc.integer(), (records, salt) => {
        const raws = records.map(rawOf)
        const expected = snapshot(Merge.merge(records, options))
        expect(snapshot(Merge.fromRecords(raws, options).toResult())).toBe(expected)
        expect(snapshot(Merge.fromRecords(shuffle(raws, salt), options).toResult())).toBe(expected)
      }),
      { numRuns: 20 }
    )
  })

  it("says where each input record went, and builds people one at a time", () => {
    const records = Generator.company({ seed: 3, size: 30 }).records
    const raws = shuffle(records.map(rawOf), 5)
    const merged = Merge.fromRecords(raws, options)
    const result = Merge.merge(records, options)
    expect(merged.size).toBe(result.people.length)
    expect(merged.records).toBe(raws.length)
    expect([...merged.people()].map((p) => Person.encode(p))).toEqual(result.people.map((p) => Person.encode(p)))
    for (let k = 0; k < merged.size; k++) {
      expect(merged.id(k)).toBe(result.clusters[k]!.id)
      expect(merged.memberIds(k)).toEqual(result.clusters[k]!.members)
      expect(merged.members(k).map((i) => `${raws[i]!.system}:${raws[i]!.remoteId}`).sort()).toEqual(result.clusters[k]!.members)
      for (const i of merged.members(k)) expect(merged.personOf(i)).toBe(k)
    }
    expect([...merged.decisions()]).toEqual(result.decisions)
    expect(merged.decisionCount).toBe(result.decisions.length)
  })

  it("normalizes phone numbers written in any format exactly as the full parse does (the fast paths of Normalize.phone)", () => {
    // a slash before the last digit of the number changes nothing for libphonenumber, and sends it to the full parse
    const written = fc.record({
      prefix: fc.constantFrom("", "+", "00", "0", "1", "11", "+1 ", "+44 ", "(", "+ ", "tel:", "tel:+", "011", "001 "),
      digits: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom("", "", "", " ", "-", ".", "  ", ") ", "(", " (", ")")), { minLength: 3, maxLength: 16 }),
      extension: fc.constantFrom("", "", "", " ext. 12", " x123", ";ext=5", " #9", " ext 12345678901"),
      region: fc.option(fc.constantFrom("US", "CA", "JM", "GB", "FR", "DE", "IN", "RU", "KZ", "AU", "BR", "JP", "CH", "us", "XX"), { nil: undefined })
    })
    fc.assert(
      fc.property(written, ({ prefix, digits, extension, region }) => {
        const number = prefix + digits.map(([d, sep]) => `${d}${sep}`).join("")
        const at = number.search(/\d(?!.*\d)/)
        const options = region === undefined ? {} : { defaultRegion: region }
        const fast = Normalize.phone(number + extension, options)
        const slow = Normalize.phone(`${number.slice(0, at)}/${number.slice(at)}${extension}`, options)
        expect(fast._tag).toBe(slow._tag)
        if (fast._tag === "Normalized" && slow._tag === "Normalized") expect(fast.value).toBe(slow.value)
      }),
      { numRuns: 20000 }
    )
  })

  it("refuses a malformed record, naming it", () => {
    const builder = Merge.builder(options)
    expect(() => builder.add({ system: "hr", remoteId: "1", readAt: "yesterday" })).toThrow(/readAt "yesterday" is not a date \(record "hr:1"\)/)
    expect(() => builder.add({ system: "hr", remoteId: "2", contactPoints: [{ kind: "fax" as never, value: "1" }] })).toThrow(/kind "fax"/)
    expect(() => builder.add({ system: "", remoteId: "3" })).toThrow(/needs a system/)
    expect(builder.size).toBe(0)
  })
})
