import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as ContactPoint from "@unified-people/core/ContactPoint"
import * as Person from "@unified-people/core/Person"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Extensions from "../src/Extensions.js"
import * as Schema from "../src/Extensions/Schema.js"
import * as Provisioning from "../src/Provisioning.js"

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8")

const decode = <A, I>(schema: import("effect/Schema").Schema<A, I>, name: string) =>
  HttpPolicy.decodeText(schema, { module: "ringcentral", method: name })(fixture(name))

describe("Extensions samples", () => {
  it.effect("decodes the assigned extension sample: numeric id becomes a string", () =>
    Effect.gen(function*() {
      const extension = yield* decode(Schema.GetExtensionInfoResponse, "extension-info.json")
      expect(extension.id).toBe("871817004")
      expect(extension.account?.id).toBe("871817004")
      expect(extension.contact?.businessAddress?.state).toBe("CA")
      expect(extension.profileImage?.scales?.length).toBe(3)
      expect(extension.regionalSettings?.timezone?.id).toBe("58")
      expect(extension.site?.name).toBe("Store 7")
      const person = Extensions.toPerson(extension)
      expect(person.id).toBe("ringcentral:871817004")
      expect(person.name.given).toBe("Alice")
      expect(person.name.family).toBe("Smith")
      expect(person.company?.name).toBe("Example, Inc.")
      expect(person.company?.id).toBe("871817004")
      expect(person.site?.id).toBe("871836004")
      expect(person.extensionNumber).toBe("101")
      expect(person.photo?.etag).toBe("7a1decb8efda89d7c0acff42f061d99d")
      const email = person.contactPoints.find((p) => p.kind === "email")
      expect(email?.normalized).toBe("alice.smith@example.com")
      const phone = person.contactPoints.find((p) => p.kind === "phone")
      expect(phone?.normalized).toBe("+12484897302")
      expect(phone?.label).toBe("work")
    }))

  it.effect("decodes the vendor mock with departments and a TextToSpeech pronounced name", () =>
    Effect.gen(function*() {
      const extension = yield* decode(Schema.GetExtensionInfoResponse, "extension-info-with-departments.json")
      expect(extension.id).toBe("208594004")
      expect(extension.departments?.[0]?.id).toBe("208594004")
      expect(extension.contact?.pronouncedName?.type).toBe("TextToSpeech")
      expect(extension.contact?.businessAddress?.state).toBeUndefined()
      expect(extension.serviceFeatures?.length).toBeGreaterThan(40)
    }))

  it.effect("the unassigned extension sample is not JSON: a DecodeError at body, no crash", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(decode(Schema.GetExtensionInfoResponse, "extension-unassigned.txt"))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left._tag).toBe("DecodeError")
        expect(result.left.path).toBe("body")
      }
      // the same record without the trailing comma decodes: sparse, no contact
      const repaired = fixture("extension-unassigned.txt").replace(/,\s*}/, "}")
      const extension = yield* HttpPolicy.decodeText(Schema.GetExtensionInfoResponse, { module: "ringcentral", method: "t" })(repaired)
      expect(extension.status).toBe("Unassigned")
      expect(extension.contact).toBeUndefined()
      const person = Extensions.toPerson(extension)
      expect(person.id).toBe("ringcentral:3236457004")
      expect(person.contactPoints).toEqual([])
    }))

  it.effect("the update answer keeps the lagging name; the Person uses contact names", () =>
    Effect.gen(function*() {
      const extension = yield* decode(Schema.GetExtensionInfoResponse, "extension-update-response.json")
      expect(extension.name).toBe("Alice Smith")
      expect(extension.contact?.lastName).toBe("Brown")
      expect(Extensions.toPerson(extension).name.family).toBe("Brown")
    }))

  it.effect("a call queue with an empty last name", () =>
    Effect.gen(function*() {
      const extension = yield* decode(Schema.GetExtensionInfoResponse, "extension-update-department-response.json")
      expect(extension.type).toBe("Department")
      expect(extension.callQueueInfo?.slaGoal).toBe(80)
      const person = Extensions.toPerson(extension)
      expect(person.name.given).toBe("Sales")
      expect(person.name.family).toBeUndefined()
    }))

  it.effect("custom fields use displayName and become Person custom fields by name", () =>
    Effect.gen(function*() {
      const extension = yield* decode(Schema.GetExtensionInfoResponse, "extension-custom-fields.json")
      expect(extension.customFields?.map((f) => f.id)).toEqual(["33333", "44444"])
      const person = Extensions.toPerson(extension)
      expect(person.customFields).toEqual({
        "Salesforce User": "https://example.my.salesforce.com/003800000123456",
        "LinkedIn URL": "https://www.linkedin.com/in/example/"
      })
    }))

  it.effect("grants: sparse flags stay unknown, perPage=max answers 1000, bad hosts are kept", () =>
    Effect.gen(function*() {
      const paged = yield* decode(Schema.GetExtensionGrantListResponse, "grants-list-paged.json")
      expect(paged.records.length).toBe(3)
      expect(paged.records[0]?.callPickup).toBe(true)
      expect(paged.records[0]?.callOnBehalfOf).toBeUndefined()
      expect(paged.records[1]?.extension?.type).toBe("PagingOnly")
      expect(Extensions.isLastPage(paged, { page: 1, perPage: 3 })).toBe(false)
      const max = yield* decode(Schema.GetExtensionGrantListResponse, "grants-list-perpage-max.json")
      expect(max.paging?.perPage).toBe(1000)
      expect(max.records[0]?.extension?.uri).toContain("api-rcapps-labs_domain")
      expect(max.records[0]?.smsRecipient).toBe(true)
      expect(Extensions.isLastPage(max, { page: 1 })).toBe(true)
    }))

  it.effect("caller id samples: empty Alternate caller id, malformed uri, device names", () =>
    Effect.gen(function*() {
      const mock = yield* decode(Schema.ExtensionCallerIdInfo, "caller-id.json")
      expect(mock.byDevice).toEqual([])
      expect(mock.extensionNumberForInternalCalls).toBe(true)
      const docs = yield* decode(Schema.ExtensionCallerIdInfo, "caller-id-docs.json")
      const alternate = docs.byFeature?.find((f) => f.feature === "Alternate")
      expect(alternate?.callerId).toEqual({})
      expect(docs.byFeature?.[1]?.callerId?.phoneInfo?.uri).toBe("http:https://platform.ringcentral.com/restapi/v1.0/account/phone-number/400338298008")
      const updated = yield* decode(Schema.ExtensionCallerIdInfo, "caller-id-update-response.json")
      expect(updated.byDevice?.[0]?.device?.name).toBe("Cisco SPA-303 Desk Phone")
      expect(updated.byFeature?.find((f) => f.feature === "CallFlip")?.callerId).toEqual({ type: "Blocked" })
    }))

  it.effect("notification settings sample", () =>
    Effect.gen(function*() {
      const settings = yield* decode(Schema.NotificationSettings, "notification-settings.json")
      expect(settings.advancedMode).toBe(true)
      expect(settings.voicemails?.advancedSmsEmailAddresses).toEqual(["8004576498@txt.att.net"])
      expect(settings.missedCalls?.notifyByEmail).toBe(false)
    }))

  it.effect("conferencing sample: padded numbers and codes are trimmed", () =>
    Effect.gen(function*() {
      const conferencing = yield* decode(Schema.GetConferencingInfoResponse, "conferencing.json")
      expect(conferencing.phoneNumber).toBe("+1213252604000")
      expect(conferencing.participantCode).toBe("1252623422")
      expect(conferencing.phoneNumbers?.every((n) => n.phoneNumber === n.phoneNumber?.trim())).toBe(true)
      expect(conferencing.phoneNumbers?.find((n) => n.default === true)?.phoneNumber).toBe("+1213252604000")
      expect(conferencing.mode).toBe("RCC")
    }))

  it.effect("bulk response samples (spec-composed)", () =>
    Effect.gen(function*() {
      const provisioned = yield* decode(Provisioning.BatchProvisionUsersResponse, "batch-provisioning-users-response.spec-composed.json")
      const results = Provisioning.matchProvisioned(0, 3, provisioned)
      expect(results.map((r) => r._tag)).toEqual(["Created", "Failed", "Failed"])
      expect(results[0]?._tag === "Created" && results[0].extensionId).toBe("12345")
      expect(results[1]?._tag === "Failed" && results[1].errors[0]?.errorCode).toBe("XXX-123")
      const deleted = yield* decode(Provisioning.BulkDeleteUsersResponse, "bulk-delete-extensions-response.spec-composed.json")
      const matched = Provisioning.matchDeleted(["1162820004", "12345", "999"], deleted)
      expect(matched).toEqual([
        { _tag: "Deleted", id: "1162820004" },
        { _tag: "Failed", id: "12345", errors: [{ errorCode: "XXX-123", message: "Something went wrong" }] },
        { _tag: "Failed", id: "999", errors: [{ message: "the server's answer has no result for this record" }] }
      ])
    }))

  it("the profile image exchange sample names the multipart field and the media types", () => {
    const text = fixture("profile-image.x-http-example.txt")
    expect(text).toContain(`name="image"`)
    expect(text).toContain("Content-Type: image/gif")
    expect(Extensions.operations.readExtension.group).toBe("Light")
  })
})

