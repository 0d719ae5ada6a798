import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Liberal from "../src/Liberal.js"
import * as PagedRead from "../src/PagedRead.js"
import * as PeopleDirectory from "../src/PeopleDirectory.js"

interface FakePage {
  readonly records: ReadonlyArray<string>
  readonly totalElements?: number
  readonly totalPages?: number
  /** The page number the next link names; absent: no link; `undefined` entries use page numbers only. */
  readonly next?: number | null
}

/** A server of numbered pages: `answers(page, attempt)` gives what it says. */
const server = (perPage: number, answers: (page: number, attempt: number) => FakePage | "fail", links: boolean) => {
  const calls: Array<[number, number]> = []
  const read = PagedRead.make<string, number, string, never>({
    module: "test",
    method: "list",
    first: 1,
    key: (page) => `page=${page}`,
    numberOf: (page) => page,
    retryDelay: 0,
    retryable: (e) => e === "fail",
    fetch: (page, _number, attempt) =>
      Effect.suspend(() => {
        calls.push([page, attempt])
        const answer = answers(page, attempt)
        if (answer === "fail") return Effect.fail("fail")
        return Effect.succeed({
          items: answer.records,
          page: {
            records: answer.records.length,
            perPage,
            ...(answer.totalElements === undefined ? {} : { totalElements: answer.totalElements }),
            ...(answer.totalPages === undefined ? {} : { totalPages: answer.totalPages }),
            ...(links ? { hasNext: answer.next !== undefined && answer.next !== null } : {}),
            ids: answer.records
          },
          next: links ? (answer.next ?? undefined) : page + 1
        })
      })
  })
  return { read, calls }
}

const people = (from: number, count: number) => Array.from({ length: count }, (_, i) => `p${from + i}`)

const run = <E>(read: PagedRead.Read<string, E>) =>
  Effect.gen(function*() {
    const items = yield* Stream.runCollect(read.stream).pipe(Effect.either)
    const completeness = yield* read.completeness
    return { items: Either.map(items, Chunk.toReadonlyArray), completeness }
  })

