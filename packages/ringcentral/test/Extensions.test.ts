import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as ContactPoint from "@unified-people/core/ContactPoint"
import * as Person from "@unified-people/core/Person"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import type * as Store from "@unified-people/testkit/RingCentralEmulator/Store"
import * as Extensions from "../src/Extensions.js"
import type { ExtensionUpdateRequest } from "../src/Extensions/Schema.js"
import * as RingCentralClient from "../src/RingCentralClient.js"

const setup = (options: Emulator.Options = {}) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ size: 30, federatedShare: 0, ...options })
    const sent: Array<HttpClientRequest.HttpClientRequest> = []
    const client = yield* RingCentralClient.make(
      Emulator.clientOptions(emulator, {
        mediaUrl: emulator.url,
        transformClient: (c) => HttpClient.tapRequest(c, (request) => Effect.sync(() => sent.push(request)))
      })
    )
    const extensions = yield* Effect.provide(Extensions.make, Context.make(RingCentralClient.RingCentralClient, client))
    const changes: Array<Store.Change> = []
    emulator.store.subscribe((change) => changes.push(change))
    const requests = (method: string, suffix: string) =>
      emulator.context.log().filter((r) => r.method === method && r.path.endsWith(suffix))
    return { emulator, client, extensions, changes, sent, requests }
  })

const bodyOf = (request: HttpClientRequest.HttpClientRequest | undefined): unknown =>
  request?.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : undefined

const owner = (emulator: Emulator.Emulator) => emulator.store.get(emulator.store.ownerId)!

const DirectoryEntry = Schema.Struct({
  id: Schema.String,
  jobTitle: Schema.optional(Schema.String),
  department: Schema.optional(Schema.String),
  lastName: Schema.optional(Schema.String)
})

