import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Loopback from "../src/Loopback.js"
import * as Auth from "@unified-people/ringcentral/Auth"
import * as CustomFields from "@unified-people/ringcentral/CustomFields"
import * as DirectorySchema from "@unified-people/ringcentral/Directory/Schema"
import * as Events from "@unified-people/ringcentral/Events"
import * as RingCentralClient from "@unified-people/ringcentral/RingCentralClient"
import * as RingCentralError from "@unified-people/ringcentral/RingCentralError"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Emulator from "../src/RingCentralEmulator.js"

// strict: the emulator must not send fields the specification does not know
const strict = <A, I>(schema: Schema.Schema<A, I>) => Schema.decodeUnknownSync(schema, { onExcessProperty: "error", errors: "all" })

const client = (emulator: Emulator.Emulator) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const tokenResponse = yield* http.execute(
      HttpClientRequest.post(`${emulator.url}/restapi/oauth/token`).pipe(
        HttpClientRequest.setHeader("Authorization", `Basic ${Buffer.from(`${emulator.credentials.clientId}:${emulator.credentials.clientSecret}`).toString("base64")}`),
        HttpClientRequest.bodyUrlParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: emulator.credentials.jwt })
      )
    )
    const token = strict(Auth.TokenInfo)(yield* tokenResponse.json)
    const send = (request: HttpClientRequest.HttpClientRequest) =>
      http.execute(request.pipe(HttpClientRequest.prependUrl(emulator.url), HttpClientRequest.bearerToken(token.access_token))).pipe(
        Effect.flatMap((r) => Effect.map(r.text, (text) => ({ status: r.status, headers: r.headers, json: text === "" ? undefined : JSON.parse(text) as unknown })))
      )
    return { token, send }
  })

