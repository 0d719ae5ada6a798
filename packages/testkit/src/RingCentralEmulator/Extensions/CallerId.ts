/**
 * The emulator's caller id routes (`GET` / `PUT .../extension/{extensionId}/caller-id`,
 * Light / Medium): the caller id per feature and per device, kept in the
 * extension's `extra` bag. Until one is set, every feature shows the
 * extension's direct number, and `Alternate` comes with an empty caller id
 * (`{}`), as in the docs sample. An update merges by feature and by device.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Effect from "effect/Effect"
import {
  type Check,
  defined,
  extensionPath,
  fail,
  invalid,
  isObject,
  type Json,
  ok,
  readJson,
  withExtension,
  withUri
} from "../../internal/ringCentralEmulator/extensions.js"
import type * as Context from "../Context.js"
import type * as Store from "../Store.js"

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

/**
 * The caller id routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const readCallerId = context.guard("Light", withExtension(context, (extension) =>
    Effect.succeed(withUri(context, extension, "caller-id", callerIdOf(extension)))))

  const updateCallerId = context.guard("Medium", withExtension(context, (extension) =>
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
      return withUri(context, updated, "caller-id", callerIdOf(updated))
    })))

  return HttpRouter.empty.pipe(
    HttpRouter.get(`${extensionPath}/caller-id`, readCallerId),
    HttpRouter.put(`${extensionPath}/caller-id`, updateCallerId)
  )
}
