import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import * as RingCentralClient from "../src/RingCentralClient.js"

describe("RingCentralClient", () => {
  it.scopedLive("authenticates against the emulator and calls an operation", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 10 })
      const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator))
      const body = yield* client.json(Schema.Struct({ records: Schema.Array(Schema.Struct({ id: Schema.String })) }))(
        HttpClientRequest.get(client.accountPath("/directory/entries")),
        { method: "listDirectoryEntries", group: "Medium" }
      )
      expect(body.records.length).toBeGreaterThan(5)
      const stats = yield* client.auth.stats
      expect(stats.grants).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an HttpClient piped through the policy: the transformClient hook sees every attempt, and client.http runs any request as a call", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 10 })
      const sent: Array<string> = []
      const client = yield* RingCentralClient.make(
        Emulator.clientOptions(emulator, {
          // a response hook of the client beneath the policy runs once per attempt
          transformClient: HttpClient.tap((response) =>
            Effect.sync(() => sent.push(`${response.request.method} ${new URL(response.request.url).pathname} ${response.status}`))
          )
        })
      )
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 503 }, path: "/restapi/v1.0/account/~/custom-fields" })
      const fields = yield* client.json(Schema.Struct({ records: Schema.Array(Schema.Unknown) }))(
        HttpClientRequest.get(client.accountPath("/custom-fields")),
        { method: "listCustomFields", group: "Light" }
      )
      expect(fields.records).toEqual([])
      // the hook sits beneath the policy: the token request, the 503 and its retry
      expect(sent).toEqual(["POST /restapi/oauth/token 200", "GET /restapi/v1.0/account/~/custom-fields 503", "GET /restapi/v1.0/account/~/custom-fields 200"])
      expect(yield* client.policy.stats).toMatchObject({ attempts: 3, retries: 1, failures: 0 })
      // the transformed client itself, with a call in context
      const token = yield* client.auth.token
      const response = yield* HttpPolicy.execute(
        client.http,
        HttpClientRequest.get(`${client.serverUrl}${client.accountPath("/custom-fields")}`).pipe(HttpClientRequest.bearerToken(token)),
        { method: "listCustomFields", bucket: "Light", body: "json" }
      )
      expect(yield* HttpPolicy.decodeJson(Schema.Struct({ records: Schema.Array(Schema.Unknown) }), { module: "ringcentral", method: "x" })(response)).toEqual({ records: [] })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