describe("Emulator", () => {
  it.scopedLive("answers with the specification's schemas", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 120, rateLimits: false })
      const { token, send } = yield* client(emulator)
      expect(token.token_type).toBe("bearer")
      expect(token.expires_in).toBe(3600)
      const list = yield* send(HttpClientRequest.get("/restapi/v1.0/account/~/directory/entries?perPage=max"))
      const page = strict(DirectorySchema.DirectoryResource)(list.json)
      expect(page.records.length).toBe(emulator.store.list().length)
      expect(page.paging).toMatchObject({ page: 1, perPage: 2000, totalPages: 1 })
      // the quirks of real directories are there
      expect(page.records.some((r) => r.type === "Department" && r.name !== undefined && r.firstName === undefined)).toBe(true)
      expect(page.records.some((r) => r.phoneNumbers?.some((p) => p.type === undefined))).toBe(true)
      expect(page.records.some((r) => r.phoneNumbers?.some((p) => p.usageType === "MainCompanyNumber"))).toBe(true)
      expect(new Set(page.records.map((r) => r.account?.id)).size).toBe(2)
      const search = yield* send(HttpClientRequest.post("/restapi/v1.0/account/~/directory/entries/search").pipe(
        HttpClientRequest.bodyUnsafeJson({ searchString: "a", perPage: 5, page: 2 })
      ))
      expect(strict(DirectorySchema.DirectoryResource)(search.json).paging).toMatchObject({ page: 2, perPage: 5, pageStart: 5 })
      const entry = yield* send(HttpClientRequest.get(`/restapi/v1.0/account/~/directory/entries/${page.records[0]!.id}`))
      strict(DirectorySchema.ContactResource)(entry.json)
      strict(DirectorySchema.FederationResource)((yield* send(HttpClientRequest.get("/restapi/v1.0/account/~/directory/federation"))).json)
      const field = yield* send(HttpClientRequest.post("/restapi/v1.0/account/~/custom-fields").pipe(HttpClientRequest.bodyUnsafeJson({ category: "User", displayName: "Badge" })))
      strict(CustomFields.CustomFieldModel)(field.json)
      strict(CustomFields.CustomFieldList)((yield* send(HttpClientRequest.get("/restapi/v1.0/account/~/custom-fields"))).json)
      // errors: ADG bodies with errors[] only, legacy envelopes elsewhere
      const missing = yield* send(HttpClientRequest.get("/restapi/v1.0/account/~/directory/entries/1"))
      expect(missing.status).toBe(404)
      expect(missing.json).toEqual({ errors: [{ errorCode: "ADG-122", message: "Contact not found." }] })
      strict(RingCentralError.ErrorResponse)(missing.json)
      const badPerPage = yield* send(HttpClientRequest.get("/restapi/v1.0/account/~/directory/entries?perPage=5000"))
      expect(badPerPage.status).toBe(400)
      expect(RingCentralError.parse(JSON.stringify(badPerPage.json))).toMatchObject({ code: "ADG-121", parameterName: "perPage" })
      const unauthenticated = yield* HttpClient.HttpClient.pipe(
        Effect.flatMap((http) => http.execute(HttpClientRequest.get(`${emulator.url}/restapi/v1.0/account/~/custom-fields`))),
        Effect.flatMap((r) => Effect.map(r.json, (json) => ({ status: r.status, json })))
      )
      expect(unauthenticated.status).toBe(401)
      strict(RingCentralError.ErrorResponse)(unauthenticated.json)
      // subscription answers and delivered events follow the schemas too
      const hook = yield* Events.makeWebhook({ allowUnverified: true })
      const server = yield* Loopback.serve(hook.app)
      const created = yield* send(HttpClientRequest.post("/restapi/v1.0/subscription").pipe(HttpClientRequest.bodyUnsafeJson({
        eventFilters: ["/restapi/v1.0/account/~/directory/entries"],
        deliveryMode: { transportType: "WebHook", address: server.url }
      })))
      const subscription = strict(Events.SubscriptionInfo)(created.json)
      expect(subscription.expiresIn).toBe(604_799)
      yield* emulator.changeDirectory((store) => {
        store.create({ contact: { firstName: "New", lastName: "Hire", email: "new.hire@example.com" }, extensionNumber: "999" })
      })
      const event = strict(Events.DirectoryEvent)(emulator.subscriptions.delivered[0]!.event)
      expect(event).toMatchObject({ subscriptionId: subscription.id, event: "/restapi/v1.0/account/400131426008/directory/entries" })
      expect(event.body.contacts[0]).toMatchObject({ eventType: "Create", firstName: "New", extensionNumber: "999" })
      expect((yield* hook.stats).accepted).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("rate limits: 429 with Retry-After and CMN-301; a request during the penalty restarts it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 5, limits: { Heavy: { limit: 3, windowMillis: 400, penaltyMillis: 1000 } } })
      const { send } = yield* client(emulator)
      const search = send(HttpClientRequest.post("/restapi/v1.0/account/~/directory/entries/search").pipe(HttpClientRequest.bodyUnsafeJson({})))
      const ok = yield* search
      expect(ok.headers).toMatchObject({ "x-rate-limit-group": "Heavy", "x-rate-limit-limit": "3", "x-rate-limit-remaining": "2", "x-rate-limit-window": "0.4" })
      yield* search
      yield* search
      const limited = yield* search
      expect(limited.status).toBe(429)
      expect(limited.headers["retry-after"]).toBe("1")
      expect(RingCentralError.parse(JSON.stringify(limited.json)).code).toBe("CMN-301")
      // 600 ms later the window has passed, but the penalty is still running, and each request restarts it
      yield* Effect.sleep("600 millis")
      expect((yield* search).status).toBe(429)
      yield* Effect.sleep("600 millis")
      expect((yield* search).status).toBe(429)
      // waiting the whole penalty lets requests through again
      yield* Effect.sleep("1100 millis")
      expect((yield* search).status).toBe(200)
      const stats = yield* emulator.stats
      expect(stats).toMatchObject({ rateLimited: 3, duringPenalty: 2 })
      // other groups are not affected
      expect((yield* send(HttpClientRequest.get("/restapi/v1.0/account/~/custom-fields"))).status).toBe(200)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("tokens expire; refresh tokens are single use", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 5, rateLimits: false, tokenLifetimeSeconds: 0.2 })
      const { token, send } = yield* client(emulator)
      expect((yield* send(HttpClientRequest.get("/restapi/v1.0/account/~/custom-fields"))).status).toBe(200)
      yield* Effect.sleep("300 millis")
      const expired = yield* send(HttpClientRequest.get("/restapi/v1.0/account/~/custom-fields"))
      expect(expired.status).toBe(401)
      expect(RingCentralError.parse(JSON.stringify(expired.json)).code).toBe("TokenInvalid")
      const http = yield* HttpClient.HttpClient
      const refresh = () =>
        http.execute(HttpClientRequest.post(`${emulator.url}/restapi/oauth/token`).pipe(
          HttpClientRequest.setHeader("Authorization", `Basic ${Buffer.from(`${emulator.credentials.clientId}:${emulator.credentials.clientSecret}`).toString("base64")}`),
          HttpClientRequest.bodyUrlParams({ grant_type: "refresh_token", refresh_token: Schema.encodeSync(Schema.Redacted(Schema.String))(token.refresh_token!) })
        )).pipe(Effect.map((r) => r.status))
      expect(yield* refresh()).toBe(200)
      expect(yield* refresh()).toBe(400)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

const verificationToken = Redacted.make("verify-me-0123456789")

describe("Emulator deliveries", () => {
  it.scopedLive("autoDeliver sends the events of changes made through the store on its own", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ scale: 0.01, size: 5, autoDeliver: true })
      const rc = yield* RingCentralClient.make(Emulator.clientOptions(emulator))
      const hook = yield* Events.makeWebhook({ verificationToken })
      const server = yield* Loopback.serve(hook.app)
      const events = yield* Effect.provideService(Events.make, RingCentralClient.RingCentralClient, rc)
      yield* events.createSubscription({ address: server.url, verificationToken })
      emulator.store.update(emulator.store.list()[0]!.id, (e) => {
        e.status = "Disabled"
      })
      const change = yield* hook.changes.pipe(Stream.runHead)
      expect(change._tag).toBe("Some")
      if (change._tag === "Some") expect(change.value.person.status).toBe("Disabled")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
