import { HttpClient, HttpClientRequest, HttpRouter, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as Loopback from "../src/Loopback.js"

const app = HttpRouter.empty.pipe(
  HttpRouter.get("/people", HttpServerResponse.unsafeJson({ ok: "people" })),
  HttpRouter.post("/people", HttpServerResponse.unsafeJson({ ok: "created" }, { status: 201 })),
  HttpRouter.get("/people/:id/contacts", HttpServerResponse.unsafeJson({ ok: "contacts" })),
  HttpRouter.get("/other", HttpServerResponse.unsafeJson({ ok: "other" }))
)

/** Sends a request; answers status + body text, or the failure's tag. */
const send = (server: Loopback.Server, method: "GET" | "POST", path: string) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const request = method === "GET" ? HttpClientRequest.get(`${server.url}${path}`) : HttpClientRequest.post(`${server.url}${path}`)
    const exit = yield* Effect.exit(Effect.flatMap(client.execute(request), (r) => Effect.map(r.text, (text) => ({ status: r.status, headers: r.headers, text }))))
    const answer: { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly text: string } = Exit.isSuccess(exit)
      ? exit.value
      : { status: 0, headers: {}, text: `failed: ${exit.cause.toString().slice(0, 40)}` }
    return answer
  })

describe("Loopback.serve", () => {
  it.scopedLive("serves the app on 127.0.0.1 on a free port", () =>
    Effect.gen(function*() {
      const a = yield* Loopback.serve(app)
      const b = yield* Loopback.serve(app)
      expect(a.url).toBe(`http://127.0.0.1:${a.port}`)
      expect(a.port).toBeGreaterThan(0)
      expect(a.port).not.toBe(b.port)
      const answer = yield* send(a, "GET", "/people")
      expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { ok: "people" }])
      expect((yield* send(a, "GET", "/nowhere")).status).toBe(404)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("the server stops with its scope", () =>
    Effect.gen(function*() {
      const server = yield* Effect.scoped(Loopback.serve(app))
      const answer = yield* send(server, "GET", "/people")
      expect(answer.status).toBe(0)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("Loopback faults", () => {
  it.scopedLive("Status answers with the status, JSON body and headers, then the real answer", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      yield* server.faults.inject({
        fault: { _tag: "Status", status: 429, body: { errorCode: "CMN-301" }, headers: { "retry-after": "60" } }
      })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 503 } })
      const limited = yield* send(server, "GET", "/people")
      expect(limited.status).toBe(429)
      expect(JSON.parse(limited.text)).toEqual({ errorCode: "CMN-301" })
      expect(limited.headers["retry-after"]).toBe("60")
      const down = yield* send(server, "GET", "/people")
      expect([down.status, down.text]).toEqual([503, ""])
      expect((yield* send(server, "GET", "/people")).status).toBe(200)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("Latency delays the real answer", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      yield* server.faults.inject({ fault: { _tag: "Latency", millis: 150 } })
      const start = Date.now()
      const answer = yield* send(server, "GET", "/people")
      expect(Date.now() - start).toBeGreaterThanOrEqual(145)
      expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { ok: "people" }])
      const fast = Date.now()
      yield* send(server, "GET", "/people")
      expect(Date.now() - fast).toBeLessThan(145)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("Reset closes the connection without an answer", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      yield* server.faults.inject({ fault: { _tag: "Reset" } })
      const client = yield* HttpClient.HttpClient
      const exit = yield* Effect.exit(client.get(`${server.url}/people`))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
        expect(exit.cause.error._tag).toBe("RequestError")
      }
      expect((yield* send(server, "GET", "/people")).status).toBe(200)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("Malformed answers 200 with a body that is not JSON (default or given)", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      yield* server.faults.inject({ fault: { _tag: "Malformed" } })
      yield* server.faults.inject({ fault: { _tag: "Malformed", body: "{\"a\": 1,}" } })
      const first = yield* send(server, "GET", "/people")
      expect(first.status).toBe(200)
      expect(first.headers["content-type"]).toContain("application/json")
      expect(() => JSON.parse(first.text)).toThrow()
      const second = yield* send(server, "GET", "/people")
      expect(second.text).toBe("{\"a\": 1,}")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("times and skip: let `skip` through, then fault `times`, then stop", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      yield* server.faults.inject({ fault: { _tag: "Status", status: 500 }, skip: 2, times: 3 })
      expect(yield* server.faults.pending).toBe(3)
      const statuses: Array<number> = []
      for (let i = 0; i < 7; i++) statuses.push((yield* send(server, "GET", "/people")).status)
      expect(statuses).toEqual([200, 200, 500, 500, 500, 200, 200])
      expect(yield* server.faults.pending).toBe(0)
      expect(yield* server.faults.injected).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("method and path (prefix or RegExp) select the requests; rules apply in order", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      yield* server.faults.inject({ fault: { _tag: "Status", status: 418 }, method: "post", path: "/people" })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 409 }, path: /^\/people\/\d+\/contacts$/ })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 502 }, path: "/people", times: 2 })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 504 }, path: "/people", times: 2 })
      expect((yield* send(server, "GET", "/other")).status).toBe(200)
      expect((yield* send(server, "GET", "/people/abc/contacts")).status).toBe(502) // the RegExp wants digits; the prefix matches
      expect((yield* send(server, "GET", "/people/7/contacts")).status).toBe(409)
      expect((yield* send(server, "POST", "/people")).status).toBe(418)
      expect((yield* send(server, "POST", "/people")).status).toBe(502)
      expect((yield* send(server, "GET", "/people")).status).toBe(504)
      expect((yield* send(server, "GET", "/people")).status).toBe(504)
      expect((yield* send(server, "POST", "/people")).status).toBe(201)
      expect(yield* server.faults.injected).toBe(6)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("clear drops every pending rule", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      yield* server.faults.inject({ fault: { _tag: "Status", status: 500 }, times: 100 })
      expect((yield* send(server, "GET", "/people")).status).toBe(500)
      expect(yield* server.faults.pending).toBe(99)
      yield* server.faults.clear
      expect(yield* server.faults.pending).toBe(0)
      expect((yield* send(server, "GET", "/people")).status).toBe(200)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("requests records every arrival with its fault, and a shared controller serves two servers", () =>
    Effect.gen(function*() {
      const faults = yield* Loopback.makeFaults
      const a = yield* Loopback.serve(app, { faults })
      const b = yield* Loopback.serve(app, { faults })
      expect(a.faults).toBe(faults)
      yield* faults.inject({ fault: { _tag: "Status", status: 503 }, times: 1 })
      yield* send(a, "GET", "/people")
      yield* send(b, "POST", "/people")
      yield* send(a, "GET", "/other")
      const seen = yield* faults.requests
      expect(seen.map(({ method, path, fault }) => ({ method, path, fault }))).toEqual([
        { method: "GET", path: "/people", fault: "Status" },
        { method: "POST", path: "/people", fault: undefined },
        { method: "GET", path: "/other", fault: undefined }
      ])
      expect(seen[1]!.atMillis).toBeGreaterThanOrEqual(seen[0]!.atMillis)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
