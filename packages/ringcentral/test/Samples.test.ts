import type * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as PolicyModule from "@unified-people/core/HttpPolicy"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Auth from "../src/Auth.js"
import * as CustomFields from "../src/CustomFields.js"
import * as Directory from "../src/Directory.js"
import * as DirectorySchema from "../src/Directory/Schema.js"
import * as Events from "../src/Events.js"
import * as Extensions from "../src/Extensions.js"
import * as RingCentralClient from "../src/RingCentralClient.js"
import * as RingCentralError from "../src/RingCentralError.js"
import { fixture, fixtureJson } from "./utils.js"

const decode = <A, I>(schema: Schema.Schema<A, I>, name: string) =>
  Schema.decodeUnknownSync(schema, { onExcessProperty: "ignore" })(fixtureJson(name))

const ctx: HttpPolicy.ErrorContext = { module: "ringcentral", method: "test", bucket: "Medium", retryAfterMillis: undefined }

describe("ids", () => {
  it("ids are branded strings read liberally: numbers become strings, ids beyond 2^53 keep every digit, null is absent", () =>
    Effect.gen(function*() {
      const text = '{"records":[{"id":9007199254740993,"customFields":[{"id":42,"name":"Badge","value":null}]},{"id":"12"}],"paging":{"perPage":"2"}}'
      const page = yield* PolicyModule.decodeText(DirectorySchema.DirectoryResource, { module: "ringcentral", method: "test" })(text)
      const first: Extensions.ExtensionId = page.records[0]!.id
      expect(first).toBe("9007199254740993")
      const field: CustomFields.CustomFieldId | undefined = page.records[0]!.customFields?.[0]?.id
      expect(field).toBe("42")
      expect(page.records[0]!.customFields?.[0]).not.toHaveProperty("value")
      expect(page.records[1]!.id).toBe("12")
      expect(page.paging.perPage).toBe(2)
      expect(Extensions.ExtensionId.make("~")).toBe("~")
      const subscription = Schema.decodeUnknownSync(Events.SubscriptionId)(7)
      expect(subscription).toBe("7")
    }).pipe(Effect.runPromise))
})