describe("Extensions.toUpdateRequest", () => {
  const source = new ContactPoint.SourceRef({ system: "test" })
  const person = new Person.Person({
    id: "test:1",
    name: new Person.Name({ given: "Ada", family: "Lovelace", display: "Countess Ada" }),
    jobTitle: "Analyst",
    department: "Engineering",
    company: new Person.Reference({ id: "acc-1", name: "Analytical Engines" }),
    site: new Person.Reference({ name: "London" }),
    employeeNumber: "E-42",
    status: "Unassigned",
    contactPoints: [
      ContactPoint.make({ kind: "email", value: "Ada@Example.com", label: "work", source }),
      ContactPoint.make({ kind: "email", value: "ada@home.example", label: "personal", source }),
      ContactPoint.make({ kind: "phone", value: "+1 (650) 555-0100", label: "work", source }),
      ContactPoint.make({ kind: "phone", value: "+16505550101", label: "mobile", source }),
      ContactPoint.make({ kind: "phone", value: "+16505550102", label: "home", source }),
      ContactPoint.make({ kind: "phone", value: "+16505550103", label: "main", source }),
      ContactPoint.make({ kind: "chat", value: "ada.l", label: "chat_slack", source }),
      ContactPoint.make({ kind: "website", value: "https://ada.example", label: "personal", source })
    ],
    customFields: { Badge: "7", Unknown: "x" },
    provenance: []
  })

  it("maps what RingCentral holds and reports everything else", () => {
    const plan = Extensions.toUpdateRequest(person, { customFields: [{ id: "900", displayName: "Badge" }] })
    expect(plan.request).toEqual({
      contact: {
        firstName: "Ada",
        lastName: "Lovelace",
        jobTitle: "Analyst",
        department: "Engineering",
        company: "Analytical Engines",
        email: "ada@example.com",
        businessPhone: "+16505550100",
        mobilePhone: "+16505550101"
      },
      customFields: [{ id: "900", value: "7" }]
    })
    expect(plan.unsupported.map((u) => u.field).sort()).toEqual([
      "company.id",
      "contactPoints[1]",
      "contactPoints[4]",
      "contactPoints[5]",
      "contactPoints[6]",
      "contactPoints[7]",
      "customFields.Unknown",
      "employeeNumber",
      "name.display",
      "site.name",
      "status"
    ])
    expect(plan.unsupported.find((u) => u.field === "contactPoints[6]")?.reason).toContain("chat")
  })

  it("a partial change writes only the fields present", () => {
    const plan = Extensions.toUpdateRequest({ jobTitle: "Lead" })
    expect(plan.request).toEqual({ contact: { jobTitle: "Lead" } })
    expect(plan.unsupported).toEqual([])
    expect(Extensions.toUpdateRequest({ status: "Disabled" }).request).toEqual({ status: "Disabled" })
  })

  it("phones without a normalized form are reported, not sent", () => {
    const plan = Extensions.toUpdateRequest({
      contactPoints: [
        ContactPoint.make({ kind: "phone", value: "12", label: "work", source }),
        ContactPoint.make({ kind: "phone", value: "+1 650 555 0100 ext 12", label: "work", source })
      ]
    })
    expect(plan.request).toEqual({ contact: { businessPhone: "+16505550100;ext=12" } })
    expect(plan.unsupported.map((u) => [u.field, u.reason.startsWith("not a valid phone number")])).toEqual([["contactPoints[0]", true]])
  })

  it("clear sends empty strings for what the person lacks", () => {
    const plan = Extensions.toUpdateRequest({ name: new Person.Name({ given: "Solo" }), contactPoints: [] }, { clear: true })
    expect(plan.request.contact).toEqual({
      firstName: "Solo",
      lastName: "",
      jobTitle: "",
      department: "",
      company: "",
      businessPhone: "",
      mobilePhone: ""
    })
  })
})
