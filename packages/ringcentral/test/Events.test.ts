import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Loopback from "@unified-people/testkit/Loopback"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Events from "../src/Events.js"
import { fixture, setup } from "./utils.js"

const token = Redacted.make("verify-me-0123456789")

describe("Events", () => {
  it.scopedLive("subscribes with the validation handshake and receives directory changes as Persons", () =>
    Effect.gen(function*() {
      const { emulator, events } = yield* setup({ size: 20 })
      const hook = yield* Events.makeWebhook({ verificationToken: token })
      const server = yield* Loopback.serve(hook.app)
      const info = yield* events.createSubscription({ address: `${server.url}/hooks/rc`, verificationToken: token, expiresIn: 3600 })
      expect(info).toMatchObject({ status: "Active", eventFilters: [Events.directoryEventFilter], deliveryMode: { transportType: "WebHook", encryption: false } })
      expect((yield* hook.stats).validations).toBe(1)
      const target = emulator.store.list()[1]!
      const delivered = yield* emulator.changeDirectory((store) => {
        store.update(target.id, (e) => {
          e.contact.lastName = "Renamed"
        })
        store.remove(emulator.store.list()[2]!.id)
      })
      expect(delivered).toBe(2)
      const changes = yield* hook.changes.pipe(Stream.take(2), Stream.runCollect)
      const [update, removal] = Chunk.toReadonlyArray(changes)
      expect(update!.eventType).toBe("Update")
      expect(update!.person.name.family).toBe("Renamed")
      expect(update!.person.id).toBe(`ringcentral:${target.id}`)
      expect(removal!.eventType).toBe("Delete")
      // a duplicate delivery (same uuid) is dropped
      const first = emulator.subscriptions.delivered[0]!
      expect(yield* emulator.subscriptions.redeliver(first)).toBe(1)
      // a wrong verification token is rejected
      expect(yield* emulator.subscriptions.redeliver({ ...first, event: { ...first.event, uuid: "other" } }, { verificationToken: "forged" })).toBe(0)
      const stats = yield* hook.stats
      expect(stats).toMatchObject({ accepted: 2, duplicates: 1, rejected: 1 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a webhook that does not answer the handshake cannot subscribe", () =>
    Effect.gen(function*() {
      const { events } = yield* setup({ size: 5 })
      const hook = yield* Events.makeWebhook({ verificationToken: token })
      const server = yield* Loopback.serve(hook.app)
      yield* server.faults.inject({ fault: { _tag: "Status", status: 404 } })
      const error = yield* Effect.flip(
        events.createSubscription({ address: server.url, verificationToken: token })
      )
      expect(error).toMatchObject({ _tag: "InvalidRequest", remoteCode: "SUB-521" })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("the webhook rejects bad tokens and bad bodies, drops duplicates and stale events", () =>
    Effect.gen(function*() {
      const received: Array<Events.ContactChange> = []
      const hook = yield* Events.webhook({ verificationToken: token, onChange: (c) => Effect.sync(() => received.push(c)) })
      const server = yield* Loopback.serve(hook.app)
      const http = yield* HttpClient.HttpClient
      const send = (body: string, headers: Record<string, string>) =>
        http.execute(HttpClientRequest.post(server.url).pipe(HttpClientRequest.bodyText(body, "application/json"), HttpClientRequest.setHeaders(headers))).pipe(
          Effect.map((r) => ({ status: r.status, validation: r.headers["validation-token"] })),
          Effect.scoped
        )
      const sample = fixture("directory-event.json")
      expect(yield* send("", { "Validation-Token": "abc" })).toEqual({ status: 200, validation: "abc" })
      expect((yield* send(sample, {})).status).toBe(403)
      expect((yield* send(sample, { "Verification-Token": "nope" })).status).toBe(403)
      expect((yield* send(sample, { "Verification-Token": Redacted.value(token) })).status).toBe(200)
      expect((yield* send(sample, { "Verification-Token": Redacted.value(token) })).status).toBe(200)
      expect((yield* send("{\"uuid\": 1}", { "Verification-Token": Redacted.value(token) })).status).toBe(400)
      const older = JSON.parse(sample)
      older.uuid = "older-delivery"
      older.timestamp = "2017-09-27T11:00:00.000Z"
      expect((yield* send(JSON.stringify(older), { "Verification-Token": Redacted.value(token) })).status).toBe(200)
      expect(received.length).toBe(1)
      expect(received[0]!.person.name).toMatchObject({ given: "John", family: "Smith" })
      expect(yield* hook.stats).toEqual({ validations: 1, accepted: 2, rejected: 2, duplicates: 1, stale: 1, invalid: 1, tooLarge: 0 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("a webhook without a verification token is refused unless explicitly unverified", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Events.makeWebhook())
      expect(error._tag).toBe("WebhookConfigError")
      expect(error.message).toBe(
        "ringcentral.webhook: a verification token is required (give the subscription's verificationToken, or set allowUnverified)"
      )
      const open = yield* Events.makeWebhook({ allowUnverified: true })
      expect(yield* open.stats).toMatchObject({ accepted: 0 })
    }))

  it.scopedLive("a body over the limit is answered 413 without being kept, declared or streamed; processed ids are dropped", () =>
    Effect.gen(function*() {
      const received: Array<Events.ContactChange> = []
      const processed = new Set(["already-processed"])
      const hook = yield* Events.webhook({
        verificationToken: token,
        maxBodyBytes: 4096,
        isProcessed: (uuid) => Effect.sync(() => processed.has(uuid)),
        onChange: (c) => Effect.sync(() => received.push(c))
      })
      const server = yield* Loopback.serve(hook.app)
      const http = yield* HttpClient.HttpClient
      const headers = { "Verification-Token": Redacted.value(token), "Content-Type": "application/json" }
      const status = (request: HttpClientRequest.HttpClientRequest) =>
        http.execute(request.pipe(HttpClientRequest.setHeaders(headers))).pipe(Effect.map((r) => r.status), Effect.scoped)
      const sample = JSON.parse(fixture("directory-event.json"))
      const padded = { ...sample, uuid: "padded", padding: "x".repeat(10_000) }
      // declared: refused from the Content-Length
      expect(yield* status(HttpClientRequest.post(server.url).pipe(HttpClientRequest.bodyText(JSON.stringify(padded))))).toBe(413)
      // streamed without a length: refused once the limit is passed
      const chunks = Stream.make(JSON.stringify(padded)).pipe(Stream.encodeText, Stream.rechunk(1024))
      // (the server stops reading and closes the connection: the sender sees a 413 or a reset, never a 200)
      const streamed = yield* Effect.either(status(HttpClientRequest.post(server.url).pipe(HttpClientRequest.bodyStream(chunks))))
      expect(streamed._tag === "Left" || streamed.right === 413).toBe(true)
      // a delivery the durable record has processed (a restart later) is dropped
      const old = { ...sample, uuid: "already-processed" }
      expect(yield* status(HttpClientRequest.post(server.url).pipe(HttpClientRequest.bodyText(JSON.stringify(old))))).toBe(200)
      expect(yield* status(HttpClientRequest.post(server.url).pipe(HttpClientRequest.bodyText(JSON.stringify(sample))))).toBe(200)
      expect(received.map((c) => c.uuid)).toEqual([sample.uuid])
      expect(yield* hook.stats).toMatchObject({ accepted: 1, duplicates: 1, tooLarge: 2 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("keeps a subscription alive: renews before expiry, deletes it on close", () =>
    Effect.gen(function*() {
      const { emulator, events } = yield* setup({ size: 5, rateLimits: false })
      const hook = yield* Events.makeWebhook({ verificationToken: token })
      const server = yield* Loopback.serve(hook.app)
      const kept = yield* Effect.scoped(Effect.gen(function*() {
        const kept = yield* events.keepSubscription({ address: server.url, verificationToken: token, expiresIn: 1, renewAhead: "500 millis" })
        yield* Effect.sleep("1300 millis")
        const current = yield* kept.current
        expect(emulator.subscriptions.all.get(current.id)?.expiresAt).toBeGreaterThan(Date.now())
        return yield* kept.renewals
      }))
      expect(kept).toBeGreaterThanOrEqual(1)
      expect(emulator.subscriptions.all.size).toBe(0)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
