import { Headers, type HttpClient } from "@effect/platform"
import { monitorEventLoopDelay, performance } from "node:perf_hooks"
import { Worker } from "node:worker_threads"
import { describe, expect, it } from "@effect/vitest"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as RateLimiter from "@unified-people/core/RateLimiter"
import { Config, type ConfigError, ConfigProvider, Effect, Either, Layer, Redacted } from "effect"
import * as Contacts from "../src/Contacts.js"
import * as Emulator from "@unified-people/testkit/PeopleContactsEmulator"
import * as PeopleContactsClient from "../src/PeopleContactsClient.js"
import * as PeopleContactsConfig from "../src/PeopleContactsConfig.js"
import { HttpLive, fixture, fixtureJson, setup } from "./utils.js"

interface Exchange {
  readonly response: { readonly status: number; readonly headers: Record<string, string>; readonly body: unknown }
}

const ctx = { module: "people-contacts", method: "createContact", bucket: "token:x" }

/** An error answer as the real server sent it in a sample (header names in lower case, as the policy hands them over). */
const toError = (status: number, headers: Record<string, string>, body: string | null) =>
  Effect.sync(() =>
    PeopleContactsClient.toError(2000)(
      { status, headers: Headers.fromInput(headers), text: body ?? "" },
      { ...ctx, retryAfterMillis: headers["Retry-After"] === undefined ? undefined : Number(headers["Retry-After"]) * 1000 }
    )
  )

describe("error samples", () => {
  it.effect("422 [field, message] pairs", () =>
    Effect.gen(function*() {
      const error = yield* toError(422, { "Content-Type": "application/json" }, fixture("validation-error-422.json"))
      expect(error).toBeInstanceOf(PeopleError.InvalidRequest)
      expect(error).toMatchObject({
        sent: true,
        status: 422,
        field: "primary_email",
        violations: [{ field: "primary_email", message: "Example Errors" }]
      })
      expect(error.message).toContain("Validation Failed: primary_email Example Errors")
    }))

  it.effect("401 without rate-limit headers, 400 invalid JSON", () =>
    Effect.gen(function*() {
      const unauthorized = fixtureJson("error-401-unauthorized.exchange.json") as Exchange
      expect(Object.keys(unauthorized.response.headers).some((h) => h.toLowerCase().startsWith("x-ratelimit"))).toBe(false)
      const e401 = yield* toError(401, unauthorized.response.headers, JSON.stringify(unauthorized.response.body))
      expect(e401).toMatchObject({ _tag: "Unauthorized", reason: "Unauthorized", status: 401 })
      expect(e401.isRetryable).toBe(false)
      const invalid = fixtureJson("error-400-invalid-json.exchange.json") as Exchange
      const e400 = yield* toError(400, invalid.response.headers, JSON.stringify(invalid.response.body))
      expect(e400).toMatchObject({ _tag: "InvalidRequest", sent: true, reason: "Invalid JSON string posted" })
      expect(PeopleContactsClient.observeHeaders(3_600_000)(
        Object.fromEntries(Object.entries(invalid.response.headers).map(([k, v]) => [k.toLowerCase(), v]))
      )).toEqual({ windowMillis: 3_600_000, limit: 3600, remaining: 3594, resetAtMillis: 1659537735000 })
    }))

  it.effect("502 with an HTML body is a retryable Unavailable", () =>
    Effect.gen(function*() {
      const bad = fixtureJson("error-502-nginx-html.exchange.json") as Exchange
      const html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>"
      const error = yield* toError(502, bad.response.headers, html)
      expect(error).toMatchObject({ _tag: "Unavailable", status: 502, retryable: true })
      expect(error.message).toContain("text/html body")
    }))

  it.effect("every 429 variant: Retry-After 20 and 1 as given; missing or an empty body: the burst window", () =>
    Effect.gen(function*() {
      const variants = (fixtureJson("error-429.exchange.json") as { variants: ReadonlyArray<Exchange> }).variants
      const errors = yield* Effect.forEach(variants, (v) =>
        toError(429, v.response.headers, v.response.body === null ? "" : JSON.stringify(v.response.body)))
      expect(errors.map((e) => e._tag)).toEqual(["RateLimited", "RateLimited", "RateLimited", "RateLimited"])
      expect(errors.map((e) => (e as PeopleError.RateLimited).retryAfterMillis)).toEqual([20_000, 1000, 2000, 2000])
      expect(errors[3]!.message).toContain("empty body")
      expect(errors.every((e) => (e as PeopleError.RateLimited).bucket === "token:x")).toBe(true)
    }))

  it("reads errors as pairs, strings or objects", () => {
    expect(PeopleContactsClient.violationsOf([["label", "is not included in the list"], "oops", { attribute: "email", message: "bad" }, 3])).toEqual([
      { field: "label", message: "is not included in the list" },
      { field: "base", message: "oops" },
      { field: "email", message: "bad" }
    ])
    expect(PeopleContactsClient.violationsOf({ not: "an array" })).toEqual([])
  })
})

