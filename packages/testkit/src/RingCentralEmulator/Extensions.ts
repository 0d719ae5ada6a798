/**
 * The emulator's extension routes (part 2: extensions, caller id, notification
 * settings, conferencing, grants, profile images, provisioning), served from the
 * same extension store as the directory (see `Emulator/Store.ts`).
 *
 * Wire format as in the specification and the samples: extension ids are
 * numbers in extension resources, the derived `name` lags behind `contact`
 * after an update, an `Unassigned` extension has only `uri` / `id` / `type` /
 * `status` / `profileImage`, conferencing numbers are padded with spaces, the
 * caller id of feature `Alternate` is `{}`, grant records carry only some of
 * their flags. Invalid writes answer RingCentral's error body with
 * `parameterName` and change nothing. Every change goes through the store, so
 * the directory and its events follow.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import * as Context from "./Context.js"
import type * as Store from "./Store.js"

type Json = Record<string, unknown>

const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)
const isStringArray = (u: unknown): u is ReadonlyArray<string> => Array.isArray(u) && u.every((s) => typeof s === "string")
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const e164Pattern = /^\+[1-9]\d{1,14}$/

const invalid = (parameterName: string, message?: string) =>
  Context.error(400, "CMN-101", message ?? `Parameter [${parameterName}] value is invalid`, { parameterName })

const notFound = (parameterName = "extensionId") =>
  Context.error(404, "CMN-102", `Resource for parameter [${parameterName}] is not found`, { parameterName })

const readJson = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
  Effect.orElseSucceed(request.json, () => undefined as unknown))

const extensionUri = (base: string, extension: Store.Extension) =>
  `${base}/restapi/v1.0/account/${extension.accountId}/extension/${extension.id}`

const regionalSettings = (base: string) => ({
  timezone: { uri: `${base}/restapi/v1.0/dictionary/timezone/14`, id: "58", name: "US/Pacific", description: "Pacific Time (US & Canada)", bias: "-480" },
  homeCountry: { uri: `${base}/restapi/v1.0/dictionary/country/1`, id: "1", name: "United States", isoCode: "US", callingCode: "1" },
  language: { id: "1033", name: "English (United States)", localeCode: "en-US" },
  greetingLanguage: { id: "1033", name: "English (United States)", localeCode: "en-US" },
  formattingLocale: { id: "1033", name: "English (United States)", localeCode: "en-US" },
  timeFormat: "12h"
})

const defined = (entries: Json): Json => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined))

/**
 * The `GetExtensionInfoResponse` of an extension, as JSON (id as a number).
 *
 * @since 0.1.0
 * @category view
 */
export const toExtensionInfo = (store: Store.Store, extension: Store.Extension, base: string): Json => {
  const uri = extensionUri(base, extension)
  const image = extension.profileImage
  const profileImage = defined({
    uri: `${uri}/profile-image`,
    etag: image?.etag,
    contentType: image?.contentType,
    lastModified: image?.lastModified,
    scales: image === undefined ? undefined : ["90x90", "195x195", "584x584"].map((s) => ({ uri: `${uri}/profile-image/${s}` }))
  })
  if (extension.status === "Unassigned") {
    return { uri, id: Number(extension.id), type: extension.type, status: extension.status, profileImage }
  }
  const names = new Map(store.customFields().map((f) => [f.id, f.displayName]))
  const customFields = Object.entries(extension.customFields)
    .filter(([id]) => names.has(id))
    .map(([id, value]) => ({ id, value, displayName: names.get(id) }))
  return defined({
    uri,
    id: Number(extension.id),
    extensionNumber: extension.extensionNumber,
    contact: defined({ ...extension.contact }),
    name: extension.name,
    type: extension.type,
    subType: extension.subType,
    status: extension.status,
    customFields: customFields.length === 0 ? undefined : customFields,
    regionalSettings: regionalSettings(base),
    setupWizardState: "Completed",
    permissions: { admin: { enabled: false }, internationalCalling: { enabled: true } },
    profileImage,
    account: { uri: `${base}/restapi/v1.0/account/${extension.accountId}`, id: extension.accountId },
    site: extension.site === undefined ? undefined : { uri: `${base}/restapi/v1.0/account/${extension.accountId}/site/${extension.site.id}`, ...extension.site },
    hidden: extension.hidden,
    creationTime: extension.creationTime
  })
}

// -----------------------------------------------------------------------------
// update validation
// -----------------------------------------------------------------------------

