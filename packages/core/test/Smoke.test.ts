import { HttpRouter, HttpServerResponse, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as HttpPolicy from "../src/HttpPolicy.js"
import * as PeopleError from "../src/PeopleError.js"
import * as RateLimiter from "../src/RateLimiter.js"
import * as Testing from "../src/Testing.js"

describe("smoke", () => {
  it.scopedLive("serves and retries", () =>
    Effect.gen(function*() {
      const app = HttpRouter.empty.pipe(HttpRouter.get("/x", HttpServerResponse.unsafeJson({ ok: 1 })))
      const server = yield* Testing.serve(app)
      yield* server.faults.inject({ fault: { _tag: "Status", status: 503 }, times: 2 })
      yield* server.faults.inject({ fault: { _tag: "Reset" }, times: 1 })
      const limiter = yield* RateLimiter.make({ buckets: {} })
      const policy = yield* HttpPolicy.make({
        module: "test",
        limiter,
        retry: { base: "10 millis" },
        toError: (response, ctx) => Effect.succeed(PeopleError.fromStatus(ctx, { status: response.status, reason: "x" }))
      })
      const response = yield* policy.execute(HttpClientRequest.get(`${server.url}/x`), { method: "x", bucket: "b" })
      const body = yield* HttpPolicy.decodeJson(
        (yield* Effect.promise(() => import("effect/Schema"))).Struct({ ok: (yield* Effect.promise(() => import("effect/Schema"))).Number }),
        { module: "test", method: "x" }
      )(response)
      expect(body).toEqual({ ok: 1 })
      const stats = yield* policy.stats
      expect(stats.retries).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
