/**
 * A loopback emulator of the People-Contacts API for tests and examples: people
 * (a seeded generator, thousands if asked) and their contacts, the API's
 * validation rules and `422` bodies, `201`/`200`/`204` statuses, readonly `id`
 * and `verified`, cursor `Link` paging with `X-Pagination-*` headers, both rate
 * limits (`429 {"message":"Too Many Requests"}` with `Retry-After`, windows
 * scalable for tests), bearer-token and account-header checks, the quirks of the
 * recorded samples, and the injectable faults of `@unified-people/core/Testing`.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as Generator from "@unified-people/core/Generator"
import * as Testing from "@unified-people/core/Testing"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Rules from "./PeopleContactsEmulator/Rules.js"

/**
 * A stored contact.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredContact {
  readonly id: number
  personId: number
  label: string
  email?: string
  telephone?: string
  chat?: string
  website?: string
  integration: boolean
  verified: boolean
  readonly nodeID: string
}

/**
 * A stored person (wire field names).
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredPerson {
  readonly id: number
  name: string
  primary_email: string
  employeeID: string | null
  sourceID: string | null
  supportID: string | null
  authenticationID: string | null
  source: string | null
  job_title: string | null
  location: string | null
  organization: { readonly id: number; readonly name: string } | null
  site: { readonly id: number; readonly name: string } | null
  manager: { readonly id: number; readonly name: string } | null
  disabled: boolean
  vip: boolean
  cost_per_hour: string | null
  picture_uri: string | null
  custom_fields: ReadonlyArray<{ readonly id: string; readonly value: unknown }> | null
  created_at: string
  updated_at: string
  readonly nodeID: string
}

/**
 * Behaviours of the real service that the documentation does not show,
 * reproduced on demand.
 *
 * @since 0.1.0
 * @category models
 */
export interface Quirks {
  /** Status of a successful create: 201 as documented, 200 as recorded. */
  readonly createStatus: 200 | 201
  /** The create answer carries `nodeID` and no `integration`/`verified` (as recorded). */
  readonly createOmitsFlags: boolean
  /** List answers leave out `integration`/`verified` (as the documented list sample). */
  readonly listOmitsFlags: boolean
  /** The single-contact answer leaves out `integration` (ownership unknown). */
  readonly getOmitsIntegration: boolean
  /** Legacy `page=` links with `rel="prev"`/`rel="last"` instead of cursors. */
  readonly legacyPaging: boolean
  /** 429 answers with an empty body and no `Retry-After` or rate-limit headers (an SDK stub's variant). */
  readonly bare429: boolean
}

/**
 * @since 0.1.0
 * @category constants
 */
export const documentedQuirks: Quirks = {
  createStatus: 201,
  createOmitsFlags: false,
  listOmitsFlags: false,
  getOmitsIntegration: false,
  legacyPaging: false,
  bare429: false
}

/**
 * The quirks of the recorded samples.
 *
 * @since 0.1.0
 * @category constants
 */
export const recordedQuirks: Quirks = {
  createStatus: 200,
  createOmitsFlags: true,
  listOmitsFlags: true,
  getOmitsIntegration: false,
  legacyPaging: false,
  bare429: false
}

/**
 * A rate-limit window of the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly limit: number
  readonly windowMillis: number
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The account id accepted in `X-Xurrent-Account` / `X-4me-Account` (default `widget`). */
  readonly account?: string
  /** The accepted bearer tokens (default `["emulator-token"]`). */
  readonly tokens?: ReadonlyArray<string>
  /** People to generate (default 25). */
  readonly people?: number
  /** The generator seed (default 4). */
  readonly seed?: number
  /** Generated contacts per person: 0 up to this many (default 3). */
  readonly maxContactsPerPerson?: number
  /** The hourly limit per token (default 3600 per hour). */
  readonly hourly?: Window
  /** The burst limit per token (default 20 per 2 s). */
  readonly burst?: Window
  /** Scales both windows (0.01 turns 2 s into 20 ms). */
  readonly rateLimitScale?: number
  readonly quirks?: Partial<Quirks>
}