type Check = { readonly ok: true } | { readonly ok: false; readonly parameterName: string; readonly message?: string }

const ok: Check = { ok: true }
const fail = (parameterName: string, message?: string): Check =>
  message === undefined ? { ok: false, parameterName } : { ok: false, parameterName, message }

const contactText = ["firstName", "lastName", "company", "jobTitle", "department"] as const
const updateStatuses = ["Enabled", "Disabled", "Frozen", "NotActivated"]

const checkUpdate = (store: Store.Store, extension: Store.Extension, body: unknown): Check => {
  if (!isObject(body)) return fail("body", "Request body is invalid")
  if (body.status !== undefined && (typeof body.status !== "string" || !updateStatuses.includes(body.status))) return fail("status")
  if (body.extensionNumber !== undefined) {
    if (typeof body.extensionNumber !== "string" || !/^\d{1,8}$/.test(body.extensionNumber)) return fail("extensionNumber")
    const taken = store.list().some((e) => e.id !== extension.id && e.accountId === extension.accountId && e.extensionNumber === body.extensionNumber)
    if (taken) return fail("extensionNumber", `Extension number [${body.extensionNumber}] is already in use`)
  }
  if (body.contact !== undefined) {
    const c = body.contact
    if (!isObject(c)) return fail("contact")
    for (const key of contactText) {
      const v = c[key]
      if (v !== undefined && (typeof v !== "string" || v.length > 64)) return fail(`contact.${key}`)
    }
    if (c.email !== undefined && (typeof c.email !== "string" || c.email.length > 254 || !emailPattern.test(c.email))) return fail("contact.email")
    for (const key of ["businessPhone", "mobilePhone"] as const) {
      const v = c[key]
      if (v !== undefined && (typeof v !== "string" || (v !== "" && !e164Pattern.test(v.replace(/[\s()-]/g, "").replace(/;ext=\d{1,10}$/, ""))))) return fail(`contact.${key}`)
    }
    if (c.businessAddress !== undefined && !isObject(c.businessAddress)) return fail("contact.businessAddress")
    if (c.emailAsLoginName !== undefined && typeof c.emailAsLoginName !== "boolean") return fail("contact.emailAsLoginName")
  }
  if (body.customFields !== undefined) {
    if (!Array.isArray(body.customFields)) return fail("customFields")
    const known = new Set(store.customFields().map((f) => f.id))
    for (const [i, field] of body.customFields.entries()) {
      if (!isObject(field) || typeof field.id !== "string" || !known.has(field.id)) return fail(`customFields[${i}].id`)
      if (typeof field.value !== "string") return fail(`customFields[${i}].value`)
    }
  }
  if (body.site !== undefined) {
    if (!isObject(body.site) || typeof body.site.id !== "string" || !store.sites.some((s) => s.id === (body.site as Json).id)) return fail("site.id")
  }
  return ok
}

const applyUpdate = (store: Store.Store, extension: Store.Extension, body: Json): void => {
  if (typeof body.status === "string") extension.status = body.status
  if (typeof body.extensionNumber === "string") extension.extensionNumber = body.extensionNumber
  if (isObject(body.contact)) {
    const c = body.contact
    const contact = extension.contact
    for (const key of ["firstName", "lastName"] as const) if (typeof c[key] === "string") contact[key] = c[key]
    for (const key of ["company", "jobTitle", "department", "email", "businessPhone", "mobilePhone"] as const) {
      const v = c[key]
      if (typeof v === "string") {
        // an empty string clears the field
        if (v === "") delete contact[key]
        else contact[key] = v
      }
    }
    if (isObject(c.businessAddress)) contact.businessAddress = c.businessAddress as Record<string, string>
    if (typeof c.emailAsLoginName === "boolean") contact.emailAsLoginName = c.emailAsLoginName
    if (isObject(c.pronouncedName)) contact.pronouncedName = c.pronouncedName as { type?: string; text?: string }
  }
  if (Array.isArray(body.customFields)) {
    for (const field of body.customFields as ReadonlyArray<{ id: string; value: string }>) {
      if (field.value === "") delete extension.customFields[field.id]
      else extension.customFields[field.id] = field.value
    }
  }
  if (isObject(body.site)) {
    const site = store.sites.find((s) => s.id === (body.site as Json).id)
    if (site !== undefined) extension.site = { ...site }
  }
}

// -----------------------------------------------------------------------------
// sub-resources kept in `extra`
// -----------------------------------------------------------------------------

