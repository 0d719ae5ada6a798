import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import * as CustomFields from "../src/CustomFields.js"
import * as Directory from "../src/Directory.js"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import * as RingCentralClient from "../src/RingCentralClient.js"
import * as RingCentralConfig from "../src/RingCentralConfig.js"
import { setup } from "./utils.js"

const provide = (client: RingCentralClient.Service) => Effect.provideService(RingCentralClient.RingCentralClient, client)
const listCustomFields = (client: RingCentralClient.Service) => Effect.flatMap(CustomFields.make, (fields) => fields.listCustomFields).pipe(provide(client))

describe("Auth", () => {
  it.scopedLive("single-flight: a hundred concurrent requests cause one token request", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup({ size: 5, rateLimits: false })
      const tokens = yield* Effect.all(Array.from({ length: 100 }, () => client.auth.token), { concurrency: "unbounded" })
      expect(new Set(tokens.map(Redacted.value)).size).toBe(1)
      yield* Effect.all(Array.from({ length: 30 }, () => listCustomFields(client)), { concurrency: "unbounded" })
      const stats = yield* emulator.stats
      expect(stats.tokenRequests).toBe(1)
      expect((yield* client.auth.stats).tokenRequests).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("token expiry mid-stream: one 401, one refresh, the stream completes", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup({ size: 1000, rateLimits: false })
      let seen = 0
      const directory = yield* Directory.make.pipe(provide(client))
      const count = yield* directory.streamDirectoryEntries({ perPage: 100 }).pipe(
        Stream.tap(() => ++seen === 250 ? emulator.expireTokens : Effect.void),
        Stream.runCount
      )
      expect(count).toBe(emulator.store.list().filter((e) => ["Enabled", "Disabled", "NotActivated"].includes(e.status)).length)
      const stats = yield* emulator.stats
      expect(stats.unauthorized).toBe(1)
      expect(yield* client.auth.stats).toEqual({ tokenRequests: 2, grants: 1, refreshes: 1 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("refreshes ahead of expiry, without a 401", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup({ size: 5, rateLimits: false, tokenLifetimeSeconds: 1 })
      yield* listCustomFields(client)
      // refreshed at half the lifetime
      yield* Effect.sleep("600 millis")
      yield* listCustomFields(client)
      expect((yield* emulator.stats).unauthorized).toBe(0)
      expect(yield* client.auth.stats).toEqual({ tokenRequests: 2, grants: 1, refreshes: 1 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a refused refresh token falls back to a new JWT grant", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup({ size: 5, rateLimits: false })
      yield* listCustomFields(client)
      emulator.context.refreshTokens.clear()
      yield* emulator.expireTokens
      yield* listCustomFields(client)
      expect(yield* client.auth.stats).toEqual({ tokenRequests: 3, grants: 2, refreshes: 1 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("wrong credentials: a typed error without the secrets", () =>
    Effect.gen(function*() {
      const { client } = yield* setup({ size: 5 }, {
        credentials: { _tag: "Jwt", clientId: "emulator-client-id", clientSecret: Redacted.make("wrong-secret-123"), jwt: Redacted.make("jwt-secret-456") }
      })
      const error = yield* Effect.flip(listCustomFields(client))
      expect(error).toMatchObject({ _tag: "Unauthorized", remoteCode: "OAU-123", method: "getToken" })
      const text = `${error.message} ${String(error)} ${JSON.stringify(error)}`
      expect(text).not.toContain("wrong-secret-123")
      expect(text).not.toContain("jwt-secret-456")
      expect(text).not.toContain(Buffer.from("emulator-client-id:wrong-secret-123").toString("base64"))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a static token works until revoked, then Unauthorized without a retry loop", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 5, rateLimits: false })
      emulator.context.tokens.set("static-token-789", { expiresAt: Number.MAX_SAFE_INTEGER, ownerId: emulator.store.ownerId })
      const client = yield* RingCentralClient.make({ serverUrl: emulator.url, credentials: { _tag: "StaticToken", accessToken: Redacted.make("static-token-789") } })
      const list = yield* listCustomFields(client)
      expect(list.records).toEqual([])
      yield* emulator.expireTokens
      const error = yield* Effect.flip(listCustomFields(client))
      expect(error).toMatchObject({ _tag: "Unauthorized", remoteCode: "TokenInvalid" })
      expect(error.message).not.toContain("static-token-789")
      expect((yield* emulator.stats).unauthorized).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("layerConfig reads Config with redacted secrets", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 5, rateLimits: false })
      const provider = ConfigProvider.fromMap(new Map([
        ["RINGCENTRAL.SERVER_URL", emulator.url],
        ["RINGCENTRAL.CLIENT_ID", emulator.credentials.clientId],
        ["RINGCENTRAL.CLIENT_SECRET", emulator.credentials.clientSecret],
        ["RINGCENTRAL.JWT", emulator.credentials.jwt]
      ]))
      const layer = CustomFields.layer.pipe(
        Layer.provide(RingCentralClient.layerConfig(RingCentralConfig.config)),
        Layer.provide(Layer.setConfigProvider(provider))
      )
      const list = yield* Effect.flatMap(CustomFields.CustomFields, (fields) => fields.listCustomFields).pipe(Effect.provide(layer))
      expect(list.records).toEqual([])
      expect((yield* emulator.stats).tokensIssued).toBe(1)
      // a server or media URL that is not an absolute http(s) URL is invalid configuration, refused before any request
      const invalidUrls: ReadonlyArray<readonly [string, string]> = [
        ["SERVER_URL", "not-a-url"],
        ["SERVER_URL", "ftp://platform.example.com"],
        ["MEDIA_URL", "https://u:p@media.example.com"]
      ]
      for (const [key, value] of invalidUrls) {
        const invalid = yield* Effect.either(RingCentralConfig.config.pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
            ["RINGCENTRAL.SERVER_URL", emulator.url],
            ["RINGCENTRAL.ACCESS_TOKEN", "token"],
            [`RINGCENTRAL.${key}`, value]
          ])))
        ))
        expect(invalid._tag === "Left" && invalid.left._op === "InvalidData" && invalid.left.path.join(".")).toBe(`RINGCENTRAL.${key}`)
      }
      expect((yield* emulator.stats).tokensIssued).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("every token revoked while thirty calls run: each is refused once, and one refresh serves them all", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup({ size: 5, rateLimits: false })
      yield* listCustomFields(client)
      yield* emulator.expireTokens
      const lists = yield* Effect.all(Array.from({ length: 30 }, () => listCustomFields(client)), { concurrency: "unbounded" })
      expect(lists).toHaveLength(30)
      expect(yield* client.auth.stats).toEqual({ tokenRequests: 2, grants: 1, refreshes: 1 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a refresh whose answer broke off is asked again; the refresh token it consumed is refused, so a new grant follows", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 5, rateLimits: false })
      const proxy = yield* HostileProxy.make({ target: emulator.url })
      const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator, { serverUrl: proxy.url }))
      yield* listCustomFields(client)
      yield* proxy.add({ path: "/restapi/oauth/token", when: (r) => r.body.includes("grant_type=refresh_token"), delivery: { _tag: "Truncate", bytes: 20 } })
      yield* emulator.expireTokens
      expect((yield* listCustomFields(client)).records).toEqual([])
      const tokenExchanges = (yield* proxy.exchanges).filter((e) => e.path === "/restapi/oauth/token")
      // grant, refresh (cut), the same refresh again (refused: single use), a new grant
      expect(tokenExchanges.map((e) => e.delivery)).toEqual(["Whole", "Truncate", "Whole", "Whole"])
      expect(yield* client.auth.stats).toEqual({ tokenRequests: 3, grants: 2, refreshes: 1 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
