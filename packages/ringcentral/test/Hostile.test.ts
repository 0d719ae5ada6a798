/**
 * The hostile-server suite (issue 11): the RingCentral adapter behind a proxy
 * that rewrites the emulator's answers the way servers written by someone else
 * do. Every test ends with nothing lost or duplicated, and with a typed error
 * naming the field where an error is due.
 *
 * Body retries: one attempt of the client's `HttpPolicy` is the request, its
 * status and its whole body, under the configured per-attempt timeout, for
 * every operation (pages, single reads, extensions, the token request): a body
 * that arrives empty, cut, stalled or not JSON is read again when repeating the
 * call is harmless. A non-idempotent write whose answer breaks off is not sent
 * again (it may have been done): a typed error, and it happened once.
 *
 * Auth: every code by which the platform says the token is expired or unknown
 * gives one refresh and one retry; secrets echoed by a server never reach an
 * error.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as HostileProxy from "@unified-people/testkit/HostileProxy"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as PeopleError from "@unified-people/core/PeopleError"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as Auth from "../src/Auth.js"
import * as CustomFields from "../src/CustomFields.js"
import * as Directory from "../src/Directory.js"
import * as DirectorySchema from "../src/Directory/Schema.js"
import * as Events from "../src/Events.js"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import { isListed } from "@unified-people/testkit/RingCentralEmulator/Directory"
import * as Extensions from "../src/Extensions.js"
import * as Request from "../src/Extensions/Request.js"
import * as Provisioning from "../src/Provisioning.js"
import * as RingCentralClient from "../src/RingCentralClient.js"
import * as RingCentralError from "../src/RingCentralError.js"
import * as RingCentralPeople from "../src/RingCentralPeople.js"
import { areas, drive, fixtureJson, realPause, until } from "./utils.js"

const entries = /\/directory\/entries$/
const entry = /\/directory\/entries\/[^/]+$/
const token = /\/restapi\/oauth\/token$/
const onPage = (n: number) => (request: HostileProxy.Request) => request.query.get("page") === String(n)

/** The fields a directory page cannot do without; everything else is optional. */
const required = ["id", "records", "paging", "perPage"]

const setup = (size = 250, overrides: Partial<RingCentralClient.Options> = {}) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ size, scale: 0.01, maxPerPage: 100, federatedShare: 0 })
    const proxy = yield* HostileProxy.make({ target: emulator.url })
    const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator, { serverUrl: proxy.url, mediaUrl: proxy.url, ...overrides }))
    const services = yield* areas(client)
    const people = yield* RingCentralPeople.make().pipe(Effect.provideService(Directory.Directory, services.directory))
    const listed = () => emulator.store.list().filter(isListed).map((e) => e.id)
    return { emulator, proxy, client, people, ...services, listed }
  })

type Setup = Effect.Effect.Success<ReturnType<typeof setup>>

const snapshot = (s: Setup) =>
  Effect.gen(function*() {
    const result = yield* s.people.snapshot()
    if (result._tag !== "Modified") throw new Error("expected Modified")
    const read = Chunk.toReadonlyArray(yield* Stream.runCollect(result.people))
    return { people: read, ids: read.map((p) => p.provenance[0]!.remoteId), completeness: yield* result.completeness }
  })