const callerIdOf = (extension: Store.Extension): Json => {
  const existing = extension.extra.callerId
  if (isObject(existing)) return existing
  const number = extension.phoneNumbers.find((p) => p.usageType === "DirectNumber") ?? extension.phoneNumbers[0]
  const phone = number === undefined
    ? { type: "Blocked" }
    : { type: "PhoneNumber", phoneInfo: { id: number.id, phoneNumber: number.phoneNumber } }
  return {
    byDevice: [],
    byFeature: [
      { feature: "RingOut", callerId: phone },
      { feature: "RingMe", callerId: phone },
      { feature: "CallFlip", callerId: phone },
      { feature: "FaxNumber", callerId: phone },
      // the docs sample: `Alternate` comes with an empty caller id
      { feature: "Alternate", callerId: {} }
    ],
    extensionNameForOutboundCalls: false,
    extensionNumberForInternalCalls: true
  }
}

const callerIdFeatures = ["RingOut", "RingMe", "CallFlip", "FaxNumber", "AdditionalSoftphone", "Alternate", "CommonPhone", "MobileApp", "Delegated", "BusinessMobile"]
const callerIdTypes = ["PhoneNumber", "Blocked", "CurrentLocation"]

const checkCallerIdData = (extension: Store.Extension, data: unknown, at: string): Check => {
  if (!isObject(data)) return fail(at)
  if (data.type !== undefined && (typeof data.type !== "string" || !callerIdTypes.includes(data.type))) return fail(`${at}.type`)
  if (data.phoneInfo !== undefined) {
    if (!isObject(data.phoneInfo) || !extension.phoneNumbers.some((p) => p.id === (data.phoneInfo as Json).id)) return fail(`${at}.phoneInfo.id`)
  }
  return ok
}

const resolveCallerIdData = (extension: Store.Extension, data: Json): Json => {
  const type = typeof data.type === "string" ? data.type : "PhoneNumber"
  if (type !== "PhoneNumber") return { type }
  const number = extension.phoneNumbers.find((p) => p.id === (data.phoneInfo as Json | undefined)?.id)
  return number === undefined ? { type } : { type, phoneInfo: { id: number.id, phoneNumber: number.phoneNumber } }
}

const notificationDefaults = (extension: Store.Extension): Json => {
  const email = extension.contact.email
  const addresses = email === undefined ? [] : [email]
  const category = (extra: Json) => ({ notifyByEmail: true, notifyBySms: false, advancedEmailAddresses: addresses, advancedSmsEmailAddresses: [], ...extra })
  return {
    emailAddresses: addresses,
    smsEmailAddresses: [],
    advancedMode: false,
    voicemails: category({ includeAttachment: false, includeTranscription: false, markAsRead: false }),
    inboundFaxes: category({ includeAttachment: true, markAsRead: false }),
    outboundFaxes: category({}),
    inboundTexts: category({}),
    missedCalls: category({ notifyByEmail: false }),
    includeManagers: true
  }
}

const notificationCategories = ["voicemails", "inboundFaxes", "outboundFaxes", "inboundTexts", "missedCalls", "callNotes"] as const
const categoryBooleans = ["notifyByEmail", "notifyBySms", "includeAttachment", "includeTranscription", "markAsRead"]

const checkEmails = (value: unknown, at: string): Check => {
  if (value === undefined) return ok
  if (!isStringArray(value)) return fail(at)
  const bad = value.findIndex((s) => !emailPattern.test(s))
  return bad < 0 ? ok : fail(`${at}[${bad}]`)
}

const checkNotifications = (body: unknown): Check => {
  if (!isObject(body)) return fail("body", "Request body is invalid")
  for (const key of ["emailAddresses", "smsEmailAddresses"] as const) {
    const check = checkEmails(body[key], key)
    if (!check.ok) return check
  }
  for (const key of ["advancedMode", "includeManagers"] as const) {
    if (body[key] !== undefined && typeof body[key] !== "boolean") return fail(key)
  }
  for (const name of notificationCategories) {
    const category = body[name]
    if (category === undefined) continue
    if (!isObject(category)) return fail(name)
    for (const flag of categoryBooleans) {
      if (category[flag] !== undefined && typeof category[flag] !== "boolean") return fail(`${name}.${flag}`)
    }
    for (const list of ["advancedEmailAddresses", "advancedSmsEmailAddresses"] as const) {
      const check = checkEmails(category[list], `${name}.${list}`)
      if (!check.ok) return check
    }
  }
  return ok
}

