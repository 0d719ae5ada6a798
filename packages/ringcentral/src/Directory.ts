/**
 * The company directory (`InternalContactsService`), the `Directory` area:
 * list (with `If-None-Match`; a `304` is a value), stream every page, read one
 * entry, search (also as a stream) and read the federation. Every operation
 * carries its throttling group.
 *
 * Whole-directory reads are audited (`@unified-people/core/PagedRead`, through
 * `RingCentralClient.read`): they follow the server's next-page link when it
 * sends one, treat totals as hints, read an empty or short page again before
 * going on, stop on links that loop or pages that never end, skip (and report)
 * records that cannot be read, and say in a `Completeness` whether the read
 * was complete.
 *
 * | operation | group |
 * |---|---|
 * | `listDirectoryEntries` (+ `streamDirectoryEntries`, `snapshotDirectoryEntries`) | Medium |
 * | `readDirectoryEntry` | Medium |
 * | `searchDirectoryEntries` (+ `streamSearchDirectoryEntries`) | Heavy |
 * | `readDirectoryFederation` | Medium |
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import type * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import * as PeopleError from "@unified-people/core/PeopleError"
import type * as Person from "@unified-people/core/Person"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Entry from "./Directory/Entry.js"
import * as DirectorySchema from "./Directory/Schema.js"
import * as Mapping from "./Mapping.js"
import { decodePage, type Operation, type Page, RingCentralClient } from "./RingCentralClient.js"

export {
  /**
   * @since 0.1.0
   * @category schemas
   */
  AccountResource,
  /**
   * @since 0.1.0
   * @category schemas
   */
  AdgPhoneNumberResource,
  /**
   * @since 0.1.0
   * @category schemas
   */
  ContactResource,
  /**
   * @since 0.1.0
   * @category schemas
   */
  DirectoryResource,
  /**
   * @since 0.1.0
   * @category schemas
   */
  FederationResource,
  /**
   * @since 0.1.0
   * @category schemas
   */
  PageNavigationModel,
  /**
   * @since 0.1.0
   * @category schemas
   */
  SearchDirectoryEntriesRequest
} from "./Directory/Schema.js"

export {
  /**
   * @since 0.1.0
   * @category schemas
   */
  MappedEntry
} from "./Directory/Entry.js"

/**
 * `perPage`: a number (at most 2000), `all` or `max`.
 *
 * @since 0.1.0
 * @category models
 */
export type PerPage = number | "all" | "max"

/**
 * The query of `listDirectoryEntries`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListDirectoryEntriesParameters {
  readonly showFederated?: boolean
  readonly type?: DirectorySchema.ADGSearchableExtensionTypesEnum
  readonly typeGroup?: "User" | "NonUser"
  readonly page?: number
  readonly perPage?: PerPage
  readonly siteId?: string
  readonly accessibleSitesOnly?: boolean
  /** The ETag of a previous answer; an unchanged directory answers `NotModified`. */
  readonly ifNoneMatch?: string
}

/**
 * The body of `searchDirectoryEntries` as plain data.
 *
 * @since 0.1.0
 * @category models
 */
export type SearchRequest = typeof DirectorySchema.SearchDirectoryEntriesRequest.Encoded

/**
 * The answer of `listDirectoryEntries`. Records are decoded one by one: the
 * page holds the readable ones, and `unreadable` says which were skipped,
 * where and why.
 *
 * @since 0.1.0
 * @category models
 */
export type ListResult =
  | { readonly _tag: "NotModified"; readonly etag: string }
  | {
    readonly _tag: "Modified"
    readonly etag: string | undefined
    readonly directory: DirectorySchema.DirectoryResource
    readonly unreadable: ReadonlyArray<PeopleDirectory.Unreadable>
  }

const module = "ringcentral"

const entries = "/restapi/v1.0/account/{accountId}/directory/entries"

/**
 * The operations of this area with their `x-throttling-group`, as in the
 * specification.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  listDirectoryEntries: { operationId: "listDirectoryEntries", method: "GET", path: entries, group: "Medium" },
  readDirectoryEntry: { operationId: "readDirectoryEntry", method: "GET", path: `${entries}/{entryId}`, group: "Medium" },
  searchDirectoryEntries: { operationId: "searchDirectoryEntries", method: "POST", path: `${entries}/search`, group: "Heavy" },
  readDirectoryFederation: {
    operationId: "readDirectoryFederation",
    method: "GET",
    path: "/restapi/v1.0/account/{accountId}/directory/federation",
    group: "Medium"
  }
} as const satisfies Record<string, Operation>

/**
 * The answer of `snapshotDirectoryEntries`: `NotModified`, or the whole
 * directory as a lazy stream with the completeness of its last run.
 *
 * @since 0.1.0
 * @category models
 */