/** `listContacts` of the `Contacts` service over a client. */
const listContacts = (client: PeopleContactsClient.Service, personId: string) =>
  Effect.flatMap(Contacts.make, (contacts) => contacts.listContacts(personId)).pipe(
    Effect.provideService(PeopleContactsClient.PeopleContactsClient, client)
  )

describe("auth and account", () => {
  it.scopedLive("sends the bearer token and account header; a wrong token is Unauthorized and never leaks", () =>
    Effect.gen(function*() {
      const { emulator } = yield* setup()
      const secret = "s3cr3t-wrong-token"
      const client = yield* PeopleContactsClient.make({
        baseUrl: emulator.baseUrl,
        token: Redacted.make(secret),
        account: emulator.account,
        retry: { base: "5 millis", times: 3 }
      })
      const error = yield* Effect.flip(listContacts(client, "1"))
      expect(error._tag).toBe("Unauthorized")
      expect(emulator.requests()).toHaveLength(1)
      for (const text of [String(error), error.message, JSON.stringify(error), String(client.bucket)]) {
        expect(text).not.toContain(secret)
      }
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("401 carries no rate-limit headers; an unknown account is 404 NotFound", () =>
    Effect.gen(function*() {
      const { emulator } = yield* setup()
      const raw = yield* Effect.promise(() => fetch(`${emulator.baseUrl}/people/1/contacts`, { headers: { "X-Xurrent-Account": emulator.account } }))
      expect(raw.status).toBe(401)
      expect(yield* Effect.promise(() => raw.json())).toEqual({ message: "Unauthorized" })
      expect(raw.headers.get("x-ratelimit-limit")).toBeNull()
      const client = yield* PeopleContactsClient.make({ baseUrl: emulator.baseUrl, token: Redacted.make(emulator.tokens[0]!), account: "nope" })
      const error = yield* Effect.flip(listContacts(client, "1"))
      expect(error).toMatchObject({ _tag: "NotFound", status: 404 })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("the legacy X-4me-Account header works too", () =>
    Effect.gen(function*() {
      const { emulator } = yield* setup()
      const client = yield* PeopleContactsClient.make({
        baseUrl: emulator.baseUrl,
        token: Redacted.make(emulator.tokens[0]!),
        account: emulator.account,
        accountHeader: "X-4me-Account"
      })
      const list = yield* listContacts(client, "1")
      expect(list).toHaveLength(emulator.contactsOf(1).length)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("layerConfig reads the token as a redacted Config", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve()
      const provider = ConfigProvider.fromMap(new Map([
        ["PEOPLE_CONTACTS.BASE_URL", emulator.baseUrl],
        ["PEOPLE_CONTACTS.TOKEN", emulator.tokens[0]!],
        ["PEOPLE_CONTACTS.ACCOUNT", emulator.account],
        ["PEOPLE_CONTACTS.PER_PAGE", "2"]
      ]))
      const config = yield* PeopleContactsConfig.config.pipe(Effect.withConfigProvider(provider))
      expect(String(config.token)).not.toContain(emulator.tokens[0]!)
      expect(config.accountHeader).toBe("X-Xurrent-Account")
      expect(config.perPage).toBe(2)
      const listContactsOf = (personId: string) => Effect.flatMap(Contacts.Contacts, (contacts) => contacts.listContacts(personId))
      const overClient = (client: Layer.Layer<PeopleContactsClient.PeopleContactsClient, ConfigError.ConfigError, HttpClient.HttpClient>) =>
        Contacts.layer.pipe(Layer.provide(client), Layer.provide(HttpLive))
      // the environment's PEOPLE_CONTACTS_* through the whole Config
      const list = yield* listContactsOf("1").pipe(
        Effect.provide(overClient(PeopleContactsClient.layerConfig(PeopleContactsConfig.config))),
        Effect.withConfigProvider(provider)
      )
      expect(list).toHaveLength(emulator.contactsOf(1).length)
      // plain values read before
      expect(yield* listContactsOf("1").pipe(Effect.provide(overClient(PeopleContactsClient.layer(config))))).toEqual(list)
      // Config leaves (Config.Wrap)
      const viaWrap = yield* listContactsOf("2").pipe(
        Effect.provide(overClient(PeopleContactsClient.layerConfig({
          baseUrl: Config.succeed(emulator.baseUrl),
          token: Config.redacted("SECRET_TOKEN"),
          account: Config.succeed(emulator.account),
          perPage: Config.integer("PAGE"),
          retry: { times: Config.succeed(1) }
        }))),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["SECRET_TOKEN", emulator.tokens[0]!], ["PAGE", "1"]])))
      )
      expect(viaWrap).toHaveLength(emulator.contactsOf(2).length)
      const tooBig = yield* Effect.either(PeopleContactsConfig.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
          ["PEOPLE_CONTACTS.BASE_URL", "https://people.example.com/v1"],
          ["PEOPLE_CONTACTS.TOKEN", "t"],
          ["PEOPLE_CONTACTS.ACCOUNT", "a"],
          ["PEOPLE_CONTACTS.PER_PAGE", "101"]
        ])))
      ))
      expect(Either.isLeft(tooBig)).toBe(true)
      // a base URL that is not an absolute http(s) URL is invalid configuration, not a crash at the first request
      for (const baseUrl of ["x", "::", "people.example.com/v1", "mailto:people@example.com", "https://user:pw@people.example.com"]) {
        const invalid = yield* Effect.either(PeopleContactsConfig.config.pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
            ["PEOPLE_CONTACTS.BASE_URL", baseUrl],
            ["PEOPLE_CONTACTS.TOKEN", "t"],
            ["PEOPLE_CONTACTS.ACCOUNT", "a"]
          ])))
        ))
        expect(Either.isLeft(invalid) && invalid.left._op === "InvalidData" && invalid.left.message).toBe(
          "must be an absolute http(s) URL, with no user name or password"
        )
      }
      // given in code, it is a defect that says what is wrong (it was a bare "Invalid URL")
      const made = yield* Effect.exit(PeopleContactsClient.make({ baseUrl: "::", token: Redacted.make("t"), account: "a" }))
      expect(String(made)).toContain("baseUrl must be an absolute http(s) URL")
    }).pipe(Effect.provide(HttpLive)))
})

