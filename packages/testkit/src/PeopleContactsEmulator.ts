/**
 * A loopback emulator of the People-Contacts API for tests and examples: people
 * (a seeded generator, thousands if asked) and their contacts, the API's
 * validation rules and `422` bodies, `201`/`200`/`204` statuses, readonly `id`
 * and `verified`, cursor `Link` paging with `X-Pagination-*` headers, both rate
 * limits (`429 {"message":"Too Many Requests"}` with `Retry-After`, windows
 * scalable for tests), bearer-token and account-header checks, the quirks of the
 * recorded samples, and the injectable faults of this package's `Loopback`.
 *
 * The bulk APIs too: `POST /v1/import` and `GET /v1/import/{token}` (the
 * contact-details import, applied asynchronously over ticks), `POST /v1/export`
 * and `GET /v1/export/{token}` (zips of CSV files with the export's quirks),
 * with their files (log files, export zips) on a second loopback server, the
 * download host, which records every request's headers.
 *
 * One module per concern in `PeopleContactsEmulator/`: `People`, `Contacts`,
 * `Import` and `Export` (the routes), `ContactDetails` (the import file and how it applies),
 * `Downloads` (the download host), `Paging`, `RateLimits`, `Quirks`, `Rules`
 * (the API's contact rules), `RequestLog`, `Store` (people, contacts and their
 * generator), and `Context` (what the routes share, and the guard they run
 * behind).
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Loopback from "./Loopback.js"
import * as Contacts from "./PeopleContactsEmulator/Contacts.js"
import * as Context from "./PeopleContactsEmulator/Context.js"
import * as Downloads from "./PeopleContactsEmulator/Downloads.js"
import * as Export from "./PeopleContactsEmulator/Export.js"
import * as Import from "./PeopleContactsEmulator/Import.js"
import * as People from "./PeopleContactsEmulator/People.js"
import { documentedQuirks, type Quirks } from "./PeopleContactsEmulator/Quirks.js"
import * as RateLimits from "./PeopleContactsEmulator/RateLimits.js"
import * as RequestLog from "./PeopleContactsEmulator/RequestLog.js"
import * as Store from "./PeopleContactsEmulator/Store.js"

/**
 * @since 0.1.0
 */
export type { StoredContact, StoredPerson } from "./PeopleContactsEmulator/Store.js"

/**
 * @since 0.1.0
 */
export { documentedQuirks, type Quirks, recordedQuirks } from "./PeopleContactsEmulator/Quirks.js"

/**
 * @since 0.1.0
 */
export type { Window } from "./PeopleContactsEmulator/RateLimits.js"

/**
 * @since 0.1.0
 */
export type { LoggedRequest } from "./PeopleContactsEmulator/RequestLog.js"

/**
 * @since 0.1.0
 */
export type { Failure as ImportFailure, ImportJob, Imports } from "./PeopleContactsEmulator/Import.js"

/**
 * @since 0.1.0
 */
export type { DownloadRequest } from "./PeopleContactsEmulator/Downloads.js"

/**
 * @since 0.1.0
 */
export type { ExportJob, Exports } from "./PeopleContactsEmulator/Export.js"

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Store.Options, RateLimits.Options, Import.Options, Export.Options {
  /** The account id accepted in `X-Xurrent-Account` / `X-4me-Account` (default `widget`). */
  readonly account?: string
  /** The accepted bearer tokens (default `["emulator-token"]`). */
  readonly tokens?: ReadonlyArray<string>
  readonly quirks?: Partial<Quirks>
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
  readonly people: Map<number, Store.StoredPerson>
  readonly contacts: Map<number, Store.StoredContact>
  /** Requests received, oldest first. */
  readonly requests: () => ReadonlyArray<RequestLog.LoggedRequest>
  readonly clearRequests: () => void
  /** How many answers had each status. */
  readonly statusCounts: () => Readonly<Record<number, number>>
  readonly setQuirks: (quirks: Partial<Quirks>) => void
  readonly quirks: () => Quirks
  /** Adds a person; the fields not given are generated. */
  readonly addPerson: (fields?: Partial<Omit<Store.StoredPerson, "id" | "nodeID">>) => Store.StoredPerson
  /** Adds a contact to a person directly (no validation: any label can be stored). */
  readonly addContact: (personId: number, fields: Partial<Omit<Store.StoredContact, "id" | "nodeID" | "personId">>) => Store.StoredContact
  /** Adds `count` generated valid contacts to a person. */
  readonly addGeneratedContacts: (personId: number, count: number) => ReadonlyArray<Store.StoredContact>
  /** The contacts of a person, oldest first. */
  readonly contactsOf: (personId: number) => ReadonlyArray<Store.StoredContact>
  /** The imports uploaded (states, counts, log lines), forced failures, ticks. */
  readonly imports: Import.Imports
  /** The exports created (states, download URLs, zips), ticks. */
  readonly exports: Export.Exports
  /** The download host's request log (every header of every request). */
  readonly downloads: {
    readonly requests: () => ReadonlyArray<Downloads.DownloadRequest>
    readonly clearRequests: () => void
  }
}