/**
 * One request the emulator received.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoggedRequest {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly status: number
  readonly body?: unknown
}

/**
 * The control side of a running emulator: direct store access, the request log
 * and counters, and quirk switches.
 *
 * @since 0.1.0
 * @category models
 */
export interface Control {
  readonly account: string
  readonly tokens: ReadonlyArray<string>
  readonly people: Map<number, StoredPerson>
  readonly contacts: Map<number, StoredContact>
  /** Requests received, oldest first. */
  readonly requests: () => ReadonlyArray<LoggedRequest>
  readonly clearRequests: () => void
  /** How many answers had each status. */
  readonly statusCounts: () => Readonly<Record<number, number>>
  readonly setQuirks: (quirks: Partial<Quirks>) => void
  readonly quirks: () => Quirks
  /** Adds a person; the fields not given are generated. */
  readonly addPerson: (fields?: Partial<Omit<StoredPerson, "id" | "nodeID">>) => StoredPerson
  /** Adds a contact to a person directly (no validation: any label can be stored). */
  readonly addContact: (personId: number, fields: Partial<Omit<StoredContact, "id" | "nodeID" | "personId">>) => StoredContact
  /** Adds `count` generated valid contacts to a person. */
  readonly addGeneratedContacts: (personId: number, count: number) => ReadonlyArray<StoredContact>
  /** The contacts of a person, oldest first. */
  readonly contactsOf: (personId: number) => ReadonlyArray<StoredContact>
}

/**
 * An emulator: its `HttpApp` and its control side.
 *
 * @since 0.1.0
 * @category models
 */
export interface Emulator extends Control {
  readonly app: HttpApp.Default
}

