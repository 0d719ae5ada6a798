import { describe, expect, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import * as Label from "../src/Label.js"

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

describe("Label", () => {
  it("the literal list and the table agree, in order and without duplicates", () => {
    expect(Label.table.map((row) => row.label)).toEqual([...Label.labels])
    expect(new Set(Label.labels).size).toBe(Label.labels.length)
    expect(Label.Label.literals).toEqual(Label.labels)
    expect(Label.kinds).toEqual(["email", "phone", "chat", "website"])
  })

  it("decodes only canonical labels", () => {
    expect(Schema.is(Label.Label)("chat_teams")).toBe(true)
    expect(Schema.is(Label.Label)("emergency")).toBe(false)
    expect(Label.isLabel("main")).toBe(true)
    expect(Label.isLabel("Work")).toBe(false)
    expect(Label.isLabel(42)).toBe(false)
  })

  it("every cell of the People-Contacts projection matches seed 004", () => {
    const cells = Label.peopleContacts.rules.flatMap((rule) =>
      Label.kinds.map((kind) => ({ remote: rule.remote, kind, allowed: rule.kinds.includes(kind) }))
    )
    expect(cells).toHaveLength(Object.keys(seed004).length * Label.kinds.length)
    for (const cell of cells) {
      expect({ ...cell, allowed: seed004[cell.remote]?.includes(cell.kind) }).toEqual(cell)
    }
    expect(Label.peopleContacts.rules.map((r) => r.remote).sort()).toEqual(Object.keys(seed004).sort())
  })

  it("matrix() and isAllowed agree with seed 004 on every cell, and main/other are as documented", () => {
    const expected: Record<Label.Label, ReadonlyArray<Label.Kind>> = {
      ...(seed004 as Record<Exclude<Label.Label, "main" | "other">, ReadonlyArray<Label.Kind>>),
      main: ["phone"],
      other: ["email", "phone", "chat", "website"]
    }
    const matrix = Label.matrix()
    expect(matrix.map((r) => r.label)).toEqual([...Label.labels])
    for (const row of matrix) {
      for (const kind of Label.kinds) {
        const allowed = expected[row.label].includes(kind)
        expect([row.label, kind, row.allowed[kind]]).toEqual([row.label, kind, allowed])
        expect([row.label, kind, Label.isAllowed(row.label, kind)]).toEqual([row.label, kind, allowed])
      }
    }
  })

  it("a string outside the vocabulary is allowed for nothing, shared never, and does not throw", () => {
    const stray = "emergency" as Label.Label
    for (const kind of Label.kinds) expect(Label.isAllowed(stray, kind)).toBe(false)
    expect(Label.isShared(stray)).toBe(false)
  })

  it("allowedFor lists the labels of a kind in table order", () => {
    expect(Label.allowedFor("chat")).toEqual(["chat_skype", "chat_slack", "chat_teams", "chat_workchat", "other"])
    expect(Label.allowedFor("email")).toEqual(["work", "personal", "other"])
    expect(Label.allowedFor("website")).toEqual(["work", "personal", "other"])
    expect(Label.allowedFor("phone")).toEqual(["work", "home", "mobile", "fax", "main", "other"])
  })

  it("main is shared and has no People-Contacts spelling; nothing else is shared", () => {
    expect(Label.isShared("main")).toBe(true)
    expect(Label.labels.filter(Label.isShared)).toEqual(["main"])
    expect(Label.peopleContacts.toRemote({ label: "main" })).toBeUndefined()
    expect(Label.peopleContacts.rules.some((r) => r.label === "main")).toBe(false)
    expect(Label.row("main").peopleContacts).toBeUndefined()
  })

  it("known remote labels resolve to themselves and round-trip", () => {
    for (const remote of Object.keys(seed004)) {
      const resolved = Label.peopleContacts.fromRemote(remote)
      expect(resolved).toEqual({ label: remote })
      expect(Label.peopleContacts.toRemote(resolved)).toBe(remote)
    }
  })

  it.each(["emergency", "chat_hipchat", "skype", "Work", "main", "other"])(
    "unknown remote label %j resolves to other, keeps the spelling and round-trips",
    (remote) => {
      const resolved = Label.peopleContacts.fromRemote(remote)
      expect(resolved).toEqual({ label: "other", custom: remote })
      expect(Label.peopleContacts.toRemote(resolved)).toBe(remote)
    }
  )

  it("other without a custom label has no remote spelling", () => {
    expect(Label.peopleContacts.toRemote({ label: "other" })).toBeUndefined()
  })

  it("the matrix printed in the README is the one Label.matrix() gives", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
    const section = readme.split("<!-- label-matrix:start -->")[1]?.split("<!-- label-matrix:end -->")[0] ?? ""
    const rows = section.trim().split("\n").slice(2).map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()))
    const expected = Label.matrix().map((row) => {
      const remote = Label.peopleContacts.toRemote({ label: row.label })
      return [
        `\`${row.label}\``,
        ...Label.kinds.map((kind) => (row.allowed[kind] ? "✓" : "")),
        remote === undefined ? (row.label === "other" ? "the custom label" : "—") : `\`${remote}\``
      ]
    })
    expect(rows).toEqual(expected)
  })
})
