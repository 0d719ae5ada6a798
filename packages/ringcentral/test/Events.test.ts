import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import * as Loopback from "@unified-people/testkit/Loopback"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Events from "../src/Events.js"
import * as RingCentralClient from "../src/RingCentralClient.js"
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

  it.scopedLive("lists the account's subscriptions through HTTP, the same info as a single read; expired ones are gone", () =>
    Effect.gen(function*() {
      const { emulator, events } = yield* setup({ size: 5, rateLimits: false })
      const hook = yield* Events.makeWebhook({ verificationToken: token })
      const server = yield* Loopback.serve(hook.app)
      expect(yield* events.listSubscriptions).toEqual([])
      const a = yield* events.createSubscription({ address: `${server.url}/a`, verificationToken: token })
      const b = yield* events.createSubscription({ address: `${server.url}/b`, verificationToken: token, eventFilters: ["/restapi/v1.0/account/~/extension"] })
      const listed = yield* events.listSubscriptions
      expect(listed.map((s) => s.id).sort()).toEqual([a.id, b.id].sort())
      const readA = yield* events.readSubscription(a.id)
      expect(listed.find((s) => s.id === a.id)).toEqual(readA)
      expect(listed.find((s) => s.id === b.id)).toMatchObject({ eventFilters: ["/restapi/v1.0/account/~/extension"], deliveryMode: { address: `${server.url}/b` } })
      // an expired subscription is not listed (as it is not read)
      emulator.subscriptions.all.get(b.id)!.expiresAt = Date.now() - 1
      expect((yield* events.listSubscriptions).map((s) => s.id)).toEqual([a.id])
      yield* events.deleteSubscription(a.id)
      expect(yield* events.listSubscriptions).toEqual([])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a malformed record of the list is left out, the others read; a list that is not one is a typed error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 5, scale: 0.01, rateLimits: false })
      const proxy = yield* HostileProxy.make({ target: emulator.url })
      const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator, { serverUrl: proxy.url, mediaUrl: proxy.url }))
      const events = yield* Events.make.pipe(Effect.provideService(RingCentralClient.RingCentralClient, client))
      const hook = yield* Events.makeWebhook({ verificationToken: token })
      const server = yield* Loopback.serve(hook.app)
      const a = yield* events.createSubscription({ address: `${server.url}/a`, verificationToken: token })
      const b = yield* events.createSubscription({ address: `${server.url}/b`, verificationToken: token })
      const list = /\/restapi\/v1\.0\/subscription$/
      // the second record without an id, a third that is not an object, ids as numbers elsewhere
      yield* proxy.add({
        method: "GET",
        path: list,
        rewrite: HostileProxy.json((body) => {
          const records = (body as { records: Array<Record<string, unknown>> }).records
          const { id: _, ...noId } = records[1]!
          return { ...(body as object), records: [records[0], noId, "garbage", null] }
        })
      })
      const read = yield* events.listSubscriptions
      expect(read.map((s) => s.id)).toEqual([a.id])
      expect(b.id).not.toBe(a.id)
      yield* proxy.add({ method: "GET", path: list, rewrite: HostileProxy.json(() => ({ uri: "x", records: "none" })) })
      const error = yield* Effect.flip(events.listSubscriptions)
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("records")
      // the next answer is whole again
      expect((yield* events.listSubscriptions).map((s) => s.id).sort()).toEqual([a.id, b.id].sort())
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
