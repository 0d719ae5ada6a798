import { HttpClient, HttpClientRequest, HttpRouter, HttpServerResponse } from "@effect/platform"
import type * as Headers from "@effect/platform/Headers"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import { Chunk, Clock, Duration, Effect, Exit, Fiber, Logger, LogLevel, Redacted, Schema, Stream, TestClock } from "effect"
import * as HttpPolicy from "../src/HttpPolicy.js"
import * as PeopleError from "../src/PeopleError.js"
import * as RateLimiter from "../src/RateLimiter.js"
import * as Loopback from "@unified-people/testkit/Loopback"

const Items = Schema.Struct({ records: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.optional(Schema.String) })) })

const app = HttpRouter.empty.pipe(
  HttpRouter.get("/items", HttpServerResponse.unsafeJson({ records: [{ id: "1", name: "a" }, { id: "2" }] })),
  HttpRouter.post("/items", HttpServerResponse.unsafeJson({ id: "3" }, { status: 201 })),
  HttpRouter.get("/bad", HttpServerResponse.unsafeJson({ records: [{ id: "1" }, { id: 2 }, { name: "x" }] })),
  HttpRouter.get(
    "/slow-body",
    // headers and the start of the body at once, the rest 40 s later (Clock time)
    HttpServerResponse.stream(
      Stream.concat(
        Stream.make(new TextEncoder().encode("{\"records\": [")),
        Stream.fromEffect(Effect.as(Effect.sleep("40 seconds"), new TextEncoder().encode("]}")))
      ),
      { contentType: "application/json" }
    )
  ),
  HttpRouter.get("/missing", HttpServerResponse.unsafeJson({ message: "Not found" }, { status: 404 })),
  HttpRouter.get(
    "/large",
    // a listing page beyond 64 KiB (parsed in pieces, its bytes released), with an id beyond 2^53
    HttpServerResponse.text(
      `{"records":[{"id":8234962969801171948,"name":"Zoë"},${
        Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: String(i), name: `person ${i}` })).join(",")
      }],"paging":{"page":1}}`,
      { contentType: "application/json" }
    )
  ),
  HttpRouter.get(
    "/quota",
    HttpServerResponse.unsafeJson({ records: [] }, {
      headers: { "x-rate-limit-group": "light", "x-rate-limit-limit": "5", "x-rate-limit-remaining": "0", "x-rate-limit-window": "0.4" }
    })
  )
)

/** The error mapper an adapter would write, on top of `fromStatus`: the remote message is the reason. */
const toError: HttpPolicy.Options["toError"] = (response, ctx) => {
  const message = Schema.decodeUnknownOption(Schema.parseJson(Schema.Struct({ message: Schema.String })))(response.text)
  return PeopleError.fromStatus(ctx, {
    status: response.status,
    reason: message._tag === "Some" ? message.value.message : `HTTP ${response.status}`,
    retryAfterMillis: ctx.retryAfterMillis,
    bucket: ctx.bucket
  })
}

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

interface SetupOptions {
  readonly retry?: HttpPolicy.RetryOptions
  readonly timeout?: Duration.DurationInput
  readonly observe?: HttpPolicy.Options["observe"]
  readonly secrets?: HttpPolicy.Options["secrets"]
  /** Put a hostile proxy between the client and the server. */
  readonly proxy?: boolean
}

const setup = (options: SetupOptions = {}) =>
  Effect.gen(function*() {
    const server = yield* Loopback.serve(app)
    const proxy = options.proxy === true ? yield* HostileProxy.make({ target: server.url }) : undefined
    const origin = proxy?.url ?? server.url
    const limiter = yield* RateLimiter.make({ buckets: { light: { windows: [{ limit: 100, window: "1 minute" }] } } })
    const policy = yield* HttpPolicy.make({
      module: "test",
      limiter,
      retry: options.retry ?? { base: "20 millis", times: 5 },
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.observe === undefined ? {} : { observe: options.observe }),
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
      toError
    })
    // answers whose headers reached the client (before the policy reads their body)
    let headersSeen = 0
    const base = yield* HttpClient.HttpClient
    const client = base.pipe(
      HttpClient.tap(() => Effect.sync(() => headersSeen++)),
      policy.transform
    )
    const call = (method: string, path: string, call: Partial<HttpPolicy.Call> = {}) =>
      HttpPolicy.execute(
        client,
        method === "POST" ? HttpClientRequest.post(`${origin}${path}`) : HttpClientRequest.get(`${origin}${path}`),
        { method: `${method.toLowerCase()}${path}`, bucket: "light", ...call }
      )
    const get = (path: string, extra: Partial<HttpPolicy.Call> = {}) => call("GET", path, extra)
    const arrivals = (path: string) => Effect.map(server.faults.requests, (all) => all.filter((r) => r.path === path))
    return { server, proxy: proxy!, limiter, policy, client, call, get, arrivals, headersSeen: () => headersSeen }
  })

