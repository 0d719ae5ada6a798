import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Link from "../src/Link.js"
import { fixture } from "./utils.js"

/** The `Link` headers of each `## [X]` block of the sample, continuation lines joined. */
const blocks = (): Record<string, Array<string>> => {
  const out: Record<string, Array<string>> = {}
  let block = ""
  let current: string | undefined
  for (const line of fixture("link-header-examples.txt").split("\n")) {
    const heading = /^## \[([A-Z])\]/.exec(line)
    if (heading !== null) {
      block = heading[1]!
      current = undefined
      continue
    }
    if (/^link:/i.test(line)) {
      current = line.replace(/^link:\s*/i, "")
      ;(out[block] ??= []).push(current)
    } else if (current !== undefined && /^\s*</.test(line)) {
      const list = out[block]!
      list[list.length - 1] = `${list[list.length - 1]}${line}`
    } else {
      current = undefined
    }
  }
  return out
}

describe("Link", () => {
  const samples = blocks()

  it("finds every block of the sample", () => {
    expect(Object.keys(samples).sort()).toEqual(["A", "B", "C", "D", "E", "F", "G"])
    expect(samples["F"]).toHaveLength(2)
  })

  it("[A] cursor form with lower-case header names and line breaks", () => {
    const links = Link.parse(samples["A"]!)
    expect(links.map((l) => l.rels[0])).toEqual(["first", "prev", "next"])
    expect(Link.next(samples["A"]!)).toBe("https://api.xurrent.com/v1/requests?per_page=25&search_after=eyJvZmZzZXQiOjUsImN1cnNvciIx")
    expect(Link.find(samples["A"]!, "last")).toBeUndefined()
  })

  it("[B] legacy page form with rel=last", () => {
    expect(Link.next(samples["B"]!)).toBe("https://api.4me.com/v1/requests?page=4&per_page=25")
    expect(Link.find(samples["B"]!, "last")).toBe("https://api.4me.com/v1/requests?page=10&per_page=25")
    expect(Link.find(samples["B"]!, "prev")).toBe("https://api.4me.com/v1/requests?page=2&per_page=25")
  })

  it("[C] keeps a URL-encoded cursor verbatim", () => {
    expect(Link.next(samples["C"]!)).toBe(
      "https://api.4me-qa.mos.ru/v1/requests?search_after=eyJvZmZzZXQiOjE5LCJjdXJzb3IiOlszNjU5NDldfQ%3D%3D"
    )
  })

  it("[D] keeps parameters that follow the cursor", () => {
    expect(Link.next(samples["D"]!)).toMatch(/^https:\/\/api\.4me-qa\.mos\.ru\/v1\/cis\?search_after=[^&]+&status=in_production$/)
  })

  it("[E] an integer cursor", () => {
    expect(Link.next(samples["E"]!)).toBe("https://api.4me-dev.mos.ru/v1/product_categories?search_after=2")
  })

  it("[F] no space after the commas; a last page without next", () => {
    const [first, second] = samples["F"]!
    expect(Link.parse(first!).map((l) => l.rels[0])).toEqual(["first", "next", "last"])
    expect(Link.next(first!)).toBe("https://api.4me.com/v1/requests?page=2&per_page=2")
    expect(Link.next(second!)).toBeUndefined()
    expect(Link.find(second!, "prev")).toBe("https://api.4me.com/v1/requests?page=1&per_page=2")
  })

  it("[G] a comma inside <…> does not split the header", () => {
    expect(Link.next(samples["G"]!)).toBe("https://example.test/api/people?filter=a,b")
    expect(Link.find(samples["G"]!, "first")).toBe("https://example.test/api/people?page=1")
  })

  it("reads several rels, unquoted values, odd case and garbage without throwing", () => {
    const links = Link.parse("<https://x.test/a>; REL=\"Next Last\"; title=\"a, b; c\", <https://x.test/b>;rel=prev , junk, <")
    expect(links).toEqual([
      { uri: "https://x.test/a", rels: ["next", "last"], params: { rel: "Next Last", title: "a, b; c" } },
      { uri: "https://x.test/b", rels: ["prev"], params: { rel: "prev" } }
    ])
    expect(Link.parse(undefined)).toEqual([])
    expect(Link.parse("")).toEqual([])
    expect(Link.next("not a link header")).toBeUndefined()
  })

  it("parses what it formats, whatever the URIs contain", () => {
    const uri = fc.webUrl({ withQueryParameters: true, withFragments: true }).map((u) => u.replace(/[<>]/g, ""))
    const rel = fc.constantFrom("next", "prev", "first", "last")
    fc.assert(
      fc.property(fc.array(fc.record({ uri, rel }), { maxLength: 5 }), (links) => {
        const parsed = Link.parse(Link.format(links))
        expect(parsed.map((l) => ({ uri: l.uri, rel: l.rels[0] }))).toEqual(links)
      })
    )
  })
})