describe("rate limits", () => {
  it.scopedLive("a burst of 500 creates completes with no 429 surfaced", () =>
    Effect.gen(function*() {
      // the real limits (3600/h, 20/2 s) scaled by 0.02 on both sides: 20 requests per 40 ms (the
      // limiter counts each request from its answer, so event-loop lag cannot eat the margin)
      const { emulator, client, contacts } = yield* setup({
        emulator: { rateLimitScale: 0.02, people: 3 },
        client: { rateLimitScale: 0.02 }
      })
      const start = Date.now()
      const created = yield* Effect.forEach(
        Array.from({ length: 500 }, (_, i) => i),
        (i) => contacts.createContact("2", { label: "work", email: `burst${i}@widget.example`, integration: true }),
        { concurrency: 20 }
      )
      const elapsed = Date.now() - start
      expect(created).toHaveLength(500)
      expect(emulator.contactsOf(2).filter((c) => c.email?.startsWith("burst"))).toHaveLength(500)
      const stats = yield* client.policy.stats
      expect(stats.failures).toBe(0)
      expect(stats.limiter.waits).toBeGreaterThan(0)
      // pacing keeps the server happy
      expect(emulator.statusCounts()[429] ?? 0).toBe(0)
      // 25 bursts of 20, each window at least 40 ms
      expect(elapsed).toBeGreaterThan(24 * 40)
      console.log(`500 creates: ${elapsed} ms, ${emulator.statusCounts()[429] ?? 0} × 429, limiter waits ${stats.limiter.waits}`)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("the burst window holds on a loaded machine: a spinning worker, a blocked event loop and requests the server counts late, no 429", () =>
    Effect.gen(function*() {
      // 20 per 2 s scaled by 0.05: 20 per 100 ms, so the delays below are a large share of the window
      // (the old fixed margin, counted from the moment a request was let out, was 2 % + 25 ms: 27 %
      // of this window, 65 ms of the real 2 s one; counted that way, this test saw 429s or a
      // 21-request span under the window in 2 runs of 3)
      const { emulator, client, contacts } = yield* setup({
        emulator: { rateLimitScale: 0.05, people: 3 },
        client: { rateLimitScale: 0.05 }
      })
      const windowMillis = 100
      // the CPU busy: a spinning worker (on a machine shared with others)
      yield* Effect.acquireRelease(
        Effect.sync(() => [new Worker("for (;;) {}", { eval: true })]),
        (workers) => Effect.promise(() => Promise.all(workers.map((w) => w.terminate())))
      )
      const delay = monitorEventLoopDelay({ resolution: 5 })
      delay.enable()
      // and the test's own event loop blocked now and then (the client and the emulator share it)
      yield* Effect.acquireRelease(
        Effect.sync(() =>
          setInterval(() => {
            const end = performance.now() + 35 + Math.random() * 10
            while (performance.now() < end) {
              // busy
            }
          }, 150)
        ),
        (timer) => Effect.sync(() => clearInterval(timer))
      )
      // a loaded server counts some requests late: 40 of the 200 wait 80 ms between arriving and being counted
      const positions = new Set<number>()
      while (positions.size < 40) positions.add(Math.floor(Math.random() * 200))
      for (const skip of positions) {
        yield* emulator.faults.inject({ fault: { _tag: "Latency", millis: 80 }, skip, path: "/v1/people/1/contacts/" })
      }
      const before = (yield* emulator.faults.requests).length
      yield* Effect.forEach(Array.from({ length: 200 }, () => 0), () => contacts.getContact("1", String(emulator.contactsOf(1)[0]!.id)), {
        concurrency: 20,
        discard: true
      })
      delay.disable()
      expect(yield* emulator.faults.injected).toBeGreaterThan(0)
      // when the server counted each request
      const counted = (yield* emulator.faults.requests).slice(before).map((r) => r.atMillis + (r.fault === "Latency" ? 80 : 0)).sort((a, b) => a - b)
      expect(counted).toHaveLength(200)
      expect(emulator.statusCounts()[429] ?? 0).toBe(0)
      expect((yield* client.policy.stats).retries).toBe(0)
      // relative measures: the tightest distance between a request and the 20th after it, as a
      // share of the window (at least 1: never more than 20 in a window), and how far the event
      // loop fell behind, as a share of the window
      const spans = counted.slice(20).map((t, i) => t - counted[i]!)
      const tightest = Math.min(...spans) / windowMillis
      const lag = delay.max / 1e6 / windowMillis
      expect(tightest).toBeGreaterThanOrEqual(1)
      // the load was real: the loop fell behind by more than the old fixed margin (27 % of this window)
      expect(lag).toBeGreaterThan(0.27)
      console.log(`under load: tightest 21-request span ${(tightest * 100).toFixed(0)} % of the window, event-loop lag up to ${(lag * 100).toFixed(0)} % of it`)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("learns a smaller hourly limit from X-RateLimit-* and waits for the reset instead of hitting 429", () =>
    Effect.gen(function*() {
      const { emulator, client, contacts } = yield* setup({
        emulator: { hourly: { limit: 6, windowMillis: 3_600_000 }, rateLimitScale: 0.0004 },
        client: { rateLimitScale: 0.0004 }
      })
      const start = Date.now()
      yield* Effect.forEach(Array.from({ length: 8 }, () => 0), () => contacts.listContacts("1"), { concurrency: 1 })
      const limits = yield* client.limiter.limits(client.bucket)
      expect(limits.find((l) => l.windowMillis === 1440)?.limit).toBe(6)
      expect(emulator.statusCounts()[429] ?? 0).toBe(0)
      expect(emulator.statusCounts()[200]).toBe(8)
      // the 7th request waited for the (epoch-second) reset of the 1.44 s window
      expect(Date.now() - start).toBeGreaterThan(1000)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("honours Retry-After on 429 when the local limiter does not know the limits", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const { emulator, client, contacts } = yield* setup({
        emulator: { burst: { limit: 3, windowMillis: 2000 }, rateLimitScale: 0.1 },
        client: { limiter, rateLimitScale: 0.1, retry: { base: "5 millis", times: 10 } }
      })
      yield* Effect.forEach(Array.from({ length: 8 }, () => 0), () => contacts.listContacts("1"), { concurrency: 8 })
      expect(emulator.statusCounts()[200]).toBe(8)
      expect(emulator.statusCounts()[429]).toBeGreaterThan(0)
      const stats = yield* client.policy.stats
      expect(stats.failures).toBe(0)
      expect(stats.limiter.penalties).toBe(emulator.statusCounts()[429])
      const throttled = emulator.requests().filter((r) => r.status === 429)
      expect(throttled.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("bare 429s (empty body, no headers) from the emulator's limit hold the bucket for the burst window", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const { emulator, client, contacts } = yield* setup({
        emulator: { burst: { limit: 2, windowMillis: 2000 }, rateLimitScale: 0.1, quirks: { bare429: true } },
        client: { limiter, rateLimitScale: 0.1, retry: { base: "1 millis", times: 10 } }
      })
      const start = Date.now()
      yield* Effect.forEach(Array.from({ length: 5 }, () => 0), () => contacts.listContacts("1"), { concurrency: 5 })
      expect(emulator.statusCounts()[200]).toBe(5)
      expect(emulator.statusCounts()[429]).toBeGreaterThan(0)
      expect((yield* client.policy.stats).failures).toBe(0)
      // 5 requests at 2 per 200 ms need at least two full windows
      expect(Date.now() - start).toBeGreaterThanOrEqual(400)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a 429 with an empty body and no Retry-After waits the burst window, then succeeds", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup({ client: { rateLimitScale: 0.05 } })
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 429 }, times: 2 })
      const start = Date.now()
      const list = yield* contacts.listContacts("1")
      expect(list).toHaveLength(emulator.contactsOf(1).length)
      expect(yield* emulator.faults.injected).toBe(2)
      expect(Date.now() - start).toBeGreaterThanOrEqual(2 * 100)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("Retry-After \"1\" holds the bucket a full second", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup({ client: { rateLimitScale: 0.05 } })
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 429, body: { message: "Too Many Requests" }, headers: { "Retry-After": "1" } } })
      const start = Date.now()
      yield* contacts.listContacts("1")
      expect(Date.now() - start).toBeGreaterThanOrEqual(1000)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("429s beyond the retry budget surface as RateLimited naming the bucket", () =>
    Effect.gen(function*() {
      const { emulator, client, contacts } = yield* setup({ client: { rateLimitScale: 0.01, retry: { base: "1 millis", times: 2 } } })
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 429, body: { message: "Too Many Requests" } }, times: 5 })
      const error = yield* Effect.flip(contacts.getContact("1", "1"))
      expect(error).toMatchObject({ _tag: "RateLimited", bucket: client.bucket, status: 429 })
      expect(yield* emulator.faults.injected).toBe(3)
    }).pipe(Effect.provide(HttpLive)))
})

describe("faults", () => {
  it.scopedLive("503s and a reset connection are retried for reads", () =>
    Effect.gen(function*() {
      const { emulator, client, contacts } = yield* setup()
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 503, body: { message: "Service Unavailable" } }, times: 2 })
      yield* emulator.faults.inject({ fault: { _tag: "Reset" } })
      const list = yield* contacts.listContacts("1")
      expect(list).toHaveLength(emulator.contactsOf(1).length)
      expect((yield* client.policy.stats).retries).toBe(3)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a create answered 503 is retried once and creates exactly one contact", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup()
      const before = emulator.contactsOf(1).length
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 503 }, method: "POST" })
      yield* contacts.createContact("1", { label: "work", email: "once@widget.example" })
      expect(emulator.contactsOf(1)).toHaveLength(before + 1)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a create whose connection reset is not repeated (the server may have processed it)", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup()
      yield* emulator.faults.inject({ fault: { _tag: "Reset" }, method: "POST" })
      const error = yield* Effect.flip(contacts.createContact("1", { label: "work", email: "maybe@widget.example" }))
      expect(error._tag).toBe("Unavailable")
      expect(yield* emulator.faults.pending).toBe(0)
      expect(emulator.requests().filter((r) => r.method === "POST")).toHaveLength(0)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a malformed (cut) page body is read again; one that stays malformed is a DecodeError at path body", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup()
      yield* emulator.faults.inject({ fault: { _tag: "Malformed", body: "[{\"id\": 1, \"label\": " } })
      expect(yield* contacts.listContacts("1")).toHaveLength(emulator.contactsOf(1).length)
      // the first attempt and the policy's 4 retries
      yield* emulator.faults.inject({ fault: { _tag: "Malformed", body: "[{\"id\": 1, \"label\": " }, times: 5 })
      const error = yield* Effect.flip(contacts.listContacts("1"))
      expect(error).toMatchObject({ _tag: "DecodeError", path: "body" })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a slow answer times out and the read is retried", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup({ client: { timeout: "400 millis" } })
      yield* emulator.faults.inject({ fault: { _tag: "Latency", millis: 1500 } })
      const list = yield* contacts.listContacts("1")
      expect(list).toHaveLength(emulator.contactsOf(1).length)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a 502 HTML page fails typed after the retry budget", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup({ client: { retry: { base: "1 millis", times: 1 } } })
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 502, headers: { "Content-Type": "text/html" } }, times: 2 })
      const error = yield* Effect.flip(contacts.listContacts("1"))
      expect(error).toMatchObject({ _tag: "Unavailable", status: 502 })
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a next link to another host is refused, so the token never leaves the API", () =>
    Effect.gen(function*() {
      const { emulator, contacts } = yield* setup()
      yield* emulator.faults.inject({
        fault: {
          _tag: "Status",
          status: 200,
          body: [{ id: 1, label: "work", email: "a@widget.example" }],
          headers: { Link: "<http://evil.example/v1/people/1/contacts?search_after=1>; rel=\"next\"" }
        }
      })
      const error = yield* Effect.flip(contacts.listContacts("1"))
      expect(error).toMatchObject({ _tag: "DecodeError", path: "headers.link" })
    }).pipe(Effect.provide(HttpLive)))
})