/**
 * A served emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Served extends Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  /** The API root to configure clients with: `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string
  readonly faults: Testing.Faults
}

const givenNames = ["Ashok", "Barney", "Chess", "Ed", "Tom", "Howard", "Ellen", "Mia", "Noor", "Olga", "Pablo", "Rita", "Sven", "Yuki"]
const familyNames = ["Kumar", "Turban", "Cole", "Turner", "Peterson", "Tanner", "Brown", "Garcia", "Haddad", "Ivanova", "Lopez", "Moreau"]
const organizations = [
  { id: 30, name: "Widget Data Center, External IT" },
  { id: 31, name: "Widget International" },
  { id: 32, name: "Widget Finance" }
]
const sites = [{ id: 13, name: "Widget Data Center" }, { id: 14, name: "Widget Headquarters" }]

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64").replace(/=+$/, "")

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers })

const message = (status: number, text: string, headers: Record<string, string> = {}) => json({ message: text }, status, headers)

/**
 * Builds an emulator.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Emulator => {
  const account = options.account ?? "widget"
  const tokens = options.tokens ?? ["emulator-token"]
  const scale = options.rateLimitScale ?? 1
  const hourly = { ...(options.hourly ?? { limit: 3600, windowMillis: 3_600_000 }) }
  const burst = { ...(options.burst ?? { limit: 20, windowMillis: 2_000 }) }
  const hourlyMillis = hourly.windowMillis * scale
  const burstMillis = burst.windowMillis * scale
  const random = Generator.random(options.seed ?? 4).next
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!
  let quirks: Quirks = { ...documentedQuirks, ...options.quirks }

  const people = new Map<number, StoredPerson>()
  const contacts = new Map<number, StoredContact>()
  const byPerson = new Map<number, Array<number>>()
  let nextPersonId = 1
  let nextContactId = 1000
  const log: Array<LoggedRequest> = []
  const statuses: Record<number, number> = {}
  const sent = new Map<string, Array<number>>()

  const addPerson = (fields: Partial<Omit<StoredPerson, "id" | "nodeID">> = {}): StoredPerson => {
    const id = nextPersonId++
    const given = pick(givenNames)
    const family = pick(familyNames)
    const day = String(1 + (id % 28)).padStart(2, "0")
    const person: StoredPerson = {
      id,
      name: `${given} ${family}`,
      primary_email: `${given}.${family}.${id}@widget.example`.toLowerCase(),
      employeeID: id % 7 === 0 ? null : `E${String(id).padStart(5, "0")}`,
      sourceID: id % 3 === 0 ? `hr-${id}` : null,
      supportID: null,
      authenticationID: null,
      source: id % 3 === 0 ? "hr" : null,
      job_title: pick(["Trainee", "Engineer", "Analyst", null]),
      location: null,
      organization: pick(organizations),
      site: pick(sites),
      manager: id === 1 ? null : { id: 1, name: "Howard Tanner" },
      disabled: id % 13 === 0,
      vip: false,
      cost_per_hour: "80.0",
      picture_uri: null,
      custom_fields: null,
      created_at: `2016-03-${day}T03:09:55-06:00`,
      updated_at: `2016-03-${day}T03:10:31-06:00`,
      nodeID: b64(`emulator/Person/${id}`),
      ...fields
    }
    people.set(id, person)
    byPerson.set(id, [])
    return person
  }

  const addContact = (personId: number, fields: Partial<Omit<StoredContact, "id" | "nodeID" | "personId">>): StoredContact => {
    const id = nextContactId++
    const contact: StoredContact = { id, personId, label: "work", integration: false, verified: false, nodeID: b64(`emulator/Contact/${id}`), ...fields }
    contacts.set(id, contact)
    const list = byPerson.get(personId) ?? []
    list.push(id)
    byPerson.set(personId, list)
    return contact
  }

  const generatedContact = (personId: number, n: number): Partial<StoredContact> => {
    const field = pick(Rules.valueFields)
    const labels = Rules.knownLabels.filter((label) => Rules.isAllowed(label, field))
    const value = field === "telephone"
      ? `+1 (713) ${String(100 + Math.floor(random() * 900))} ${String(1000 + ((personId * 31 + n) % 9000))}`
      : field === "email"
      ? `person${personId}.c${n}@mail.example`
      : field === "chat"
      ? `https://chat.example/u/${personId}-${n}`
      : `www.person${personId}-${n}.example`
    return { label: pick(labels), [field]: value, integration: random() < 0.5, verified: random() < 0.3 }
  }

  const addGeneratedContacts = (personId: number, count: number) =>
    Array.from({ length: count }, (_, n) => addContact(personId, generatedContact(personId, n)))

  const contactsOf = (personId: number) => (byPerson.get(personId) ?? []).map((id) => contacts.get(id)!).filter((c) => c !== undefined)

  const maxContacts = options.maxContactsPerPerson ?? 3
  for (let i = 0; i < (options.people ?? 25); i++) {
    const person = addPerson()
    addGeneratedContacts(person.id, Math.floor(random() * (maxContacts + 1)))
  }

  // ---- representations ------------------------------------------------------

  const contactJson = (contact: StoredContact, view: "full" | "list" | "create" | "get"): Record<string, unknown> => {
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

  const collectionFields = ["id", "sourceID", "name", "organization", "site", "manager", "created_at", "updated_at", "disabled"]

  const personJson = (person: StoredPerson, fields: ReadonlyArray<string> | undefined): Record<string, unknown> => {
    if (fields === undefined) {
      return { ...person, contacts: contactsOf(person.id).map((c) => contactJson(c, "list")) }
    }
    const out: Record<string, unknown> = {}
    for (const key of ["id", ...fields]) {
      if (key in person) out[key] = (person as unknown as Record<string, unknown>)[key]
    }
    return out
  }

  // ---- rate limits ----------------------------------------------------------

  const rateLimit = (token: string, now: number) => {
    const times = (sent.get(token) ?? []).filter((t) => t > now - hourlyMillis)
    sent.set(token, times)
    const inBurst = times.filter((t) => t > now - burstMillis)
    const overHour = times.length >= hourly.limit
    const overBurst = inBurst.length >= burst.limit
    const headersFor = (list: ReadonlyArray<number>) => ({
      "X-RateLimit-Limit": String(hourly.limit),
      "X-RateLimit-Remaining": String(Math.max(0, hourly.limit - list.length)),
      "X-RateLimit-Reset": String(Math.ceil(((list[0] ?? now) + hourlyMillis) / 1000))
    })
    if (overHour || overBurst) {
      const waitHour = overHour ? times[times.length - hourly.limit]! + hourlyMillis - now : 0
      const waitBurst = overBurst ? inBurst[inBurst.length - burst.limit]! + burstMillis - now : 0
      const wait = Math.max(1, waitHour, waitBurst)
      const retryAfter = scale === 1 ? String(Math.max(1, Math.ceil(wait / 1000))) : (wait / 1000).toFixed(3)
      return { ok: false as const, headers: { ...headersFor(times), "Retry-After": retryAfter } }
    }
    times.push(now)
    return { ok: true as const, headers: headersFor(times) }
  }

  // ---- handlers -------------------------------------------------------------

  interface Ctx {
    readonly url: URL
    readonly params: Readonly<Record<string, string | undefined>>
    readonly body: unknown
    readonly origin: string
  }

  type Handler = (ctx: Ctx) => HttpServerResponse.HttpServerResponse

  const notFound = () => message(404, "Not found")

  const personOf = (ctx: Ctx) => {
    const id = Number(ctx.params["id"])
    return Number.isInteger(id) ? people.get(id) : undefined
  }

  const contactOf = (ctx: Ctx, person: StoredPerson) => {
    const id = Number(ctx.params["contactId"])
    const contact = Number.isInteger(id) ? contacts.get(id) : undefined
    return contact !== undefined && contact.personId === person.id ? contact : undefined
  }

  const invalid = (violations: ReadonlyArray<Rules.Violation>) =>
    json({ message: "Validation Failed", errors: violations.map((v) => [v.field, v.message]) }, 422)

  /** Cursor (or legacy page) paging over an ordered list. */
  const paged = <A>(ctx: Ctx, items: ReadonlyArray<A>, idOf: (a: A) => number, render: (a: A) => unknown) => {
    const params = ctx.url.searchParams
    const requested = Number(params.get("per_page") ?? "20")
    const perPage = Number.isInteger(requested) && requested > 0 ? Math.min(100, requested) : 20
    const filters = [...params.entries()].filter(([k]) => !["per_page", "search_after", "page"].includes(k))
    const base = `${ctx.origin}${ctx.url.pathname}`
    const query = (entries: ReadonlyArray<readonly [string, string]>) =>
      entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")
    let start = 0
    const page = params.get("page")
    const after = params.get("search_after")
    if (page !== null) {
      const n = Number(page)
      if (!Number.isInteger(n) || n < 1) return message(400, "Invalid page")
      start = (n - 1) * perPage
    } else if (after !== null) {
      let lastId: number | undefined
      if (/^\d+$/.test(after)) lastId = Number(after)
      else {
        try {
          const decoded = JSON.parse(Buffer.from(after, "base64").toString("utf8")) as { cursor?: ReadonlyArray<unknown> }
          lastId = Number(decoded.cursor?.[0])
        } catch {
          lastId = undefined
        }
      }
      if (lastId === undefined || !Number.isFinite(lastId)) return message(400, "Invalid search_after cursor")
      const index = items.findIndex((item) => idOf(item) > lastId!)
      start = index < 0 ? items.length : index
    }
    const slice = items.slice(start, start + perPage)
    const totalPages = Math.max(1, Math.ceil(items.length / perPage))
    const current = Math.floor(start / perPage) + 1
    const links: Array<string> = []
    const hasMore = start + perPage < items.length
    if (quirks.legacyPaging) {
      const pageLink = (n: number, rel: string) => `<${base}?${query([["page", String(n)], ["per_page", String(perPage)], ...filters])}>; rel="${rel}"`
      links.push(pageLink(1, "first"))
      if (current > 1) links.push(pageLink(current - 1, "prev"))
      if (hasMore) links.push(pageLink(current + 1, "next"))
      links.push(pageLink(totalPages, "last"))
    } else {
      links.push(`<${base}?${query([["per_page", String(perPage)], ...filters])}>; rel="first"`)
      if (hasMore && slice.length > 0) {
        const cursor = Buffer.from(JSON.stringify({ offset: start + slice.length - 1, cursor: [idOf(slice[slice.length - 1]!)] })).toString("base64")
        // the filters follow the cursor, as in the captured `GET /v1/cis`
        links.push(`<${base}?${query([["per_page", String(perPage)], ["search_after", cursor], ...filters])}>; rel="next"`)
      }
    }
    return json(slice.map(render), 200, {
      Link: links.join(", "),
      "X-Pagination-Per-Page": String(perPage),
      "X-Pagination-Current-Page": String(current),
      "X-Pagination-Total-Pages": String(totalPages),
      "X-Pagination-Total-Entries": String(items.length)
    })
  }

  const listPeople: Handler = (ctx) => {
    const params = ctx.url.searchParams
    const email = params.get("primary_email")
    const employeeId = params.get("employeeID")
    const name = params.get("name")
    const updated = params.get("updated_at")
    const disabled = params.get("disabled")
    const since = updated?.startsWith(">=") ? Date.parse(updated.slice(2)) : undefined
    const fieldsParam = params.get("fields")
    const fields = fieldsParam === null ? collectionFields : fieldsParam.split(",").map((f) => f.trim()).filter((f) => f !== "")
    const matching = [...people.values()].filter((p) =>
      (email === null || p.primary_email.toLowerCase() === email.toLowerCase()) &&
      (employeeId === null || p.employeeID === employeeId) &&
      (name === null || p.name.toLowerCase().includes(name.toLowerCase())) &&
      (since === undefined || Number.isNaN(since) || Date.parse(p.updated_at) >= since) &&
      (disabled === null || String(p.disabled) === disabled)
    )
    return paged(ctx, matching, (p) => p.id, (p) => personJson(p, fields))
  }

  const getPerson: Handler = (ctx) => {
    const person = personOf(ctx)
    return person === undefined ? notFound() : json(personJson(person, undefined))
  }

  const listContacts: Handler = (ctx) => {
    const person = personOf(ctx)
    if (person === undefined) return notFound()
    return paged(ctx, contactsOf(person.id), (c) => c.id, (c) => contactJson(c, "list"))
  }

  const getContact: Handler = (ctx) => {
    const person = personOf(ctx)
    const contact = person === undefined ? undefined : contactOf(ctx, person)
    return contact === undefined ? notFound() : json(contactJson(contact, "get"))
  }

  const writable = (body: Record<string, unknown>) => {
    // `id`, `verified` and `nodeID` are readonly: ignored when sent
    const { id: _id, verified: _verified, nodeID: _nodeID, ...rest } = body
    return rest
  }

  const createContact: Handler = (ctx) => {
    const person = personOf(ctx)
    if (person === undefined) return notFound()
    const body = writable(ctx.body as Record<string, unknown>)
    const violations = Rules.validateContact(body)
    if (violations.length > 0) return invalid(violations)
    const value = Rules.valueFields.find((f) => body[f] !== undefined && body[f] !== null)!
    const contact = addContact(person.id, {
      label: body["label"] as string,
      [value]: body[value] as string,
      integration: body["integration"] === true,
      verified: false
    })
    return json(contactJson(contact, "create"), quirks.createStatus)
  }

  const updateContact: Handler = (ctx) => {
    const person = personOf(ctx)
    const contact = person === undefined ? undefined : contactOf(ctx, person)
    if (contact === undefined) return notFound()
    const patch = writable(ctx.body as Record<string, unknown>)
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
    return json(contactJson(contact, "full"))
  }

  const deleteContact: Handler = (ctx) => {
    const person = personOf(ctx)
    const contact = person === undefined ? undefined : contactOf(ctx, person)
    if (person === undefined || contact === undefined) return notFound()
    contacts.delete(contact.id)
    byPerson.set(person.id, (byPerson.get(person.id) ?? []).filter((id) => id !== contact.id))
    return HttpServerResponse.empty({ status: 204 })
  }

  const deleteAllContacts: Handler = (ctx) => {
    const person = personOf(ctx)
    if (person === undefined) return notFound()
    for (const id of byPerson.get(person.id) ?? []) contacts.delete(id)
    byPerson.set(person.id, [])
    return HttpServerResponse.empty({ status: 204 })
  }

  // ---- the guard: auth, account, rate limits, body, log ---------------------

  const guarded = (handler: Handler, options: { readonly body?: boolean } = {}) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const params = yield* HttpRouter.params
      const url = new URL(request.url, "http://localhost")
      const origin = `http://${request.headers["host"] ?? "127.0.0.1"}`
      const text = options.body === true ? yield* Effect.orElseSucceed(request.text, () => "") : ""
      const respond = (response: HttpServerResponse.HttpServerResponse, body?: unknown) => {
        log.push({
          method: request.method,
          path: url.pathname,
          query: url.search,
          status: response.status,
          ...(body === undefined ? {} : { body })
        })
        statuses[response.status] = (statuses[response.status] ?? 0) + 1
        return response
      }
      let parsed: unknown
      let parseFailed = false
      if (options.body === true) {
        try {
          parsed = JSON.parse(text)
        } catch {
          parseFailed = true
        }
      }
      const loggedBody = options.body === true ? (parseFailed ? text : parsed) : undefined
      const auth = request.headers["authorization"] ?? ""
      const match = /^Bearer\s+(.+)$/i.exec(auth.trim())
      const token = match?.[1]
      if (token === undefined || !tokens.includes(token)) return respond(message(401, "Unauthorized"), loggedBody)
      const accountHeader = request.headers["x-xurrent-account"] ?? request.headers["x-4me-account"]
      if (accountHeader !== account) return respond(notFound(), loggedBody)
      const limited = rateLimit(token, Date.now())
      if (!limited.ok) {
        return respond(
          quirks.bare429 ? HttpServerResponse.empty({ status: 429 }) : message(429, "Too Many Requests", limited.headers),
          loggedBody
        )
      }
      if (parseFailed || (options.body === true && (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)))) {
        return respond(message(400, "Invalid JSON string posted", limited.headers), loggedBody)
      }
      const response = handler({ url, params, body: parsed, origin })
      return respond(HttpServerResponse.setHeaders(response, limited.headers), loggedBody)
    })

  const router = HttpRouter.empty.pipe(
    HttpRouter.get("/v1/people", guarded(listPeople)),
    HttpRouter.get("/v1/people/:id", guarded(getPerson)),
    HttpRouter.get("/v1/people/:id/contacts", guarded(listContacts)),
    HttpRouter.post("/v1/people/:id/contacts", guarded(createContact, { body: true })),
    HttpRouter.del("/v1/people/:id/contacts", guarded(deleteAllContacts)),
    HttpRouter.get("/v1/people/:id/contacts/:contactId", guarded(getContact)),
    HttpRouter.patch("/v1/people/:id/contacts/:contactId", guarded(updateContact, { body: true })),
    HttpRouter.del("/v1/people/:id/contacts/:contactId", guarded(deleteContact))
  )

  const app: HttpApp.Default = router.pipe(
    Effect.catchTag("RouteNotFound", () => Effect.succeed(notFound())),
    Effect.catchAll(() => Effect.succeed(message(500, "Internal Server Error")))
  )

  return {
    app,
    account,
    tokens,
    people,
    contacts,
    requests: () => log,
    clearRequests: () => {
      log.length = 0
    },
    statusCounts: () => statuses,
    setQuirks: (next) => {
      quirks = { ...quirks, ...next }
    },
    quirks: () => quirks,
    addPerson,
    addContact,
    addGeneratedContacts,
    contactsOf
  }
}

/**
 * Builds and serves an emulator on a free loopback port for the lifetime of the
 * scope, behind a fault controller.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (options: Options = {}): Effect.Effect<Served, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const emulator = make(options)
    const server = yield* Testing.serve(emulator.app)
    return { ...emulator, url: server.url, baseUrl: `${server.url}/v1`, faults: server.faults }
  })
