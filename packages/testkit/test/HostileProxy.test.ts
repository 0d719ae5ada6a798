import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as HostileProxy from "../src/HostileProxy.js"

/** A tiny target: `/page?n=N` answers a JSON page that links the next one by absolute URL. */
const target: Effect.Effect<{ readonly url: string; readonly hits: () => number }, never, Scope.Scope> = Effect.gen(function*() {
  let hits = 0
  let origin = ""
  const server = Http.createServer((request, response) => {
    hits++
    if (request.method === "POST") {
      // echoes the bytes it received
      const chunks: Array<Buffer> = []
      request.on("data", (c: Buffer) => chunks.push(c))
      request.on("end", () => {
        response.writeHead(200, { "Content-Type": "application/octet-stream" })
        response.end(Buffer.concat(chunks))
      })
      return
    }
    const url = new URL(request.url ?? "/", "http://x")
    const n = Number(url.searchParams.get("n") ?? "1")
    const body = JSON.stringify({
      records: [{ id: n * 10, name: "a", tags: ["x"] }, { id: n * 10 + 1, name: "b", nested: { size: 2 } }],
      paging: { page: n, totalPages: 3 },
      next: `${origin}/page?n=${n + 1}`,
      big: "__BIG__"
    }).replace("\"__BIG__\"", "8234962969801171948")
    response.writeHead(200, { "Content-Type": "application/json", "X-Total-Count": "6", Link: `<${origin}/page?n=${n + 1}>; rel="next"` })
    response.end(body)
  })
  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  )
  origin = `http://127.0.0.1:${port}`
  return { url: origin, hits: () => hits }
})

interface Got {
  readonly status: number
  readonly rawHeaders: ReadonlyArray<string>
  readonly body: string
}

const get = (url: string): Effect.Effect<Got, Error> =>
  Effect.async<Got, Error>((resume) => {
    const request = Http.get(url, { agent: false }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (c: Buffer) => chunks.push(c))
      response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, rawHeaders: response.rawHeaders, body: Buffer.concat(chunks).toString("utf8") })))
      response.on("error", (e) => resume(Effect.fail(e)))
      response.on("aborted", () => resume(Effect.fail(new Error("aborted"))))
    })
    request.on("error", (e) => resume(Effect.fail(e)))
  })

