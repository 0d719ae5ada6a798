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

  it("main is the only shared label", () => {
    expect(Label.isShared("main")).toBe(true)
    expect(Label.labels.filter(Label.isShared)).toEqual(["main"])
  })

  describe("projection", () => {
    const system = Label.projection([
      { remote: "Work", label: "work", kinds: ["email", "phone"] },
      { remote: "Cell", label: "mobile" },
      { remote: "Skype", label: "chat_skype" }
    ])

    it("answers both ways; unknown remote labels are kept as custom labels and round-trip", () => {
      expect(system.fromRemote("Cell")).toEqual({ label: "mobile" })
      expect(system.toRemote({ label: "mobile" })).toBe("Cell")
      expect(system.fromRemote("emergency")).toEqual({ label: "other", custom: "emergency" })
      expect(system.toRemote({ label: "other", custom: "emergency" })).toBe("emergency")
      expect(system.toRemote({ label: "other" })).toBeUndefined()
      expect(system.toRemote({ label: "main" })).toBeUndefined()
    })

    it("canHold follows the system's kinds, defaulting to the canonical ones", () => {
      expect(system.canHold({ kind: "email", label: "work" })).toBe(true)
      expect(system.canHold({ kind: "website", label: "work" })).toBe(false)
      expect(system.canHold({ kind: "phone", label: "mobile" })).toBe(true)
      expect(system.canHold({ kind: "phone", label: "main" })).toBe(false)
      expect(system.canHold({ kind: "chat", label: "other", customLabel: "Skype" })).toBe(true)
      expect(system.canHold({ kind: "chat", label: "other", customLabel: "emergency" })).toBe(false)
      expect(system.rules.map((r) => [r.remote, r.kinds])).toEqual([["Work", ["email", "phone"]], ["Cell", ["phone"]], ["Skype", ["chat"]]])
    })

    it("a spelling that gives a label a kind the vocabulary does not allow is refused", () => {
      expect(() => Label.projection([{ remote: "x", label: "fax", kinds: ["email"] }])).toThrow("label fax does not allow email (remote x)")
    })
  })

  it("the matrix printed in the README is the one Label.matrix() gives", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
    const section = readme.split("<!-- label-matrix:start -->")[1]?.split("<!-- label-matrix:end -->")[0] ?? ""
    const rows = section.trim().split("\n").slice(2).map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()))
    const expected = Label.matrix().map((row) => [`\`${row.label}\``, ...Label.kinds.map((kind) => (row.allowed[kind] ? "✓" : ""))])
    expect(rows).toEqual(expected)
  })
})
