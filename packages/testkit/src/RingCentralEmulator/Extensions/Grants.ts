/**
 * The emulator's grant routes: the extensions a user may act for
 * (`GET .../extension/{extensionId}/grant`, Light), paged (`perPage` up to
 * 1000 or `max`) and filtered by `extensionType`. Like the docs sample, most
 * records carry only some of their flags, and a fax user's type is spelled
 * `Fax User`.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { defined, extensionPath, extensionUri, invalid, type Json, withExtension } from "../../internal/ringCentralEmulator/extensions.js"
import type * as Context from "../Context.js"
import type * as Store from "../Store.js"

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

/**
 * The grant routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const listGrants = context.guard("Light", withExtension(context, (extension) =>
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

  return HttpRouter.empty.pipe(HttpRouter.get(`${extensionPath}/grant`, listGrants))
}