/** Every JSON sample with the schema that reads it. */
const samples: ReadonlyArray<readonly [string, Schema.Schema<unknown, unknown>]> = [
  ["token-response.json", Auth.TokenInfo as Schema.Schema<unknown, unknown>],
  ["custom-fields-list.json", CustomFields.CustomFieldList as Schema.Schema<unknown, unknown>],
  ["custom-field-create-response.json", CustomFields.CustomFieldModel as Schema.Schema<unknown, unknown>],
  ["directory-entry.json", DirectorySchema.ContactResource as Schema.Schema<unknown, unknown>],
  ["directory-entries-list.json", DirectorySchema.DirectoryResource as Schema.Schema<unknown, unknown>],
  ["directory-federation.json", DirectorySchema.FederationResource as Schema.Schema<unknown, unknown>],
  ["directory-event.json", Events.DirectoryEvent as Schema.Schema<unknown, unknown>],
  ["subscription-create-webhook.json", Events.SubscriptionInfo as Schema.Schema<unknown, unknown>],
  ["subscription-read-disabled-filters.json", Events.SubscriptionInfo as Schema.Schema<unknown, unknown>],
  ["subscription-list-blacklisted.json", Events.SubscriptionListResource as Schema.Schema<unknown, unknown>],
  ["batch-provisioning-users-response.spec-composed.json", Provisioning.BatchProvisionUsersResponse as Schema.Schema<unknown, unknown>],
  ["bulk-delete-extensions-response.spec-composed.json", Provisioning.BulkDeleteUsersResponse as Schema.Schema<unknown, unknown>],
  ["caller-id-docs.json", Extensions.ExtensionCallerIdInfo as Schema.Schema<unknown, unknown>],
  ["caller-id-update-response.json", Extensions.ExtensionCallerIdInfo as Schema.Schema<unknown, unknown>],
  ["caller-id.json", Extensions.ExtensionCallerIdInfo as Schema.Schema<unknown, unknown>],
  ["conferencing.json", Extensions.GetConferencingInfoResponse as Schema.Schema<unknown, unknown>],
  ["grants-list-paged.json", Extensions.GetExtensionGrantListResponse as Schema.Schema<unknown, unknown>],
  ["grants-list-perpage-max.json", Extensions.GetExtensionGrantListResponse as Schema.Schema<unknown, unknown>],
  ["extension-custom-fields.json", Extensions.GetExtensionInfoResponse as Schema.Schema<unknown, unknown>],
  ["extension-info-with-departments.json", Extensions.GetExtensionInfoResponse as Schema.Schema<unknown, unknown>],
  ["extension-info.json", Extensions.GetExtensionInfoResponse as Schema.Schema<unknown, unknown>],
  ["extension-update-department-response.json", Extensions.GetExtensionInfoResponse as Schema.Schema<unknown, unknown>],
  ["extension-update-response.json", Extensions.GetExtensionInfoResponse as Schema.Schema<unknown, unknown>],
  ["notification-settings.json", Extensions.NotificationSettings as Schema.Schema<unknown, unknown>]
]

/** The fields the specification (or the real answers) require, never nulled. */
const requiredEverywhere = [
  "id", "records", "paging", "perPage", "access_token", "expires_in", "token_type", "uuid", "event", "timestamp", "body", "contacts",
  "uri", "eventFilters", "expirationTime", "status", "creationTime", "deliveryMode", "transportType", "filter", "reason", "results",
  "successful", "bulkItemSuccessful"
]

