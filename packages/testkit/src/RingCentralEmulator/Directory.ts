/**
 * The emulator's company directory (a view of the extension store) and
 * federation routes, in RingCentral's wire format: paging (`perPage` number,
 * `max` or `all`), ETags and `304`, search filters and ordering, ADG error bodies.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Context from "./Context.js"
import type * as Store from "./Store.js"

const userTypes = new Set(["User", "DigitalUser", "VirtualUser", "FaxUser", "FlexibleUser"])
const listedStatuses = new Set(["Enabled", "Disabled", "NotActivated"])

/**
 * The directory type of an extension (`DigitalUser`, `VirtualUser`, `FaxUser` → `User`).
 *
 * @since 0.1.0
 * @category view
 */
export const directoryType = (extension: Store.Extension): string => userTypes.has(extension.type) ? "User" : extension.type

/**
 * Whether an extension appears in the directory.
 *
 * @since 0.1.0
 * @category view
 */
export const isListed = (extension: Store.Extension): boolean =>
  listedStatuses.has(extension.status) && extension.type !== "ApplicationExtension"

const formatted = (e164: string) => {
  const m = /^\+1(\d{3})(\d{7})$/.exec(e164)
  return m === null ? e164 : `+1 (${m[1]}) ${m[2]}`
}

/**
 * The `ContactResource` of an extension, as JSON.
 *
 * @since 0.1.0
 * @category view
 */
export const toContactResource = (
  store: Store.Store,
  extension: Store.Extension,
  baseUrl: string,
  options: { readonly showFederated?: boolean } = {}
): Record<string, unknown> => {
  const type = directoryType(extension)
  const user = type === "User"
  const c = extension.contact
  const fields = new Map(store.customFields().map((f) => [f.id, f.displayName]))
  const customFields = Object.entries(extension.customFields)
    .filter(([id]) => fields.has(id))
    .map(([id, value]) => ({ id, name: fields.get(id), value }))
  return {
    id: extension.id,
    type,
    status: extension.status,
    ...(user
      ? { ...(c.firstName === undefined ? {} : { firstName: c.firstName }), ...(c.lastName === undefined ? {} : { lastName: c.lastName }) }
      : extension.name === undefined ? {} : { name: extension.name }),
    ...(c.email === undefined ? {} : { email: c.email }),
    ...(extension.extensionNumber === undefined ? {} : { extensionNumber: extension.extensionNumber }),
    ...(c.department === undefined ? {} : { department: c.department }),
    ...(c.jobTitle === undefined ? {} : { jobTitle: c.jobTitle }),
    ...(options.showFederated === false ? {} : { account: { id: extension.accountId } }),
    ...(extension.phoneNumbers.length === 0
      ? {}
      : {
        phoneNumbers: extension.phoneNumbers.map((p) => ({
          phoneNumber: p.phoneNumber,
          ...(p.type === undefined ? {} : { type: p.type }),
          formattedPhoneNumber: formatted(p.phoneNumber),
          usageType: p.usageType,
          ...(p.primary === undefined ? {} : { primary: p.primary }),
          ...(p.label === undefined ? {} : { label: p.label })
        }))
      }),
    ...(extension.site === undefined
      ? {}
      : { site: { id: extension.site.id, name: extension.site.name, ...(extension.site.code === undefined ? {} : { code: extension.site.code }) } }),
    ...(extension.profileImage === undefined
      ? {}
      : {
        profileImage: {
          etag: extension.profileImage.etag,
          uri: `${baseUrl}/restapi/v1.0/account/${extension.accountId}/extension/${extension.id}/profile-image`
        }
      }),
    ...(extension.hidden ? { hidden: true } : {}),
    ...(customFields.length === 0 ? {} : { customFields })
  }
}

type Page = { readonly _tag: "Page"; readonly size: number } | { readonly _tag: "Error"; readonly response: HttpServerResponse.HttpServerResponse }

const pageSize = (context: Context.Context, raw: unknown, total: number, fallback: number): Page => {
  if (raw === undefined || raw === null || raw === "") return { _tag: "Page", size: Math.min(fallback, context.settings.maxPerPage) }
  if (raw === "all") return { _tag: "Page", size: Math.max(total, 1) }
  if (raw === "max") return { _tag: "Page", size: context.settings.maxPerPage }
  const n = typeof raw === "number" ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : Number.NaN
  if (!Number.isInteger(n) || n < 1 || n > context.settings.maxPerPage) {
    return { _tag: "Error", response: invalidParameter("perPage") }
  }
  return { _tag: "Page", size: n }
}

const invalidParameter = (name: string, info = "") =>
  Context.error(400, "ADG-121", `Parameter [${name}] is invalid. ${info}`.trim(), { parameterName: name, errorsOnly: true })

