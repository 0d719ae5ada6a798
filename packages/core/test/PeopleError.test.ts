import { HttpClient, HttpClientRequest, HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Logger, LogLevel, Redacted, Schema } from "effect"
import * as HttpPolicy from "../src/HttpPolicy.js"
import * as PeopleError from "../src/PeopleError.js"
import * as RateLimiter from "../src/RateLimiter.js"
import * as Loopback from "@unified-people/testkit/Loopback"

const ctx = { module: "people-contacts", method: "listContacts" }

describe("PeopleError.fromStatus", () => {
  it.each([
    [400, "InvalidRequest", false],
    [422, "InvalidRequest", false],
    [401, "Unauthorized", false],
    [403, "Forbidden", false],
    [404, "NotFound", false],
    [410, "NotFound", false],
    [409, "Conflict", false],
    [429, "RateLimited", true],
    [408, "Unavailable", true],
    [500, "Unavailable", true],
    [502, "Unavailable", true],
    [503, "Unavailable", true],
    [504, "Unavailable", true],
    [501, "Unavailable", false],
    [505, "Unavailable", false],
    [418, "Unavailable", false],
    [302, "Unavailable", false]
  ] as const)("HTTP %i -> %s (retryable: %s)", (status, tag, retryable) => {
    const error = PeopleError.fromStatus(ctx, { status, reason: "r" })
    expect(error._tag).toBe(tag)
    expect(error.isRetryable).toBe(retryable)
    expect(PeopleError.isRetryable(error)).toBe(retryable)
    expect(error.status).toBe(status)
    expect(error.module).toBe("people-contacts")
    expect(error.method).toBe("listContacts")
    expect(PeopleError.isPeopleError(error)).toBe(true)
  })

  it("invalid request keeps the field, the violations and that it was sent", () => {
    const error = PeopleError.fromStatus(ctx, {
      status: 422,
      reason: "Validation Failed",
      field: "label",
      violations: [{ field: "label", message: "is not included in the list" }, { field: "telephone", message: "is too long" }]
    })
    expect(error).toBeInstanceOf(PeopleError.InvalidRequest)
    const invalid = error as PeopleError.InvalidRequest
    expect(invalid.sent).toBe(true)
    expect(invalid.field).toBe("label")
    expect(invalid.violations).toHaveLength(2)
    expect(invalid.message).toBe("people-contacts.listContacts: label: Validation Failed (HTTP 422)")
  })

  it("rate limited keeps the bucket and retry-after; unavailable keeps retry-after", () => {
    const limited = PeopleError.fromStatus(ctx, { status: 429, reason: "Request rate exceeded", remoteCode: "CMN-301", bucket: "Medium", retryAfterMillis: 60_000 })
    expect(limited).toMatchObject({ _tag: "RateLimited", bucket: "Medium", retryAfterMillis: 60_000, remoteCode: "CMN-301" })
    const down = PeopleError.fromStatus(ctx, { status: 503, reason: "down", retryAfterMillis: 2000 })
    expect(down).toMatchObject({ _tag: "Unavailable", retryAfterMillis: 2000, retryable: true })
    // fields that do not apply are left out, not set to undefined
    expect(Object.keys(PeopleError.fromStatus(ctx, { status: 404, reason: "x" }))).not.toContain("remoteCode")
  })
})

