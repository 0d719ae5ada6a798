/**
 * The People-Contacts emulator's Export API:
 *
 * - `POST /v1/export` with `type` (a comma-separated list of `people` and
 *   `people_contact_details`) and optional `from` (an ISO time), sent as JSON,
 *   a form, multipart or query parameters: `{"token": "…"}`, or `204` without a
 *   body when nothing changed since `from`; `422 {"message":"Validation
 *   Failed","errors":[[field, message]]}` for a missing or unknown `type` or a bad
 *   `from`;
 * - `GET /v1/export/{token}`: `{"state": "queued" | "processing" | "done",
 *   "url"?}`; `url`, once done, is a signed URL on the download host (another
 *   loopback port) serving a zip with one CSV file per type (`people.csv`,
 *   `people_contact_details.csv`).
 *
 * A job is done after `exportTicks` steps (default 2; a step is a status read,
 * counted after it is answered, an `exports.tick`, or `bulkTickMillis` of the
 * store's clock), and its files hold the store as it is then. With `from`, the
 * files hold the people changed since then (a change of one of their contacts
 * changes them; the store's clock, changes at `from` included) and every
 * contact of those people.
 *
 * The files have the export's quirks: the columns in a different order in
 * every export (drawn from the seed), one column a reader does not know
 * (`Node ID`), and the leading-tab guard: a value starting with `=`, `+`, `-`
 * or `@` is written after a tab character. Columns of `people.csv`: `ID`,
 * `Name`, `Primary Email`, `Employee ID`, `Job Title`, `Organization`, `Site`,
 * `Manager`, `Source`, `Source ID`, `Support ID`, `Authentication ID`,
 * `Disabled`, `VIP`, `Created At`, `Updated At`; of
 * `people_contact_details.csv`: `ID` and the import file's columns (see
 * `ContactDetails`).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { strToU8, zipSync } from "fflate"
import * as Bulk from "../internal/peopleContactsEmulator/bulk.js"
import * as ContactDetails from "./ContactDetails.js"
import * as Context from "./Context.js"
import type * as Downloads from "./Downloads.js"
import type * as Store from "./Store.js"

/**
 * The types the emulator exports.
 *
 * @since 0.1.0
 * @category models
 */
export const types = ["people", "people_contact_details"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type Type = (typeof types)[number]

/**
 * The column the export adds that a reader does not know.
 *
 * @since 0.1.0
 * @category columns
 */
export const unknownColumn = "Node ID"

/**
 * The columns of `people.csv`, before the shuffle.
 *
 * @since 0.1.0
 * @category columns
 */
export const peopleColumns = [
  "ID",
  "Name",
  "Primary Email",
  "Employee ID",
  "Job Title",
  "Organization",
  "Site",
  "Manager",
  "Source",
  "Source ID",
  "Support ID",
  "Authentication ID",
  "Disabled",
  "VIP",
  "Created At",
  "Updated At"
] as const

/**
 * The columns of `people_contact_details.csv`, before the shuffle.
 *
 * @since 0.1.0
 * @category columns
 */
export const contactDetailsColumns: ReadonlyArray<string> = ["ID", ...ContactDetails.columns]

/**
 * An export as a test sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExportJob {
  readonly token: string
  readonly types: ReadonlyArray<Type>
  /** `from`, in milliseconds, when given. */
  readonly from?: number
  readonly state: Bulk.JobState
  /** The download URL, once done. */
  readonly url?: string
  /** The zip, once done. */
  readonly zip?: Uint8Array
  readonly createdAt: number
  readonly reads: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Steps from creation to `done` (default 2). */
  readonly exportTicks?: number
  /** When set, this many milliseconds of the store's clock make one step of every import and export. */
  readonly bulkTickMillis?: number
}

/**
 * The exports of an emulator, for tests.
 *
 * @since 0.1.0
 * @category models
 */