const paged = (
  context: Context.Context,
  items: ReadonlyArray<Store.Extension>,
  page: number,
  size: number,
  options: { readonly showFederated: boolean }
) => {
  const start = (page - 1) * size
  const slice = items.slice(start, start + size)
  const totalPages = Math.ceil(items.length / size)
  const base = context.baseUrl()
  return {
    uri: `${base}/restapi/v1.0/account/${context.store.account.id}/directory/entries?page=${page}&perPage=${size}`,
    records: slice.map((e) => toContactResource(context.store, e, base, options)),
    paging: {
      page,
      perPage: size,
      ...(slice.length === 0 ? {} : { pageStart: start, pageEnd: start + slice.length - 1 }),
      ...(context.settings.omitTotals ? {} : { totalPages, totalElements: items.length })
    }
  }
}

const parsePage = (raw: unknown): number | undefined => {
  if (raw === undefined || raw === null || raw === "") return 1
  const n = typeof raw === "number" ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : Number.NaN
  return Number.isInteger(n) && n >= 1 ? n : undefined
}

const byAccount = (context: Context.Context, showFederated: boolean) => (e: Store.Extension) =>
  showFederated || e.accountId === context.store.account.id

const searchValues = (store: Store.Store, e: Store.Extension, field: string): ReadonlyArray<string> => {
  switch (field) {
    case "firstName":
      return [e.contact.firstName ?? (directoryType(e) === "User" ? "" : (e.name ?? ""))]
    case "lastName":
      return [e.contact.lastName ?? ""]
    case "extensionNumber":
      return [e.extensionNumber ?? ""]
    case "phoneNumber":
      return e.phoneNumbers.map((p) => p.phoneNumber)
    case "email":
      return [e.contact.email ?? ""]
    case "jobTitle":
      return [e.contact.jobTitle ?? ""]
    case "department":
      return [e.contact.department ?? ""]
    case "customFieldValue":
      return Object.entries(e.customFields).filter(([id]) => store.customFields().some((f) => f.id === id)).map(([, v]) => v)
    default:
      return []
  }
}

const searchFieldNames = ["firstName", "lastName", "extensionNumber", "phoneNumber", "email", "jobTitle", "department", "customFieldValue"]
const orderFields = new Set(["firstName", "lastName", "extensionNumber", "phoneNumber", "email", "jobTitle", "department"])

const isStringArray = (u: unknown): u is ReadonlyArray<string> => Array.isArray(u) && u.every((x) => typeof x === "string")

