/**
 * The emulator's custom field routes: list, create, update and delete the
 * account's custom field definitions (`/restapi/v1.0/account/{accountId}/custom-fields`,
 * Light for the list, Medium otherwise): category `User` only, at most five
 * fields (`400 CFS-100` beyond, a code of the emulator's own since no real
 * answer is public), and deletion of several comma-separated ids at once.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Context from "./Context.js"

/**
 * The custom field routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const listFields = context.guard("Light", Effect.sync(() =>
    HttpServerResponse.unsafeJson({ records: store.customFields().map((f) => ({ ...f })) })
  ))

  const createField = context.guard("Medium", Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.orElseSucceed(request.json, () => undefined) as Effect.Effect<Record<string, unknown> | undefined>
    const displayName = body?.displayName
    const category = body?.category ?? "User"
    if (typeof displayName !== "string" || displayName.trim() === "") {
      return Context.error(400, "CMN-101", "Parameter [displayName] value is invalid", { parameterName: "displayName" })
    }
    if (category !== "User") return Context.error(400, "CMN-101", "Parameter [category] value is invalid", { parameterName: "category" })
    const created = store.createCustomField({ category, displayName })
    if (created === "limit") {
      return Context.error(400, "CFS-100", `The account already has the maximum number of custom fields (5)`, { parameterName: "displayName" })
    }
    return HttpServerResponse.unsafeJson({ ...created })
  }))

  const updateField = context.guard("Medium", Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = yield* HttpRouter.params
    const body = yield* Effect.orElseSucceed(request.json, () => undefined) as Effect.Effect<Record<string, unknown> | undefined>
    const displayName = body?.displayName
    if (typeof displayName !== "string" || displayName.trim() === "") {
      return Context.error(400, "CMN-101", "Parameter [displayName] value is invalid", { parameterName: "displayName" })
    }
    const updated = store.updateCustomField(params.fieldId ?? "", displayName)
    if (updated === undefined) {
      return Context.error(404, "CMN-102", "Resource for parameter [fieldId] is not found", { parameterName: "fieldId" })
    }
    return HttpServerResponse.unsafeJson({ ...updated })
  }))

  const deleteFields = context.guard("Medium", Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const ids = decodeURIComponent(params.fieldId ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "")
    const known = new Set(store.customFields().map((f) => f.id))
    const missing = ids.filter((id) => !known.has(id))
    if (ids.length === 0 || missing.length > 0) {
      return Context.error(404, "CMN-102", `Resource for parameter [fieldId] is not found: ${missing.join(",")}`, { parameterName: "fieldId" })
    }
    store.deleteCustomFields(ids)
    return HttpServerResponse.empty({ status: 204 })
  }))

  return HttpRouter.empty.pipe(
    HttpRouter.get("/restapi/v1.0/account/:accountId/custom-fields", listFields),
    HttpRouter.post("/restapi/v1.0/account/:accountId/custom-fields", createField),
    HttpRouter.put("/restapi/v1.0/account/:accountId/custom-fields/:fieldId", updateField),
    HttpRouter.del("/restapi/v1.0/account/:accountId/custom-fields/:fieldId", deleteFields)
  )
}
