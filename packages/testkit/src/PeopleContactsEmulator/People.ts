/**
 * The People-Contacts emulator's people routes: `GET /v1/people` (paged,
 * filtered by `primary_email` (any case), `employeeID`, `name` (a part, any
 * case), `updated_at=>=…` and `disabled`, with the collection fields or the
 * `fields` asked for) and `GET /v1/people/{id}` (every field, with the
 * person's contacts).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Contacts from "./Contacts.js"
import * as Context from "./Context.js"
import * as Paging from "./Paging.js"
import type * as Quirks from "./Quirks.js"
import type * as Store from "./Store.js"

const collectionFields = ["id", "sourceID", "name", "organization", "site", "manager", "created_at", "updated_at", "disabled"]

/**
 * A person as JSON: the `fields` asked for (and `id`), or every field with
 * the person's contacts when `fields` is `undefined`.
 *
 * @since 0.1.0
 * @category view
 */
export const personJson = (
  store: Store.Store,
  quirks: Quirks.Quirks,
  person: Store.StoredPerson,
  fields: ReadonlyArray<string> | undefined
): Record<string, unknown> => {
  if (fields === undefined) {
    return { ...person, contacts: store.contactsOf(person.id).map((c) => Contacts.contactJson(quirks, c, "list")) }
  }
  const out: Record<string, unknown> = {}
  for (const key of ["id", ...fields]) {
    if (key in person) out[key] = (person as unknown as Record<string, unknown>)[key]
  }
  return out
}

/**
 * The people routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const listPeople: Context.Handler = (request) => {
    const params = request.url.searchParams
    const email = params.get("primary_email")
    const employeeId = params.get("employeeID")
    const name = params.get("name")
    const updated = params.get("updated_at")
    const disabled = params.get("disabled")
    const since = updated?.startsWith(">=") ? Date.parse(updated.slice(2)) : undefined
    const fieldsParam = params.get("fields")
    const fields = fieldsParam === null ? collectionFields : fieldsParam.split(",").map((f) => f.trim()).filter((f) => f !== "")
    const matching = [...store.people.values()].filter((p) =>
      (email === null || p.primary_email.toLowerCase() === email.toLowerCase()) &&
      (employeeId === null || p.employeeID === employeeId) &&
      (name === null || p.name.toLowerCase().includes(name.toLowerCase())) &&
      (since === undefined || Number.isNaN(since) || Date.parse(p.updated_at) >= since) &&
      (disabled === null || String(p.disabled) === disabled)
    )
    const quirks = context.quirks()
    return Paging.paged(request, quirks, matching, (p) => p.id, (p) => personJson(store, quirks, p, fields))
  }

  const getPerson: Context.Handler = (request) => {
    const person = Context.personOf(store, request)
    return person === undefined ? Context.notFound() : Context.json(personJson(store, context.quirks(), person, undefined))
  }

  return HttpRouter.empty.pipe(
    HttpRouter.get("/v1/people", context.guard(listPeople)),
    HttpRouter.get("/v1/people/:id", context.guard(getPerson))
  )
}
