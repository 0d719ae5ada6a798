/**
 * The emulator's extension info routes: read and update an extension
 * (`GET` / `PUT .../extension/{extensionId}`, Light / Medium).
 *
 * Extension ids are numbers in the `GetExtensionInfoResponse`; an `Unassigned`
 * extension has only `uri` / `id` / `type` / `status` / `profileImage`; the
 * derived `name` lags behind `contact` after an update, as on the real server.
 * An invalid update answers `400 CMN-101` with its `parameterName` and changes
 * nothing.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import {
  type Check,
  defined,
  e164Pattern,
  emailPattern,
  extensionPath,
  extensionUri,
  fail,
  invalid,
  isObject,
  type Json,
  ok,
  readJson,
  withExtension
} from "../../internal/ringCentralEmulator/extensions.js"
import type * as Context from "../Context.js"
import type * as Store from "../Store.js"

const regionalSettings = (base: string) => ({
  timezone: { uri: `${base}/restapi/v1.0/dictionary/timezone/14`, id: "58", name: "US/Pacific", description: "Pacific Time (US & Canada)", bias: "-480" },
  homeCountry: { uri: `${base}/restapi/v1.0/dictionary/country/1`, id: "1", name: "United States", isoCode: "US", callingCode: "1" },
  language: { id: "1033", name: "English (United States)", localeCode: "en-US" },
  greetingLanguage: { id: "1033", name: "English (United States)", localeCode: "en-US" },
  formattingLocale: { id: "1033", name: "English (United States)", localeCode: "en-US" },
  timeFormat: "12h"
})

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

/**
 * The extension info routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const readExtension = context.guard("Light", withExtension(context, (extension) =>
    Effect.succeed(HttpServerResponse.unsafeJson(toExtensionInfo(store, extension, context.baseUrl())))))

  const updateExtension = context.guard("Medium", withExtension(context, (extension) =>
    Effect.gen(function*() {
      const body = yield* readJson
      const check = checkUpdate(store, extension, body)
      if (!check.ok) return invalid(check.parameterName, check.message)
      // the derived `name` is not recomputed: it lags behind the contact, as on the real server
      const updated = store.update(extension.id, (e) => applyUpdate(store, e, body as Json))!
      return HttpServerResponse.unsafeJson(toExtensionInfo(store, updated, context.baseUrl()))
    })))

  return HttpRouter.empty.pipe(
    HttpRouter.get(extensionPath, readExtension),
    HttpRouter.put(extensionPath, updateExtension)
  )
}