describe("hostile RingCentral server", () => {
  it("every sample still decodes with null in every optional field, at every depth, and its numbers as strings", () => {
    for (const [name, schema] of samples) {
      const decode = Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" })
      const sample = fixtureJson(name)
      for (const variant of [
        HostileProxy.nulls({ keep: requiredEverywhere })(sample),
        HostileProxy.nulls({ keep: requiredEverywhere, leaves: false })(sample),
        HostileProxy.numbersToStrings()(sample)
      ]) {
        const decoded = decode(variant)
        expect(Either.isRight(decoded) ? "ok" : `${name}: ${String(decoded.left)}`).toBe("ok")
      }
    }
  })

  it.scopedLive("null in every optional field, at every depth: the directory stream and snapshot read everyone", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ path: entries, times: Infinity, rewrite: HostileProxy.json(HostileProxy.nulls({ keep: required })) })
      const { ids, people, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed())
      // totals were nulled too: the short last page ends the read, and it is complete
      expect(completeness).toMatchObject({ complete: true, issues: [], unreadable: [] })
      expect(completeness.announced).toBeUndefined()
      expect(people.every((p) => p.name.given === undefined && p.contactPoints.length === 0)).toBe(true)
      // whole objects and arrays null
      yield* s.proxy.clear
      yield* s.proxy.add({ path: entries, times: Infinity, rewrite: HostileProxy.json(HostileProxy.nulls({ keep: [...required, "page", "totalPages", "totalElements", "pageStart"], leaves: false })) })
      expect(yield* Stream.runCount(s.people.stream)).toBe(s.listed().length)
      // a single entry
      yield* s.proxy.add({ path: entry, times: Infinity, rewrite: HostileProxy.json(HostileProxy.nulls({ keep: ["id"] })) })
      const one = yield* s.people.get(s.listed()[0]!)
      expect(one.provenance[0]!.remoteId).toBe(s.listed()[0])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("numbers as numeric strings: paging, ids and the token's expires_in", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ path: token, times: Infinity, rewrite: HostileProxy.json(HostileProxy.numbersToStrings()) })
      yield* s.proxy.add({ path: entries, times: Infinity, rewrite: HostileProxy.json(HostileProxy.numbersToStrings()) })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed())
      expect(completeness).toMatchObject({ complete: true, announced: s.listed().length })
      // the token answered "expires_in": "3600": authentication worked, once
      expect((yield* s.client.auth.stats).grants).toBe(1)
      // an extension id sent as a number, read as a string
      const me = yield* s.extensions.readExtension(s.emulator.store.ownerId)
      expect(me.id).toBe(s.emulator.store.ownerId)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("ids above 2^53 keep every digit, and a phone given only as e164 is kept", () =>
    Effect.gen(function*() {
      const s = yield* setup(20)
      const first = s.listed()[0]!
      yield* s.proxy.add({
        path: entries,
        times: Infinity,
        rewrite: [
          HostileProxy.json(HostileProxy.update("records", (records) =>
            (records as Array<Record<string, unknown>>).map((r) => ({
              ...r,
              phoneNumbers: ((r["phoneNumbers"] ?? []) as Array<Record<string, unknown>>).map(({ phoneNumber, ...rest }) => ({ ...rest, e164: phoneNumber }))
            })))),
          // last, on the text: a JSON number that a double cannot hold
          (a) => ({ ...a, body: a.body.replace(`"id":"${first}"`, "\"id\":8234962969801171948") })
        ]
      })
      const { ids, people, completeness } = yield* snapshot(s)
      expect(ids[0]).toBe("8234962969801171948")
      expect(ids.slice(1)).toEqual(s.listed().slice(1))
      expect(completeness.complete).toBe(true)
      const withPhones = s.emulator.store.list().filter(isListed).filter((e) => e.phoneNumbers.length > 0)
      expect(withPhones.length).toBeGreaterThan(0)
      for (const extension of withPhones.slice(1)) {
        const person = people.find((p) => p.provenance[0]!.remoteId === extension.id)!
        expect(person.contactPoints.filter((c) => c.kind === "phone").map((c) => c.value).sort()).toEqual(extension.phoneNumbers.map((p) => p.phoneNumber).sort())
      }
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("cut, stalled and empty page bodies are read again: nothing lost", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      // page 2: cut mid-way, then an empty 200, then whole; page 3: stalled, then closed
      yield* s.proxy.add({ name: "cut", path: entries, when: onPage(2), delivery: { _tag: "Truncate", bytes: 300 } })
      yield* s.proxy.add({ name: "empty", path: entries, when: onPage(2), skip: 1, respond: HostileProxy.answer(200, { headers: { "Content-Type": "application/json" } }) })
      yield* s.proxy.add({ name: "stall", path: entries, when: onPage(3), delivery: { _tag: "Stall", bytes: 300, millis: 150 } })
      const { ids, completeness } = yield* snapshot(s)
      expect(ids).toEqual(s.listed())
      expect(completeness.complete).toBe(true)
      const exchanges = (yield* s.proxy.exchanges).filter((e) => entries.test(e.path))
      expect(exchanges.map((e) => [e.search.match(/page=\d+/)?.[0], e.rules.join(",")])).toEqual([
        ["page=1", ""],
        ["page=2", "cut"],
        ["page=2", "empty"],
        ["page=2", ""],
        ["page=3", "stall"],
        ["page=3", ""]
      ])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("a body that stalls without end: read again once the configured per-attempt timeout (5 s) runs out, not a fixed 30 s", () =>
    Effect.gen(function*() {
      let entryHeaders = 0
      const s = yield* setup(10, {
        timeout: "5 seconds",
        transformClient: HttpClient.tap((response) =>
          Effect.sync(() => {
            if (entry.test(new URL(response.request.url).pathname)) entryHeaders++
          })
        )
      })
      const someone = s.listed()[2]!
      yield* s.proxy.add({ path: entry, delivery: { _tag: "Stall", bytes: 20 } })
      const start = yield* Clock.currentTimeMillis
      const fiber = yield* Effect.fork(s.people.get(someone))
      // real time for the sockets: the headers and 20 bytes of the body arrived
      yield* until(Effect.sync(() => entryHeaders === 1))
      yield* TestClock.adjust("4999 millis")
      yield* realPause(20)
      expect(fiber.unsafePoll()).toBeNull()
      // test time for the timeout, then for the backoff (never for the next attempt's timeout)
      yield* TestClock.adjust("1 millis")
      const person = yield* Effect.flatten(drive(fiber, "1 second"))
      expect(person.provenance[0]!.remoteId).toBe(someone)
      const elapsed = (yield* Clock.currentTimeMillis) - start
      expect(elapsed).toBeGreaterThanOrEqual(5000)
      expect(elapsed).toBeLessThan(30_000)
      expect((yield* s.proxy.exchanges).filter((e) => entry.test(e.path)).map((e) => e.delivery)).toEqual(["Stall", "Whole"])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a page body that stays cut fails the stream with Unavailable; the completeness says where it stopped", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ path: entries, when: onPage(2), times: Infinity, delivery: { _tag: "Truncate", bytes: 300 } })
      const result = yield* s.people.snapshot()
      if (result._tag !== "Modified") throw new Error("expected Modified")
      const failed = yield* Effect.flip(Stream.runCollect(result.people))
      expect(failed).toMatchObject({ _tag: "Unavailable", status: 200 })
      const completeness = yield* result.completeness
      expect(completeness.complete).toBe(false)
      expect(completeness.issues[0]).toMatch(/^page 2 could not be read: ringcentral\.listDirectoryEntries: reading the response body failed/)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an extension read whose body is cut, empty or not JSON is read again within the call", () =>
    Effect.gen(function*() {
      const s = yield* setup(10)
      const me = s.emulator.store.ownerId
      const path = `/restapi/v1.0/account/~/extension/${me}`
      yield* s.proxy.add({ name: "cut", path, method: "GET", delivery: { _tag: "Truncate", bytes: 50 } })
      yield* s.proxy.add({ name: "empty", path, method: "GET", skip: 1, respond: HostileProxy.answer(200, { headers: { "Content-Type": "application/json" } }) })
      yield* s.proxy.add({ name: "html", path, method: "GET", skip: 2, respond: HostileProxy.answer(200, { text: "<html>maintenance</html>", headers: { "Content-Type": "text/html" } }) })
      expect((yield* s.extensions.readExtension(me)).id).toBe(me)
      expect((yield* s.proxy.exchanges).filter((e) => e.path === path).map((e) => e.rules.join(","))).toEqual(["cut", "empty", "html", ""])
      // a body that stays cut: Unavailable after the retries, naming the status
      yield* s.proxy.add({ path, method: "GET", times: 6, delivery: { _tag: "Truncate", bytes: 50 } })
      expect(yield* Effect.flip(s.extensions.readExtension(me))).toMatchObject({ _tag: "Unavailable", status: 200 })
      // the next read is whole
      expect((yield* s.extensions.readExtension(me)).id).toBe(me)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("every client.json call and the token request read their body within the attempt: cut and empty answers are asked again", () =>
    Effect.gen(function*() {
      const s = yield* setup(10)
      const me = s.emulator.store.ownerId
      // the token answer: cut, then empty, then whole
      yield* s.proxy.add({ name: "cut", path: token, delivery: { _tag: "Truncate", bytes: 30 } })
      yield* s.proxy.add({ name: "empty", path: token, skip: 1, rewrite: HostileProxy.emptyBody })
      const fields = /\/custom-fields$/
      yield* s.proxy.add({ name: "cut", path: fields, method: "GET", delivery: { _tag: "Truncate", bytes: 5 } })
      const list = yield* s.customFields.listCustomFields
      expect(list.records).toEqual([])
      expect((yield* s.proxy.exchanges).filter((e) => token.test(e.path)).map((e) => e.rules.join(","))).toEqual(["cut", "empty", ""])
      expect((yield* s.client.auth.stats).grants).toBe(1)
      // reads of the other areas
      yield* s.proxy.add({ path: /\/caller-id$/, method: "GET", rewrite: HostileProxy.emptyBody })
      yield* s.proxy.add({ path: /\/notification-settings$/, method: "GET", delivery: { _tag: "Truncate", bytes: 7 } })
      expect((yield* s.extensions.readExtensionCallerId(me)).byFeature?.length).toBeGreaterThan(0)
      yield* s.extensions.readNotificationSettings(me)
      // an idempotent write (PUT) whose answer broke off is sent again: same result
      const callerId = yield* s.extensions.readExtensionCallerId(me)
      yield* s.proxy.add({ path: /\/caller-id$/, method: "PUT", delivery: { _tag: "Truncate", bytes: 10 } })
      yield* s.extensions.updateExtensionCallerId(me, callerId)
      expect((yield* s.proxy.exchanges).filter((e) => e.method === "PUT").length).toBe(2)
      // a create (POST) whose answer broke off is not sent again: a typed error, and it exists once
      yield* s.proxy.add({ path: fields, method: "POST", delivery: { _tag: "Truncate", bytes: 10 } })
      const cut = yield* Effect.flip(s.customFields.createCustomField({ displayName: "Cost center" }))
      expect(cut).toMatchObject({ _tag: "Unavailable" })
      expect((yield* s.proxy.exchanges).filter((e) => e.method === "POST" && fields.test(e.path)).length).toBe(1)
      expect((yield* s.customFields.listCustomFields).records.map((f) => f.displayName)).toEqual(["Cost center"])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("every token-expiry code of the platform: one refresh, one retry, the call succeeds", () =>
    Effect.gen(function*() {
      const s = yield* setup(10)
      const fields = /\/custom-fields$/
      yield* s.customFields.listCustomFields
      // each code in one of the body shapes the platform uses (the legacy envelope,
      // errors[] only, the OAuth shape for the OAuth codes)
      const shapes = (code: string, i: number): ReadonlyArray<unknown> =>
        code.includes("_")
          ? [{ error: code, error_description: "The access token expired" }]
          : [i % 2 === 0
            ? { errorCode: code, message: "Token is invalid or expired", errors: [{ errorCode: code, message: "Token not found" }] }
            : { errors: [{ errorCode: code, message: "Access token expired" }] }]
      let refreshes = 0
      for (const [i, code] of RingCentralError.tokenInvalidCodes.entries()) {
        for (const json of shapes(code, i)) {
          yield* s.proxy.add({ path: fields, method: "GET", respond: HostileProxy.answer(401, { json }) })
          const list = yield* s.customFields.listCustomFields
          expect(list.records).toEqual([])
          refreshes++
          expect({ code, refreshes: (yield* s.client.auth.stats).refreshes }).toEqual({ code, refreshes })
        }
      }
      // a bare 401 (no code at all) too
      yield* s.proxy.add({ path: fields, method: "GET", respond: HostileProxy.answer(401) })
      yield* s.customFields.listCustomFields
      expect((yield* s.client.auth.stats).refreshes).toBe(refreshes + 1)
      // refused again after the refresh: Unauthorized, no second refresh
      yield* s.proxy.add({ path: fields, method: "GET", times: 2, respond: HostileProxy.answer(401, { json: { errorCode: "OAU-128", message: "Access token expired" } }) })
      expect(yield* Effect.flip(s.customFields.listCustomFields)).toMatchObject({ _tag: "Unauthorized", remoteCode: "OAU-128" })
      expect((yield* s.client.auth.stats).refreshes).toBe(refreshes + 2)
      // a 401 that no new token can fix is refused at once
      yield* s.proxy.add({ path: fields, method: "GET", respond: HostileProxy.answer(401, { json: { errorCode: "OAU-146", message: "Invalid client credentials" } }) })
      expect(yield* Effect.flip(s.customFields.listCustomFields)).toMatchObject({ _tag: "Unauthorized", remoteCode: "OAU-146" })
      expect((yield* s.client.auth.stats).refreshes).toBe(refreshes + 2)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a server that echoes the credentials in its errors: no secret reaches an error", () =>
    Effect.gen(function*() {
      const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJlbXVsYXRvciIsInN1YiI6IjEyMyJ9.bm90LWEtcmVhbC1zaWduYXR1cmU"
      const clientSecret = "cs-7Hq2Lm9Xv4Rt8Wp3"
      const emulator = yield* Emulator.make({ size: 5, scale: 0.01, jwt, clientSecret })
      const proxy = yield* HostileProxy.make({ target: emulator.url })
      const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator, { serverUrl: proxy.url, retry: { base: "1 millis", times: 1 } }))
      const fields = yield* CustomFields.make.pipe(Effect.provideService(RingCentralClient.RingCentralClient, client))
      const echo = (status: number) => (request: HostileProxy.Request) =>
        HostileProxy.answer(status, {
          json: {
            error: "invalid_grant",
            error_description: `refused ${request.body} with ${request.headers["authorization"]} (${decodeURIComponent(request.body)})`,
            errors: [{ errorCode: "OAU-140", message: `credentials ${request.headers["authorization"]}`, parameterName: request.body }]
          }
        })
      yield* proxy.add({ path: token, respond: echo(400) })
      const refused = yield* Effect.flip(fields.listCustomFields)
      expect(refused).toMatchObject({ _tag: "InvalidRequest", method: "getToken" })
      const basic = Buffer.from(`${emulator.credentials.clientId}:${clientSecret}`).toString("base64")
      const forms = (e: PeopleError.PeopleError) => [String(e), e.message, JSON.stringify(e), e.reason]
      for (const form of forms(refused)) {
        for (const secret of [jwt, clientSecret, basic, encodeURIComponent(jwt), "eyJ"]) expect(form).not.toContain(secret)
      }
      // the access token, echoed by an API error
      yield* fields.listCustomFields
      const access = Redacted.value(yield* client.auth.token)
      yield* proxy.add({ path: /\/custom-fields$/, respond: (request) => HostileProxy.answer(403, { json: { errorCode: "CMN-401", message: `no permission for ${request.headers["authorization"]} / ${access}` } }) })
      const forbidden = yield* Effect.flip(fields.listCustomFields)
      expect(forbidden).toMatchObject({ _tag: "Forbidden", remoteCode: "CMN-401" })
      for (const form of forms(forbidden)) expect(form).not.toContain(access)
      expect(forbidden.reason).toBe("no permission for Bearer [redacted] / [redacted]")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("odd header casing: ETag, rate-limit and content headers in upper and mixed case", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      yield* s.proxy.add({ times: Infinity, rewrite: HostileProxy.headerCase("upper") })
      const first = yield* snapshot(s)
      expect(first.ids).toEqual(s.listed())
      const result = yield* s.people.snapshot()
      if (result._tag !== "Modified") throw new Error("expected Modified")
      expect(result.version).toBeDefined()
      yield* s.proxy.clear
      yield* s.proxy.add({ times: Infinity, rewrite: HostileProxy.headerCase("mixed") })
      // the ETag read under odd casing still makes the next read conditional
      expect(yield* s.people.snapshot({ ifNoneMatch: result.version! })).toEqual({ _tag: "NotModified", version: result.version })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("alternate error shapes give typed errors naming the code and the field", () =>
    Effect.gen(function*() {
      const s = yield* setup(10)
      const someone = s.listed()[1]!
      const errorsOnly = HostileProxy.answer(404, { json: { errors: [{ errorCode: "ADG-122", message: "Contact not found." }] } })
      const legacy = HostileProxy.answer(404, { json: { errorCode: "CMN-102", message: "Resource for parameter [entryId] is not found", errors: [] } })
      const oauth = HostileProxy.answer(400, { json: { error: "invalid_request", error_description: "perPage is invalid", errors: [{ errorCode: "OAU-101", parameterName: "perPage" }] } })
      const html = HostileProxy.answer(503, { text: "<html><body>Service Unavailable</body></html>", headers: { "Content-Type": "text/html" } })
      yield* s.proxy.add({ path: entry, respond: errorsOnly })
      expect(yield* Effect.flip(s.people.get(someone))).toMatchObject({ _tag: "NotFound", remoteCode: "ADG-122", status: 404 })
      yield* s.proxy.add({ path: entry, respond: legacy })
      expect(yield* Effect.flip(s.people.get(someone))).toMatchObject({ _tag: "NotFound", remoteCode: "CMN-102", status: 404 })
      // an HTML 503 is retried, then the answer is read
      yield* s.proxy.add({ path: entry, times: 2, respond: html })
      expect((yield* s.people.get(someone)).provenance[0]!.remoteId).toBe(someone)
      // a refused parameter names the field
      yield* s.proxy.add({ path: entries, respond: oauth })
      const refused = yield* Effect.flip(s.directory.listDirectoryEntries({ perPage: 100 }))
      expect(refused).toMatchObject({ _tag: "InvalidRequest", field: "perPage", remoteCode: "OAU-101", status: 400 })
      // a 429 with Retry-After, then the read goes on with nothing lost
      yield* s.proxy.add({ path: entries, respond: HostileProxy.answer(429, { json: { errorCode: "CMN-301", message: "Request rate exceeded" }, headers: { "Retry-After": "0" } }) })
      expect(yield* Stream.runCount(s.people.stream)).toBe(s.listed().length)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a wrong value is a DecodeError naming the field (a single read), or an unreadable record naming it (a listing)", () =>
    Effect.gen(function*() {
      const s = yield* setup(10)
      const me = s.emulator.store.ownerId
      yield* s.proxy.add({ path: `/restapi/v1.0/account/~/extension/${me}`, method: "GET", rewrite: HostileProxy.json(HostileProxy.set("contact.email", 42)) })
      expect(yield* Effect.flip(s.extensions.readExtension(me))).toMatchObject({ _tag: "DecodeError", path: "contact.email" })
      yield* s.proxy.add({ path: entries, rewrite: HostileProxy.json(HostileProxy.update("records.2.status", () => ["Enabled"])) })
      const { completeness } = yield* snapshot(s)
      expect(completeness.unreadable).toEqual([{ remoteId: s.listed()[2], path: "page 1, records[2].status", reason: expect.stringContaining('actual ["Enabled"]') }])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("caller id: the body read is accepted back as the update body", () =>
    Effect.gen(function*() {
      const s = yield* setup(10)
      const me = s.emulator.store.ownerId
      const read = yield* s.extensions.readExtensionCallerId(me)
      // accepted locally and by the server (it answers the settings as it stored them)
      const written = yield* s.extensions.updateExtensionCallerId(me, read)
      expect(written.byFeature?.map((f) => f.feature)).toEqual(read.byFeature?.map((f) => f.feature))
      expect((yield* s.proxy.exchanges).filter((e) => e.method === "PUT" && e.path.endsWith("/caller-id")).map((e) => e.status)).toEqual([200])
      // and the documentation's sample, with its read-only uri and phoneNumber
      const sample = Schema.decodeUnknownSync(Extensions.ExtensionCallerIdInfo)(fixtureJson("caller-id-docs.json"))
      expect(Either.isRight(yield* Effect.either(Request.validate(Extensions.ExtensionCallerIdInfoRequest, "updateExtensionCallerId")(sample)))).toBe(true)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
