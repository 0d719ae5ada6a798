import { HttpClientRequest, HttpRouter, HttpServerResponse } from "@effect/platform"
import type * as Headers from "@effect/platform/Headers"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Exit, Schema, Stream } from "effect"
import * as HttpPolicy from "../src/HttpPolicy.js"
import * as PeopleError from "../src/PeopleError.js"
import * as RateLimiter from "../src/RateLimiter.js"
import * as Testing from "../src/Testing.js"

const Items = Schema.Struct({ records: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.optional(Schema.String) })) })

const app = HttpRouter.empty.pipe(
  HttpRouter.get("/items", HttpServerResponse.unsafeJson({ records: [{ id: "1", name: "a" }, { id: "2" }] })),
  HttpRouter.post("/items", HttpServerResponse.unsafeJson({ id: "3" }, { status: 201 })),
  HttpRouter.get("/bad", HttpServerResponse.unsafeJson({ records: [{ id: "1" }, { id: 2 }, { name: "x" }] })),
  HttpRouter.get(
    "/stalled",
    // headers and the start of the body at once, the rest much later
    HttpServerResponse.stream(
      Stream.concat(
        Stream.make(new TextEncoder().encode("{\"records\": [")),
        Stream.fromEffect(Effect.as(Effect.sleep("2 seconds"), new TextEncoder().encode("]}")))
      ),
      { contentType: "application/json" }
    )
  ),
  HttpRouter.get("/missing", HttpServerResponse.unsafeJson({ message: "Not found" }, { status: 404 })),
  HttpRouter.get(
    "/quota",
    HttpServerResponse.unsafeJson({ records: [] }, {
      headers: { "x-rate-limit-group": "light", "x-rate-limit-limit": "5", "x-rate-limit-remaining": "0", "x-rate-limit-window": "0.4" }
    })
  )
)

/** The error mapper an adapter would write, on top of `fromStatus`. */
const toError: HttpPolicy.Options["toError"] = (response, ctx) =>
  Effect.succeed(
    PeopleError.fromStatus(ctx, {
      status: response.status,
      reason: `HTTP ${response.status}`,
      retryAfterMillis: ctx.retryAfterMillis,
      bucket: ctx.bucket
    })
  )

/** A RingCentral-style header reader. */
const observe = (headers: Headers.Headers): HttpPolicy.HeaderObservation | undefined => {
  const remaining = headers["x-rate-limit-remaining"]
  if (remaining === undefined) return undefined
  return {
    bucket: headers["x-rate-limit-group"],
    limit: Number(headers["x-rate-limit-limit"]),
    remaining: Number(remaining),
    windowMillis: Number(headers["x-rate-limit-window"]) * 1000
  }
}

const setup = (options: { readonly retry?: HttpPolicy.RetryOptions; readonly timeout?: Duration.DurationInput; readonly observe?: HttpPolicy.Options["observe"] } = {}) =>
  Effect.gen(function*() {
    const server = yield* Testing.serve(app)
    const limiter = yield* RateLimiter.make({ buckets: { light: { windows: [{ limit: 100, window: "1 minute" }] } } })
    const policy = yield* HttpPolicy.make({
      module: "test",
      limiter,
      retry: options.retry ?? { base: "20 millis", times: 5 },
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.observe === undefined ? {} : { observe: options.observe }),
      toError
    })
    const get = (path: string) => policy.execute(HttpClientRequest.get(`${server.url}${path}`), { method: `get${path}`, bucket: "light" })
    const arrivals = (path: string) => Effect.map(server.faults.requests, (all) => all.filter((r) => r.path === path))
    return { server, limiter, policy, get, arrivals }
  })

const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((t, i) => t - times[i]!)

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (error === undefined) throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
  return error
}