export type Snapshot<A = DirectorySchema.ContactResource> =
  | { readonly _tag: "NotModified"; readonly etag: string }
  | {
    readonly _tag: "Modified"
    readonly etag: string | undefined
    readonly entries: Stream.Stream<A, PeopleError.PeopleError>
    readonly completeness: Effect.Effect<PeopleDirectory.Completeness>
  }

/**
 * The parameters of `readDirectoryFederation`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FederationParameters {
  readonly types?: DirectorySchema.FederationTypes
  readonly rcExtensionId?: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * `listDirectoryEntries` (Medium): one page. A `304 Not Modified` answer is
   * the value `NotModified`, not an error. A record that cannot be read is
   * skipped and listed in `unreadable`; an empty body is a retryable `Unavailable`.
   */
  readonly listDirectoryEntries: (params?: ListDirectoryEntriesParameters) => Effect.Effect<ListResult, PeopleError.PeopleError>
  /**
   * The whole directory unless unchanged since `ifNoneMatch`, as an audited
   * read: the first page is read eagerly (conditionally, with the largest page
   * size the server accepts: `perPage=max`, then 2000, 1000, … if refused,
   * unless `perPage` is given), the others lazily when `entries` runs. Paging
   * follows the server's next-page link when it sends navigation, and treats
   * its totals as hints; `completeness` says whether the last run of `entries`
   * read the whole directory (see `PagedRead`). A record that cannot be read is
   * skipped, logged and listed in the completeness.
   */
  readonly snapshotDirectoryEntries: (params?: Omit<ListDirectoryEntriesParameters, "page">) => Effect.Effect<Snapshot, PeopleError.PeopleError>
  /**
   * Every directory entry across pages, fetched lazily one page at a time with
   * the largest page size the server accepts unless `perPage` is given: the
   * audited read of `snapshotDirectoryEntries` without its completeness (a
   * record that cannot be read is skipped with a warning in the log).
   */
  readonly streamDirectoryEntries: (
    params?: Omit<ListDirectoryEntriesParameters, "page" | "ifNoneMatch">
  ) => Stream.Stream<DirectorySchema.ContactResource, PeopleError.PeopleError>
  /**
   * `snapshotDirectoryEntries` with each entry decoded with only the fields
   * `Mapping.toPerson` reads, as plain objects (`Directory/Entry`): the
   * streaming path of `RingCentralPeople`, a fraction of the cost of the full
   * `ContactResource`. The same paging, audit and completeness.
   */
  readonly snapshotMappedEntries: (
    params?: Omit<ListDirectoryEntriesParameters, "page">
  ) => Effect.Effect<Snapshot<Entry.MappedEntry>, PeopleError.PeopleError>
  /** `streamDirectoryEntries` with each entry decoded as in {@link Service.snapshotMappedEntries}. */
  readonly streamMappedEntries: (
    params?: Omit<ListDirectoryEntriesParameters, "page" | "ifNoneMatch">
  ) => Stream.Stream<Entry.MappedEntry, PeopleError.PeopleError>
  /**
   * `readDirectoryEntry` (Medium). `NotFound` only when the server says so: a
   * 404 with `ADG-122` or `CMN-102` (or a 410). A `200` with an empty body
   * (which the specification says a missing entry may get), a cut or
   * unreadable body, or a 404 without those codes proves nothing: it is read
   * again, then an `Unavailable` (or a `DecodeError`) is returned, never `NotFound`.
   */
  readonly readDirectoryEntry: (entryId: string) => Effect.Effect<DirectorySchema.ContactResource, PeopleError.PeopleError>
  /**
   * `searchDirectoryEntries` (Heavy): one page, the request validated before
   * sending. A record that cannot be read is skipped with a warning in the log.
   */
  readonly searchDirectoryEntries: (request: SearchRequest) => Effect.Effect<DirectorySchema.DirectoryResource, PeopleError.PeopleError>
  /**
   * Every match of a search across pages, lazily, with the largest page size
   * the server accepts (unless `perPage` is given), through the same audited
   * page loop as the directory listing (bad records skipped with a warning).
   */
  readonly streamSearchDirectoryEntries: (
    request: Omit<SearchRequest, "page">
  ) => Stream.Stream<DirectorySchema.ContactResource, PeopleError.PeopleError>
  /** `readDirectoryFederation` (Medium): the federation and its accounts. */
  readonly readDirectoryFederation: (params?: FederationParameters) => Effect.Effect<DirectorySchema.FederationResource, PeopleError.PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Directory extends Context.Tag("@unified-people/ringcentral/Directory")<Directory, Service>() {}

