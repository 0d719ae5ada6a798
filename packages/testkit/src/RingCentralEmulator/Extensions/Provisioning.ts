/**
 * The emulator's v2 provisioning routes, on the account: batch provisioning
 * of users (`POST /restapi/v2/accounts/{accountId}/batch-provisioning/users`,
 * Heavy, 1 to 10 records, a result per record) and bulk deletion of
 * extensions (`DELETE /restapi/v2/accounts/{accountId}/extensions`, Heavy, 1 to
 * 50 records, a result per record: the token owner and non-user extensions
 * cannot be deleted). Created users get the next free extension number and a
 * direct number per device; every change goes through the store.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { defined, e164Pattern, emailPattern, invalid, isObject, readJson, withAccount } from "../../internal/ringCentralEmulator/extensions.js"
import type * as Context from "../Context.js"
import type * as Store from "../Store.js"

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
 * The provisioning routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const provision = context.guard("Heavy", withAccount(context, (accountId) =>
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

  const bulkDelete = context.guard("Heavy", withAccount(context, (accountId) =>
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

  return HttpRouter.empty.pipe(
    HttpRouter.post("/restapi/v2/accounts/:accountId/batch-provisioning/users", provision),
    HttpRouter.del("/restapi/v2/accounts/:accountId/extensions", bulkDelete)
  )
}