const conferencingOf = (extension: Store.Extension): Json => {
  const existing = extension.extra.conferencing
  if (isObject(existing)) return existing
  const seed = Number(extension.id.slice(-7)) || 1
  const digits = (n: number) => String(1_000_000_000 + ((seed * n) % 1_000_000_000)).slice(1)
  // the vendor mock pads numbers and codes with two spaces
  return {
    phoneNumber: `+1213${digits(7).slice(0, 7)}  `,
    hostCode: digits(11),
    participantCode: `${digits(13)}  `,
    allowJoinBeforeHost: false,
    mode: "RCC",
    phoneNumbers: [
      { phoneNumber: `+1213${digits(7).slice(0, 7)}  `, country: { id: "1", name: "United States", isoCode: "US", callingCode: "1" }, location: "Los Angeles, CA", hasGreeting: true, default: true },
      { phoneNumber: `+44203${digits(17).slice(0, 7)}  `, country: { id: "224", name: "United Kingdom", isoCode: "GB", callingCode: "44" }, location: "London", hasGreeting: false, default: false },
      { phoneNumber: `+4930${digits(19).slice(0, 8)}  `, country: { id: "82", name: "Germany", isoCode: "DE", callingCode: "49" }, hasGreeting: false, default: false }
    ]
  }
}

const grantsOf = (store: Store.Store, extension: Store.Extension, base: string): ReadonlyArray<Json> => {
  const existing = extension.extra.grants
  if (Array.isArray(existing)) return existing as ReadonlyArray<Json>
  return store.list()
    .filter((e) => e.id !== extension.id && e.accountId === extension.accountId && e.status !== "Unassigned")
    .map((e, i) => {
      const grantee = defined({
        uri: extensionUri(base, e),
        id: e.id,
        extensionNumber: e.extensionNumber,
        name: e.name,
        type: e.type === "FaxUser" ? "Fax User" : e.type
      })
      const record: Json = { uri: `${extensionUri(base, extension)}/grant/${e.id}`, extension: grantee }
      // like the docs sample, most records carry only some of the flags
      if (e.type === "Department") {
        Object.assign(record, { callPickup: false, callMonitoring: false, callQueueSetup: i % 2 === 0, callQueueMembersSetup: false, callQueueSmsRecipient: true })
      } else {
        Object.assign(record, { callPickup: i % 3 === 0, callMonitoring: i % 2 === 0, groupPaging: false })
        if (i % 4 === 0) Object.assign(record, { callOnBehalfOf: true, callDelegation: false })
      }
      return record
    })
}

const grantTypeOf = (record: Json): string | undefined => {
  const type = (record.extension as Json | undefined)?.type
  return type === "Fax User" ? "FaxUser" : typeof type === "string" ? type : undefined
}

// -----------------------------------------------------------------------------
// profile images and provisioning helpers
// -----------------------------------------------------------------------------

const imageTypes = ["image/jpeg", "image/png", "image/gif"]
const scaleSizes = ["original", "90x90", "195x195", "584x584"]

const etagOf = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex")

const nextExtensionNumber = (store: Store.Store, accountId: string): string => {
  const used = new Set(store.list().filter((e) => e.accountId === accountId).map((e) => e.extensionNumber))
  let n = 101
  while (used.has(String(n))) n++
  return String(n)
}

const provisionItemError = (parameterName: string, message?: string, errorCode = "CMN-101") => ({
  successful: false,
  errors: [{ errorCode, message: message ?? `Parameter [${parameterName}] value is invalid`, parameterName }]
})

