/**
 * The emulator's conferencing routes
 * (`GET` / `PUT .../extension/{extensionId}/conferencing`, Light / Medium), kept
 * in the extension's `extra` bag: numbers and codes derived from the extension
 * id and padded with two spaces, as the vendor mock sends them; an update may
 * choose the default number among the extension's own and set
 * `allowJoinBeforeHost`.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Effect from "effect/Effect"
import { extensionPath, invalid, isObject, type Json, readJson, withExtension, withUri } from "../../internal/ringCentralEmulator/extensions.js"
import type * as Context from "../Context.js"
import type * as Store from "../Store.js"

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

/**
 * The conferencing routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const readConferencing = context.guard("Light", withExtension(context, (extension) =>
    Effect.succeed(withUri(context, extension, "conferencing", conferencingOf(extension)))))

  const updateConferencing = context.guard("Medium", withExtension(context, (extension) =>
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
      return withUri(context, updated, "conferencing", conferencingOf(updated))
    })))

  return HttpRouter.empty.pipe(
    HttpRouter.get(`${extensionPath}/conferencing`, readConferencing),
    HttpRouter.put(`${extensionPath}/conferencing`, updateConferencing)
  )
}
