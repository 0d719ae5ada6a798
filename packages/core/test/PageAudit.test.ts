import { describe, expect, it } from "@effect/vitest"
import * as PageAudit from "../src/PageAudit.js"

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => `id-${from + i}`)

describe("PageAudit", () => {
  it("a consistent read is complete", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 3, perPage: 3, pageStart: 0, totalElements: 7, totalPages: 3, ids: ids(0, 3) })
    audit.page({ number: 2, records: 3, perPage: 3, pageStart: 3, totalElements: 7, totalPages: 3, ids: ids(3, 3) })
    audit.page({ number: 3, records: 1, perPage: 3, pageStart: 6, totalElements: 7, totalPages: 3, ids: ids(6, 1) })
    expect(audit.finish()).toEqual({ complete: true, issues: [], records: 7, pages: 3, announced: 7, unreadable: [] })
  })

  it("without totals, a short last page ends a complete read", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 2, perPage: 2 })
    expect(PageAudit.isLast({ number: 1, records: 2, perPage: 2 })).toBe(false)
    audit.page({ number: 2, records: 1, perPage: 2 })
    expect(PageAudit.isLast({ number: 2, records: 1, perPage: 2 })).toBe(true)
    expect(audit.finish().complete).toBe(true)
  })

  it("an empty first page when the last complete read had people is complete as far as paging goes (plausibility is the sync's)", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 0, perPage: 100, totalElements: 0, totalPages: 0 })
    expect(audit.finish().complete).toBe(true)
  })

  it("an empty page before the announced end is an issue", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 2, perPage: 2, totalPages: 3, totalElements: 6 })
    audit.page({ number: 2, records: 0, perPage: 2, totalPages: 3, totalElements: 6 })
    const result = audit.finish()
    expect(result.complete).toBe(false)
    expect(result.issues).toContain("the read ended at page 2 of 3 announced")
    expect(result.issues).toContain("2 records were read, 6 announced")
  })

  it("an empty page while the server links a next one is an issue", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 0, perPage: 2, hasNext: true })
    audit.page({ number: 2, records: 1, perPage: 2, hasNext: false })
    expect(audit.finish().issues).toEqual(["page 1 was empty before the end of the listing"])
  })

  it("a short page before the end is an issue", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 1, perPage: 2, totalPages: 2 })
    audit.page({ number: 2, records: 2, perPage: 2, totalPages: 2 })
    expect(audit.finish().issues).toEqual(["page 1 had 1 of 2 records before the end of the listing"])
  })

  it("totals that change during the read (someone left between pages) are an issue", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 2, perPage: 2, totalElements: 5, totalPages: 3, pageStart: 0 })
    audit.page({ number: 2, records: 2, perPage: 2, totalElements: 4, totalPages: 2, pageStart: 2 })
    const result = audit.finish()
    expect(result.complete).toBe(false)
    expect(result.issues[0]).toMatch(/total changed from 5 to 4/)
    expect(result.issues[1]).toMatch(/page count changed from 3 to 2/)
  })

  it("a read that stops before the announced end, or against the server's next link, is an issue", () => {
    const byTotals = PageAudit.make()
    byTotals.page({ number: 1, records: 2, perPage: 2, totalPages: 4, hasNext: false })
    expect(byTotals.finish().issues).toEqual(["the read ended at page 1 of 4 announced"])
    const byLink = PageAudit.make()
    byLink.page({ number: 1, records: 2, perPage: 2, hasNext: true })
    expect(byLink.finish().issues).toEqual(["the read stopped at page 1 although the server links a next page"])
  })

  it("fewer records than announced is an issue, even when the page count agrees", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 2, perPage: 2, totalElements: 5, totalPages: 2 })
    audit.page({ number: 2, records: 2, perPage: 2, totalElements: 5, totalPages: 2 })
    expect(audit.finish().issues).toEqual(["4 records were read, 5 announced"])
  })

  it("repeated ids and misplaced pages are issues", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 2, perPage: 2, pageStart: 0, ids: ["a", "b"], hasNext: true })
    audit.page({ number: 2, records: 2, perPage: 2, pageStart: 1, page: 2, ids: ["b", "c"], hasNext: false })
    const result = audit.finish()
    expect(result.issues).toEqual([
      "page 2 starts at record 1, expected 2",
      "1 record(s) appeared twice (b): the pages shifted during the read"
    ])
  })

  it("repeated ids are found among many numeric and other ids, each id compared exactly", () => {
    const audit = PageAudit.make()
    const perPage = 2000
    const pages = 60
    for (let n = 1; n <= pages; n++) {
      const ids = Array.from({ length: perPage }, (_, i) => String(400_000_000 + (n - 1) * perPage + i))
      audit.page({ number: n, records: perPage, perPage, ids, hasNext: true })
    }
    // ids that look alike as numbers but are different ids, and real repeats of each kind
    audit.page({
      number: pages + 1,
      records: 9,
      perPage,
      ids: ["0400000000", "400000000.0", "+400000000", "4e8", "9007199254740993", "9007199254740993", "abc", "abc", "400000123"],
      hasNext: false
    })
    expect(audit.finish().issues).toEqual([
      "3 record(s) appeared twice (9007199254740993, abc, 400000123): the pages shifted during the read"
    ])
  })

  it("unreadable records are reported; one without an id makes the read incomplete", () => {
    const withId = PageAudit.make()
    withId.page({ number: 1, records: 2, perPage: 5, unreadable: [{ remoteId: "7", path: "records[1].id", reason: "bad" }] })
    const a = withId.finish()
    expect(a.complete).toBe(true)
    expect(a.unreadable).toEqual([{ remoteId: "7", path: "records[1].id", reason: "bad" }])
    const withoutId = PageAudit.make()
    withoutId.page({ number: 1, records: 2, perPage: 5, unreadable: [{ path: "records[1]", reason: "not an object" }] })
    expect(withoutId.finish().issues).toEqual(["a record could not be read and has no id (records[1]: not an object)"])
  })

  it("unreadable records found after their page was recorded are reported as if they had come with it", () => {
    const later = PageAudit.make()
    later.page({ number: 1, records: 2, perPage: 5, ids: ["1", "7"] })
    later.unreadable([{ remoteId: "7", path: "records[1].id", reason: "bad" }])
    later.unreadable([{ path: "records[2]", reason: "not an object" }])
    const withPage = PageAudit.make()
    withPage.page({
      number: 1,
      records: 2,
      perPage: 5,
      ids: ["1", "7"],
      unreadable: [{ remoteId: "7", path: "records[1].id", reason: "bad" }, { path: "records[2]", reason: "not an object" }]
    })
    const expected = withPage.finish()
    expect(later.finish()).toEqual(expected)
    // the read is over: nothing more is recorded
    later.unreadable([{ path: "records[3]", reason: "late" }])
    expect(later.finish()).toEqual(expected)
  })

  it("a read stopped early says why and no end checks pile up; no page read is an issue", () => {
    const audit = PageAudit.make()
    audit.page({ number: 1, records: 2, perPage: 2, totalPages: 9 })
    audit.stopped("the listing failed at page 2: HTTP 503")
    expect(audit.finish().issues).toEqual(["the listing failed at page 2: HTTP 503"])
    expect(PageAudit.make().finish().issues).toEqual(["no page was read"])
  })
})