/**
 * The extension routes, built from the emulator context (its `store`, `guard`
 * and error helpers).
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store
  const params = HttpRouter.params
  const withExtension = <E, R>(
    handler: (extension: Store.Extension) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
  ) =>
    Effect.flatMap(params, (p) => {
      const extension = store.get(p.extensionId ?? "")
      return extension === undefined || (p.accountId !== "~" && p.accountId !== extension.accountId)
        ? Effect.succeed(notFound())
        : handler(extension)
    })

  const readExtension = context.guard("Light", withExtension((extension) =>
    Effect.succeed(HttpServerResponse.unsafeJson(toExtensionInfo(store, extension, context.baseUrl())))))

  const updateExtension = context.guard("Medium", withExtension((extension) =>
    Effect.gen(function*() {
      const body = yield* readJson
      const check = checkUpdate(store, extension, body)
      if (!check.ok) return invalid(check.parameterName, check.message)
      // the derived `name` is not recomputed: it lags behind the contact, as on the real server
      const updated = store.update(extension.id, (e) => applyUpdate(store, e, body as Json))!
      return HttpServerResponse.unsafeJson(toExtensionInfo(store, updated, context.baseUrl()))
    })))

  const listGrants = context.guard("Light", withExtension((extension) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://localhost")
      const query = url.searchParams
      const types = query.getAll("extensionType")
      const rawPage = query.get("page") ?? "1"
      const rawPerPage = query.get("perPage") ?? "100"
      if (!/^\d+$/.test(rawPage) || Number(rawPage) < 1) return invalid("page")
      if (rawPerPage !== "max" && (!/^\d+$/.test(rawPerPage) || Number(rawPerPage) < 1)) return invalid("perPage")
      const page = Number(rawPage)
      const perPage = rawPerPage === "max" ? 1000 : Math.min(Number(rawPerPage), 1000)
      const all = grantsOf(store, extension, context.baseUrl()).filter((g) => types.length === 0 || types.includes(grantTypeOf(g) ?? ""))
      const start = (page - 1) * perPage
      const records = all.slice(start, start + perPage)
      const totalPages = Math.max(1, Math.ceil(all.length / perPage))
      const link = (n: number) => ({ uri: `${extensionUri(context.baseUrl(), extension)}/grant?page=${n}&perPage=${rawPerPage}` })
      return HttpServerResponse.unsafeJson({
        uri: link(page).uri,
        records,
        paging: defined({
          page,
          totalPages,
          perPage,
          totalElements: all.length,
          pageStart: records.length === 0 ? undefined : start,
          pageEnd: records.length === 0 ? undefined : start + records.length - 1
        }),
        navigation: defined({
          firstPage: link(1),
          nextPage: page < totalPages ? link(page + 1) : undefined,
          previousPage: page > 1 ? link(page - 1) : undefined,
          lastPage: link(totalPages)
        })
      })
    })))

  const withUri = (extension: Store.Extension, suffix: string, body: Json) =>
    HttpServerResponse.unsafeJson({ uri: `${extensionUri(context.baseUrl(), extension)}/${suffix}`, ...body })

  const readCallerId = context.guard("Light", withExtension((extension) =>
    Effect.succeed(withUri(extension, "caller-id", callerIdOf(extension)))))

  const updateCallerId = context.guard("Medium", withExtension((extension) =>
    Effect.gen(function*() {
      const body = yield* readJson
      if (!isObject(body)) return invalid("body", "Request body is invalid")
      if (body.byFeature !== undefined) {
        if (!Array.isArray(body.byFeature)) return invalid("byFeature")
        for (const [i, item] of body.byFeature.entries()) {
          if (!isObject(item) || typeof item.feature !== "string" || !callerIdFeatures.includes(item.feature)) return invalid(`byFeature[${i}].feature`)
          const check = checkCallerIdData(extension, item.callerId ?? {}, `byFeature[${i}].callerId`)
          if (!check.ok) return invalid(check.parameterName)
        }
      }
      if (body.byDevice !== undefined) {
        if (!Array.isArray(body.byDevice)) return invalid("byDevice")
        for (const [i, item] of body.byDevice.entries()) {
          if (!isObject(item) || !isObject(item.device) || typeof item.device.id !== "string") return invalid(`byDevice[${i}].device.id`)
          const check = checkCallerIdData(extension, item.callerId ?? {}, `byDevice[${i}].callerId`)
          if (!check.ok) return invalid(check.parameterName)
        }
      }
      for (const key of ["extensionNameForOutboundCalls", "extensionNumberForInternalCalls"] as const) {
        if (body[key] !== undefined && typeof body[key] !== "boolean") return invalid(key)
      }
      const updated = store.update(extension.id, (e) => {
        const current = callerIdOf(e)
        const byFeature = [...(current.byFeature as Array<Json>)]
        for (const item of (body.byFeature ?? []) as Array<Json>) {
          const next = { feature: item.feature, callerId: resolveCallerIdData(e, (item.callerId ?? {}) as Json) }
          const at = byFeature.findIndex((f) => f.feature === item.feature)
          if (at < 0) byFeature.push(next)
          else byFeature[at] = next
        }
        const byDevice = [...(current.byDevice as Array<Json>)]
        for (const item of (body.byDevice ?? []) as Array<Json>) {
          const id = (item.device as Json).id
          const next = { device: { id }, callerId: resolveCallerIdData(e, (item.callerId ?? {}) as Json) }
          const at = byDevice.findIndex((d) => (d.device as Json).id === id)
          if (at < 0) byDevice.push(next)
          else byDevice[at] = next
        }
        e.extra.callerId = defined({
          ...current,
          byFeature,
          byDevice,
          extensionNameForOutboundCalls: body.extensionNameForOutboundCalls ?? current.extensionNameForOutboundCalls,
          extensionNumberForInternalCalls: body.extensionNumberForInternalCalls ?? current.extensionNumberForInternalCalls
        })
      })!
      return withUri(updated, "caller-id", callerIdOf(updated))
    })))

  const readNotifications = context.guard("Light", withExtension((extension) =>
    Effect.succeed(withUri(extension, "notification-settings", isObject(extension.extra.notificationSettings) ? extension.extra.notificationSettings : notificationDefaults(extension)))))

  const updateNotifications = context.guard("Medium", withExtension((extension) =>
    Effect.gen(function*() {
      const body = yield* readJson
      const check = checkNotifications(body)
      if (!check.ok) return invalid(check.parameterName, check.message)
      const b = body as Json
      const updated = store.update(extension.id, (e) => {
        const current = isObject(e.extra.notificationSettings) ? e.extra.notificationSettings : notificationDefaults(e)
        const next: Json = { ...current }
        for (const key of ["emailAddresses", "smsEmailAddresses", "smsPhoneNumbers", "advancedMode", "includeManagers"]) {
          if (b[key] !== undefined) next[key] = b[key]
        }
        for (const name of notificationCategories) {
          if (isObject(b[name])) next[name] = { ...(isObject(current[name]) ? current[name] : {}), ...b[name] }
        }
        e.extra.notificationSettings = next
      })!
      return withUri(updated, "notification-settings", updated.extra.notificationSettings as Json)
    })))

  const readConferencing = context.guard("Light", withExtension((extension) =>
    Effect.succeed(withUri(extension, "conferencing", conferencingOf(extension)))))

  const updateConferencing = context.guard("Medium", withExtension((extension) =>
    Effect.gen(function*() {
      const body = yield* readJson
      if (!isObject(body)) return invalid("body", "Request body is invalid")
      const current = conferencingOf(extension)
      const numbers = current.phoneNumbers as Array<Json>
      if (body.allowJoinBeforeHost !== undefined && typeof body.allowJoinBeforeHost !== "boolean") return invalid("allowJoinBeforeHost")
      let chosen: string | undefined
      if (body.phoneNumbers !== undefined) {
        if (!Array.isArray(body.phoneNumbers)) return invalid("phoneNumbers")
        for (const [i, item] of body.phoneNumbers.entries()) {
          if (!isObject(item) || typeof item.phoneNumber !== "string") return invalid(`phoneNumbers[${i}].phoneNumber`)
          const known = numbers.some((n) => String(n.phoneNumber).trim() === (item.phoneNumber as string).trim())
          if (!known) return invalid(`phoneNumbers[${i}].phoneNumber`, `Phone number [${item.phoneNumber}] is not a conferencing number of the extension`)
          if (item.default === true) chosen = (item.phoneNumber as string).trim()
        }
      }
      const updated = store.update(extension.id, (e) => {
        const next: Json = structuredClone(current)
        if (chosen !== undefined) {
          for (const n of next.phoneNumbers as Array<Json>) n.default = String(n.phoneNumber).trim() === chosen
          next.phoneNumber = (next.phoneNumbers as Array<Json>).find((n) => n.default === true)?.phoneNumber
        }
        if (typeof body.allowJoinBeforeHost === "boolean") next.allowJoinBeforeHost = body.allowJoinBeforeHost
        e.extra.conferencing = next
      })!
      return withUri(updated, "conferencing", conferencingOf(updated))
    })))

  const image = (extension: Store.Extension) => {
    const img = extension.profileImage
    if (img === undefined) return Effect.succeed(notFound("profileImage"))
    return Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
      const etag = `"${img.etag}"`
      if (request.headers["if-none-match"] === etag) return HttpServerResponse.empty({ status: 304, headers: { ETag: etag } })
      const query = new URL(request.url, "http://localhost").searchParams
      const disposition = query.get("contentDisposition")
      const filename = query.get("contentDispositionFilename")
      const headers: Record<string, string> = { ETag: etag, "Content-Language": "en-US" }
      if (disposition === "Inline" || disposition === "Attachment") {
        headers["Content-Disposition"] = `${disposition.toLowerCase()}${filename === null ? "" : `; filename="${filename.replace(/["\r\n]/g, "_")}"`}`
      }
      return HttpServerResponse.uint8Array(img.bytes, { contentType: img.contentType, headers })
    })
  }

  const readImage = context.guard("Medium", withExtension(image))

  const readScaledImage = context.guard("Medium", withExtension((extension) =>
    Effect.flatMap(params, (p) => {
      if (!scaleSizes.includes(p.scaleSize ?? "")) return Effect.succeed(invalid("scaleSize"))
      return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const disposition = new URL(request.url, "http://localhost").searchParams.get("contentDisposition")
        return disposition === null || disposition === "Inline" || disposition === "Attachment"
          ? image(extension)
          : Effect.succeed(invalid("contentDisposition"))
      })
    })))

  const upload = context.guard("Heavy", withExtension((extension) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const contentType = request.headers["content-type"] ?? ""
      if (!contentType.toLowerCase().startsWith("multipart/form-data")) return invalid("image", "Content-Type must be multipart/form-data")
      const parts = yield* Effect.either(
        request.multipartStream.pipe(
          Stream.mapEffect((part) =>
            part._tag === "File"
              ? Effect.map(part.contentEffect, (bytes) => ({ key: part.key, contentType: part.contentType, bytes }))
              : Effect.succeed(undefined)
          ),
          Stream.runCollect
        )
      )
      if (parts._tag === "Left") return invalid("image", "Request body is not valid multipart/form-data")
      const file = [...parts.right].find((p) => p?.key === "image")
      if (file === undefined) return invalid("image", "Parameter [image] is required")
      if (file.bytes.length === 0) return invalid("image", "Image is empty")
      const type = file.contentType.toLowerCase()
      if (!imageTypes.includes(type)) return invalid("image", `Unsupported image type [${file.contentType}]`)
      store.update(extension.id, (e) => {
        e.profileImage = { etag: etagOf(file.bytes), contentType: type, lastModified: new Date().toISOString(), bytes: new Uint8Array(file.bytes) }
      })
      return HttpServerResponse.empty({ status: 204 })
    })))

  const deleteImage = context.guard("Medium", withExtension((extension) => {
    if (extension.profileImage === undefined) return Effect.succeed(notFound("profileImage"))
    store.update(extension.id, (e) => {
      e.profileImage = undefined
    })
    return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
  }))

  const withAccount = <E, R>(handler: (accountId: string) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
    Effect.flatMap(params, (p) => {
      const id = p.accountId === "~" ? store.account.id : p.accountId
      return id === undefined || !store.accounts.some((a) => a.id === id) ? Effect.succeed(notFound("accountId")) : handler(id)
    })

  const provision = context.guard("Heavy", withAccount((accountId) =>
    Effect.gen(function*() {
      const body = yield* readJson
      if (!isObject(body) || !Array.isArray(body.records)) return invalid("records")
      if (body.records.length < 1 || body.records.length > 10) return invalid("records", "Parameter [records] must contain 1 to 10 items")
      const results = body.records.map((record: unknown, i: number) => {
        const at = (name: string) => `records[${i}].${name}`
        if (!isObject(record)) return provisionItemError(`records[${i}]`)
        if (record.status !== undefined && record.status !== "Enabled") return provisionItemError(at("status"))
        const contact = record.contact
        if (!isObject(contact)) return provisionItemError(at("contact"))
        for (const key of ["firstName", "lastName"] as const) {
          if (contact[key] !== undefined && (typeof contact[key] !== "string" || (contact[key] as string).length > 64)) return provisionItemError(at(`contact.${key}`))
        }
        if (typeof contact.email !== "string" || !emailPattern.test(contact.email)) return provisionItemError(at("contact.email"))
        if (store.list().some((e) => e.contact.email?.toLowerCase() === (contact.email as string).toLowerCase())) {
          return provisionItemError(at("contact.email"), `User with email [${contact.email}] already exists`, "USR-105")
        }
        if (contact.mobileNumber !== undefined && (typeof contact.mobileNumber !== "string" || !e164Pattern.test(contact.mobileNumber))) {
          return provisionItemError(at("contact.mobileNumber"))
        }
        const number = record.extensionNumber
        if (number !== undefined) {
          if (typeof number !== "string" || !/^\d{3,8}$/.test(number)) return provisionItemError(at("extensionNumber"))
          if (store.list().some((e) => e.accountId === accountId && e.extensionNumber === number)) {
            return provisionItemError(at("extensionNumber"), `Extension number [${number}] is already in use`, "EXT-100")
          }
        }
        const devices = Array.isArray(record.devices) ? record.devices : []
        const phoneNumbers = devices.map(() => ({
          // deterministic and unique: ids grow by 1000, so id / 1000 is a serial number
          phoneNumber: `+16505${String(Math.floor(Number(store.nextId()) / 1000) % 1_000_000).padStart(6, "0")}`,
          usageType: "DirectNumber",
          type: "VoiceFax"
        }))
        const created = store.create({
          accountId,
          extensionNumber: typeof number === "string" ? number : nextExtensionNumber(store, accountId),
          type: "User",
          status: "Enabled",
          contact: defined({
            firstName: contact.firstName,
            lastName: contact.lastName,
            email: contact.email,
            mobilePhone: contact.mobileNumber,
            emailAsLoginName: typeof contact.emailAsLoginName === "boolean" ? contact.emailAsLoginName : true
          }) as Store.Contact,
          phoneNumbers
        })
        return {
          successful: true,
          extension: {
            id: created.id,
            devices: created.phoneNumbers.map((p) => ({ id: store.nextId(), phoneNumber: p.phoneNumber }))
          }
        }
      })
      return HttpServerResponse.unsafeJson({ results })
    })))

  const bulkDelete = context.guard("Heavy", withAccount((accountId) =>
    Effect.gen(function*() {
      const body = yield* readJson
      if (!isObject(body) || !Array.isArray(body.records)) return invalid("records")
      if (body.records.length < 1 || body.records.length > 50) return invalid("records", "Parameter [records] must contain 1 to 50 items")
      if (body.keepAssetsInInventory !== undefined && typeof body.keepAssetsInInventory !== "boolean") return invalid("keepAssetsInInventory")
      for (const [i, record] of body.records.entries()) {
        if (!isObject(record) || typeof record.id !== "string" || record.id === "") return invalid(`records[${i}].id`)
      }
      const records = (body.records as ReadonlyArray<{ id: string }>).map(({ id }) => {
        const extension = store.get(id)
        if (id === "~" || extension === undefined || extension.accountId !== accountId) {
          return { id, bulkItemSuccessful: false, bulkItemErrors: [{ errorCode: "CMN-102", message: `Resource for parameter [id] is not found` }] }
        }
        if (extension.id === store.ownerId) {
          return { id, bulkItemSuccessful: false, bulkItemErrors: [{ errorCode: "EXT-109", message: "The current user cannot be deleted" }] }
        }
        if (extension.type !== "User" && extension.type !== "Limited") {
          return { id, bulkItemSuccessful: false, bulkItemErrors: [{ errorCode: "EXT-110", message: `Extension of type [${extension.type}] cannot be deleted by this method` }] }
        }
        store.remove(extension.id)
        return { id, bulkItemSuccessful: true }
      })
      return HttpServerResponse.unsafeJson({ records })
    })))

  const ext = "/restapi/v1.0/account/:accountId/extension/:extensionId"
  return HttpRouter.empty.pipe(
    HttpRouter.get(ext, readExtension),
    HttpRouter.put(ext, updateExtension),
    HttpRouter.get(`${ext}/grant`, listGrants),
    HttpRouter.get(`${ext}/caller-id`, readCallerId),
    HttpRouter.put(`${ext}/caller-id`, updateCallerId),
    HttpRouter.get(`${ext}/notification-settings`, readNotifications),
    HttpRouter.put(`${ext}/notification-settings`, updateNotifications),
    HttpRouter.get(`${ext}/conferencing`, readConferencing),
    HttpRouter.put(`${ext}/conferencing`, updateConferencing),
    HttpRouter.get(`${ext}/profile-image`, readImage),
    HttpRouter.post(`${ext}/profile-image`, upload),
    HttpRouter.put(`${ext}/profile-image`, upload),
    HttpRouter.del(`${ext}/profile-image`, deleteImage),
    HttpRouter.get(`${ext}/profile-image/:scaleSize`, readScaledImage),
    HttpRouter.post("/restapi/v2/accounts/:accountId/batch-provisioning/users", provision),
    HttpRouter.del("/restapi/v2/accounts/:accountId/extensions", bulkDelete)
  )
}