describe("HostileProxy", () => {
  it.scopedLive("forwards untouched, rewriting the target's origin to its own", () =>
    Effect.gen(function*() {
      const upstream = yield* target
      const proxy = yield* HostileProxy.make({ target: upstream.url })
      const got = yield* get(`${proxy.url}/page?n=1`)
      expect(got.status).toBe(200)
      expect(got.body).toContain(`"next":"${proxy.url}/page?n=2"`)
      expect(got.body).toContain("8234962969801171948")
      expect(got.rawHeaders).toContain(`<${proxy.url}/page?n=2>; rel="next"`)
      expect(proxy.through(`${upstream.url}/v1?x=1`)).toBe(`${proxy.url}/v1?x=1`)
      expect(yield* proxy.exchanges).toEqual([{ method: "GET", path: "/page", search: "?n=1", status: 200, rules: [], delivery: "Whole" }])
    }))

  it.scopedLive("binary bodies pass through untouched both ways", () =>
    Effect.gen(function*() {
      const upstream = yield* target
      const proxy = yield* HostileProxy.make({ target: upstream.url })
      const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256))
      const echoed = yield* Effect.promise(() =>
        fetch(`${proxy.url}/upload`, { method: "POST", body: bytes, headers: { "Content-Type": "image/png" } }).then((r) => r.arrayBuffer())
      )
      expect(Buffer.from(echoed).equals(bytes)).toBe(true)
    }))

  it.scopedLive("answers instead of the target, a given number of times after skipping some", () =>
    Effect.gen(function*() {
      const upstream = yield* target
      const proxy = yield* HostileProxy.make({ target: upstream.url })
      const handle = yield* proxy.add({
        name: "429",
        path: "/page",
        skip: 1,
        times: 2,
        respond: HostileProxy.answer(429, { json: { message: "Too Many Requests" }, headers: { "Retry-After": "2" } })
      })
      const statuses: Array<number> = []
      for (let i = 0; i < 4; i++) statuses.push((yield* get(`${proxy.url}/page`)).status)
      expect(statuses).toEqual([200, 429, 429, 200])
      expect(yield* handle.applied).toBe(2)
      expect(upstream.hits()).toBe(2)
      const empty = yield* proxy.add({ respond: HostileProxy.answer(200) })
      expect((yield* get(`${proxy.url}/page`)).body).toBe("")
      expect(yield* empty.applied).toBe(1)
    }))

  it.scopedLive("rewrites JSON: empty or cut arrays, set, remove, nulls, numbers as strings, headers", () =>
    Effect.gen(function*() {
      const upstream = yield* target
      const proxy = yield* HostileProxy.make({ target: upstream.url })
      const body = (rewrite: HostileProxy.Rewrite | ReadonlyArray<HostileProxy.Rewrite>) =>
        Effect.gen(function*() {
          yield* proxy.add({ rewrite })
          const got = yield* get(`${proxy.url}/page?n=1`)
          return { json: JSON.parse(got.body) as Record<string, unknown>, rawHeaders: got.rawHeaders }
        })
      expect((yield* body(HostileProxy.json(HostileProxy.emptyArray("records")))).json["records"]).toEqual([])
      expect((yield* body(HostileProxy.json(HostileProxy.truncateArray("records", 1)))).json["records"]).toHaveLength(1)
      expect((yield* body(HostileProxy.json(HostileProxy.set("paging.totalPages", 9)))).json["paging"]).toEqual({ page: 1, totalPages: 9 })
      expect((yield* body(HostileProxy.json(HostileProxy.remove("next")))).json["next"]).toBeUndefined()
      expect((yield* body(HostileProxy.json(HostileProxy.set("navigation.nextPage.uri", "x")))).json["navigation"]).toEqual({ nextPage: { uri: "x" } })
      const nulled = (yield* body(HostileProxy.json(HostileProxy.nulls({ keep: ["id", "records", "paging"] })))).json
      // array elements are not fields: they stay
      expect(nulled["records"]).toEqual([{ id: 10, name: null, tags: ["x"] }, { id: 11, name: null, nested: { size: null } }])
      expect(nulled["next"]).toBeNull()
      const containers = (yield* body(HostileProxy.json(HostileProxy.nulls({ keep: ["records", "id"], leaves: false })))).json
      expect(containers["records"]).toEqual([{ id: 10, name: null, tags: null }, { id: 11, name: null, nested: null }])
      const strings = (yield* body(HostileProxy.json(HostileProxy.numbersToStrings({ keep: ["id"] })))).json
      expect(strings["paging"]).toEqual({ page: "1", totalPages: "3" })
      expect((strings["records"] as Array<Record<string, unknown>>)[0]!["id"]).toBe(10)
      const headers = (yield* body([HostileProxy.header("x-total-count", "60"), HostileProxy.header("Link", undefined), HostileProxy.headerCase("upper")])).rawHeaders
      expect(headers).toContain("X-TOTAL-COUNT")
      expect(headers).toContain("60")
      expect(headers.map((h) => h.toLowerCase())).not.toContain("link")
      const mixed = (yield* body(HostileProxy.headerCase("mixed"))).rawHeaders
      expect(mixed).toContain("cOnTeNt-tYpE")
    }))

  it.scopedLive("cuts, stalls and resets deliveries", () =>
    Effect.gen(function*() {
      const upstream = yield* target
      const proxy = yield* HostileProxy.make({ target: upstream.url })
      yield* proxy.add({ delivery: { _tag: "Truncate", bytes: 20 } })
      const cut = yield* Effect.either(get(`${proxy.url}/page`))
      expect(cut._tag).toBe("Left")
      yield* proxy.add({ delivery: { _tag: "Stall", bytes: 20, millis: 50 } })
      const stalled = yield* Effect.either(get(`${proxy.url}/page`))
      expect(stalled._tag).toBe("Left")
      yield* proxy.add({ delivery: { _tag: "Reset" } })
      const reset = yield* Effect.either(get(`${proxy.url}/page`))
      expect(reset._tag).toBe("Left")
      expect((yield* get(`${proxy.url}/page`)).status).toBe(200)
      expect((yield* proxy.exchanges).map((e) => e.delivery)).toEqual(["Truncate", "Stall", "Reset", "Whole"])
    }))

  it.scopedLive("runs an operation after the target answered and before the answer is delivered", () =>
    Effect.gen(function*() {
      const upstream = yield* target
      const proxy = yield* HostileProxy.make({ target: upstream.url })
      const order: Array<string> = []
      yield* proxy.add({
        when: (request) => request.query.get("n") === "1",
        after: Effect.sync(() => {
          order.push(`after (target hits: ${upstream.hits()})`)
        })
      })
      yield* get(`${proxy.url}/page?n=1`)
      order.push("delivered")
      yield* get(`${proxy.url}/page?n=2`)
      expect(order).toEqual(["after (target hits: 1)", "delivered"])
    }))
})
