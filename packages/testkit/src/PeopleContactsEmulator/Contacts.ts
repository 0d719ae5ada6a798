/**
 * The People-Contacts emulator's contact routes, per person:
 *
 * - `GET /v1/people/{id}/contacts` (paged), `GET /v1/people/{id}/contacts/{contactId}`;
 * - `POST /v1/people/{id}/contacts`: checked by the API's rules (`422` with
 *   `{"message":"Validation Failed","errors":[[field, message]]}`), `201` as
 *   documented or `200` as recorded;
 * - `PATCH /v1/people/{id}/contacts/{contactId}`: merged into the stored contact,
 *   `null` clears a field, the result checked as a whole;
 * - `DELETE` one contact or every contact of the person (`204`).
 *
 * `id`, `verified` and `nodeID` are readonly: ignored when sent. Which flags an
 * answer carries depends on the quirks.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "./Context.js"
import * as Paging from "./Paging.js"
import type * as Quirks from "./Quirks.js"
import * as Rules from "./Rules.js"
import type * as Store from "./Store.js"

/**
 * A contact as JSON, in one of the API's views: `full` (an update's answer),
 * `list` (list and person answers), `create` (a create's answer), `get` (a
 * single read).
 *
 * @since 0.1.0
 * @category view
 */
export const contactJson = (quirks: Quirks.Quirks, contact: Store.StoredContact, view: "full" | "list" | "create" | "get"): Record<string, unknown> => {
  const out: Record<string, unknown> = { id: contact.id }
  if (view === "create" && quirks.createOmitsFlags) out["nodeID"] = contact.nodeID
  out["label"] = contact.label
  for (const field of Rules.valueFields) if (contact[field] !== undefined) out[field] = contact[field]
  const omit = (view === "list" && quirks.listOmitsFlags) || (view === "create" && quirks.createOmitsFlags)
  if (!omit) {
    if (!(view === "get" && quirks.getOmitsIntegration)) out["integration"] = contact.integration
    out["verified"] = contact.verified
  }
  return out
}

const invalid = (violations: ReadonlyArray<Rules.Violation>) =>
  Context.json({ message: "Validation Failed", errors: violations.map((v) => [v.field, v.message]) }, 422)

const writable = (body: Record<string, unknown>) => {
  // `id`, `verified` and `nodeID` are readonly: ignored when sent
  const { id: _id, verified: _verified, nodeID: _nodeID, ...rest } = body
  return rest
}

/**
 * The contact routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store

  const contactOf = (request: Context.Request, person: Store.StoredPerson) => {
    const id = Number(request.params["contactId"])
    const contact = Number.isInteger(id) ? store.contacts.get(id) : undefined
    return contact !== undefined && contact.personId === person.id ? contact : undefined
  }

  const listContacts: Context.Handler = (request) => {
    const person = Context.personOf(store, request)
    if (person === undefined) return Context.notFound()
    const quirks = context.quirks()
    return Paging.paged(request, quirks, store.contactsOf(person.id), (c) => c.id, (c) => contactJson(quirks, c, "list"))
  }

  const getContact: Context.Handler = (request) => {
    const person = Context.personOf(store, request)
    const contact = person === undefined ? undefined : contactOf(request, person)
    return contact === undefined ? Context.notFound() : Context.json(contactJson(context.quirks(), contact, "get"))
  }

  const createContact: Context.Handler = (request) => {
    const person = Context.personOf(store, request)
    if (person === undefined) return Context.notFound()
    const body = writable(request.body as Record<string, unknown>)
    const violations = Rules.validateContact(body)
    if (violations.length > 0) return invalid(violations)
    const value = Rules.valueFields.find((f) => body[f] !== undefined && body[f] !== null)!
    const contact = store.addContact(person.id, {
      label: body["label"] as string,
      [value]: body[value] as string,
      integration: body["integration"] === true,
      verified: false
    })
    const quirks = context.quirks()
    return Context.json(contactJson(quirks, contact, "create"), quirks.createStatus)
  }

  const updateContact: Context.Handler = (request) => {
    const person = Context.personOf(store, request)
    const contact = person === undefined ? undefined : contactOf(request, person)
    if (contact === undefined) return Context.notFound()
    const patch = writable(request.body as Record<string, unknown>)
    const merged: Record<string, unknown> = { ...contact, ...patch }
    for (const [k, v] of Object.entries(patch)) if (v === null) delete merged[k]
    const violations = Rules.validateContact(merged)
    if (violations.length > 0) return invalid(violations)
    contact.label = merged["label"] as string
    for (const field of Rules.valueFields) {
      if (merged[field] === undefined) delete contact[field]
      else contact[field] = merged[field] as string
    }
    if (typeof merged["integration"] === "boolean") contact.integration = merged["integration"]
    store.touch(contact.personId)
    return Context.json(contactJson(context.quirks(), contact, "full"))
  }

  const deleteContact: Context.Handler = (request) => {
    const person = Context.personOf(store, request)
    const contact = person === undefined ? undefined : contactOf(request, person)
    if (person === undefined || contact === undefined) return Context.notFound()
    store.deleteContact(person.id, contact.id)
    return HttpServerResponse.empty({ status: 204 })
  }

  const deleteAllContacts: Context.Handler = (request) => {
    const person = Context.personOf(store, request)
    if (person === undefined) return Context.notFound()
    store.deleteContacts(person.id)
    return HttpServerResponse.empty({ status: 204 })
  }

  return HttpRouter.empty.pipe(
    HttpRouter.get("/v1/people/:id/contacts", context.guard(listContacts)),
    HttpRouter.post("/v1/people/:id/contacts", context.guard(createContact, { body: true })),
    HttpRouter.del("/v1/people/:id/contacts", context.guard(deleteAllContacts)),
    HttpRouter.get("/v1/people/:id/contacts/:contactId", context.guard(getContact)),
    HttpRouter.patch("/v1/people/:id/contacts/:contactId", context.guard(updateContact, { body: true })),
    HttpRouter.del("/v1/people/:id/contacts/:contactId", context.guard(deleteContact))
  )
}