const listRequest = (path: string, params: ListDirectoryEntriesParameters) => {
  const query: Record<string, string> = {}
  if (params.showFederated !== undefined) query.showFederated = String(params.showFederated)
  if (params.type !== undefined) query.type = params.type
  if (params.typeGroup !== undefined) query.typeGroup = params.typeGroup
  if (params.page !== undefined) query.page = String(params.page)
  if (params.perPage !== undefined) query.perPage = String(params.perPage)
  if (params.siteId !== undefined) query.siteId = params.siteId
  if (params.accessibleSitesOnly !== undefined) query.accessibleSitesOnly = String(params.accessibleSitesOnly)
  return HttpClientRequest.get(path).pipe(
    HttpClientRequest.setUrlParams(query),
    params.ifNoneMatch === undefined ? (r) => r : HttpClientRequest.setHeader("If-None-Match", params.ifNoneMatch)
  )
}

/**
 * Whether a failure of `readDirectoryEntry` is worth reading again: a 404
 * without a not-found code, which is no proof of absence. A body that did not
 * arrive whole (empty, cut, stalled, not JSON) was already read again by the
 * client's policy, and other failures were retried there too.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRereadable = (error: PeopleError.PeopleError): boolean =>
  error._tag === "Unavailable" && error.isRetryable && error.status === 404

/**
 * Page sizes tried when reading the whole directory, largest first: a server
 * that refuses one (`InvalidRequest` on `perPage`) gets the next.
 *
 * @since 0.1.0
 * @category paging
 */
export const listPageSizes: ReadonlyArray<PerPage> = ["max", 2000, 1000, 500, 200, 100]

/**
 * Page sizes tried by `streamSearchDirectoryEntries`, largest first: a server
 * that refuses one (`InvalidRequest` on `perPage`) gets the next.
 *
 * @since 0.1.0
 * @category paging
 */
export const searchPageSizes: ReadonlyArray<number> = [2000, 1000, 500, 200, 100]

/** The codes of a 404 that say the entry does not exist. */
const notFoundCodes: ReadonlySet<string> = new Set(["ADG-122", "CMN-102"])

const toResource = (page: Page<DirectorySchema.ContactResource>) =>
  new DirectorySchema.DirectoryResource({
    ...(page.uri === undefined ? {} : { uri: page.uri }),
    records: page.records,
    paging: page.paging,
    ...(page.navigation === undefined ? {} : { navigation: page.navigation })
  }, true)

/** A page whose records were decoded one by one, or the 304 of a conditional read. */
type PageResult<A> =
  | { readonly _tag: "NotModified"; readonly etag: string }
  | { readonly _tag: "Modified"; readonly etag: string | undefined; readonly page: Page<A> }

const isPerPageRefused = (e: PeopleError.PeopleError) => e._tag === "InvalidRequest" && e.sent && e.field === "perPage"