/**
 * The directory and federation routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store
  // the listed view is rebuilt only when the store changed (its ETag moved)
  let cache: { etag: string; items: ReadonlyArray<Store.Extension> } | undefined
  const listed = () => {
    const etag = store.etag()
    if (cache === undefined || cache.etag !== etag) cache = { etag, items: store.list().filter(isListed) }
    return cache.items
  }

  const list = context.guard("Medium", Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const query = new URL(request.url, "http://localhost").searchParams
    const etag = store.etag()
    if (request.headers["if-none-match"] === etag) {
      return HttpServerResponse.empty({ status: 304, headers: { ETag: etag } })
    }
    const showFederated = query.get("showFederated") !== "false"
    const type = query.get("type")
    const typeGroup = query.get("typeGroup")
    const siteId = query.get("siteId")
    if (typeGroup !== null && typeGroup !== "User" && typeGroup !== "NonUser") return invalidParameter("typeGroup")
    const items = listed().filter((e) =>
      byAccount(context, showFederated)(e) &&
      (type === null || directoryType(e) === type) &&
      (typeGroup === null || (typeGroup === "User") === (directoryType(e) === "User")) &&
      (siteId === null || e.site?.id === siteId)
    )
    const page = parsePage(query.get("page") ?? undefined)
    if (page === undefined) return invalidParameter("page")
    const size = pageSize(context, query.get("perPage") ?? undefined, items.length, 1000)
    if (size._tag === "Error") return size.response
    return HttpServerResponse.unsafeJson(paged(context, items, page, size.size, { showFederated }), { headers: { ETag: etag } })
  }))

  const search = context.guard("Heavy", Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.orElseSucceed(request.json, () => undefined)
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return Context.error(400, "ADG-112", "Request body is invalid.", { errorsOnly: true })
    }
    const b = body as Record<string, unknown>
    const searchString = typeof b.searchString === "string" ? b.searchString.trim().toLowerCase() : undefined
    const fields = b.searchFields === undefined ? searchFieldNames : b.searchFields
    if (!isStringArray(fields) || fields.some((f) => !searchFieldNames.includes(f))) return invalidParameter("searchFields")
    const showFederated = b.showFederated !== false
    const accountIds = b.accountIds
    const siteIds = b.siteIds
    const statuses = b.extensionStatuses
    const types = b.extensionTypes
    const extensionIds = b.extensionIds
    for (const [name, value] of [["accountIds", accountIds], ["siteIds", siteIds], ["extensionStatuses", statuses], ["extensionTypes", types], ["extensionIds", extensionIds]] as const) {
      if (value !== undefined && !isStringArray(value)) return invalidParameter(name)
    }
    const orderBy = b.orderBy === undefined ? [] : b.orderBy
    if (!Array.isArray(orderBy)) return invalidParameter("orderBy")
    const order: Array<{ index: number; fieldName: string; direction: "Asc" | "Desc" }> = []
    for (const o of orderBy as ReadonlyArray<Record<string, unknown>>) {
      const fieldName = o?.fieldName
      if (typeof fieldName !== "string" || !orderFields.has(fieldName)) return invalidParameter("orderBy.fieldName")
      const direction = o.direction ?? "Asc"
      if (direction !== "Asc" && direction !== "Desc") return invalidParameter("orderBy.direction")
      order.push({ index: typeof o.index === "number" ? o.index : 1, fieldName, direction })
    }
    order.sort((x, y) => x.index - y.index)
    const digits = searchString?.replace(/\D/g, "")
    let items = listed().filter((e) => {
      if (!byAccount(context, showFederated)(e)) return false
      if (isStringArray(accountIds) && accountIds.length > 0 && !accountIds.includes(e.accountId)) return false
      if (typeof b.extensionType === "string" && directoryType(e) !== b.extensionType) return false
      if (isStringArray(types) && types.length > 0 && !types.includes(directoryType(e)) && !types.includes(e.type)) return false
      if (typeof b.siteId === "string" && e.site?.id !== b.siteId) return false
      if (isStringArray(siteIds) && siteIds.length > 0 && !siteIds.includes(e.site?.id ?? "")) return false
      if (typeof b.department === "string" && (e.contact.department ?? "").toLowerCase() !== b.department.toLowerCase()) return false
      if (isStringArray(statuses) && statuses.length > 0 && !statuses.includes(e.status)) return false
      if (isStringArray(extensionIds) && extensionIds.length > 0 && !extensionIds.includes(e.id)) return false
      if (searchString === undefined || searchString === "") return true
      return fields.some((field) =>
        searchValues(store, e, field).some((v) =>
          field === "phoneNumber"
            ? digits !== undefined && digits !== "" && v.replace(/\D/g, "").includes(digits)
            : v.toLowerCase().includes(searchString)
        )
      )
    })
    if (order.length > 0) {
      items = [...items].sort((x, y) => {
        for (const o of order) {
          const a = searchValues(store, x, o.fieldName)[0] ?? ""
          const c = searchValues(store, y, o.fieldName)[0] ?? ""
          const cmp = a.localeCompare(c)
          if (cmp !== 0) return o.direction === "Asc" ? cmp : -cmp
        }
        return 0
      })
    }
    const page = parsePage(b.page)
    if (page === undefined) return invalidParameter("page")
    const size = pageSize(context, b.perPage, items.length, 1000)
    if (size._tag === "Error") return size.response
    return HttpServerResponse.unsafeJson(paged(context, items, page, size.size, { showFederated }))
  }))

  const read = context.guard("Medium", Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const extension = store.get(params.entryId ?? "")
    if (extension === undefined || !isListed(extension)) {
      return Context.error(404, "ADG-122", "Contact not found.", { errorsOnly: true })
    }
    return HttpServerResponse.unsafeJson(toContactResource(store, extension, context.baseUrl()))
  }))

  const federation = context.guard("Medium", Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const types = new URL(request.url, "http://localhost").searchParams.get("types") ?? "Regular"
    if (!["All", "Regular", "AdminOnly"].includes(types)) return invalidParameter("types")
    const f = store.federation
    if (types !== "All" && types !== f.type) {
      return Context.error(404, "ADG-105", "Current account is not linked to any federation.", { errorsOnly: true })
    }
    return HttpServerResponse.unsafeJson({
      id: f.id,
      displayName: f.displayName,
      creationTime: f.creationTime,
      lastModifiedTime: f.lastModifiedTime,
      type: f.type,
      accounts: store.accounts.map((a) => ({
        id: a.id,
        companyName: a.companyName,
        federatedName: a.federatedName,
        linkCreationTime: a.linkCreationTime,
        mainNumber: { phoneNumber: a.mainNumber, formattedPhoneNumber: formatted(a.mainNumber) },
        conflictCount: a.conflictCount
      }))
    })
  }))

  return HttpRouter.empty.pipe(
    HttpRouter.get("/restapi/v1.0/account/:accountId/directory/entries", list),
    HttpRouter.post("/restapi/v1.0/account/:accountId/directory/entries/search", search),
    HttpRouter.get("/restapi/v1.0/account/:accountId/directory/entries/:entryId", read),
    HttpRouter.get("/restapi/v1.0/account/:accountId/directory/federation", federation)
  )
}
