import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import { isListed } from "@unified-people/testkit/RingCentralEmulator/Directory"
import * as Auth from "../src/Auth.js"
import * as CustomFields from "../src/CustomFields.js"
import * as Directory from "../src/Directory.js"
import * as Events from "../src/Events.js"
import * as Extensions from "../src/Extensions.js"
import * as ProfileImages from "../src/ProfileImages.js"
import * as Provisioning from "../src/Provisioning.js"
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

  it.scopedLive("layerConfig takes the options as Config leaves (Config.Wrap): nested credentials, redacted secrets", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 5, rateLimits: false })
      const provider = ConfigProvider.fromMap(new Map([
        ["RC_URL", emulator.url],
        ["RC_ID", emulator.credentials.clientId],
        ["RC_SECRET", emulator.credentials.clientSecret],
        ["RC_JWT", emulator.credentials.jwt]
      ]))
      const client = RingCentralClient.layerConfig({
        serverUrl: Config.string("RC_URL"),
        accountId: Config.succeed("~"),
        credentials: {
          _tag: Config.succeed("Jwt"),
          clientId: Config.string("RC_ID"),
          clientSecret: Config.redacted("RC_SECRET"),
          jwt: Config.redacted("RC_JWT")
        },
        retry: { times: Config.succeed(2) }
      })
      const fields = yield* Effect.flatMap(CustomFields.CustomFields, (f) => f.listCustomFields).pipe(
        Effect.provide(CustomFields.layer.pipe(Layer.provide(client))),
        Effect.withConfigProvider(provider)
      )
      expect(fields.records).toEqual([])
      expect((yield* emulator.stats).tokensIssued).toBe(1)
      // a missing leaf is a ConfigError naming it, and nothing is sent
      const missing = yield* Effect.flip(Effect.flatMap(CustomFields.CustomFields, (f) => f.listCustomFields).pipe(
        Effect.provide(CustomFields.layer.pipe(Layer.provide(client))),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["RC_URL", emulator.url]])))
      ))
      expect(String(missing)).toContain("RC_ID")
      expect((yield* emulator.stats).tokensIssued).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("every area is a Tag service whose layer needs only the client; Auth.layer is the client's own Auth", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 30, scale: 0.01 })
      const areas = Layer.mergeAll(
        Auth.layer,
        CustomFields.layer,
        Directory.layer,
        Events.layer,
        Extensions.layer,
        ProfileImages.layer,
        Provisioning.layer
      ).pipe(Layer.provideMerge(RingCentralClient.layer(Emulator.clientOptions(emulator))))
      yield* Effect.gen(function*() {
        const client = yield* RingCentralClient.RingCentralClient
        const directory = yield* Directory.Directory
        const extensions = yield* Extensions.Extensions
        const count = yield* Stream.runCount(directory.streamDirectoryEntries())
        expect(count).toBe(emulator.store.list().filter(isListed).length)
        const me = yield* extensions.readExtension()
        expect(me.id).toBe(emulator.store.ownerId)
        expect((yield* (yield* CustomFields.CustomFields).listCustomFields).records).toEqual([])
        const auth = yield* Auth.Auth
        expect(auth).toBe(client.auth)
        expect(yield* auth.stats).toEqual({ tokenRequests: 1, grants: 1, refreshes: 0 })
        // the operation tables name each operation's throttling group
        expect(Directory.operations.searchDirectoryEntries.group).toBe("Heavy")
        expect(CustomFields.operations.listCustomFields.group).toBe("Light")
        expect(Events.operations.renewSubscription.group).toBe("Light")
        expect(Auth.operations.getToken.group).toBe("Auth")
        yield* Events.Events
        yield* ProfileImages.ProfileImages
        yield* Provisioning.Provisioning
      }).pipe(Effect.provide(areas))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