const acceptNotModified = (status: number) => (status >= 200 && status < 300) || status === 304

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, RingCentralClient> = Effect.map(RingCentralClient, (client) => {
  const entriesPath = client.accountPath("/directory/entries")
  const retryBase = client.retry.base ?? "2 seconds"
  const listCall = { method: "listDirectoryEntries", group: operations.listDirectoryEntries.group, accept: acceptNotModified } as const

  const getPage = <A, I>(schema: Schema.Schema<A, I>, request: HttpClientRequest.HttpClientRequest, number: number, ifNoneMatch?: string) =>
    Effect.gen(function*() {
      // one attempt is the request and the whole page: an empty, cut, stalled or
      // non-JSON page is read again by the policy
      const response = yield* client.execute(request, { ...listCall, body: "json" })
      const etag = response.headers["etag"]
      if (response.status === 304) {
        return { _tag: "NotModified", etag: etag ?? ifNoneMatch ?? "" } as const
      }
      const page = yield* decodePage(schema, { method: listCall.method, page: number })(response)
      return { _tag: "Modified", etag, page } as const
    })

  const listPage = <A, I>(schema: Schema.Schema<A, I>, params: ListDirectoryEntriesParameters): Effect.Effect<PageResult<A>, PeopleError.PeopleError> =>
    getPage(schema, listRequest(entriesPath, params), params.page ?? 1, params.ifNoneMatch)

  const listDirectoryEntries = (params: ListDirectoryEntriesParameters = {}): Effect.Effect<ListResult, PeopleError.PeopleError> =>
    Effect.map(listPage(DirectorySchema.ContactResource, params), (result) =>
      result._tag === "NotModified"
        ? result
        : { _tag: "Modified", etag: result.etag, directory: toResource(result.page), unreadable: result.page.unreadable })

  /** Reads page 1 with the largest accepted page size (or the one given). */
  const firstPage = <A, I>(schema: Schema.Schema<A, I>, params: Omit<ListDirectoryEntriesParameters, "page">) => {
    const probe = (sizes: ReadonlyArray<PerPage>): Effect.Effect<readonly [PageResult<A>, PerPage], PeopleError.PeopleError> =>
      listPage(schema, { ...params, page: 1, perPage: sizes[0]! }).pipe(
        Effect.map((result) => [result, sizes[0]!] as const),
        Effect.catchIf((e) => isPerPageRefused(e) && sizes.length > 1, () => probe(sizes.slice(1)))
      )
    return probe(params.perPage === undefined ? listPageSizes : [params.perPage])
  }

  const snapshotWith = <A, I>(schema: Schema.Schema<A, I>) =>
  (params: Omit<ListDirectoryEntriesParameters, "page"> = {}): Effect.Effect<Snapshot<A>, PeopleError.PeopleError> =>
    Effect.gen(function*() {
      const [result, perPage] = yield* firstPage(schema, params)
      if (result._tag === "NotModified") return result
      const { ifNoneMatch: _, ...others } = params
      const read = client.read(schema)(
        (page) => listRequest(entriesPath, { ...others, perPage, page }),
        { ...listCall, first: result.page }
      )
      return { _tag: "Modified", etag: result.etag, entries: read.stream, completeness: read.completeness } as const
    })

  const streamWith = <A>(snapshot: (params: Omit<ListDirectoryEntriesParameters, "page">) => Effect.Effect<Snapshot<A>, PeopleError.PeopleError>) =>
  (params: Omit<ListDirectoryEntriesParameters, "page" | "ifNoneMatch"> = {}) =>
    Stream.unwrap(
      Effect.flatMap(snapshot(params), (result) =>
        result._tag === "Modified"
          ? Effect.succeed(result.entries)
          : Effect.fail(
            new PeopleError.Unavailable({ module, method: listCall.method, reason: "unexpected 304 for a page request", retryable: false })
          ))
    )

  const snapshotDirectoryEntries = snapshotWith(DirectorySchema.ContactResource)
  const streamDirectoryEntries = streamWith(snapshotDirectoryEntries)
  const snapshotMappedEntries = snapshotWith(Entry.MappedEntry)
  const streamMappedEntries = streamWith(snapshotMappedEntries)

  const readDirectoryEntry = (entryId: string) => {
    const method = "readDirectoryEntry"
    // an empty, cut, stalled or non-JSON body is read again by the policy; a 404
    // that proves nothing is read again here
    const once = client.json(DirectorySchema.ContactResource)(
      HttpClientRequest.get(`${entriesPath}/${encodeURIComponent(entryId)}`),
      { method, group: operations.readDirectoryEntry.group }
    ).pipe(
      Effect.mapError((error) =>
        error._tag === "NotFound" && error.status === 404 && (error.remoteCode === undefined || !notFoundCodes.has(error.remoteCode))
          ? new PeopleError.Unavailable({
            module,
            method,
            reason: `HTTP 404 without a not-found code (${error.reason}): no proof that directory entry ${entryId} is gone`,
            status: 404,
            ...(error.remoteCode === undefined ? {} : { remoteCode: error.remoteCode })
          })
          : error
      )
    )
    return once.pipe(Effect.retry({ times: 2, schedule: Schedule.exponential(retryBase), while: isRereadable }))
  }

  const searchCall = {
    method: "searchDirectoryEntries",
    group: operations.searchDirectoryEntries.group,
    // a search changes nothing: repeating it is harmless
    idempotent: true
  } as const

  const searchRequest = (body: unknown) =>
    HttpClientRequest.post(client.accountPath("/directory/entries/search")).pipe(HttpClientRequest.bodyUnsafeJson(body))

  /** The wire body of a search, validated before sending: a bad request is refused locally. */
  const searchBody = (request: SearchRequest) =>
    Schema.decodeUnknown(DirectorySchema.SearchDirectoryEntriesRequest)(request).pipe(
      Effect.flatMap(Schema.encode(DirectorySchema.SearchDirectoryEntriesRequest)),
      Effect.mapError((e) => {
        const decoded = HttpPolicy.fromParseError({ module, method: searchCall.method }, e)
        return new PeopleError.InvalidRequest({ module, method: searchCall.method, reason: decoded.reason, field: decoded.path, sent: false })
      })
    )

  /** One search page, its records decoded one by one. */
  const searchPage = (request: SearchRequest, number: number) =>
    Effect.gen(function*() {
      const body = yield* searchBody(request)
      const response = yield* client.execute(searchRequest(body), { ...searchCall, body: "json" })
      return yield* decodePage(DirectorySchema.ContactResource, { method: searchCall.method, page: number })(response)
    })

  const searchDirectoryEntries = (request: SearchRequest) =>
    Effect.gen(function*() {
      const page = yield* searchPage(request, request.page ?? 1)
      for (const u of page.unreadable) {
        yield* Effect.logWarning("a record could not be read and was skipped").pipe(
          Effect.annotateLogs({
            module,
            method: searchCall.method,
            path: u.path,
            reason: u.reason,
            ...(u.remoteId === undefined ? {} : { remoteId: u.remoteId })
          })
        )
      }
      return toResource(page)
    })

  const streamSearchDirectoryEntries = (request: Omit<SearchRequest, "page">) =>
    Stream.unwrap(Effect.gen(function*() {
      const probe = (sizes: ReadonlyArray<number>): Effect.Effect<readonly [Page<DirectorySchema.ContactResource>, number], PeopleError.PeopleError> =>
        searchPage({ ...request, page: 1, perPage: sizes[0]! }, 1).pipe(
          Effect.map((first) => [first, sizes[0]!] as const),
          Effect.catchIf((e) => isPerPageRefused(e) && sizes.length > 1, () => probe(sizes.slice(1)))
        )
      const [first, perPage] = yield* probe(request.perPage === undefined ? searchPageSizes : [request.perPage])
      // the body was validated with page 1; the other pages differ only by their number
      const encode = Schema.encodeSync(DirectorySchema.SearchDirectoryEntriesRequest)
      const decode = Schema.decodeUnknownSync(DirectorySchema.SearchDirectoryEntriesRequest)
      return client.read(DirectorySchema.ContactResource)(
        (page) => searchRequest(encode(decode({ ...request, page, perPage }))),
        // a search is read by page number; a link only says whether there is more
        { ...searchCall, first, links: "numbers" }
      ).stream
    }))

  const readDirectoryFederation = (params: FederationParameters = {}) =>
    client.json(DirectorySchema.FederationResource)(
      HttpClientRequest.get(client.accountPath("/directory/federation")).pipe(
        params.types === undefined ? (r) => r : HttpClientRequest.setUrlParam("types", params.types),
        params.rcExtensionId === undefined ? (r) => r : HttpClientRequest.setHeader("RCExtensionId", params.rcExtensionId)
      ),
      { method: "readDirectoryFederation", group: operations.readDirectoryFederation.group }
    )

  return {
    listDirectoryEntries,
    snapshotDirectoryEntries,
    streamDirectoryEntries,
    snapshotMappedEntries,
    streamMappedEntries,
    readDirectoryEntry,
    searchDirectoryEntries,
    streamSearchDirectoryEntries,
    readDirectoryFederation
  }
})

/**
 * The service over the `RingCentralClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Directory, never, RingCentralClient> = Layer.effect(Directory, make)

/**
 * Converts a directory entry (or a directory event contact) to the mapping input.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toInput = (entry: Schema.Schema.Type<Schema.Struct<typeof DirectorySchema.contactFields>>): Mapping.Input => ({
  id: entry.id,
  firstName: entry.firstName,
  lastName: entry.lastName,
  name: entry.name,
  email: entry.email,
  jobTitle: entry.jobTitle,
  department: entry.department,
  account: entry.account === undefined ? undefined : { id: entry.account.id, companyName: entry.account.companyName },
  site: entry.site,
  extensionNumber: entry.extensionNumber,
  status: entry.status,
  type: entry.type,
  profileImage: entry.profileImage,
  customFields: entry.customFields,
  phoneNumbers: entry.phoneNumbers
})

/**
 * Maps a directory entry to a `Person`.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toPerson = (
  entry: Schema.Schema.Type<Schema.Struct<typeof DirectorySchema.contactFields>>,
  options?: Mapping.Options
): Person.Person => Mapping.toPerson(entry, options)
