import { describe, expect, it } from "@effect/vitest"
import * as PagedRead from "@unified-people/core/PagedRead"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as fc from "fast-check"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Directory from "../src/Directory.js"
import * as Entry from "../src/Directory/Entry.js"
import * as DirectorySchema from "../src/Directory/Schema.js"
import * as Mapping from "../src/Mapping.js"

const fixture = (name: string): unknown => JSON.parse(Fs.readFileSync(Path.join(__dirname, "fixtures", name), "utf8"))

const viaStruct = Schema.decodeUnknownEither(Entry.MappedEntryStruct, { errors: "all", onExcessProperty: "ignore" })
const viaEntry = Schema.decodeUnknownEither(Entry.MappedEntry, { errors: "all", onExcessProperty: "ignore" })
const viaFull = Schema.decodeUnknownSync(DirectorySchema.ContactResource, { onExcessProperty: "ignore" })

/** JSON-shaped values of every kind, some of them of the wrong type for a field. */
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant([{}]),
  fc.constant([null])
)
const maybe = <A>(arb: fc.Arbitrary<A>) => fc.option(fc.oneof(arb, anyJson), { nil: undefined })
const phone = fc.record({
  phoneNumber: maybe(fc.constantFrom("+16505550100", " +1 (650) 555-0101 ", "")),
  e164: maybe(fc.constant("+16505550102")),
  type: maybe(fc.constantFrom("VoiceOnly", "FaxOnly", "VoiceFax", "toString")),
  usageType: maybe(fc.constantFrom("DirectNumber", "MainCompanyNumber", "ELIN", "Mystery")),
  primary: maybe(fc.boolean()),
  smsAvailabilityStatus: maybe(fc.constantFrom("Active", "Inactive")),
  hidden: maybe(fc.boolean())
}, { requiredKeys: [] })
const entry = fc.record({
  id: fc.oneof(fc.constantFrom("871817004", "42"), fc.integer({ min: 1, max: 2 ** 40 }), anyJson),
  type: maybe(fc.constantFrom("User", "Department", "Robot")),
  status: maybe(fc.constantFrom("Enabled", "Disabled")),
  firstName: maybe(fc.constantFrom("Ada", " ", "Zoë")),
  lastName: maybe(fc.constantFrom("Lovelace", "")),
  name: maybe(fc.constant("Main Line")),
  email: maybe(fc.constantFrom("Ada@Example.com", "not an address")),
  jobTitle: maybe(fc.constant("Engineer")),
  department: maybe(fc.constant("R&D")),
  extensionNumber: maybe(fc.constant("101")),
  account: maybe(fc.record({ id: fc.oneof(fc.constant("1"), fc.integer(), anyJson), companyName: maybe(fc.constant("Example")) }, { requiredKeys: [] })),
  site: maybe(fc.record({ id: maybe(fc.oneof(fc.constant("s1"), fc.integer())), name: maybe(fc.constant("HQ")), code: maybe(fc.constant("1")) }, { requiredKeys: [] })),
  profileImage: maybe(fc.record({ uri: maybe(fc.constant("https://x/p.png")), etag: maybe(fc.constant("e1")) }, { requiredKeys: [] })),
  phoneNumbers: maybe(fc.array(fc.oneof(phone, anyJson), { maxLength: 3 })),
  customFields: maybe(fc.array(fc.oneof(fc.record({ id: maybe(fc.oneof(fc.constant("c1"), fc.integer())), name: maybe(fc.constant("costCenter")), value: maybe(fc.constant("CC-1")) }, { requiredKeys: [] }), anyJson), { maxLength: 2 })),
  hidden: maybe(fc.boolean())
}, { requiredKeys: [] })

describe("Directory/Entry", () => {
  it("decodes every entry exactly as the struct of the same fields, and fails where it fails", () => {
    fc.assert(
      fc.property(fc.oneof(entry, anyJson), (input) => {
        const expected = viaStruct(input)
        const actual = viaEntry(input)
        expect(actual._tag).toBe(expected._tag)
        if (Either.isRight(expected) && Either.isRight(actual)) expect(actual.right).toStrictEqual(expected.right)
        // the fast check never accepts what the struct refuses
        if (Either.isLeft(expected)) expect(Entry.decodeFast(input)).toBeUndefined()
      }),
      { numRuns: 3000 }
    )
  })

  it("maps the sample directory entries to the same Person as the full DTO", () => {
    const list = fixture("directory-entries-list.json") as { records: ReadonlyArray<unknown> }
    const samples = [...list.records, fixture("directory-entry.json")]
    expect(samples.length).toBeGreaterThan(1)
    const readAt = new Date("2026-01-01T00:00:00Z")
    for (const sample of samples) {
      const lean = Schema.decodeUnknownSync(Entry.MappedEntry)(sample)
      expect(Entry.decodeFast(sample)).toBeDefined()
      expect(Mapping.toPerson(lean, { readAt })).toStrictEqual(Directory.toPerson(viaFull(sample), { readAt }))
    }
  })

  it("maps generated entries to the same Person as the full DTO", () => {
    fc.assert(
      fc.property(entry, (input) => {
        const lean = viaEntry(input)
        if (Either.isLeft(lean)) return
        let full: DirectorySchema.ContactResource
        try {
          full = viaFull(input)
        } catch {
          // a field the mapping does not read is malformed: only the lean read maps it
          return
        }
        expect(Mapping.toPerson(lean.right)).toStrictEqual(Directory.toPerson(full))
      }),
      { numRuns: 2000 }
    )
  })

  it("a malformed entry in a page is skipped and reported with the struct's path and reason", () => {
    const decode = PagedRead.decodeRecords(Entry.MappedEntry, { module: "ringcentral", method: "listDirectoryEntries", page: 3, field: "records" })
    const page = decode([
      { id: 1, firstName: "Ada", phoneNumbers: [{ phoneNumber: "+16505550100", usageType: "DirectNumber" }] },
      { id: "2", firstName: 7 },
      { id: "3", phoneNumbers: [{ primary: "yes" }] },
      null,
      { id: "4", hidden: "not a boolean", email: "x@example.com" }
    ])
    expect(page.items.map((e) => e.id)).toEqual(["1", "4"])
    expect(page.unreadable).toEqual([
      { remoteId: "2", path: "page 3, records[1].firstName", reason: expect.stringContaining("Expected string") },
      { remoteId: "3", path: "page 3, records[2].phoneNumbers[0].primary", reason: expect.stringContaining("Expected boolean") },
      { path: "page 3, records[3]", reason: expect.any(String) }
    ])
  })
})
