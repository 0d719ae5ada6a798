import { describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Chunk, Effect, Either, Stream } from "effect"
import { strToU8, zipSync } from "fflate"
import * as Export from "../src/Export.js"
import * as Import from "../src/Import.js"
import { fixture } from "./utils.js"

/** Reads a CSV text back with csv-parse, as objects by header name. */
const readBack = (csv: string): ReadonlyArray<Record<string, string>> => parse(csv, { columns: true, bom: true })

/** A zip's bytes as a stream cut into small pieces (the way they arrive from a socket). */
const pieces = (bytes: Uint8Array, size = 7): Stream.Stream<Uint8Array> =>
  Stream.fromIterable(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)))

const zip = (files: Record<string, string>, level: 0 | 6 = 6) =>
  zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])), { level })

const rows = (bytes: Uint8Array, size?: number) => Stream.runCollect(Export.readZip(pieces(bytes, size))).pipe(Effect.map(Chunk.toReadonlyArray))

describe("Import: the contact-details CSV", () => {
  it("quotes commas, quotes, line breaks and edge spaces; keeps non-ASCII and formula-like values as they are", () => {
    const hostile = [
      "Smith, John",
      "say \"hi\"",
      "line one\nline two",
      "cr\r\nlf",
      " leading space",
      "Zoë Ångström – 東京",
      "=HYPERLINK(\"x\")",
      "+1 212 555 0100",
      "-5",
      "@mention",
      "\ttab first"
    ]
    const csv = Import.contactDetailsCsv(hostile.map((uri, i) => ({ person: `p${i}@example.com`, protocol: "chat", label: "chat_slack", uri })))
    const back = readBack(csv)
    expect(back.map((r) => r["Contact URI"])).toEqual(hostile)
    expect(back.every((r) => r["Integration"] === "true" && r["Contact Protocol"] === "chat")).toBe(true)
    // the writer quotes what must be quoted, and nothing is escaped away
    expect(csv).toContain("\"Smith, John\"")
    expect(csv).toContain("\"say \"\"hi\"\"\"")
    expect(csv).toContain("\"line one\nline two\"")
    expect(csv).toContain("Zoë Ångström – 東京")
    expect(csv.split("\r\n")[0]).toBe(Import.contactDetailsColumns.join(","))
  })

  it("keeps every person's rows adjacent, in the order each person first appears, with the ID of kept contacts", () => {
    const csv = Import.contactDetailsCsv([
      { person: "a@example.com", protocol: "telephone", label: "work", uri: "+12125550100", id: "11" },
      { person: "b@example.com", protocol: "email", label: "personal", uri: "b@home.example" },
      { person: "a@example.com", protocol: "website", label: "work", uri: "https://a.example" },
      { person: "c@example.com", protocol: "chat", label: "chat_teams", uri: "https://teams.example/c" },
      { person: "b@example.com", protocol: "telephone", label: "mobile", uri: "+12125550101", integration: false }
    ])
    const back = readBack(csv)
    expect(back.map((r) => r["Person"])).toEqual(["a@example.com", "a@example.com", "b@example.com", "b@example.com", "c@example.com"])
    expect(back.map((r) => r["ID"])).toEqual(["11", "", "", "", ""])
    expect(back.map((r) => r["Integration"])).toEqual(["true", "true", "true", "false", "true"])
    expect(back.map((r) => r["Contact Protocol"])).toEqual(["telephone", "website", "email", "telephone", "chat"])
  })

  it("writes the vendor's columns: the sample's headers are all there, and the sample's rows read back the same way", () => {
    const sample = readBack(fixture("contact-details-import.csv"))
    const withContact = sample.filter((r) => r["Contact Protocol"] !== "")
    const csv = Import.contactDetailsCsv(withContact.map((r) => ({
      person: r["Person"]!,
      protocol: r["Contact Protocol"] as Import.ContactDetail["protocol"],
      label: r["Contact Label"]!,
      uri: r["Contact URI"]!
    })))
    const back = readBack(csv)
    for (const header of Object.keys(sample[0]!)) expect(Object.keys(back[0]!)).toContain(header)
    expect(back.map((r) => [r["Person"], r["Contact Protocol"], r["Contact Label"], r["Contact URI"], r["Integration"]])).toEqual(
      withContact.map((r) => [r["Person"], r["Contact Protocol"], r["Contact Label"], r["Contact URI"], "true"])
    )
  })

  it("an empty file is the header line alone", () => {
    expect(Import.contactDetailsCsv([])).toBe(`${Import.contactDetailsColumns.join(",")}\r\n`)
  })
})