describe("PagedRead", () => {
  it.effect("a consistent listing is read to its end and is complete", () =>
    Effect.gen(function*() {
      const { read, calls } = server(2, (page) => ({ records: people((page - 1) * 2, page < 3 ? 2 : 1), totalElements: 5, totalPages: 3 }), false)
      expect(yield* read.completeness).toEqual(PeopleDirectory.notRead)
      const { items, completeness } = yield* run(read)
      expect(items).toEqual(Either.right(people(0, 5)))
      expect(completeness).toMatchObject({ complete: true, records: 5, pages: 3, announced: 5 })
      expect(calls).toEqual([[1, 0], [2, 0], [3, 0]])
    }))

  it.effect("an empty page before the end is read again; a transient one costs one call", () =>
    Effect.gen(function*() {
      const { read, calls } = server(
        2,
        (page, attempt) => ({ records: page === 2 && attempt === 0 ? [] : people((page - 1) * 2, page < 3 ? 2 : 1), totalElements: 5 }),
        false
      )
      const { items, completeness } = yield* run(read)
      expect(items).toEqual(Either.right(people(0, 5)))
      expect(completeness.complete).toBe(true)
      expect(calls).toEqual([[1, 0], [2, 0], [2, 1], [3, 0]])
    }))

  it.effect("a page that stays empty while the link says more: read twice more, then followed, and the read is incomplete", () =>
    Effect.gen(function*() {
      const { read, calls } = server(2, (page) => ({ records: page === 2 ? [] : people((page - 1) * 2, 2), next: page < 3 ? page + 1 : null }), true)
      const { items, completeness } = yield* run(read)
      expect(items).toEqual(Either.right([...people(0, 2), ...people(4, 2)]))
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toContain("page 2 was empty before the end of the listing")
      expect(calls).toEqual([[1, 0], [2, 0], [2, 1], [2, 2], [3, 0]])
    }))

  it.effect("an empty first page is read once more even when nothing more is announced", () =>
    Effect.gen(function*() {
      const { read, calls } = server(2, () => ({ records: [], totalElements: 0, totalPages: 0 }), false)
      const { completeness } = yield* run(read)
      expect(calls).toEqual([[1, 0], [1, 1], [1, 2]])
      // consistent: the plausibility of an empty directory is the sync's to judge
      expect(completeness).toMatchObject({ complete: true, records: 0 })
    }))

  it.effect("a link to a page already read stops the read with an issue", () =>
    Effect.gen(function*() {
      const { read, calls } = server(2, (page) => ({ records: people((page - 1) * 2, 2), next: 2 }), true)
      const { items, completeness } = yield* run(read)
      expect(items).toEqual(Either.right(people(0, 4)))
      expect(calls).toEqual([[1, 0], [2, 0]])
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toContain("page 2 links to a page already read (page=2): the read stopped there")
    }))

  it.effect("pages that never end stop at the announced count plus slack", () =>
    Effect.gen(function*() {
      const { read } = server(2, (page) => ({ records: people((page - 1) * 2, 2), totalPages: 3, totalElements: 6, next: page + 1 }), true)
      const { completeness } = yield* run(read)
      expect(completeness.pages).toBe(PagedRead.bound(3))
      expect(completeness.complete).toBe(false)
      expect(completeness.issues).toContain("the listing did not end after 5 pages although 3 were announced: the read stopped there")
    }))

  it.effect("without totals, maxPages bounds the read", () =>
    Effect.gen(function*() {
      const read = PagedRead.make<number, number, never, never>({
        module: "test",
        method: "list",
        first: 1,
        key: String,
        maxPages: 7,
        fetch: (page) => Effect.succeed({ items: [page], page: { records: 1, perPage: 1, hasNext: true }, next: page + 1 })
      })
      expect(yield* Stream.runCount(read.stream)).toBe(7)
      expect((yield* read.completeness).issues).toEqual(["the listing did not end after 7 pages: the read stopped there"])
    }))

  it.effect("a retryable failure is read again; one that stays fails the stream and says where it stopped", () =>
    Effect.gen(function*() {
      const transient = server(2, (page, attempt) => page === 2 && attempt === 0 ? "fail" : { records: people((page - 1) * 2, page < 2 ? 2 : 1) }, false)
      const once = yield* run(transient.read)
      expect(once.items).toEqual(Either.right(people(0, 3)))
      expect(once.completeness.complete).toBe(true)
      const lasting = server(2, (page) => page === 2 ? "fail" : { records: people(0, 2) }, false)
      const failed = yield* run(lasting.read)
      expect(failed.items).toEqual(Either.left("fail"))
      expect(lasting.calls).toEqual([[1, 0], [2, 0], [2, 1], [2, 2]])
      expect(failed.completeness).toMatchObject({ complete: false, issues: ["page 2 could not be read: fail"], pages: 1 })
    }))

  it.effect("a run that does not reach its end leaves the completeness at notRead", () =>
    Effect.gen(function*() {
      const { read } = server(2, (page) => ({ records: page <= 3 ? people((page - 1) * 2, 2) : [], totalElements: 6 }), false)
      yield* run(read)
      expect((yield* read.completeness).complete).toBe(true)
      yield* Stream.runCollect(Stream.take(read.stream, 1))
      expect(yield* read.completeness).toEqual(PeopleDirectory.notRead)
    }))

  it("decodeRecords skips a bad record and says where and why", () => {
    const decode = PagedRead.decodeRecords(Schema.Struct({ id: Schema.String, phones: Schema.Array(Schema.String) }), {
      module: "m",
      method: "list",
      page: 3,
      field: "records"
    })
    const result = decode([{ id: "a", phones: [] }, { id: 7, phones: [] }, { id: "c", phones: ["+1", 2] }, "..."])
    expect(result.items).toEqual([{ id: "a", phones: [] }])
    expect(result.ids).toEqual(["a", "7", "c"])
    expect(result.count).toBe(4)
    expect(result.unreadable).toEqual([
      { remoteId: "7", path: "page 3, records[1].id", reason: "Expected string, actual 7" },
      { remoteId: "c", path: "page 3, records[2].phones[1]", reason: "Expected string, actual 2" },
      { path: "page 3, records[3]", reason: expect.stringContaining("Expected { readonly id: string") }
    ])
    const bare = PagedRead.decodeRecords(Schema.String, { module: "m", method: "list", page: 1 })([1])
    expect(bare.unreadable[0]?.path).toBe("page 1, [0]")
    // optional fields: the issue of the value, not of the field's alternatives or its parents
    const liberal = PagedRead.decodeRecords(
      Schema.Struct({ id: Schema.String, phones: Liberal.optional(Schema.Array(Schema.Struct({ number: Liberal.optional(Schema.String) }))) }),
      { module: "m", method: "list", page: 2, field: "records" }
    )([{ id: "x", phones: [{ number: 12 }, { number: true }] }])
    expect(liberal.unreadable).toEqual([{ remoteId: "x", path: "page 2, records[0].phones[0].number", reason: "Expected string, actual 12 (and 1 more)" }])
  })

  it.effect("a server that answers page 1 for every page: stops at page 2, which delivers nothing twice", () =>
    Effect.gen(function*() {
      const { read, calls } = server(2, () => ({ records: people(0, 2), next: 2 }), true)
      const { items, completeness } = yield* run(read)
      expect(items).toEqual(Either.right(people(0, 2)))
      expect(completeness.complete).toBe(false)
      expect(completeness.issues.join(" ")).toMatch(/page 2 repeats records already read \(2 of 2\)/)
      expect(calls.map(([page]) => page)).toEqual([1, 2])
    }))

  it.effect("a page that mixes new and repeated records is not a repeat: the read goes on (and is incomplete)", () =>
    Effect.gen(function*() {
      const { read } = server(2, (page) => ({ records: page === 1 ? people(0, 2) : page === 2 ? ["p1", "p2"] : ["p3"] }), false)
      const { items, completeness } = yield* run(read)
      expect(items).toEqual(Either.right(["p0", "p1", "p1", "p2", "p3"]))
      expect(completeness.complete).toBe(false)
      expect(completeness.issues.join(" ")).toMatch(/appeared twice/)
    }))

  it.effect("empty pages that go on linking to more: three in a row end the read, each read again first", () =>
    Effect.gen(function*() {
      let next = 2
      const { read, calls } = server(2, (page) => page === 1 ? { records: people(0, 2), next: next++ } : { records: [], next: next++ }, true)
      const { items, completeness } = yield* run(read)
      expect(items).toEqual(Either.right(people(0, 2)))
      expect(completeness.complete).toBe(false)
      expect(completeness.issues.join(" ")).toMatch(/3 pages in a row up to page \d+ were empty/)
      // pages 2, 3 and 4, each with two re-reads
      expect(calls.length).toBe(1 + 3 * 3)
    }))

  describe("undecoded pages", () => {
    const Record = Schema.Struct({ id: Schema.String, name: Schema.String })
    type Record = typeof Record.Type

    /** Pages of raw records (read by number, the last one short), decoded as the stream is pulled. */
    const lazyServer = (pages: ReadonlyArray<ReadonlyArray<unknown>>, options: { readonly loopAt?: number; readonly chunkSize?: number } = {}) => {
      const decoded: Array<readonly [number, number, number]> = []
      const read = PagedRead.make<Record, number, string, never>({
        module: "test",
        method: "list",
        first: 1,
        key: (page) => `page=${page}`,
        numberOf: (page) => page,
        retryDelay: 0,
        chunkSize: options.chunkSize ?? 3,
        fetch: (page) =>
          Effect.sync(() => {
            const records = pages[page - 1] ?? []
            const decode = PagedRead.decodeRecords(Record, { module: "test", method: "list", page, field: "records" })
            const last = page === pages.length && options.loopAt === undefined
            return {
              items: PagedRead.undecoded(records, (all, from, to) => {
                decoded.push([page, from, to])
                return decode(all, from, to)
              }),
              page: { records: records.length, perPage: 5, hasNext: !last, ids: records.flatMap((r) => Liberal.idOf(r) ?? []) },
              next: page === pages.length ? options.loopAt : page + 1
            }
          })
      })
      return { read, decoded }
    }

    const record = (i: number) => ({ id: `p${i}`, name: `n${i}` })

    it.effect("records are decoded a chunk at a time as the stream is pulled; an unreadable one is logged and listed with its id", () =>
      Effect.gen(function*() {
        const page1 = [record(0), record(1), record(2), { id: "p3", name: 7 }, record(4)]
        const { read, decoded } = lazyServer([page1, [record(5), "not a record"]])
        // the first chunk only
        expect(yield* Stream.runCollect(Stream.take(read.stream, 2))).toEqual(Chunk.make(record(0), record(1)))
        expect(decoded).toEqual([[1, 0, 3]])
        decoded.length = 0
        const chunks = yield* Stream.runCollect(Stream.chunks(read.stream))
        expect(Chunk.toReadonlyArray(chunks).map(Chunk.toReadonlyArray)).toEqual([
          [record(0), record(1), record(2)],
          [record(4)],
          [record(5)]
        ])
        expect(decoded).toEqual([[1, 0, 3], [1, 3, 5], [2, 0, 2]])
        const completeness = yield* read.completeness
        expect(completeness).toMatchObject({ complete: false, records: 7, pages: 2 })
        expect(completeness.unreadable).toEqual([
          { remoteId: "p3", path: "page 1, records[3].name", reason: "Expected string, actual 7" },
          { path: "page 2, records[1]", reason: expect.stringContaining("Expected { readonly id: string") }
        ])
        expect(completeness.issues).toEqual([
          `a record could not be read and has no id (page 2, records[1]: ${completeness.unreadable[1]?.reason})`
        ])
      }))

    it.effect("the caller's array of records is left as it was", () =>
      Effect.gen(function*() {
        const page1 = [record(0), record(1), record(2), record(3)]
        const copy = [...page1]
        const { read } = lazyServer([page1])
        expect(Chunk.toReadonlyArray(yield* Stream.runCollect(read.stream))).toEqual(copy)
        expect(page1).toEqual(copy)
      }))

    it.effect("a page the read stops at is decoded before the reason it stopped is recorded", () =>
      Effect.gen(function*() {
        // page 2 links back to page 1
        const { read } = lazyServer([[record(0), record(1), record(2), record(3), record(4)], [record(5), 42, record(7)]], { loopAt: 1 })
        const items = Chunk.toReadonlyArray(yield* Stream.runCollect(read.stream))
        expect(items).toEqual([0, 1, 2, 3, 4, 5, 7].map(record))
        const completeness = yield* read.completeness
        expect(completeness.unreadable.map((u) => u.path)).toEqual(["page 2, records[1]"])
        expect(completeness.issues).toEqual([
          `a record could not be read and has no id (page 2, records[1]: ${completeness.unreadable[0]?.reason})`,
          "page 2 links to a page already read (page=1): the read stopped there"
        ])
      }))
  })

  it("decodeRecords decodes a part of a page, its paths the page's indices", () => {
    const decode = PagedRead.decodeRecords(Schema.Struct({ id: Schema.String }), { module: "m", method: "list", page: 4, field: "records" })
    const result = decode([{ id: "a" }, { id: "b" }, { id: 3 }, { id: "d" }], 1, 3)
    expect(result).toEqual({
      items: [{ id: "b" }],
      unreadable: [{ remoteId: "3", path: "page 4, records[2].id", reason: "Expected string, actual 3" }],
      ids: ["b", "3"],
      count: 2
    })
  })
})
