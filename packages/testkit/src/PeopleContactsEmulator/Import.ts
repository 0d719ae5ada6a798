/**
 * The People-Contacts emulator's Import API:
 *
 * - `POST /v1/import`, `multipart/form-data` with `type`
 *   (`people_contact_details`; other types answer `422`) and `file` (see
 *   `ContactDetails`): `{"token": "…"}`; `422 {"message":"Validation Failed",
 *   "errors":[[field, message]]}` without `type` or `file`, `400` for a body that
 *   is not multipart;
 * - `GET /v1/import/{token}`: `{"state", "results": {"created", "updated",
 *   "deleted", "unchanged", "failures", "errors"}, "message"?, "logfile"?}`.
 *
 * A job is `queued`, then `processing`, then `done` after `importTicks` steps
 * (default 2), where a step is a status read (counted after it is answered), a
 * tick given by hand (`imports.tick`) or, with `bulkTickMillis`, that much
 * time on the store's clock. The file is applied when the job is seen done
 * (by a read, a tick or `imports.list`). A file that cannot be read ends in
 * `state: error` with the reason in `message` (the line of an encoding error,
 * the CSV error, a missing column); `imports.failNext` makes the next uploads
 * end in `error` after applying only some of their groups, as a service failing
 * mid-file does. `logfile` is a signed URL on the download host with one line
 * per failure or error.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Effect from "effect/Effect"
import * as Bulk from "../internal/peopleContactsEmulator/bulk.js"
import * as ContactDetails from "./ContactDetails.js"
import * as Context from "./Context.js"
import type * as Downloads from "./Downloads.js"

/**
 * @since 0.1.0
 * @category models
 */
export type State = "queued" | "processing" | "done" | "error"

/**
 * An import as a test sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportJob {
  readonly token: string
  readonly type: string
  readonly state: State
  readonly results: Readonly<ContactDetails.Results>
  readonly message?: string
  /** The log lines (one per failure or error). */
  readonly log: ReadonlyArray<string>
  /** Data rows in the file (0 when it could not be read). */
  readonly rows: number
  /** The file as uploaded. */
  readonly file: Uint8Array
  /** When it was uploaded (the store's clock). */
  readonly createdAt: number
  /** Status reads so far. */
  readonly reads: number
}

/**
 * How the next uploads fail: with `message`, after applying their first
 * `afterGroups` groups (default 0: nothing applied).
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure {
  readonly message: string
  readonly afterGroups?: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Steps from upload to `done` (default 2: one read `queued`, one `processing`, then `done`). */
  readonly importTicks?: number
  /** When set, this many milliseconds of the store's clock make one step of every import and export. */
  readonly bulkTickMillis?: number
}

/**
 * The imports of an emulator, for tests.
 *
 * @since 0.1.0
 * @category models
 */
export interface Imports {
  /** Every import, oldest first (imports due are applied first). */
  readonly list: () => ReadonlyArray<ImportJob>
  readonly get: (token: string) => ImportJob | undefined
  /** Makes the next `times` uploads (default 1) end in `state: error`. */
  readonly failNext: (failure: Failure, times?: number) => void
  /** Moves every unfinished import `steps` steps on (default 1). */
  readonly tick: (steps?: number) => void
}

interface Job extends Bulk.Progress {
  readonly token: string
  readonly type: string
  readonly file: Uint8Array
  readonly parsed: ReturnType<typeof ContactDetails.parseFile>
  readonly failure: Failure | undefined
  state: State
  results: ContactDetails.Results
  message: string | undefined
  log: ReadonlyArray<string>
  logfile: string | undefined
  finished: boolean
}

const invalid = (errors: ReadonlyArray<readonly [string, string]>) => Context.json({ message: "Validation Failed", errors }, 422)