describe("samples", () => {
  it("directory list: 5 records despite totalElements 3, Department entries, number without type", () => {
    const page = decode(DirectorySchema.DirectoryResource, "directory-entries-list.json")
    expect(page.records.length).toBe(5)
    expect(page.paging.totalElements).toBe(3)
    expect(RingCentralClient.isLastPage(page, 1)).toBe(true)
    const people = page.records.map((r) => Directory.toPerson(r))
    expect(people[0]!.name.given).toBe("RCV")
    expect(people[0]!.contactPoints.map((p) => [p.label, p.capabilities, p.primary])).toEqual([
      ["work", undefined, true],
      ["work", ["voice", "fax"], true],
      ["work", ["voice", "fax"], undefined],
      ["work", undefined, undefined]
    ])
    expect(people[0]!.contactPoints[3]!.normalized).toBe("+16504878235")
    expect(people[3]!.name.display).toBe("Tech Support")
    expect(people[3]!.name.given).toBeUndefined()
    expect(people[4]!.contactPoints).toEqual([])
    expect(people[4]!.company?.id).toBe("1737819004")
  })

  it("directory search x-http example is not JSON: a clean DecodeError at body", () =>
    Effect.gen(function*() {
      const text = fixture("directory-entries-search.x-http-example.txt")
      const error = yield* Effect.flip(PolicyModule.decodeText(DirectorySchema.DirectoryResource, { module: "ringcentral", method: "searchDirectoryEntries" })(text))
      expect(error._tag).toBe("DecodeError")
      expect(error.path).toBe("body")
    }).pipe(Effect.runPromise))

  it("directory entry, federation and event", () => {
    const entry = decode(DirectorySchema.ContactResource, "directory-entry.json")
    expect(entry.id).toBe("400248807008")
    expect(entry.account?.id).toBe(entry.id)
    const federation = decode(DirectorySchema.FederationResource, "directory-federation.json")
    expect(federation.type).toBeUndefined()
    expect(federation.accounts?.map((a) => a.conflictCount)).toEqual([0, 3])
    const event = decode(Events.DirectoryEvent, "directory-event.json")
    const contact = event.body.contacts[0]!
    expect(contact.eventType).toBe("Update")
    const person = Directory.toPerson(contact)
    expect(person.photo?.etag).toBe("a4cf0cfe3eff6c81b8c0bab7f3649502")
    expect(person.photo?.uri).toBeUndefined()
    expect(person.name).toMatchObject({ given: "John", family: "Smith" })
    expect(person.site?.name).toBe("West branch")
  })

  it("custom fields: category Extension kept as an unknown value", () => {
    const list = decode(CustomFields.CustomFieldList, "custom-fields-list.json")
    expect(list.records.map((r) => r.category)).toEqual(["Extension", "Extension"])
    const created = decode(CustomFields.CustomFieldModel, "custom-field-create-response.json")
    expect(created).toMatchObject({ id: "220001", category: "User", displayName: "Employee ID" })
  })

  it("error bodies in every shape keep their code and parameter", () => {
    const e404 = RingCentralError.fromBody(ctx, 404, fixture("error-404-cmn-102.json"))
    expect(e404._tag).toBe("NotFound")
    expect(e404.remoteCode).toBe("CMN-102")
    const e400 = RingCentralError.fromBody(ctx, 400, fixture("error-400-cmn-101-errors-only.json"))
    expect(e400._tag).toBe("InvalidRequest")
    expect(e400.remoteCode).toBe("CMN-101")
    expect(e400.reason).toContain("WholeCompany")
    const legacy = RingCentralError.parse(fixture("error-404-cmn-102.json"))
    expect(legacy.parameterName).toBe("messageId")
    const e429 = RingCentralError.fromBody({ ...ctx, retryAfterMillis: 60_000 }, 429, fixture("error-429-cmn-301.json"))
    expect(e429).toMatchObject({ _tag: "RateLimited", remoteCode: "CMN-301", retryAfterMillis: 60_000 })
    const sub = RingCentralError.fromBody(ctx, 400, fixture("subscription-create-error-400-sub-524.json"))
    expect(sub).toMatchObject({ _tag: "InvalidRequest", remoteCode: "SUB-524" })
    // comments and trailing commas: not JSON, still a typed error from the status
    const docs = RingCentralError.fromBody(ctx, 400, fixture("error-sample-docs.txt"))
    expect(docs._tag).toBe("InvalidRequest")
    expect(docs.remoteCode).toBeUndefined()
    const html = RingCentralError.fromBody(ctx, 502, "<html><body>Bad Gateway</body></html>")
    expect(html).toMatchObject({ _tag: "Unavailable", status: 502 })
    expect(RingCentralError.normalizeCode("ErrorCode{code='ADG-122', httpStatus=404, description='Contact not found.'}")).toBe("ADG-122")
  })

  it("token response: lower-case bearer, no session_id, token redacted", () => {
    const token = decode(Auth.TokenInfo, "token-response.json")
    expect(token.expires_in).toBe(7199)
    expect(token.token_type).toBe("bearer")
    expect(String(token.access_token)).not.toContain("U1BC")
    expect(Redacted.value(token.access_token)).toContain("U1BC")
  })

  it("subscriptions: webhook, blacklisted, PubNub with disabled filters", () => {
    const created = decode(Events.SubscriptionInfo, "subscription-create-webhook.json")
    expect(created.expiresIn).toBe(604799)
    const list = decode(Events.SubscriptionListResource, "subscription-list-blacklisted.json")
    expect(list.records[0]!.status).toBe("Blacklisted")
    expect(list.records[0]!.blacklistedData?.reason).toContain("Read timed out")
    const disabled = decode(Events.SubscriptionInfo, "subscription-read-disabled-filters.json")
    expect(disabled.deliveryMode.transportType).toBe("PubNub")
    expect(disabled.disabledFilters?.[0]?.reason).toBe("SUB-412")
  })

  it("rate-limit headers: lower-case group name", () => {
    const text = fixture("rate-limit-headers-200.http.txt")
    const headers: Record<string, string> = {}
    for (const line of text.split("\n").slice(1)) {
      if (line.trim() === "") break
      const i = line.indexOf(":")
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
    }
    expect(RingCentralClient.observe(headers as never, 0)).toEqual({ bucket: "Light", limit: 1000, remaining: 999, windowMillis: 60_000 })
    const body = text.slice(text.indexOf("\n\n") + 2)
    const error = Effect.runSync(Effect.flip(PolicyModule.decodeText(Schema.Unknown, { module: "ringcentral", method: "readAccount" })(body)))
    expect(error.path).toBe("body")
  })
})