describe("HttpPolicy.execute against a loopback server", () => {
  it.scopedLive("429 with Retry-After: 1, then success: one retry, sent only after the penalty", () =>
    Effect.gen(function*() {
      const { server, get, policy, arrivals, limiter } = yield* setup()
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "1" } }, path: "/items" })
      const body = yield* Effect.flatMap(get("/items"), HttpPolicy.decodeJson(Items, { module: "test", method: "list" }))
      expect(body.records.map((r) => r.id)).toEqual(["1", "2"])
      const seen = yield* arrivals("/items")
      expect(seen.map((r) => r.fault)).toEqual(["Status", undefined])
      expect(seen[1]!.atMillis - seen[0]!.atMillis).toBeGreaterThanOrEqual(990)
      expect(seen[1]!.atMillis - seen[0]!.atMillis).toBeLessThan(1800)
      const stats = yield* policy.stats
      expect(stats.attempts).toBe(2)
      expect(stats.retries).toBe(1)
      expect(stats.failures).toBe(0)
      expect(stats.limiter.penalties).toBe(1)
      expect((yield* limiter.stats).buckets["light"]!.waits).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("during a penalty no other call in the bucket is sent either", () =>
    Effect.gen(function*() {
      const { server, get, arrivals } = yield* setup()
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "0.5" } }, path: "/items" })
      const first = yield* Effect.fork(get("/items"))
      yield* Effect.sleep("100 millis")
      // a second caller, while the penalty runs
      const second = yield* get("/missing").pipe(Effect.exit)
      expect(failure(second)._tag).toBe("NotFound")
      yield* first.await
      const seen = [...(yield* arrivals("/items")), ...(yield* arrivals("/missing"))].sort((a, b) => a.atMillis - b.atMillis)
      const limitedAt = seen[0]!.atMillis
      expect(seen[0]!.fault).toBe("Status")
      for (const later of seen.slice(1)) expect(later.atMillis - limitedAt).toBeGreaterThanOrEqual(490)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("the Retry-After header sets the penalty even when the error mapper drops it", () =>
    Effect.gen(function*() {
      const server = yield* Testing.serve(app)
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const policy = yield* HttpPolicy.make({
        module: "test",
        limiter,
        toError: (response, ctx) => Effect.succeed(PeopleError.fromStatus(ctx, { status: response.status, reason: "limited" }))
      })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "0.3" } }, path: "/items" })
      yield* policy.execute(HttpClientRequest.get(`${server.url}/items`), { method: "list", bucket: "unconfigured" })
      const [delay] = gaps((yield* server.faults.requests).map((r) => r.atMillis))
      // not the 60 s default penalty of an unconfigured bucket, and not immediately
      expect(delay).toBeGreaterThanOrEqual(295)
      expect(delay).toBeLessThan(2000)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a 429 naming another bucket (a RingCentral group) penalizes that bucket too", () =>
    Effect.gen(function*() {
      const server = yield* Testing.serve(app)
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const policy = yield* HttpPolicy.make({
        module: "test",
        limiter,
        retry: { times: 0 },
        toError: (response, ctx) =>
          Effect.succeed(PeopleError.fromStatus(ctx, { status: response.status, reason: "limited", bucket: "heavy", retryAfterMillis: ctx.retryAfterMillis }))
      })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "0.3" } }, path: "/items" })
      const error = failure(yield* Effect.exit(policy.execute(HttpClientRequest.get(`${server.url}/items`), { method: "list", bucket: "light" })))
      expect(error).toMatchObject({ _tag: "RateLimited", bucket: "heavy", retryAfterMillis: 300 })
      expect((yield* limiter.stats).buckets).toMatchObject({ light: { penalties: 1 }, heavy: { penalties: 1 } })
      const start = Date.now()
      yield* limiter.acquire("heavy")
      expect(Date.now() - start).toBeGreaterThanOrEqual(250)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("503 bursts are retried with growing backoff", () =>
    Effect.gen(function*() {
      const { server, get, arrivals, policy } = yield* setup({ retry: { base: "40 millis", times: 5 } })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 503 }, path: "/items", times: 3 })
      const response = yield* get("/items")
      expect(response.status).toBe(200)
      const seen = yield* arrivals("/items")
      expect(seen.map((r) => r.fault)).toEqual(["Status", "Status", "Status", undefined])
      const delays = gaps(seen.map((r) => r.atMillis))
      // retry n waits in [base·2ⁿ/2, base·2ⁿ] (full window plus jitter)
      delays.forEach((delay, n) => {
        expect(delay).toBeGreaterThanOrEqual(40 * 2 ** n / 2 - 2)
        expect(delay).toBeLessThan(40 * 2 ** n + 150)
      })
      expect(delays[2]!).toBeGreaterThan(delays[0]!)
      expect((yield* policy.stats).retries).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a 503 with Retry-After waits that long instead of the backoff", () =>
    Effect.gen(function*() {
      const { server, get, arrivals } = yield* setup({ retry: { base: "1 millis", times: 5 } })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 503, headers: { "retry-after": "0.3" } }, path: "/items" })
      yield* get("/items")
      const [delay] = gaps((yield* arrivals("/items")).map((r) => r.atMillis))
      expect(delay).toBeGreaterThanOrEqual(295)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a slow response beyond the timeout is Unavailable naming the timeout, and is retried", () =>
    Effect.gen(function*() {
      const { server, get, arrivals } = yield* setup({ timeout: "100 millis", retry: { base: "1 millis", times: 2 } })
      yield* server.faults.inject({ fault: { _tag: "Latency", millis: 400 }, path: "/items" })
      const start = Date.now()
      const response = yield* get("/items")
      expect(response.status).toBe(200)
      expect(Date.now() - start).toBeLessThan(390)
      expect((yield* arrivals("/items")).map((r) => r.fault)).toEqual(["Latency", undefined])

      yield* server.faults.inject({ fault: { _tag: "Latency", millis: 400 }, path: "/items", times: 3 })
      const error = failure(yield* Effect.exit(get("/items")))
      expect(error._tag).toBe("Unavailable")
      expect(error.message).toContain("no response within 100ms")
      expect(error.isRetryable).toBe(true)
      expect((yield* arrivals("/items")).length).toBe(2 + 3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a per-call timeout overrides the policy's", () =>
    Effect.gen(function*() {
      const { server, policy } = yield* setup({ timeout: "10 seconds", retry: { times: 0 } })
      yield* server.faults.inject({ fault: { _tag: "Latency", millis: 300 }, path: "/items" })
      const exit = yield* Effect.exit(
        policy.execute(HttpClientRequest.get(`${server.url}/items`), { method: "list", bucket: "light", timeout: "50 millis" })
      )
      expect(failure(exit).message).toContain("no response within 50ms")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a connection reset is retried", () =>
    Effect.gen(function*() {
      const { server, get, arrivals } = yield* setup()
      yield* server.faults.inject({ fault: { _tag: "Reset" }, path: "/items", times: 2 })
      const response = yield* get("/items")
      expect(response.status).toBe(200)
      expect((yield* arrivals("/items")).map((r) => r.fault)).toEqual(["Reset", "Reset", undefined])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a POST is not retried after a reset, a 500 or a 504 (it may have been processed), but is after a 503 or a 429", () =>
    Effect.gen(function*() {
      const { server, policy, arrivals } = yield* setup()
      const post = policy.execute(
        HttpClientRequest.post(`${server.url}/items`).pipe(HttpClientRequest.bodyUnsafeJson({ name: "n" })),
        { method: "create", bucket: "light" }
      )
      yield* server.faults.inject({ fault: { _tag: "Reset" }, method: "POST", path: "/items" })
      const reset = failure(yield* Effect.exit(post))
      expect(reset._tag).toBe("Unavailable")
      expect((yield* arrivals("/items")).length).toBe(1)

      yield* server.faults.inject({ fault: { _tag: "Status", status: 503 }, method: "POST", path: "/items" })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "0.05" } }, method: "POST", path: "/items" })
      const created = yield* post
      expect(created.status).toBe(201)
      expect((yield* arrivals("/items")).map((r) => r.fault)).toEqual(["Reset", "Status", "Status", undefined])

      // a 500 or a 504 may come after the work was done: not retried
      for (const status of [500, 504]) {
        yield* server.faults.inject({ fault: { _tag: "Status", status }, method: "POST", path: "/items" })
        const error = failure(yield* Effect.exit(post))
        expect([error._tag, error.status, error.isRetryable]).toEqual(["Unavailable", status, true])
      }
      expect((yield* arrivals("/items")).length).toBe(6)

      // marked idempotent, a POST is retried after a reset too
      yield* server.faults.inject({ fault: { _tag: "Reset" }, method: "POST", path: "/items" })
      const again = yield* policy.execute(HttpClientRequest.post(`${server.url}/items`), { method: "search", bucket: "light", idempotent: true })
      expect(again.status).toBe(201)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("404 is NotFound and not retried", () =>
    Effect.gen(function*() {
      const { get, arrivals, policy } = yield* setup()
      const error = failure(yield* Effect.exit(get("/missing")))
      expect(error).toBeInstanceOf(PeopleError.NotFound)
      expect(error).toMatchObject({ module: "test", method: "get/missing", status: 404 })
      expect((yield* arrivals("/missing")).length).toBe(1)
      expect(yield* policy.stats).toMatchObject({ attempts: 1, retries: 0, failures: 1 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("accept lets a call treat other statuses as success", () =>
    Effect.gen(function*() {
      const { server, policy } = yield* setup()
      const response = yield* policy.execute(HttpClientRequest.get(`${server.url}/missing`), {
        method: "probe",
        bucket: "light",
        accept: (status) => status === 404
      })
      expect(response.status).toBe(404)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("retries are bounded by `times`", () =>
    Effect.gen(function*() {
      const { server, get, arrivals, policy } = yield* setup({ retry: { base: "1 millis", times: 2 } })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 503 }, path: "/items", times: 10 })
      const error = failure(yield* Effect.exit(get("/items")))
      expect(error._tag).toBe("Unavailable")
      expect(error.status).toBe(503)
      expect((yield* arrivals("/items")).length).toBe(3)
      expect(yield* policy.stats).toMatchObject({ attempts: 3, retries: 2, failures: 1 })
      expect(yield* server.faults.pending).toBe(7)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a 501 is not retried (repeating cannot fix it)", () =>
    Effect.gen(function*() {
      const { server, get, arrivals } = yield* setup()
      yield* server.faults.inject({ fault: { _tag: "Status", status: 501 }, path: "/items" })
      const error = failure(yield* Effect.exit(get("/items")))
      expect([error._tag, error.isRetryable]).toEqual(["Unavailable", false])
      expect((yield* arrivals("/items")).length).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a closed port is a retryable transport failure", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const policy = yield* HttpPolicy.make({ module: "test", limiter, retry: { base: "1 millis", times: 1 }, toError })
      // bind a server, note the port, close it
      const port = yield* Effect.scoped(Effect.map(Testing.serve(app), (s) => s.port))
      const error = failure(yield* Effect.exit(policy.execute(HttpClientRequest.get(`http://127.0.0.1:${port}/items`), { method: "list", bucket: "b" })))
      expect(error._tag).toBe("Unavailable")
      expect(error.isRetryable).toBe(true)
      expect(error.message).toMatch(/Transport/)
      expect((yield* policy.stats).attempts).toBe(2)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("rate-limit headers are learned: after remaining 0 the next request waits for the window", () =>
    Effect.gen(function*() {
      const { get, arrivals, limiter } = yield* setup({ observe })
      yield* get("/quota")
      yield* get("/quota")
      const [delay] = gaps((yield* arrivals("/quota")).map((r) => r.atMillis))
      // the window header said 0.4 s; the limiter adds its safety margin
      expect(delay).toBeGreaterThanOrEqual(400)
      expect(yield* limiter.limits("light")).toEqual([{ limit: 100, windowMillis: 60_000 }, { limit: 5, windowMillis: 400 }])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("HttpPolicy decoding", () => {
  const ctx = { module: "test", method: "list" }

  it.scopedLive("malformed JSON is a DecodeError at path body", () =>
    Effect.gen(function*() {
      const { server, get } = yield* setup()
      yield* server.faults.inject({ fault: { _tag: "Malformed" }, path: "/items" })
      const error = failure(yield* Effect.exit(Effect.flatMap(get("/items"), HttpPolicy.decodeJson(Items, ctx))))
      expect(error._tag).toBe("DecodeError")
      expect(error).toMatchObject({ path: "body", module: "test", method: "list" })
      expect(error.message).toContain("not valid JSON")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a schema mismatch is a DecodeError naming the exact path", () =>
    Effect.gen(function*() {
      const { get } = yield* setup()
      const error = failure(yield* Effect.exit(Effect.flatMap(get("/bad"), HttpPolicy.decodeJson(Items, ctx))))
      expect(error._tag).toBe("DecodeError")
      expect((error as PeopleError.DecodeError).path).toBe("records[1].id")
      expect(error.message).toContain("and 1 more")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("decodeText ignores excess properties and reports the root", () =>
    Effect.gen(function*() {
      const decode = HttpPolicy.decodeText(Items, ctx)
      expect(yield* decode(`{"records":[{"id":"1","extra":true}],"paging":{}}`)).toEqual({ records: [{ id: "1" }] })
      const root = failure(yield* Effect.exit(decode("[]")))
      expect((root as PeopleError.DecodeError).path).toBe("(root)")
      const empty = failure(yield* Effect.exit(decode("")))
      expect((empty as PeopleError.DecodeError).path).toBe("body")
    }))

  it.effect("a body that is not JSON is described without quoting it (it may hold a token)", () =>
    Effect.gen(function*() {
      const decode = HttpPolicy.decodeText(Schema.Struct({ access_token: Schema.String }), { module: "ringcentral", method: "getToken" })
      for (const text of [`{"access_token":"SECRET-abc123" x`, `{"access_token":"SECRET-abc123`, `SECRET-abc123`]) {
        const error = failure(yield* Effect.exit(decode(text)))
        expect(error._tag).toBe("DecodeError")
        expect((error as PeopleError.DecodeError).path).toBe("body")
        expect(error.message).toContain(`not valid JSON (${text.length} characters`)
        expect(error.message).not.toContain("SECRET")
        expect(JSON.stringify(error)).not.toContain("SECRET")
      }
      const html = failure(yield* Effect.exit(decode("<html><body>502 Bad Gateway</body></html>")))
      expect(html.message).toContain("looks like HTML")
      const empty = failure(yield* Effect.exit(decode("  ")))
      expect(empty.message).toContain("empty body")
    }))

  it.scopedLive("a body that stalls after the headers is Unavailable after the read timeout", () =>
    Effect.gen(function*() {
      const { get } = yield* setup({ timeout: "100 millis" })
      const response = yield* get("/stalled") // the headers came in time
      const start = Date.now()
      const error = failure(yield* Effect.exit(HttpPolicy.decodeJson(Items, ctx, { timeout: "150 millis" })(response)))
      expect(Date.now() - start).toBeLessThan(1500)
      expect(error._tag).toBe("Unavailable")
      expect(error.message).toContain("the response body did not arrive within 150ms")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("a leading byte-order mark is skipped", () =>
    Effect.gen(function*() {
      expect(yield* HttpPolicy.decodeText(Items, ctx)(`\uFEFF{"records":[]}`)).toEqual({ records: [] })
    }))

  it("formatPath", () => {
    expect(HttpPolicy.formatPath(["records", 3, "phoneNumbers", 0, "usageType"])).toBe("records[3].phoneNumbers[0].usageType")
    expect(HttpPolicy.formatPath([0, "id"])).toBe("[0].id")
    expect(HttpPolicy.formatPath([])).toBe("(root)")
  })
})

describe("HttpPolicy.parseRetryAfter", () => {
  const now = Date.parse("2026-11-30T12:00:00Z")
  it.each([
    ["1", 1000],
    ["120", 120_000],
    ["0", 0],
    ["0.5", 500],
    [" 2 ", 2000],
    ["Mon, 30 Nov 2026 12:00:30 GMT", 30_000],
    ["Monday, 30-Nov-26 12:01:00 GMT", 60_000],
    ["Mon Nov 30 12:00:05 2026", 5000],
    ["Mon, 30 Nov 2026 11:00:00 GMT", 0]
  ] as const)("%j -> %i ms", (header, millis) => {
    expect(HttpPolicy.parseRetryAfter(header, now)).toBe(millis)
  })

  it.each([undefined, "", "soon", "-1", "1e3", "garbage 5", "1 2", "Mon, 30 Nov 2026 12:00:30", "30 Nov 2026"])("%j -> undefined", (header) => {
    expect(HttpPolicy.parseRetryAfter(header, now)).toBeUndefined()
  })
})
