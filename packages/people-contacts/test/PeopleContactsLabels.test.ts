import { describe, expect, it } from "@effect/vitest"
import * as Label from "@unified-people/core/Label"
import * as PeopleContactsLabels from "../src/PeopleContactsLabels.js"

/** Seed 004, "label — Required enum": the People-Contacts rules, written out by hand. */
const seed004: Record<string, ReadonlyArray<Label.Kind>> = {
  chat_skype: ["chat"],
  chat_slack: ["chat"],
  chat_teams: ["chat"],
  chat_workchat: ["chat"],
  fax: ["phone"],
  home: ["phone"],
  mobile: ["phone"],
  personal: ["email", "website"],
  work: ["phone", "email", "website"]
}

const { projection } = PeopleContactsLabels

describe("PeopleContactsLabels", () => {
  it("every cell of the projection matches seed 004", () => {
    const cells = projection.rules.flatMap((rule) => Label.kinds.map((kind) => ({ remote: rule.remote, kind, allowed: rule.kinds.includes(kind) })))
    expect(cells).toHaveLength(Object.keys(seed004).length * Label.kinds.length)
    for (const cell of cells) expect({ ...cell, allowed: seed004[cell.remote]?.includes(cell.kind) }).toEqual(cell)
    expect(projection.rules.map((r) => r.remote).sort()).toEqual(Object.keys(seed004).sort())
    for (const label of Label.labels) {
      for (const kind of Label.kinds) {
        expect([label, kind, projection.canHold({ label, kind })]).toEqual([label, kind, seed004[label]?.includes(kind) === true])
      }
    }
  })

  it("main and other without a custom label have no spelling; known labels round-trip", () => {
    expect(projection.toRemote({ label: "main" })).toBeUndefined()
    expect(projection.toRemote({ label: "other" })).toBeUndefined()
    for (const remote of Object.keys(seed004)) {
      const resolved = projection.fromRemote(remote)
      expect(resolved).toEqual({ label: remote })
      expect(projection.toRemote(resolved)).toBe(remote)
    }
  })

  it.each(["emergency", "chat_hipchat", "skype", "Work", "main", "other"])(
    "unknown remote label %j resolves to other, keeps the spelling and round-trips",
    (remote) => {
      const resolved = projection.fromRemote(remote)
      expect(resolved).toEqual({ label: "other", custom: remote })
      expect(projection.toRemote(resolved)).toBe(remote)
    }
  )
})
