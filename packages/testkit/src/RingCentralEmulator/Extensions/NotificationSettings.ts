/**
 * The emulator's notification settings routes
 * (`GET` / `PUT .../extension/{extensionId}/notification-settings`, Light /
 * Medium), kept in the extension's `extra` bag: defaults built from the
 * extension's e-mail until set, e-mail lists and per-category flags checked,
 * and an update merged category by category.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Effect from "effect/Effect"
import {
  type Check,
  emailPattern,
  extensionPath,
  fail,
  invalid,
  isObject,
  isStringArray,
  type Json,
  ok,
  readJson,
  withExtension,
  withUri
} from "../../internal/ringCentralEmulator/extensions.js"
import type * as Context from "../Context.js"
import type * as Store from "../Store.js"

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

/**
 * The notification settings routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const readNotifications = context.guard("Light", withExtension(context, (extension) =>
    Effect.succeed(withUri(context, extension, "notification-settings", isObject(extension.extra.notificationSettings) ? extension.extra.notificationSettings : notificationDefaults(extension)))))

  const updateNotifications = context.guard("Medium", withExtension(context, (extension) =>
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
      return withUri(context, updated, "notification-settings", updated.extra.notificationSettings as Json)
    })))

  return HttpRouter.empty.pipe(
    HttpRouter.get(`${extensionPath}/notification-settings`, readNotifications),
    HttpRouter.put(`${extensionPath}/notification-settings`, updateNotifications)
  )
}