export interface Exports {
  /** Every export created (not the `204` ones), oldest first (exports due are built first). */
  readonly list: () => ReadonlyArray<ExportJob>
  readonly get: (token: string) => ExportJob | undefined
  /** Moves every unfinished export `steps` steps on (default 1). */
  readonly tick: (steps?: number) => void
}

interface Job extends Bulk.Progress {
  readonly token: string
  readonly n: number
  readonly types: ReadonlyArray<Type>
  readonly from: number | undefined
  state: Bulk.JobState
  url: string | undefined
  zip: Uint8Array | undefined
}

const invalid = (errors: ReadonlyArray<readonly [string, string]>) => Context.json({ message: "Validation Failed", errors }, 422)

const name = (ref: { readonly name: string } | null) => ref?.name ?? ""

const personRow = (person: Store.StoredPerson): Readonly<Record<string, string>> => ({
  ID: String(person.id),
  Name: person.name,
  "Primary Email": person.primary_email,
  "Employee ID": person.employeeID ?? "",
  "Job Title": person.job_title ?? "",
  Organization: name(person.organization),
  Site: name(person.site),
  Manager: name(person.manager),
  Source: person.source ?? "",
  "Source ID": person.sourceID ?? "",
  "Support ID": person.supportID ?? "",
  "Authentication ID": person.authenticationID ?? "",
  Disabled: String(person.disabled),
  VIP: String(person.vip),
  "Created At": person.created_at,
  "Updated At": person.updated_at
})

/**
 * A CSV file of rows, its columns in the order drawn from `seed`, with the
 * unknown column (its value from `extra`) somewhere among them.
 *
 * @since 0.1.0
 * @category exporting
 */
export const shuffledCsv = (
  columns: ReadonlyArray<string>,
  rows: ReadonlyArray<{ readonly values: Readonly<Record<string, string>>; readonly extra: string }>,
  seed: number
): string => {
  const all = [...columns, unknownColumn]
  const header = Bulk.shuffledOrder(all.length, seed).map((i) => all[i]!)
  return Bulk.writeCsv(header, rows.map((row) => header.map((column) => column === unknownColumn ? row.extra : row.values[column] ?? "")))
}

const fieldsOf = (request: Context.Request): Effect.Effect<Record<string, string> | undefined> =>
  Effect.gen(function*() {
    const fields: Record<string, string> = {}
    for (const [key, value] of request.url.searchParams) fields[key] = value
    const contentType = (request.headers["content-type"] ?? "").toLowerCase()
    const text = new TextDecoder().decode(request.bytes)
    if (text.trim() === "") return fields
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
      for (const [key, value] of new URLSearchParams(text)) fields[key] = value
      return fields
    }
    if (contentType.startsWith("multipart/form-data")) {
      const form = yield* Effect.option(Effect.tryPromise(() => new Response(request.bytes, { headers: { "content-type": contentType } }).formData()))
      if (form._tag === "None") return undefined
      for (const [key, value] of form.value) if (typeof value === "string") fields[key] = value
      return fields
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return undefined
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === "string") fields[key] = value
      else if (Array.isArray(value)) fields[key] = value.map(String).join(",")
    }
    return fields
  })