/**
 * An emulator: its `HttpApp` and its control side.
 *
 * @since 0.1.0
 * @category models
 */
export interface Emulator extends Control {
  readonly app: HttpApp.Default
  readonly downloads: Control["downloads"] & {
    /** Serves the download host on its own loopback port for the scope (`serve` does it). */
    readonly serve: Effect.Effect<Downloads.Served, HttpServerError.ServeError, Scope.Scope>
  }
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
  readonly faults: Loopback.Faults
  /** The download host: another loopback port, its own faults, its request log. */
  readonly downloads: Emulator["downloads"] & Downloads.Served
}

/**
 * Builds an emulator.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Emulator => {
  const account = options.account ?? "widget"
  const tokens = options.tokens ?? ["emulator-token"]
  let quirks: Quirks = { ...documentedQuirks, ...options.quirks }
  const store = Store.make(options)
  const log = RequestLog.make()
  const context = Context.make({ store, account, tokens, quirks: () => quirks, rateLimits: RateLimits.make(options), log })
  const downloads = Downloads.make(`people-contacts/${options.seed ?? 4}`)
  const bulk = { ...options, seed: options.seed ?? 4 }
  const imports = Import.make(context, downloads, bulk)
  const exports = Export.make(context, downloads, bulk)
  // until the download host is served on its own port, its files are served here
  const unservedDownloads = HttpRouter.empty.pipe(
    HttpRouter.all(
      "/downloads/*",
      Effect.suspend(() => downloads.origin() === undefined ? downloads.recording(downloads.app) : Effect.succeed(Context.notFound()))
    )
  )

  const app: HttpApp.Default = HttpRouter.concatAll(
    People.routes(context),
    Contacts.routes(context),
    imports.routes,
    exports.routes,
    unservedDownloads
  ).pipe(
    Effect.catchTag("RouteNotFound", () => Effect.succeed(Context.notFound())),
    Effect.catchAll(() => Effect.succeed(Context.message(500, "Internal Server Error")))
  )

  return {
    app,
    account,
    tokens,
    people: store.people,
    contacts: store.contacts,
    requests: log.requests,
    clearRequests: log.clear,
    statusCounts: log.statusCounts,
    setQuirks: (next) => {
      quirks = { ...quirks, ...next }
    },
    quirks: () => quirks,
    addPerson: store.addPerson,
    addContact: store.addContact,
    addGeneratedContacts: store.addGeneratedContacts,
    contactsOf: store.contactsOf,
    imports: imports.imports,
    exports: exports.exports,
    downloads: { requests: downloads.requests, clearRequests: downloads.clearRequests, serve: Downloads.serve(downloads) }
  }
}

/**
 * Builds and serves an emulator on a free loopback port for the lifetime of the
 * scope, behind a fault controller, and its download host on another port,
 * behind its own.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (options: Options = {}): Effect.Effect<Served, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const emulator = make(options)
    const server = yield* Loopback.serve(emulator.app)
    const downloads = yield* emulator.downloads.serve
    return {
      ...emulator,
      url: server.url,
      baseUrl: `${server.url}/v1`,
      faults: server.faults,
      downloads: { ...emulator.downloads, ...downloads }
    }
  })
