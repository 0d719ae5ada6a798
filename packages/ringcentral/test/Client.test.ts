import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Emulator from "../src/Emulator.js"
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
})