describe("Extensions over HTTP", () => {
  it.scopedLive("readExtension: the wire id is a number, the model id a string; unknown ids are NotFound", () =>
    Effect.gen(function*() {
      const { client, emulator, extensions } = yield* setup()
      const me = owner(emulator)
      const response = yield* client.execute(HttpClientRequest.get(client.accountPath(`/extension/${me.id}`)), {
        method: "readExtension",
        group: "Light"
      })
      const text = yield* Effect.orDie(response.text)
      expect(text).toContain(`"id":${me.id}`)
      const extension = yield* extensions.readExtension()
      expect(extension.id).toBe(me.id)
      expect(extension.contact?.email).toBe(me.contact.email)
      const person = yield* extensions.readPerson(me.id)
      expect(person.id).toBe(`ringcentral:${me.id}`)
      expect(person.name.given).toBe(me.contact.firstName)
      expect(person.department).toBe(me.contact.department)
      // an unassigned extension is sparse on the wire, as in the docs sample
      const unassigned = emulator.store.create({ status: "Unassigned", contact: { firstName: "Ghost" } })
      const sparse = yield* extensions.readExtension(unassigned.id)
      expect(sparse.status).toBe("Unassigned")
      expect(sparse.contact).toBeUndefined()
      expect(sparse.extensionNumber).toBeUndefined()
      expect(Extensions.toPerson(sparse).status).toBe("Unassigned")
      const missing = yield* Effect.either(extensions.readExtension("1"))
      expect(Either.isLeft(missing) && missing.left._tag).toBe("NotFound")
      expect(Either.isLeft(missing) && missing.left.remoteCode).toBe("CMN-102")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("updateExtension sends only the fields set, round-trips through read, and updates the directory", () =>
    Effect.gen(function*() {
      const { client, emulator, extensions, changes, sent } = yield* setup()
      const field = emulator.store.createCustomField({ category: "User", displayName: "Badge" })
      if (field === "limit") throw new Error("no custom field")
      const target = emulator.store.list().find((e) => e.type === "User" && e.id !== emulator.store.ownerId)!
      const before = structuredClone(target)
      const updated = yield* extensions.updateExtension(target.id, {
        contact: { lastName: "Brown", jobTitle: "CTO", mobilePhone: "+16505550199" },
        customFields: [{ id: field.id, value: "B-7" }]
      })
      const put = sent.filter((r) => r.method === "PUT").at(-1)
      expect(bodyOf(put)).toEqual({
        contact: { lastName: "Brown", jobTitle: "CTO", mobilePhone: "+16505550199" },
        customFields: [{ id: field.id, value: "B-7" }]
      })
      expect(updated.contact?.lastName).toBe("Brown")
      // the derived name lags behind the contact, as on the real server
      expect(updated.name).toBe(before.name)
      const read = yield* extensions.readExtension(target.id)
      expect(read.contact?.jobTitle).toBe("CTO")
      expect(read.contact?.mobilePhone).toBe("+16505550199")
      expect(read.contact?.email).toBe(before.contact.email)
      expect(read.contact?.department).toBe(before.contact.department)
      expect(read.customFields).toEqual([{ id: field.id, value: "B-7", displayName: "Badge" }])
      const person = Extensions.toPerson(read)
      expect(person.name.family).toBe("Brown")
      expect(person.customFields).toEqual({ Badge: "B-7" })
      expect(person.contactPoints.find((p) => p.label === "mobile")?.normalized).toBe("+16505550199")
      expect(changes.map((c) => [c.eventType, c.extension.id])).toEqual([["Update", target.id]])
      const entry = yield* client.json(DirectoryEntry)(
        HttpClientRequest.get(client.accountPath(`/directory/entries/${target.id}`)),
        { method: "readDirectoryEntry", group: "Medium" }
      )
      expect(entry.jobTitle).toBe("CTO")
      expect(entry.lastName).toBe("Brown")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("updatePerson writes custom fields by name, listing the definitions when none are given", () =>
    Effect.gen(function*() {
      const { emulator, extensions, requests } = yield* setup()
      const field = emulator.store.createCustomField({ category: "User", displayName: "Badge" })
      if (field === "limit") throw new Error("no custom field")
      const me = owner(emulator)
      const result = yield* extensions.updatePerson(me.id, { customFields: { Badge: "B-1", Nope: "x" }, department: "Research" })
      expect(result.person.customFields).toEqual({ Badge: "B-1" })
      expect(result.person.department).toBe("Research")
      expect(result.unsupported.map((u) => u.field)).toEqual(["customFields.Nope"])
      expect(requests("GET", "/custom-fields").length).toBe(1)
      expect(emulator.store.get(me.id)?.customFields).toEqual({ [field.id]: "B-1" })
      // nothing storable: nothing is written
      const nothing = yield* extensions.updatePerson(me.id, { employeeNumber: "E-1" })
      expect(nothing.unsupported.map((u) => u.field)).toEqual(["employeeNumber"])
      expect(requests("PUT", `/extension/${me.id}`).length).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("secrets of an update travel only on the wire, never in errors", () =>
    Effect.gen(function*() {
      const { emulator, extensions, sent } = yield* setup()
      const me = owner(emulator)
      yield* extensions.updateExtension(me.id, { password: Redacted.make("s3cret-pass"), ivrPin: Redacted.make("246810") })
      expect(bodyOf(sent.filter((r) => r.method === "PUT").at(-1))).toEqual({ password: "s3cret-pass", ivrPin: "246810" })
      const refused = yield* Effect.flip(
        extensions.updateExtension(me.id, { password: Redacted.make("s3cret-pass"), contact: { email: "bad" } })
      )
      expect(refused._tag).toBe("InvalidRequest")
      const shown = `${refused.message} ${String(refused)} ${JSON.stringify(refused)}`
      expect(shown).not.toContain("s3cret-pass")
      expect(shown).toContain("contact.email")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an update the spec forbids is refused locally and never sent", () =>
    Effect.gen(function*() {
      const { emulator, extensions, requests } = yield* setup()
      const me = owner(emulator)
      const bad = yield* Effect.either(extensions.updateExtension(me.id, { contact: { email: "not-an-email", jobTitle: "x".repeat(65) } }))
      expect(Either.isLeft(bad)).toBe(true)
      if (Either.isLeft(bad)) {
        expect(bad.left._tag).toBe("InvalidRequest")
        if (bad.left._tag === "InvalidRequest") {
          expect(bad.left.sent).toBe(false)
          expect(bad.left.violations?.map((v) => v.field).sort()).toEqual(["contact.email", "contact.jobTitle"])
        }
      }
      const status = yield* Effect.either(
        // a JavaScript caller can pass anything: the read-only status is refused
        extensions.updateExtension(me.id, { status: "Unassigned" } as unknown as ExtensionUpdateRequest)
      )
      expect(Either.isLeft(status) && status.left._tag === "InvalidRequest" && status.left.field).toBe("status")
      expect(requests("PUT", `/extension/${me.id}`)).toEqual([])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an update the server refuses answers parameterName and changes nothing", () =>
    Effect.gen(function*() {
      const { emulator, extensions, changes, requests } = yield* setup()
      const [a, b] = emulator.store.list().filter((e) => e.type === "User" && e.extensionNumber !== undefined)
      const before = structuredClone(a!)
      const unknownField = yield* Effect.either(
        extensions.updateExtension(a!.id, { contact: { jobTitle: "Changed" }, customFields: [{ id: "404404", value: "x" }] })
      )
      expect(Either.isLeft(unknownField)).toBe(true)
      if (Either.isLeft(unknownField) && unknownField.left._tag === "InvalidRequest") {
        expect(unknownField.left.sent).toBe(true)
        expect(unknownField.left.field).toBe("customFields[0].id")
        expect(unknownField.left.remoteCode).toBe("CMN-101")
        expect(unknownField.left.status).toBe(400)
      } else expect.fail("expected InvalidRequest")
      const duplicate = yield* Effect.either(extensions.updateExtension(a!.id, { extensionNumber: b!.extensionNumber!, contact: { department: "X" } }))
      expect(Either.isLeft(duplicate) && duplicate.left._tag === "InvalidRequest" && duplicate.left.field).toBe("extensionNumber")
      const site = yield* Effect.either(extensions.updateExtension(a!.id, { site: { id: "no-such-site" } }))
      expect(Either.isLeft(site) && site.left._tag === "InvalidRequest" && site.left.field).toBe("site.id")
      expect(requests("PUT", `/extension/${a!.id}`).map((r) => r.status)).toEqual([400, 400, 400])
      expect(emulator.store.get(a!.id)).toEqual(before)
      expect(changes).toEqual([])
      const read = yield* extensions.readExtension(a!.id)
      expect(read.contact?.jobTitle).toBe(before.contact.jobTitle)
      expect(read.extensionNumber).toBe(before.extensionNumber)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("grants: one page, every page as a stream, filtered by type", () =>
    Effect.gen(function*() {
      const { emulator, extensions, requests } = yield* setup()
      const others = emulator.store.list().filter((e) => e.id !== emulator.store.ownerId && e.status !== "Unassigned")
      const first = yield* extensions.listExtensionGrants("~", { perPage: 4 })
      expect(first.records.length).toBe(4)
      expect(first.paging?.totalElements).toBe(others.length)
      expect(first.navigation?.nextPage).toBeDefined()
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(extensions.streamExtensionGrants("~", { perPage: 4 })))
      expect(all.map((g) => g.extension?.id).sort()).toEqual(others.map((e) => e.id).sort())
      expect(requests("GET", "/grant").length).toBe(1 + Math.ceil(others.length / 4))
      // grant flags the server leaves out stay unknown
      expect(all.some((g) => g.callOnBehalfOf === undefined)).toBe(true)
      const queues = yield* extensions.listExtensionGrants("~", { extensionType: ["Department"] })
      expect(queues.records.length).toBe(others.filter((e) => e.type === "Department").length)
      expect(queues.records.every((g) => g.extension?.type === "Department")).toBe(true)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("caller id round trip", () =>
    Effect.gen(function*() {
      const { emulator, extensions } = yield* setup()
      const me = owner(emulator)
      const initial = yield* extensions.readExtensionCallerId(me.id)
      expect(initial.byFeature?.find((f) => f.feature === "Alternate")?.callerId).toEqual({})
      const number = me.phoneNumbers[0]!
      const updated = yield* extensions.updateExtensionCallerId(me.id, {
        byFeature: [
          { feature: "RingOut", callerId: { type: "Blocked" } },
          { feature: "MobileApp", callerId: { type: "PhoneNumber", phoneInfo: { id: number.id } } }
        ],
        extensionNameForOutboundCalls: true
      })
      const read = yield* extensions.readExtensionCallerId(me.id)
      expect(read).toEqual(updated)
      expect(read.byFeature?.find((f) => f.feature === "RingOut")?.callerId).toEqual({ type: "Blocked" })
      expect(read.byFeature?.find((f) => f.feature === "MobileApp")?.callerId?.phoneInfo?.phoneNumber).toBe(number.phoneNumber)
      expect(read.extensionNameForOutboundCalls).toBe(true)
      expect(read.byFeature?.find((f) => f.feature === "RingMe")).toEqual(initial.byFeature?.find((f) => f.feature === "RingMe"))
      const bad = yield* Effect.either(
        extensions.updateExtensionCallerId(me.id, { byFeature: [{ feature: "RingOut", callerId: { type: "PhoneNumber", phoneInfo: { id: "999" } } }] })
      )
      expect(Either.isLeft(bad) && bad.left._tag === "InvalidRequest" && bad.left.field).toBe("byFeature[0].callerId.phoneInfo.id")
      expect(yield* extensions.readExtensionCallerId(me.id)).toEqual(read)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("notification settings round trip; bad addresses are refused before sending", () =>
    Effect.gen(function*() {
      const { emulator, extensions, requests } = yield* setup()
      const me = owner(emulator)
      const initial = yield* extensions.readNotificationSettings(me.id)
      expect(initial.emailAddresses).toEqual([me.contact.email])
      yield* extensions.updateNotificationSettings(me.id, {
        emailAddresses: ["alice.smith@example.com", "bob.johnson@example.com"],
        advancedMode: true,
        voicemails: { notifyBySms: true, advancedSmsEmailAddresses: ["8004576498@txt.att.net"], includeTranscription: true }
      })
      const read = yield* extensions.readNotificationSettings(me.id)
      expect(read.emailAddresses).toEqual(["alice.smith@example.com", "bob.johnson@example.com"])
      expect(read.advancedMode).toBe(true)
      expect(read.voicemails?.notifyBySms).toBe(true)
      expect(read.voicemails?.includeTranscription).toBe(true)
      expect(read.voicemails?.advancedSmsEmailAddresses).toEqual(["8004576498@txt.att.net"])
      // untouched fields keep their values
      expect(read.voicemails?.notifyByEmail).toBe(initial.voicemails?.notifyByEmail)
      expect(read.missedCalls).toEqual(initial.missedCalls)
      const bad = yield* Effect.either(extensions.updateNotificationSettings(me.id, { emailAddresses: ["ok@example.com", "nope"] }))
      expect(Either.isLeft(bad) && bad.left._tag === "InvalidRequest" && bad.left.sent === false && bad.left.field).toBe("emailAddresses[1]")
      expect(requests("PUT", "/notification-settings").length).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("conferencing: padded numbers are trimmed; the default number and join-before-host round-trip", () =>
    Effect.gen(function*() {
      const { emulator, extensions } = yield* setup()
      const me = owner(emulator)
      const initial = yield* extensions.readConferencingSettings(me.id)
      expect(initial.phoneNumber).toBe(initial.phoneNumber?.trim())
      expect(initial.phoneNumbers?.length).toBe(3)
      const second = initial.phoneNumbers![1]!.phoneNumber!
      yield* extensions.updateConferencingSettings(me.id, { phoneNumbers: [{ phoneNumber: second, default: true }], allowJoinBeforeHost: true })
      const read = yield* extensions.readConferencingSettings(me.id)
      expect(read.phoneNumber).toBe(second)
      expect(read.allowJoinBeforeHost).toBe(true)
      expect(read.phoneNumbers?.filter((n) => n.default === true).map((n) => n.phoneNumber)).toEqual([second])
      const bad = yield* Effect.either(extensions.updateConferencingSettings(me.id, { phoneNumbers: [{ phoneNumber: "+15550000000", default: true }] }))
      expect(Either.isLeft(bad) && bad.left._tag === "InvalidRequest" && bad.left.field).toBe("phoneNumbers[0].phoneNumber")
      expect((yield* extensions.readConferencingSettings(me.id)).phoneNumber).toBe(second)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("each operation runs under its throttling group on both sides", () =>
    Effect.gen(function*() {
      const { client, emulator, extensions } = yield* setup()
      const me = owner(emulator)
      const expected: Record<keyof typeof Extensions.operations, "Light" | "Medium"> = {
        readExtension: "Light",
        updateExtension: "Medium",
        listExtensionGrants: "Light",
        readExtensionCallerId: "Light",
        updateExtensionCallerId: "Medium",
        readNotificationSettings: "Light",
        updateNotificationSettings: "Medium",
        readConferencingSettings: "Light",
        updateConferencingSettings: "Medium"
      }
      const calls: Record<keyof typeof Extensions.operations, Effect.Effect<unknown, unknown>> = {
        readExtension: extensions.readExtension(me.id),
        updateExtension: extensions.updateExtension(me.id, { contact: { jobTitle: "T" } }),
        listExtensionGrants: extensions.listExtensionGrants(me.id),
        readExtensionCallerId: extensions.readExtensionCallerId(me.id),
        updateExtensionCallerId: extensions.updateExtensionCallerId(me.id, { extensionNameForOutboundCalls: false }),
        readNotificationSettings: extensions.readNotificationSettings(me.id),
        updateNotificationSettings: extensions.updateNotificationSettings(me.id, { advancedMode: false }),
        readConferencingSettings: extensions.readConferencingSettings(me.id),
        updateConferencingSettings: extensions.updateConferencingSettings(me.id, { allowJoinBeforeHost: false })
      }
      for (const [name, group] of Object.entries(expected) as Array<[keyof typeof expected, "Light" | "Medium"]>) {
        expect(Extensions.operations[name].group).toBe(group)
        const before = (yield* client.limiter.stats).buckets[group]?.requests ?? 0
        yield* calls[name]
        const after = (yield* client.limiter.stats).buckets[group]?.requests ?? 0
        expect([name, after - before]).toEqual([name, 1])
        expect([name, emulator.context.log().at(-1)?.group]).toEqual([name, group])
      }
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a malformed body is read again, then a DecodeError at body; a 503 is retried", () =>
    Effect.gen(function*() {
      const { emulator, extensions } = yield* setup()
      yield* emulator.faults.inject({ fault: { _tag: "Malformed" }, path: /\/extension\/[^/]+$/ })
      expect((yield* extensions.readExtension()).id).toBe(emulator.store.ownerId)
      // one attempt and the policy's 5 retries
      yield* emulator.faults.inject({ fault: { _tag: "Malformed" }, times: 6, path: /\/extension\/[^/]+$/ })
      const malformed = yield* Effect.either(extensions.readExtension())
      expect(Either.isLeft(malformed) && malformed.left._tag === "DecodeError" && malformed.left.path).toBe("body")
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 503, body: { errorCode: "CMN-211", message: "Service Temporary Unavailable" } }, path: /\/caller-id$/ })
      const callerId = yield* extensions.readExtensionCallerId()
      expect(callerId.byFeature?.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("Person -> extension -> Person", () => {
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z' -]{0,18}[A-Za-z]$/)
  const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 &.-]{0,30}[A-Za-z0-9]$/)
  const phone = fc.tuple(fc.integer({ min: 2_000_000, max: 9_999_999 }), fc.option(fc.integer({ min: 1, max: 9999 }), { nil: undefined }))
    .map(([n, ext]) => `+1650${n}${ext === undefined ? "" : ` ext. ${ext}`}`)
  const arbitrary = fc.record({
    given: name,
    family: name,
    jobTitle: fc.option(text, { nil: undefined }),
    department: fc.option(text, { nil: undefined }),
    company: fc.option(text, { nil: undefined }),
    // a valid local part: no two dots in a row (core Normalize refuses "a..0@…")
    email: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,5}(\.[a-z0-9]{1,5})?$/), fc.constantFrom("example.com", "example.org")).map(([l, d]) => `${l}@${d}`),
    business: fc.option(phone, { nil: undefined }),
    mobile: fc.option(phone, { nil: undefined }),
    badge: fc.option(text, { nil: undefined }),
    cost: fc.option(text, { nil: undefined })
  })

  it.scopedLive("preserves every field the model and RingCentral both hold", () =>
    Effect.gen(function*() {
      const { emulator, extensions } = yield* setup({ size: 5 })
      const badge = emulator.store.createCustomField({ category: "User", displayName: "Badge" })
      const cost = emulator.store.createCustomField({ category: "User", displayName: "Cost Center" })
      if (badge === "limit" || cost === "limit") throw new Error("no custom field")
      const definitions = [badge, cost]
      const me = owner(emulator)
      const source = new ContactPoint.SourceRef({ system: "test" })
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(arbitrary, async (input) => {
            const person = new Person.Person({
              id: "test:1",
              name: new Person.Name({ given: input.given, family: input.family }),
              ...(input.jobTitle === undefined ? {} : { jobTitle: input.jobTitle }),
              ...(input.department === undefined ? {} : { department: input.department }),
              ...(input.company === undefined ? {} : { company: new Person.Reference({ name: input.company }) }),
              contactPoints: [
                ContactPoint.make({ kind: "email", value: input.email, label: "work", source }),
                ...(input.business === undefined ? [] : [ContactPoint.make({ kind: "phone", value: input.business, label: "work", source })]),
                ...(input.mobile === undefined ? [] : [ContactPoint.make({ kind: "phone", value: input.mobile, label: "mobile", source })])
              ],
              customFields: {
                ...(input.badge === undefined ? {} : { Badge: input.badge }),
                ...(input.cost === undefined ? {} : { "Cost Center": input.cost })
              },
              provenance: []
            })
            const written = await Effect.runPromise(extensions.updatePerson(me.id, person, { clear: true, customFields: definitions }))
            expect(written.unsupported).toEqual([])
            const read = await Effect.runPromise(extensions.readPerson(me.id))
            for (const back of [written.person, read]) {
              expect(back.name.given).toBe(person.name.given)
              expect(back.name.family).toBe(person.name.family)
              expect(back.jobTitle).toBe(person.jobTitle)
              expect(back.department).toBe(person.department)
              expect(back.company?.name).toBe(person.company?.name)
              expect(back.customFields).toEqual(person.customFields)
              const keys = (p: Person.Person) =>
                p.contactPoints
                  .filter((c) => c.kind === "email" || c.label === "work" || c.label === "mobile")
                  .filter((c) => c.source?.remoteId === undefined || c.source.remoteId === me.id)
                  .map((c) => `${c.label}:${c.key}`)
                  .sort()
              // the extension's own numbers (phoneNumbers) are not part of the extension resource
              expect(keys(back)).toEqual(keys(person))
            }
          }),
          { numRuns: 25 }
        )
      )
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