describe("PeopleError classes", () => {
  const base = { module: "ringcentral", method: "readExtension", reason: "Extension not found" }

  it("isRetryable per class", () => {
    expect(new PeopleError.NotFound(base).isRetryable).toBe(false)
    expect(new PeopleError.Unauthorized(base).isRetryable).toBe(false)
    expect(new PeopleError.Forbidden(base).isRetryable).toBe(false)
    expect(new PeopleError.InvalidRequest({ ...base, sent: false }).isRetryable).toBe(false)
    expect(new PeopleError.Conflict(base).isRetryable).toBe(false)
    expect(new PeopleError.RateLimited(base).isRetryable).toBe(true)
    expect(new PeopleError.Unavailable(base).isRetryable).toBe(true)
    expect(new PeopleError.Unavailable({ ...base, retryable: false }).isRetryable).toBe(false)
    expect(new PeopleError.DecodeError({ ...base, path: "records[0].id" }).isRetryable).toBe(false)
    expect(PeopleError.isRetryable(new Error("x"))).toBe(false)
    expect(PeopleError.isPeopleError({ _tag: "NotFound" })).toBe(false)
  })

  it("message names module, method, reason, status and remote code", () => {
    expect(new PeopleError.NotFound({ ...base, status: 404, remoteCode: "CMN-102" }).message).toBe(
      "ringcentral.readExtension: Extension not found (HTTP 404 CMN-102)"
    )
    expect(new PeopleError.Conflict({ ...base, remoteCode: "ADG-122" }).message).toBe(
      "ringcentral.readExtension: Extension not found (ADG-122)"
    )
    expect(new PeopleError.Forbidden(base).message).toBe("ringcentral.readExtension: Extension not found")
    expect(new PeopleError.DecodeError({ ...base, reason: "is missing", path: "records[1].id" }).message).toBe(
      "ringcentral.readExtension: at records[1].id: is missing"
    )
    expect(new PeopleError.InvalidRequest({ ...base, reason: "too long", field: "contact.email", sent: false }).message).toBe(
      "ringcentral.readExtension: contact.email: too long"
    )
    expect(String(new PeopleError.NotFound({ ...base, status: 404 }))).toContain("ringcentral.readExtension: Extension not found (HTTP 404)")
  })

  it.effect("errors are yieldable and caught by tag", () =>
    Effect.gen(function*() {
      const result = yield* Effect.gen(function*() {
        return yield* new PeopleError.NotFound(base)
      }).pipe(Effect.catchTag("NotFound", (e) => Effect.succeed(`caught ${e.method}`)))
      expect(result).toBe("caught readExtension")
    }))

  it("encode/decode through the schema keeps the fields and the class", () => {
    const error = new PeopleError.RateLimited({ ...base, status: 429, bucket: "Light", retryAfterMillis: 1000 })
    const encoded = Schema.encodeSync(PeopleError.RateLimited)(error)
    const decoded = Schema.decodeUnknownSync(PeopleError.RateLimited)(JSON.parse(JSON.stringify(encoded)))
    expect(decoded).toBeInstanceOf(PeopleError.RateLimited)
    expect(decoded.retryAfterMillis).toBe(1000)
    expect(decoded.isRetryable).toBe(true)
  })
})

describe("secrets never leak", () => {
  const secret = "SECRET-9f8e7d6c5b4a"

  it.scopedLive("an error after a request carrying a bearer token, its string forms and its logs hold no secret", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const app = HttpRouter.empty.pipe(
        HttpRouter.get(
          "/me",
          Effect.gen(function*() {
            const request = yield* HttpServerRequest.HttpServerRequest
            seen.push(request.headers.authorization ?? "")
            return yield* HttpServerResponse.json({ errorCode: "OAU-213", message: "Token expired" }, { status: 401 })
          })
        )
      )
      const server = yield* Loopback.serve(app)
      // a second failure mode: the connection is reset (a transport error carries the request)
      yield* server.faults.inject({ fault: { _tag: "Reset" }, path: "/reset", times: 10 })
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const policy = yield* HttpPolicy.make({
        module: "ringcentral",
        limiter,
        retry: { times: 1, base: "1 millis" },
        toError: (response, context) => {
          const body = Schema.decodeUnknownSync(Schema.parseJson(Schema.Struct({ errorCode: Schema.String, message: Schema.String })))(response.text)
          return PeopleError.fromStatus(context, { status: response.status, reason: body.message, remoteCode: body.errorCode })
        }
      })
      const client = (yield* HttpClient.HttpClient).pipe(policy.transform)
      const lines: Array<string> = []
      const capture = Logger.make((options) => {
        lines.push(Logger.logfmtLogger.log(options))
        lines.push(Logger.structuredLogger.log(options) === undefined ? "" : JSON.stringify(Logger.structuredLogger.log(options)))
      })
      const send = (path: string) =>
        HttpPolicy.execute(
          client,
          HttpClientRequest.get(`${server.url}${path}`).pipe(
            HttpClientRequest.bearerToken(Redacted.make(secret)),
            HttpClientRequest.setHeader("X-Api-Key", secret)
          ),
          { method: "readExtension", bucket: "Light" }
        ).pipe(
          Effect.tapErrorCause((cause) => Effect.logError("request failed", cause)),
          Effect.annotateLogs({ token: Redacted.make(secret) }),
          Effect.provide(Logger.add(capture)),
          Logger.withMinimumLogLevel(LogLevel.All),
          Effect.exit
        )
      for (const path of ["/me", "/reset"]) {
        const exit = yield* send(path)
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isSuccess(exit)) continue
        const error = Cause.squash(exit.cause) as PeopleError.PeopleError
        expect(PeopleError.isPeopleError(error)).toBe(true)
        expect(error._tag).toBe(path === "/me" ? "Unauthorized" : "Unavailable")
        const forms = [String(error), error.message, JSON.stringify(error), error.toString(), Cause.pretty(exit.cause), (error as Error).stack ?? "", ...lines]
        for (const form of forms) expect(form).not.toContain(secret)
      }
      // the token really was sent: the test would catch a leak
      expect(seen).toEqual([`Bearer ${secret}`])
      expect(lines.some((line) => line.includes("request failed"))).toBe(true)
      expect(lines.some((line) => line.includes("Token expired"))).toBe(true)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