const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((t, i) => t - times[i]!)

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (error === undefined) throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
  return error
}

const realPause = (millis: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/**
 * Waits in real time (the sockets are real) until `done` holds. The bound only
 * keeps a broken test from hanging; nothing is asserted about speed.
 */
const until = (done: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 4000; i++) {
      if (yield* done) return
      yield* realPause(5)
    }
    return yield* Effect.dieMessage("the condition was never reached")
  })

/**
 * Runs a fiber to its end under the TestClock: real time for the sockets, and
 * test time moved to the next sleep when one is due within `horizon` (backoffs,
 * penalties, windows), never to the far-off per-attempt timeouts.
 */
const drive = <A, E>(fiber: Fiber.RuntimeFiber<A, E>, horizon: Duration.DurationInput = "10 minutes") =>
  Effect.gen(function*() {
    const limit = Duration.toMillis(horizon)
    for (let i = 0; i < 4000; i++) {
      if (fiber.unsafePoll() !== null) return yield* Fiber.await(fiber)
      const now = yield* Clock.currentTimeMillis
      const next = Chunk.toReadonlyArray(yield* TestClock.sleeps()).filter((t) => t - now <= limit).sort((a, b) => a - b)[0]
      if (next !== undefined) yield* TestClock.adjust(Duration.millis(Math.max(0, next - now)))
      else yield* realPause(5)
    }
    return yield* Effect.dieMessage("the fiber never ended")
  })