/**
 * The import routes and their control side.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  context: Context.Context,
  downloads: Downloads.Downloads,
  options: Options & { readonly seed?: number } = {}
): { readonly routes: HttpRouter.HttpRouter<never, never>; readonly imports: Imports } => {
  const store = context.store
  const needed = Math.max(0, options.importTicks ?? 2)
  const jobs = new Map<string, Job>()
  const failures: Array<Failure> = []
  let count = 0

  const settle = (job: Job, origin: string) => {
    if (job.finished) return
    const state = Bulk.stateAfter(Bulk.steps(job, store.clock(), options.bulkTickMillis), needed)
    if (state !== "done") {
      job.state = state
      return
    }
    job.finished = true
    if ("error" in job.parsed) {
      job.state = "error"
      job.message = job.parsed.error
      job.log = [job.parsed.error]
    } else {
      const groups = job.failure === undefined ? undefined : (job.failure.afterGroups ?? 0)
      const applied = ContactDetails.apply(store, job.parsed.rows, { groups })
      job.results = applied.results
      job.log = applied.log
      job.state = job.failure === undefined ? "done" : "error"
      if (job.failure !== undefined) {
        job.message = job.failure.message
        job.log = [...applied.log, job.failure.message]
      }
    }
    if (job.log.length > 0) {
      job.logfile = downloads.put(`logs/${job.token}.txt`, new TextEncoder().encode(`${job.log.join("\n")}\n`), "text/plain; charset=utf-8", origin)
    }
  }

  const view = (job: Job): ImportJob => ({
    token: job.token,
    type: job.type,
    state: job.state,
    results: { ...job.results },
    ...(job.message === undefined ? {} : { message: job.message }),
    log: job.log,
    rows: "rows" in job.parsed ? job.parsed.rows.length : 0,
    file: job.file,
    createdAt: job.createdAt,
    reads: job.reads
  })

  const create: Context.EffectHandler = (request) =>
    Effect.gen(function*() {
      lastOrigin = request.origin
      const contentType = request.headers["content-type"] ?? ""
      if (!/^multipart\/form-data/i.test(contentType)) {
        return Context.message(400, "The import must be uploaded as multipart/form-data with the fields type and file")
      }
      const form = yield* Effect.option(Effect.tryPromise(() => new Response(request.bytes, { headers: { "content-type": contentType } }).formData()))
      if (form._tag === "None") return Context.message(400, "The multipart/form-data body could not be read")
      const type = form.value.get("type")
      const file = form.value.get("file")
      const errors: Array<readonly [string, string]> = []
      if (typeof type !== "string" || type.trim() === "") errors.push(["type", "can't be blank"])
      else if (type.trim() !== "people_contact_details") errors.push(["type", `${type.trim()} is not emulated (only people_contact_details)`])
      if (file === null || (typeof file === "string" && file === "")) errors.push(["file", "can't be blank"])
      if (errors.length > 0 || file === null) return invalid(errors)
      const bytes = typeof file === "string" ? new TextEncoder().encode(file) : new Uint8Array(yield* Effect.promise(() => file.arrayBuffer()))
      count++
      const token = Bulk.token("import", options.seed ?? 0, count)
      const job: Job = {
        token,
        type: "people_contact_details",
        file: bytes,
        parsed: ContactDetails.parseFile(bytes),
        failure: failures.shift(),
        createdAt: store.clock(),
        reads: 0,
        ticks: 0,
        state: "queued",
        results: ContactDetails.emptyResults(),
        message: undefined,
        log: [],
        logfile: undefined,
        finished: false
      }
      jobs.set(token, job)
      settle(job, request.origin)
      return Context.json({ token })
    })

  const read: Context.Handler = (request) => {
    const job = jobs.get(request.params["token"] ?? "")
    if (job === undefined) return Context.notFound()
    lastOrigin = request.origin
    settle(job, request.origin)
    job.reads++
    return Context.json({
      state: job.state,
      results: job.results,
      ...(job.message === undefined ? {} : { message: job.message }),
      ...(job.logfile === undefined ? {} : { logfile: job.logfile })
    })
  }

  // before the download host is served, its files are under the API's origin
  let lastOrigin = "http://127.0.0.1"
  const fallbackOrigin = () => downloads.origin() ?? lastOrigin

  const imports: Imports = {
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
    failNext: (failure, times = 1) => {
      for (let i = 0; i < times; i++) failures.push(failure)
    },
    tick: (steps = 1) => {
      for (const job of jobs.values()) {
        if (job.finished) continue
        job.ticks += steps
        settle(job, fallbackOrigin())
      }
    }
  }

  const routes = HttpRouter.empty.pipe(
    HttpRouter.post("/v1/import", context.guardEffect(create, { raw: true })),
    HttpRouter.get("/v1/import/:token", context.guard(read))
  )
  return { routes, imports }
}