describe("Export: the tab guard", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["\t=SUM(A1)", "=SUM(A1)"],
    ["\t+1 212 555 0100", "+1 212 555 0100"],
    ["\t-5", "-5"],
    ["\t@handle", "@handle"],
    // anything else is kept exactly
    ["\tplain", "\tplain"],
    ["\t\t=x", "\t\t=x"],
    [" \t=x", " \t=x"],
    ["a\t=x", "a\t=x"],
    ["\t", "\t"],
    ["=x", "=x"],
    ["+1 212", "+1 212"],
    ["", ""]
  ]
  it.each(cases)("%j reads as %j", async (raw, expected) => {
    const header = "ID,Person,Contact Protocol,Contact Label,Contact URI,Integration"
    const csv = `${header}\r\n1,a@example.com,telephone,work,"${raw}",true\r\n`
    const [row] = await Effect.runPromise(rows(zip({ "people_contact_details.csv": csv })))
    expect(row!.values.get("Contact URI")).toBe(expected)
  })
})

describe("Export: reading the zip", () => {
  const people = [
    "Updated At,Primary Email,Nickname,ID,Name,Disabled,Employee ID",
    "2026-01-02T03:04:05Z,ann@example.com,Annie,17,\"Ann, the first\",false,E-1",
    "2026-01-02T03:04:06Z,bob@example.com,,18,Bob Öberg,true,",
    ""
  ].join("\r\n")
  const details = [
    "Contact URI,Integration,Shoe Size,Contact Label,ID,Contact Protocol,Person",
    "\t+1 212 555 0100,true,44,work,101,telephone,ann@example.com",
    "\"multi\nline\",false,,chat_slack,102,chat,ann@example.com",
    "\t@bob,1,,chat_teams,103,chat,bob@example.com",
    ""
  ].join("\n")

  it.effect("columns by header name in any order, unknown columns ignored, quoted line breaks, both files, small pieces", () =>
    Effect.gen(function*() {
      for (const level of [0, 6] as const) {
        for (const size of [1, 7, 4096]) {
          const read = yield* rows(zip({ "people.csv": people, "people_contact_details.csv": details }, level), size)
          const persons = read.filter((r) => Export.typeOf(r) === "people").map(Export.decodePerson)
          const contacts = read.filter((r) => Export.typeOf(r) === "people_contact_details").map(Export.decodeContactDetail)
          expect(persons.map((p) => Either.getOrThrow(p))).toMatchObject([
            { id: "17", name: "Ann, the first", primary_email: "ann@example.com", employeeID: "E-1", disabled: false, updated_at: "2026-01-02T03:04:05Z" },
            { id: "18", name: "Bob Öberg", primary_email: "bob@example.com", disabled: true }
          ])
          expect(persons.map((p) => Either.getOrThrow(p).employeeID)).toEqual(["E-1", undefined])
          expect(contacts.map((c) => Either.getOrThrow(c))).toMatchObject([
            { id: "101", person: "ann@example.com", protocol: "telephone", label: "work", uri: "+1 212 555 0100", integration: true },
            { id: "102", person: "ann@example.com", protocol: "chat", label: "chat_slack", uri: "multi\nline", integration: false },
            { id: "103", person: "bob@example.com", protocol: "chat", label: "chat_teams", uri: "@bob", integration: true }
          ])
          // lines name where each record ends in its file
          expect(read.filter((r) => Export.typeOf(r) === "people_contact_details").map((r) => r.line)).toEqual([2, 4, 5])
        }
      }
    }))

  it.effect("a bad value is a DecodeError naming the file, the line and the column", () =>
    Effect.gen(function*() {
      const bad = "ID,Person,Contact Protocol,Contact Label,Contact URI,Integration\r\n1,a@example.com,telephone,work,+1,maybe\r\n,a@example.com,email,work,a@b.example,true\r\n"
      const read = yield* rows(zip({ "export/people_contact_details.csv": bad }))
      const [first, second] = read.map(Export.decodeContactDetail)
      expect(Either.isLeft(first!) && first.left.path).toBe("export/people_contact_details.csv, line 2, column Integration")
      expect(Either.isLeft(first!) && first.left.reason).toContain("maybe")
      expect(Either.isLeft(second!) && second.left.path).toBe("export/people_contact_details.csv, line 3, column ID")
    }))

  it.effect("a row with more or fewer values than the header is a DecodeError naming it, not a shifted row", () =>
    Effect.gen(function*() {
      const csv = "ID,Name,Primary Email\r\n1,Ann,ann@example.com\r\n2,Bob\r\n3,Cy,cy@example.com,extra\r\n"
      const read = yield* rows(zip({ "people.csv": csv }))
      const decoded = read.map(Export.decodePerson)
      expect(Either.isRight(decoded[0]!)).toBe(true)
      expect(Either.isLeft(decoded[1]!) && decoded[1].left.path).toBe("people.csv, line 3")
      expect(Either.isLeft(decoded[2]!) && decoded[2].left.reason).toContain("4 values for 3 columns")
    }))

  it.effect("an unclosed quote fails the read with the file and line; so do a broken zip and an empty body", () =>
    Effect.gen(function*() {
      const unclosed = yield* Effect.flip(rows(zip({ "people.csv": "ID,Name\r\n1,\"Ann\r\n2,Bob\r\n" })))
      expect(unclosed._tag).toBe("DecodeError")
      expect(unclosed.path).toContain("people.csv")
      const notZip = yield* Effect.flip(rows(strToU8("<html>not a zip</html>")))
      expect(notZip._tag).toBe("DecodeError")
      const empty = yield* Effect.flip(rows(new Uint8Array(0)))
      expect(empty.reason).toContain("empty")
      const truncated = zip({ "people.csv": people })
      const cut = yield* Effect.either(rows(truncated.subarray(0, Math.floor(truncated.length / 2))))
      // a zip cut in half never yields a whole read: an error or, at most, the rows before the cut
      if (Either.isRight(cut)) expect(cut.right.length).toBeLessThan(2)
    }))

  it.effect("files that are not CSV are skipped; a BOM is dropped; a TSV is read with tabs", () =>
    Effect.gen(function*() {
      const read = yield* rows(zip({ "readme.xlsx": "binary", "people.csv": "\uFEFFID,Name\r\n1,Ann\r\n", "people_extra.tsv": "ID\tName\n2\tBob\n" }))
      expect(read.map((r) => [r.file, r.values.get("ID"), r.values.get("Name")])).toEqual([["people.csv", "1", "Ann"], ["people_extra.tsv", "2", "Bob"]])
    }))

  it.effect("a large export streams: 50,000 rows in tiny pieces", () =>
    Effect.gen(function*() {
      const lines = ["ID,Person,Contact Protocol,Contact Label,Contact URI,Integration"]
      for (let i = 0; i < 50_000; i++) lines.push(`${i + 1},p${i}@example.com,telephone,work,\t+1212555${String(i).padStart(4, "0")},true`)
      const bytes = zip({ "people_contact_details.csv": lines.join("\r\n") })
      const count = yield* Export.readZip(pieces(bytes, 512)).pipe(
        Stream.map(Export.decodeContactDetail),
        Stream.filter(Either.isRight),
        Stream.runCount
      )
      expect(count).toBe(50_000)
    }))
})