/**
 * The export routes and their control side.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  context: Context.Context,
  downloads: Downloads.Downloads,
  options: Options & { readonly seed?: number } = {}
): { readonly routes: HttpRouter.HttpRouter<never, never>; readonly exports: Exports } => {
  const store = context.store
  const needed = Math.max(0, options.exportTicks ?? 2)
  const seed = options.seed ?? 0
  const jobs = new Map<string, Job>()
  let count = 0
  let lastOrigin = "http://127.0.0.1"

  const changedPeople = (from: number | undefined): Array<Store.StoredPerson> =>
    [...store.people.values()].filter((person) => from === undefined || (store.changedAt.get(person.id) ?? -Infinity) >= from)

  const build = (job: Job): Uint8Array => {
    const people = changedPeople(job.from)
    const files: Record<string, Uint8Array> = {}
    for (const type of job.types) {
      const fileSeed = seed * 7919 + job.n * 31 + (type === "people" ? 1 : 2)
      const csv = type === "people"
        ? shuffledCsv(peopleColumns, people.map((p) => ({ values: personRow(p), extra: p.nodeID })), fileSeed)
        : shuffledCsv(
          contactDetailsColumns,
          ContactDetails.exportRows(store, people).map((values) => ({
            values,
            extra: store.contacts.get(Number(values["ID"]))?.nodeID ?? ""
          })),
          fileSeed
        )
      files[`${type}.csv`] = strToU8(csv)
    }
    // zip times start in 1980; a test clock may be earlier
    return zipSync(files, { level: 6, mtime: new Date(Math.max(job.createdAt, Date.UTC(1980, 0, 2))) })
  }

  const settle = (job: Job, origin: string) => {
    if (job.state === "done") return
    job.state = Bulk.stateAfter(Bulk.steps(job, store.clock(), options.bulkTickMillis), needed)
    if (job.state !== "done") return
    job.zip = build(job)
    job.url = downloads.put(`exports/${job.token}/export.zip`, job.zip, "application/zip", origin)
  }

  const view = (job: Job): ExportJob => ({
    token: job.token,
    types: job.types,
    ...(job.from === undefined ? {} : { from: job.from }),
    state: job.state,
    ...(job.url === undefined ? {} : { url: job.url }),
    ...(job.zip === undefined ? {} : { zip: job.zip }),
    createdAt: job.createdAt,
    reads: job.reads
  })

  const create: Context.EffectHandler = (request) =>
    Effect.gen(function*() {
      lastOrigin = request.origin
      const fields = yield* fieldsOf(request)
      if (fields === undefined) return Context.message(400, "Invalid JSON string posted")
      const typeText = fields["type"] ?? ""
      const asked = typeText.split(",").map((t) => t.trim()).filter((t) => t !== "")
      const errors: Array<readonly [string, string]> = []
      if (asked.length === 0) errors.push(["type", "can't be blank"])
      for (const type of asked) {
        if (!types.some((known) => known === type)) errors.push(["type", `${type} is not included in the list`])
      }
      const fromText = fields["from"]
      const from = fromText === undefined || fromText.trim() === "" ? undefined : Date.parse(fromText)
      if (from !== undefined && Number.isNaN(from)) errors.push(["from", "is invalid"])
      if (errors.length > 0) return invalid(errors)
      if (from !== undefined && changedPeople(from).length === 0) return HttpServerResponse.empty({ status: 204 })
      count++
      const job: Job = {
        token: Bulk.token("export", seed, count),
        n: count,
        types: types.filter((type) => asked.includes(type)),
        from,
        createdAt: store.clock(),
        reads: 0,
        ticks: 0,
        state: "queued",
        url: undefined,
        zip: undefined
      }
      jobs.set(job.token, job)
      settle(job, request.origin)
      return Context.json({ token: job.token })
    })

  const read: Context.Handler = (request) => {
    const job = jobs.get(request.params["token"] ?? "")
    if (job === undefined) return Context.notFound()
    lastOrigin = request.origin
    settle(job, request.origin)
    job.reads++
    return Context.json(job.url === undefined ? { state: job.state } : { state: job.state, url: job.url })
  }

  const fallbackOrigin = () => downloads.origin() ?? lastOrigin

  const exports: Exports = {
    list: () =>
      [...jobs.values()].map((job) => {
        settle(job, fallbackOrigin())
        return view(job)
      }),
    get: (token) => {
      const job = jobs.get(token)
      if (job === undefined) return undefined
      settle(job, fallbackOrigin())
      return view(job)
    },
    tick: (steps = 1) => {
      for (const job of jobs.values()) {
        if (job.state === "done") continue
        job.ticks += steps
        settle(job, fallbackOrigin())
      }
    }
  }

  const routes = HttpRouter.empty.pipe(
    HttpRouter.post("/v1/export", context.guardEffect(create, { raw: true })),
    HttpRouter.get("/v1/export/:token", context.guard(read))
  )
  return { routes, exports }
}