describe("HttpPolicy as an HttpClient transformation (TestClock: every wait is measured in test time)", () => {
  it.scoped("429 with Retry-After: 1, then success: one retry, sent exactly when the penalty ends", () =>
    Effect.gen(function*() {
      const { server, get, policy, arrivals, limiter } = yield* setup({ timeout: "1 hour" })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "1" } }, path: "/items" })
      const fiber = yield* Effect.fork(Effect.flatMap(get("/items", { body: "json" }), HttpPolicy.decodeJson(Items, { module: "test", method: "list" })))
      const body = yield* Effect.flatten(drive(fiber))
      expect(body.records.map((r) => r.id)).toEqual(["1", "2"])
      const seen = yield* arrivals("/items")
      expect(seen.map((r) => r.fault)).toEqual(["Status", undefined])
      expect(seen[1]!.atMillis - seen[0]!.atMillis).toBe(1000)
      const stats = yield* policy.stats
      expect(stats).toMatchObject({ attempts: 2, retries: 1, failures: 0 })
      expect(stats.limiter.penalties).toBe(1)
      expect((yield* limiter.stats).buckets["light"]!.waits).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("during a penalty no other call in the bucket is sent either", () =>
    Effect.gen(function*() {
      const { server, get, arrivals, limiter } = yield* setup({ timeout: "1 hour" })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "0.5" } }, path: "/items" })
      const first = yield* Effect.fork(get("/items"))
      yield* until(Effect.map(limiter.stats, (s) => s.penalties === 1))
      // a second caller, while the penalty runs: it waits for the bucket
      const second = yield* Effect.fork(Effect.exit(get("/missing")))
      yield* realPause(50)
      expect((yield* arrivals("/missing")).length).toBe(0)
      yield* TestClock.adjust("500 millis")
      expect(failure(yield* Fiber.join(second))._tag).toBe("NotFound")
      yield* Fiber.join(first)
      const seen = [...(yield* arrivals("/items")), ...(yield* arrivals("/missing"))].sort((a, b) => a.atMillis - b.atMillis)
      expect(seen[0]!.fault).toBe("Status")
      for (const later of seen.slice(1)) expect(later.atMillis - seen[0]!.atMillis).toBe(500)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("the Retry-After header sets the penalty even when the error mapper drops it", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const policy = yield* HttpPolicy.make({
        module: "test",
        limiter,
        timeout: "1 hour",
        toError: (response, ctx) => PeopleError.fromStatus(ctx, { status: response.status, reason: "limited" })
      })
      const client = (yield* HttpClient.HttpClient).pipe(policy.transform)
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "0.3" } }, path: "/items" })
      const fiber = yield* Effect.fork(HttpPolicy.execute(client, HttpClientRequest.get(`${server.url}/items`), { method: "list", bucket: "unconfigured" }))
      yield* Effect.flatten(drive(fiber))
      // not the 60 s default penalty of an unconfigured bucket, and not at once
      expect(gaps((yield* server.faults.requests).map((r) => r.atMillis))).toEqual([300])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("a 429 naming another bucket (a RingCentral group) penalizes that bucket too", () =>
    Effect.gen(function*() {
      const server = yield* Loopback.serve(app)
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const policy = yield* HttpPolicy.make({
        module: "test",
        limiter,
        retry: { times: 0 },
        toError: (response, ctx) =>
          PeopleError.fromStatus(ctx, { status: response.status, reason: "limited", bucket: "heavy", retryAfterMillis: ctx.retryAfterMillis })
      })
      const client = (yield* HttpClient.HttpClient).pipe(policy.transform)
      yield* server.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "0.3" } }, path: "/items" })
      const error = failure(yield* Effect.exit(HttpPolicy.execute(client, HttpClientRequest.get(`${server.url}/items`), { method: "list", bucket: "light" })))
      expect(error).toMatchObject({ _tag: "RateLimited", bucket: "heavy", retryAfterMillis: 300 })
      expect((yield* limiter.stats).buckets).toMatchObject({ light: { penalties: 1 }, heavy: { penalties: 1 } })
      const start = yield* Clock.currentTimeMillis
      const heavy = yield* Effect.fork(Effect.zipRight(limiter.acquire("heavy"), Clock.currentTimeMillis))
      yield* TestClock.adjust("300 millis")
      expect((yield* Fiber.join(heavy)) - start).toBe(300)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("503 bursts are retried with growing, jittered, capped backoff (a Schedule)", () =>
    Effect.gen(function*() {
      const { server, get, arrivals, policy } = yield* setup({ retry: { base: "40 millis", cap: "200 millis", times: 6 }, timeout: "1 hour" })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 503 }, path: "/items", times: 5 })
      const response = yield* Effect.flatten(drive(yield* Effect.fork(get("/items"))))
      expect(response.status).toBe(200)
      const seen = yield* arrivals("/items")
      expect(seen.map((r) => r.fault)).toEqual(["Status", "Status", "Status", "Status", "Status", undefined])
      const delays = gaps(seen.map((r) => r.atMillis))
      // retry n waits in [c/2, c] with c = min(cap, base·2ⁿ)
      delays.forEach((delay, n) => {
        const ceiling = Math.min(200, 40 * 2 ** n)
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2))
        expect(delay).toBeLessThanOrEqual(ceiling)
      })
      expect((yield* policy.stats).retries).toBe(5)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("a 503 with Retry-After waits exactly that long instead of the backoff", () =>
    Effect.gen(function*() {
      const { server, get, arrivals } = yield* setup({ retry: { base: "1 millis", times: 5 }, timeout: "1 hour" })
      yield* server.faults.inject({ fault: { _tag: "Status", status: 503, headers: { "retry-after": "0.3" } }, path: "/items" })
      yield* Effect.flatten(drive(yield* Effect.fork(get("/items"))))
      expect(gaps((yield* arrivals("/items")).map((r) => r.atMillis))).toEqual([300])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("a 429 with Retry-After: 2 is retried after 2 s, although its rate-limit headers name a reset 74 s away", () =>
    Effect.gen(function*() {
      const { server, policy, limiter } = yield* setup({
        timeout: "1 hour",
        observe: (headers) => ({ limit: 3600, remaining: Number(headers["x-ratelimit-remaining"]), resetAtMillis: Number(headers["x-ratelimit-reset"]) * 1000, windowMillis: 3_600_000 })
      })
      const start = yield* Clock.currentTimeMillis
      yield* server.faults.inject({
        fault: { _tag: "Status", status: 429, headers: { "retry-after": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String((start + 74_000) / 1000) } },
        path: "/items"
      })
      const client = (yield* HttpClient.HttpClient).pipe(policy.transform)
      const fiber = yield* Effect.fork(HttpPolicy.execute(client, HttpClientRequest.get(`${server.url}/items`), { method: "list", bucket: "token" }))
      yield* Effect.flatten(drive(fiber))
      const seen = (yield* server.faults.requests).map((r) => r.atMillis - start)
      expect(seen).toEqual([0, 2000])
      expect((yield* limiter.stats).buckets["token"]!.penalties).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("rate-limit headers are learned: after remaining 0 (no reset time) the next request waits for the oldest send to leave the window", () =>
    Effect.gen(function*() {
      const { get, arrivals, limiter } = yield* setup({ observe, timeout: "1 hour" })
      yield* Effect.flatten(drive(yield* Effect.fork(get("/quota"))))
      yield* Effect.flatten(drive(yield* Effect.fork(get("/quota"))))
      // the window header said 0.4 s; the limiter adds its safety margin (2% + 25 ms)
      expect(gaps((yield* arrivals("/quota")).map((r) => r.atMillis))).toEqual([400 + 8 + 25])
      expect(yield* limiter.limits("light")).toEqual([{ limit: 100, windowMillis: 60_000 }, { limit: 5, windowMillis: 400 }])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("one retry unit = request + status + whole body (issue 11)", () => {
  it.scopedLive("a large JSON page (parsed in pieces) is decoded whole, ids beyond 2^53 exact, and the answer's copy reads as the JSON of its value", () =>
    Effect.gen(function*() {
      const { get } = yield* setup({})
      const LargeItems = Schema.Struct({ records: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })), paging: Schema.Struct({ page: Schema.Number }) })
      for (let round = 0; round < 2; round++) {
        const response = yield* get("/large", { body: "json" })
        const body = yield* HttpPolicy.decodeJson(LargeItems, { module: "test", method: "large" })(response)
        expect(body.records.length).toBe(3001)
        expect(body.records[0]).toEqual({ id: "8234962969801171948", name: "Zoë" })
        expect(body.records[3000]).toEqual({ id: "2999", name: "person 2999" })
        const text = yield* response.text
        expect(JSON.parse(text)).toEqual(body)
      }
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a body cut mid-way, an empty 200 and a body that is not JSON are each read again, within one call", () =>
    Effect.gen(function*() {
      const { proxy, get, policy } = yield* setup({ proxy: true, retry: { base: "1 millis", times: 5 } })
      const json = { "Content-Type": "application/json" }
      yield* proxy.add({ name: "cut", path: "/items", delivery: { _tag: "Truncate", bytes: 12 } })
      yield* proxy.add({ name: "empty", path: "/items", skip: 1, respond: HostileProxy.answer(200, { headers: json }) })
      yield* proxy.add({ name: "html", path: "/items", skip: 2, respond: HostileProxy.answer(200, { text: "<html>maintenance</html>", headers: json }) })
      const body = yield* Effect.flatMap(get("/items", { body: "json" }), HttpPolicy.decodeJson(Items, { module: "test", method: "list" }))
      expect(body.records.map((r) => r.id)).toEqual(["1", "2"])
      expect((yield* proxy.exchanges).map((e) => e.rules.join(","))).toEqual(["cut", "empty", "html", ""])
      expect(yield* policy.stats).toMatchObject({ attempts: 4, retries: 3, failures: 0 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a body that stays broken fails typed: Unavailable for a cut or empty body, DecodeError at body for one that is not JSON", () =>
    Effect.gen(function*() {
      const { proxy, get } = yield* setup({ proxy: true, retry: { base: "1 millis", times: 2 } })
      yield* proxy.add({ path: "/items", times: 3, delivery: { _tag: "Truncate", bytes: 12 } })
      expect(failure(yield* Effect.exit(get("/items", { body: "json" })))).toMatchObject({
        _tag: "Unavailable",
        status: 200,
        reason: expect.stringContaining("reading the response body failed")
      })
      yield* proxy.add({ path: "/items", times: 3, respond: HostileProxy.answer(200) })
      expect(failure(yield* Effect.exit(get("/items", { body: "required" })))).toMatchObject({ _tag: "Unavailable", reason: "an empty body on a success status" })
      yield* proxy.add({ path: "/items", times: 3, respond: HostileProxy.answer(200, { text: "{\"records\": [" }) })
      expect(failure(yield* Effect.exit(get("/items", { body: "json" })))).toMatchObject({ _tag: "DecodeError", path: "body" })
      // without an expectation, an empty success body is an answer
      yield* proxy.add({ path: "/items", respond: HostileProxy.answer(200) })
      expect((yield* get("/items")).status).toBe(200)
      expect((yield* proxy.exchanges).length).toBe(3 + 3 + 3 + 1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("a body that stalls is read again once the per-attempt timeout, which covers the whole exchange, runs out", () =>
    Effect.gen(function*() {
      const { proxy, get, headersSeen } = yield* setup({ proxy: true, timeout: "5 seconds", retry: { base: "1 millis", times: 3 } })
      yield* proxy.add({ path: "/items", delivery: { _tag: "Stall", bytes: 12 } })
      const start = yield* Clock.currentTimeMillis
      const fiber = yield* Effect.fork(Effect.flatMap(get("/items", { body: "json" }), HttpPolicy.decodeJson(Items, { module: "test", method: "list" })))
      // the headers and the start of the body arrived: only the body's timeout is left
      yield* until(Effect.sync(() => headersSeen() === 1))
      yield* TestClock.adjust("4999 millis")
      yield* realPause(20)
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const body = yield* Effect.flatten(drive(fiber, "1 second"))
      expect(body.records).toHaveLength(2)
      expect((yield* proxy.exchanges).map((e) => e.delivery)).toEqual(["Stall", "Whole"])
      expect((yield* Clock.currentTimeMillis) - start).toBeGreaterThanOrEqual(5000)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("no fixed body timeout: a body that takes 40 s is read whole within a 60 s per-attempt timeout", () =>
    Effect.gen(function*() {
      const { get, arrivals, headersSeen } = yield* setup({ timeout: "60 seconds", retry: { times: 0 } })
      const fiber = yield* Effect.fork(Effect.flatMap(get("/slow-body", { body: "json" }), HttpPolicy.decodeJson(Items, { module: "test", method: "slow" })))
      yield* until(Effect.sync(() => headersSeen() === 1))
      yield* TestClock.adjust("40 seconds")
      const body = yield* Effect.flatten(drive(fiber, "1 second"))
      expect(body.records).toEqual([])
      expect((yield* arrivals("/slow-body")).length).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("an error body that stalls is read under the same timeout: the status decides, and a POST answered 503 is sent again", () =>
    Effect.gen(function*() {
      const { proxy, call, headersSeen } = yield* setup({ proxy: true, timeout: "5 seconds", retry: { base: "1 millis", times: 2 } })
      yield* proxy.add({
        method: "POST",
        path: "/items",
        respond: HostileProxy.answer(503, { json: { message: "down for maintenance, back in a minute" } }),
        delivery: { _tag: "Stall", bytes: 5 }
      })
      const fiber = yield* Effect.fork(call("POST", "/items"))
      yield* until(Effect.sync(() => headersSeen() === 1))
      yield* TestClock.adjust("5 seconds")
      const created = yield* Effect.flatten(drive(fiber, "1 second"))
      expect(created.status).toBe(201)
      expect((yield* proxy.exchanges).map((e) => e.status)).toEqual([503, 201])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a non-idempotent call whose success body breaks off or is empty is not sent again", () =>
    Effect.gen(function*() {
      const { proxy, call } = yield* setup({ proxy: true, retry: { base: "1 millis", times: 3 } })
      yield* proxy.add({ method: "POST", path: "/items", delivery: { _tag: "Truncate", bytes: 4 } })
      expect(failure(yield* Effect.exit(call("POST", "/items", { body: "json" })))).toMatchObject({ _tag: "Unavailable", status: 201 })
      yield* proxy.add({ method: "POST", path: "/items", rewrite: HostileProxy.emptyBody })
      expect(failure(yield* Effect.exit(call("POST", "/items", { body: "json" })))).toMatchObject({ _tag: "Unavailable", status: 201 })
      expect((yield* proxy.exchanges).length).toBe(2)
      // marked idempotent, it is
      yield* proxy.add({ method: "POST", path: "/items", delivery: { _tag: "Truncate", bytes: 4 } })
      expect((yield* call("POST", "/items", { body: "json", idempotent: true })).status).toBe(201)
      expect((yield* proxy.exchanges).length).toBe(4)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("HttpPolicy over a live loopback server", () => {
  it.scopedLive("a slow response beyond the timeout is Unavailable naming the timeout, and is retried", () =>
    Effect.gen(function*() {
      const { server, get, arrivals } = yield* setup({ timeout: "300 millis", retry: { base: "1 millis", times: 2 } })
      yield* server.faults.inject({ fault: { _tag: "Latency", millis: 3000 }, path: "/items" })
      const response = yield* get("/items")
      expect(response.status).toBe(200)
      expect((yield* arrivals("/items")).map((r) => r.fault)).toEqual(["Latency", undefined])

      yield* server.faults.inject({ fault: { _tag: "Latency", millis: 3000 }, path: "/items", times: 3 })
      const error = failure(yield* Effect.exit(get("/items")))
      expect(error._tag).toBe("Unavailable")
      expect(error.message).toContain("no response within 300ms")
      expect(error.isRetryable).toBe(true)
      expect((yield* arrivals("/items")).length).toBe(2 + 3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a per-call timeout overrides the policy's", () =>
    Effect.gen(function*() {
      const { server, get } = yield* setup({ timeout: "10 seconds", retry: { times: 0 } })
      yield* server.faults.inject({ fault: { _tag: "Latency", millis: 2000 }, path: "/items" })
      const exit = yield* Effect.exit(get("/items", { timeout: "50 millis" }))
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
      const { server, call, arrivals } = yield* setup()
      const post = call("POST", "/items")
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
      const again = yield* call("POST", "/items", { method: "search", idempotent: true })
      expect(again.status).toBe(201)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("404 is NotFound and not retried", () =>
    Effect.gen(function*() {
      const { get, arrivals, policy } = yield* setup()
      const error = failure(yield* Effect.exit(get("/missing")))
      expect(error).toBeInstanceOf(PeopleError.NotFound)
      expect(error).toMatchObject({ module: "test", method: "get/missing", status: 404, reason: "Not found" })
      expect((yield* arrivals("/missing")).length).toBe(1)
      expect(yield* policy.stats).toMatchObject({ attempts: 1, retries: 0, failures: 1 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("accept lets a call treat other statuses as success (its body is read like any success body)", () =>
    Effect.gen(function*() {
      const { get } = yield* setup()
      const response = yield* get("/missing", { accept: (status) => status === 404 })
      expect(response.status).toBe(404)
      expect(yield* response.text).toBe("{\"message\":\"Not found\"}")
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
      const client = (yield* HttpClient.HttpClient).pipe(policy.transform)
      // bind a server, note the port, close it
      const port = yield* Effect.scoped(Effect.map(Loopback.serve(app), (s) => s.port))
      const error = failure(yield* Effect.exit(HttpPolicy.execute(client, HttpClientRequest.get(`http://127.0.0.1:${port}/items`), { method: "list", bucket: "b" })))
      expect(error._tag).toBe("Unavailable")
      expect(error.isRetryable).toBe(true)
      expect(error.message).toMatch(/Transport/)
      expect((yield* policy.stats).attempts).toBe(2)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an invalid URL is final: not retried", () =>
    Effect.gen(function*() {
      const { client, policy } = yield* setup()
      const error = failure(yield* Effect.exit(HttpPolicy.execute(client, HttpClientRequest.get("http://[::1"), { method: "bad", bucket: "light" })))
      expect([error._tag, error.isRetryable]).toEqual(["Unavailable", false])
      expect((yield* policy.stats).attempts).toBeLessThanOrEqual(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("without a call in context, a request is the method `request` in the bucket `default`", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setup()
      const error = failure(yield* Effect.exit(client.execute(HttpClientRequest.get(`${server.url}/missing`))))
      expect(error).toMatchObject({ _tag: "NotFound", method: "request" })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("secrets in remote messages (issue 11)", () => {
  const token = "tok-5f0e1d2c3b4a59687766554433221100aabbccdd"
  const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"

  it.scopedLive("a server that echoes the credential: the error, its string forms and the retry logs hold neither it nor any token", () =>
    Effect.gen(function*() {
      const { proxy, client } = yield* setup({ proxy: true, retry: { base: "1 millis", times: 1 }, secrets: () => [Redacted.make(token)] })
      // a policy that was told no secret: the patterns alone
      const bare = yield* setup({ retry: { times: 0 } })
      const echo = (status: number) => (request: HostileProxy.Request) =>
        HostileProxy.answer(status, {
          json: {
            message: `token ${request.headers["authorization"]} refused; assertion=${jwt}; raw ${token.slice(4)} vs ${token}; ` +
              `opaque U0pDMTFQMDFQQVMwMHxBQUFWZmY4ZXoyVE1nRm9UaG9yaXR5; request 3f2504e0-4f89-11d3-9a0c-0305e82c3301`
          }
        })
      yield* proxy.add({ path: "/items", times: 2, respond: echo(503) })
      yield* proxy.add({ path: "/missing", times: 2, respond: echo(401) })
      const lines: Array<string> = []
      const capture = Logger.make((options) => {
        lines.push(Logger.logfmtLogger.log(options))
      })
      const send = (through: HttpClient.HttpClient.With<PeopleError.PeopleError>, path: string) =>
        HttpPolicy.execute(
          through,
          HttpClientRequest.get(`${proxy.url}${path}`).pipe(HttpClientRequest.bearerToken(Redacted.make(token))),
          { method: "read", bucket: "light" }
        ).pipe(Effect.provide(Logger.add(capture)), Logger.withMinimumLogLevel(LogLevel.All), Effect.exit)
      for (const path of ["/items", "/missing"]) {
        const error = failure(yield* send(client, path))
        const forms = [String(error), error.message, JSON.stringify(error), error.reason, ...lines]
        for (const form of forms) {
          expect(form).not.toContain(token.slice(4))
          expect(form).not.toContain("eyJ")
          expect(form).not.toContain("U0pDMTFQ")
        }
        expect(error.reason).toContain("[redacted]")
        // what is not a credential is kept
        expect(error.reason).toContain("request 3f2504e0-4f89-11d3-9a0c-0305e82c3301")
      }
      expect(lines.some((line) => line.includes("retrying"))).toBe(true)
      // the bearer-like patterns hold without the configured secret too
      const unconfigured = failure(yield* send(bare.client, "/missing"))
      expect(unconfigured._tag).toBe("Unauthorized")
      for (const form of [unconfigured.reason, unconfigured.message, JSON.stringify(unconfigured)]) {
        expect(form).not.toContain(token.slice(4))
        expect(form).not.toContain("eyJ")
      }
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it("scrub: configured secrets, JWTs, schemes, secret-named values and long opaque tokens; ordinary text stays", () => {
    const secret = Redacted.make("s3cr3t-Value_42")
    expect(HttpPolicy.scrub("the secret s3cr3t-Value_42 and s3cr3t-Value_42", [secret])).toBe("the secret [redacted] and [redacted]")
    expect(HttpPolicy.scrub(`jwt ${jwt}.`)).toBe("jwt [redacted].")
    expect(HttpPolicy.scrub("Authorization: Bearer abc.DEF-123_xyz")).toBe("Authorization: Bearer [redacted]")
    expect(HttpPolicy.scrub("Basic ZW11bGF0b3I6c2VjcmV0")).toBe("Basic [redacted]")
    expect(HttpPolicy.scrub("grant_type=refresh_token&refresh_token=RT-1234&client_secret=abc")).toBe(
      "grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]"
    )
    expect(HttpPolicy.scrub(`{"access_token":"AT-999","message":"ok"}`)).toBe(`{"access_token":"[redacted]","message":"ok"}`)
    expect(HttpPolicy.scrub("opaque a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8 end")).toBe("opaque [redacted] end")
    // kept: words, UUIDs, paths, short ids, plain sentences about tokens
    for (
      const text of [
        "Token expired",
        "Bearer token is invalid",
        "Basic authentication failed",
        "token: expired",
        "request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed",
        "/restapi/v1.0/account/~/extension/62000005004/caller-id",
        "Resource for parameter [extensionId] is not found",
        "Parameter [perPage] value is invalid: 123456789012"
      ]
    ) expect(HttpPolicy.scrub(text)).toBe(text)
    // a URL-encoded or JSON-escaped secret too
    const slashed = Redacted.make("abc/def+ghi=")
    expect(HttpPolicy.scrub(`a ${encodeURIComponent("abc/def+ghi=")} b abc\\/def+ghi= c`, [slashed])).toBe("a [redacted] b [redacted] c")
  })

  it("scrubError scrubs every remote text of an error and keeps its class", () => {
    const error = new PeopleError.InvalidRequest({
      module: "m",
      method: "x",
      reason: "bad token tok-0123456789abcdef0123456789abcdef",
      field: "tok-0123456789abcdef0123456789abcdef",
      violations: [{ field: "f", message: "value tok-0123456789abcdef0123456789abcdef" }],
      sent: true,
      status: 422
    })
    const scrubbed = HttpPolicy.scrubError(error)
    expect(scrubbed).toBeInstanceOf(PeopleError.InvalidRequest)
    expect(JSON.stringify(scrubbed)).not.toContain("0123456789abcdef")
    expect(scrubbed).toMatchObject({ status: 422, sent: true, module: "m" })
  })
})

describe("HttpPolicy.isHttpUrl", () => {
  it("accepts absolute http(s) URLs with a host, and nothing else", () => {
    for (const url of ["https://platform.ringcentral.com", "http://127.0.0.1:8080/v1/", "https://api.xurrent.com/v1", "http://[::1]:3000"]) {
      expect(HttpPolicy.isHttpUrl(url), url).toBe(true)
    }
    for (
      const url of [
        "",
        "::",
        "x",
        "platform.ringcentral.com",
        "//platform.ringcentral.com",
        "ftp://platform.ringcentral.com",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://",
        "https://user:secret@platform.ringcentral.com",
        "https://user@platform.ringcentral.com",
        " https://platform.ringcentral.com",
        "https://platform.ringcentral.com\n"
      ]
    ) expect(HttpPolicy.isHttpUrl(url), JSON.stringify(url)).toBe(false)
  })
})

describe("HttpPolicy decoding", () => {
  const ctx = { module: "test", method: "list" }

  it.scopedLive("malformed JSON is a DecodeError at path body", () =>
    Effect.gen(function*() {
      const { server, get } = yield* setup({ retry: { times: 0 } })
      yield* server.faults.inject({ fault: { _tag: "Malformed" }, path: "/items" })
      const error = failure(yield* Effect.exit(Effect.flatMap(get("/items"), HttpPolicy.decodeJson(Items, ctx))))
      expect(error._tag).toBe("DecodeError")
      expect(error).toMatchObject({ path: "body", module: "test", method: "list" })
      expect(error.message).toContain("not valid JSON")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a schema mismatch is a DecodeError naming the exact path (not retried: the server means it)", () =>
    Effect.gen(function*() {
      const { get, arrivals } = yield* setup()
      const error = failure(yield* Effect.exit(Effect.flatMap(get("/bad", { body: "json" }), HttpPolicy.decodeJson(Items, ctx))))
      expect(error._tag).toBe("DecodeError")
      expect((error as PeopleError.DecodeError).path).toBe("records[1].id")
      expect(error.message).toContain("and 1 more")
      expect((yield* arrivals("/bad")).length).toBe(1)
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

  it.effect("a value quoted by a schema error is scrubbed when it looks like a credential", () =>
    Effect.gen(function*() {
      const decode = HttpPolicy.decodeText(Schema.Struct({ expires_in: Schema.Number }), { module: "ringcentral", method: "getToken" })
      const error = failure(yield* Effect.exit(decode(`{"expires_in":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}`)))
      expect(error.message).not.toContain("eyJ")
    }))

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
