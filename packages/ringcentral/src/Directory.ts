/**
 * The company directory operations (`InternalContactsService`): list (with
 * `If-None-Match`; a `304` is a value), stream every page, read one entry,
 * search (also as a stream) and read the federation. Every operation carries its
 * throttling group.
 *
 * Whole-directory reads are audited (`@unified-people/core/PagedRead`): they
 * follow the server's next-page link when it sends one, treat totals as hints,
 * read an empty or short page again before going on, stop on links that loop
 * or pages that never end, skip (and report) records that cannot be read, and
 * say in a `Completeness` whether the read was complete.
 *
 * | operation | group |
 * |---|---|
 * | `listDirectoryEntries` | Medium |
 * | `readDirectoryEntry` | Medium |
 * | `searchDirectoryEntries` | Heavy |
 * | `readDirectoryFederation` | Medium |
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as PageAudit from "@unified-people/core/PageAudit"
import * as PagedRead from "@unified-people/core/PagedRead"
import type * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import * as PeopleError from "@unified-people/core/PeopleError"
import type * as Person from "@unified-people/core/Person"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as DirectorySchema from "./Directory/Schema.js"
import * as Mapping from "./Mapping.js"
import { RingCentralClient } from "./RingCentralClient.js"

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

/** A page whose records were decoded one by one. */
interface PageResult {
  readonly directory: DirectorySchema.DirectoryResource
  readonly unreadable: ReadonlyArray<PeopleDirectory.Unreadable>
}

/** Decodes a directory page (its JSON body, parsed during the attempt), its records one by one. */
const decodePage = (method: string, number: number) => {
  const envelope = HttpPolicy.decodeJson(DirectorySchema.DirectoryPage, { module, method })
  const records = PagedRead.decodeRecords(DirectorySchema.ContactResource, { module, method, page: number, field: "records" })
  return (response: HttpClientResponse.HttpClientResponse): Effect.Effect<PageResult, PeopleError.DecodeError | PeopleError.Unavailable> =>
    Effect.map(envelope(response), (page) => {
      const decoded = records(page.records)
      return {
        directory: new DirectorySchema.DirectoryResource({
          ...(page.uri === undefined ? {} : { uri: page.uri }),
          records: decoded.items,
          paging: page.paging,
          ...(page.navigation === undefined ? {} : { navigation: page.navigation })
        }, true),
        unreadable: decoded.unreadable
      }
    })
}

/**
 * Lists one page of the directory. A `304 Not Modified` answer is the value
 * `NotModified`, not an error. A record that cannot be read is skipped and
 * listed in `unreadable`; an empty body is a retryable `Unavailable`.
 *
 * @since 0.1.0
 * @category operations
 */
export const listDirectoryEntries = (
  params: ListDirectoryEntriesParameters = {}
): Effect.Effect<ListResult, PeopleError.PeopleError, RingCentralClient> =>
  Effect.gen(function*() {
    const client = yield* RingCentralClient
    return yield* getPage(client, listRequest(client.accountPath("/directory/entries"), params), params.page ?? 1, params.ifNoneMatch)
  })

const getPage = (
  client: RingCentralClient["Type"],
  request: HttpClientRequest.HttpClientRequest,
  number: number,
  ifNoneMatch?: string
): Effect.Effect<ListResult, PeopleError.PeopleError> =>
  Effect.gen(function*() {
    const method = "listDirectoryEntries"
    // one attempt is the request and the whole page: an empty, cut, stalled or
    // non-JSON page is read again by the policy
    const response = yield* client.call(request, {
      method,
      group: "Medium",
      accept: (status) => (status >= 200 && status < 300) || status === 304,
      body: "json"
    })
    const etag = response.headers["etag"]
    if (response.status === 304) {
      return { _tag: "NotModified", etag: etag ?? ifNoneMatch ?? "" } as const
    }
    const { directory, unreadable } = yield* decodePage(method, number)(response)
    return { _tag: "Modified", etag, directory, unreadable } as const
  })

/**
 * What a page says about itself, for the audit and for paging: the server's
 * next-page link (`navigation.nextPage`) when it sends navigation, else its
 * totals, else a short or empty page.
 *
 * @since 0.1.0
 * @category paging
 */
export const pageInfo = (
  page: DirectorySchema.DirectoryResource,
  unreadable: ReadonlyArray<PeopleDirectory.Unreadable> = []
): Omit<PageAudit.Page, "number"> => {
  const { paging, navigation } = page
  const ids = [...page.records.map((r) => r.id), ...unreadable.flatMap((u) => u.remoteId === undefined ? [] : [u.remoteId])]
  return {
    records: page.records.length + unreadable.length,
    perPage: paging.perPage,
    ...(paging.page === undefined ? {} : { page: paging.page }),
    ...(paging.pageStart === undefined ? {} : { pageStart: paging.pageStart }),
    ...(paging.totalPages === undefined ? {} : { totalPages: paging.totalPages }),
    ...(paging.totalElements === undefined ? {} : { totalElements: paging.totalElements }),
    ...(navigation === undefined ? {} : { hasNext: nextLink(navigation) !== undefined }),
    ids,
    unreadable
  }
}

const nextLink = (navigation: DirectorySchema.PageNavigationModel): string | undefined => {
  const uri = navigation.nextPage?.uri?.trim()
  return uri === undefined || uri === "" ? undefined : uri
}

/**
 * Whether a page is the last one: the server's next-page link when it sends
 * navigation, else `page >= totalPages`, else a short or empty page.
 * `totalElements` never ends a read on its own.
 *
 * @since 0.1.0
 * @category paging
 */
export const isLastPage = (page: DirectorySchema.DirectoryResource, requested: number): boolean =>
  PageAudit.isLast({ ...pageInfo(page), number: requested })

/**
 * Where a page is: its number, and the server's own link to it (a path and
 * query under the server URL) when the server named one.
 *
 * @since 0.1.0
 * @category paging
 */
export interface Cursor {
  readonly page: number
  readonly link?: string | undefined
}

/**
 * The next page after page `number`: the server's link when it sends
 * navigation (followed as given when it points at the server, else read as a
 * page number so that the token never leaves for another host), else the next
 * page number.
 *
 * @since 0.1.0
 * @category paging
 */
export const nextCursor = (
  page: DirectorySchema.DirectoryResource,
  number: number,
  serverUrl: string
): Cursor | undefined => {
  if (page.navigation === undefined) return { page: number + 1 }
  const uri = nextLink(page.navigation)
  if (uri === undefined) return undefined
  let url: URL
  try {
    url = new URL(uri, `${serverUrl}/`)
  } catch {
    return { page: number + 1 }
  }
  const raw = url.searchParams.get("page")
  const linked = raw !== null && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined
  const target = linked !== undefined && linked >= 1 ? linked : number + 1
  const base = serverUrl.replace(/\/+$/, "")
  return url.href.startsWith(`${base}/`) ? { page: target, link: url.href.slice(base.length) } : { page: target }
}

/**
 * Page sizes tried when reading the whole directory, largest first: a server
 * that refuses one (`InvalidRequest` on `perPage`) gets the next.
 *
 * @since 0.1.0
 * @category paging
 */
export const listPageSizes: ReadonlyArray<PerPage> = ["max", 2000, 1000, 500, 200, 100]

/** Reads page 1 with the largest accepted page size (or the one given). */
const firstPage = (
  params: Omit<ListDirectoryEntriesParameters, "page">
): Effect.Effect<readonly [ListResult, PerPage], PeopleError.PeopleError, RingCentralClient> => {
  const probe = (sizes: ReadonlyArray<PerPage>): Effect.Effect<readonly [ListResult, PerPage], PeopleError.PeopleError, RingCentralClient> =>
    listDirectoryEntries({ ...params, page: 1, perPage: sizes[0]! }).pipe(
      Effect.map((result) => [result, sizes[0]!] as const),
      Effect.catchIf(
        (e) => e._tag === "InvalidRequest" && e.sent && e.field === "perPage" && sizes.length > 1,
        () => probe(sizes.slice(1))
      )
    )
  return probe(params.perPage === undefined ? listPageSizes : [params.perPage])
}

const unexpected304 = () =>
  new PeopleError.Unavailable({ module, method: "listDirectoryEntries", reason: "unexpected 304 for a page request", retryable: false })

/** A page as the audited read wants it. */
const answerOf = (result: PageResult, number: number, serverUrl: string): PagedRead.Answer<DirectorySchema.ContactResource, Cursor> => ({
  items: result.directory.records,
  page: pageInfo(result.directory, result.unreadable),
  next: nextCursor(result.directory, number, serverUrl)
})

/** The audited read of every page, page 1 given (read with `perPage`). */
const readAll = (
  client: RingCentralClient["Type"],
  params: Omit<ListDirectoryEntriesParameters, "page" | "ifNoneMatch">,
  perPage: PerPage,
  first: PageResult
): PagedRead.Read<DirectorySchema.ContactResource, PeopleError.PeopleError> => {
  const path = client.accountPath("/directory/entries")
  const fetch = (cursor: Cursor) =>
    Effect.flatMap(
      getPage(client, cursor.link === undefined ? listRequest(path, { ...params, perPage, page: cursor.page }) : HttpClientRequest.get(cursor.link), cursor.page),
      (result) => result._tag === "Modified" ? Effect.succeed(result) : Effect.fail(unexpected304())
    )
  return PagedRead.make({
    module,
    method: "listDirectoryEntries",
    first: { page: 1 } as Cursor,
    key: (cursor) => `page=${cursor.page}`,
    numberOf: (cursor) => cursor.page,
    // a body that did not arrive whole was read again by the policy; the read
    // itself reads a suspicious (empty or short) page again
    retryDelay: client.retry.base ?? "2 seconds",
    fetch: (cursor, number, attempt) =>
      Effect.map(number === 1 && attempt === 0 ? Effect.succeed(first) : fetch(cursor), (result) => answerOf(result, number, client.serverUrl))
  })
}

/**
 * The whole directory unless unchanged since `ifNoneMatch`, as an audited read:
 * the first page is read eagerly (conditionally, with the largest page size the
 * server accepts: `perPage=max`, then 2000, 1000, … if refused, unless
 * `perPage` is given), the others lazily when `entries` runs. Paging follows
 * the server's next-page link when it sends navigation, and treats its totals
 * as hints; `completeness` says whether the last run of `entries` read the
 * whole directory (see `PagedRead`). A record that cannot be read is skipped,
 * logged and listed in the completeness.
 *
 * @since 0.1.0
 * @category operations
 */
export const snapshotDirectoryEntries = (
  params: Omit<ListDirectoryEntriesParameters, "page"> = {}
): Effect.Effect<
  | { readonly _tag: "NotModified"; readonly etag: string }
  | {
    readonly _tag: "Modified"
    readonly etag: string | undefined
    readonly entries: Stream.Stream<DirectorySchema.ContactResource, PeopleError.PeopleError, RingCentralClient>
    readonly completeness: Effect.Effect<PeopleDirectory.Completeness>
  },
  PeopleError.PeopleError,
  RingCentralClient
> =>
  Effect.gen(function*() {
    const client = yield* RingCentralClient
    const [result, perPage] = yield* firstPage(params)
    if (result._tag === "NotModified") return result
    const { ifNoneMatch: _, ...others } = params
    const read = readAll(client, others, perPage, result)
    return { _tag: "Modified", etag: result.etag, entries: read.stream, completeness: read.completeness } as const
  })

/**
 * Every directory entry across pages, fetched lazily one page at a time with the
 * largest page size the server accepts (`perPage=max`, then 2000, 1000, … if
 * refused) unless `perPage` is given. The same audited read as
 * {@link snapshotDirectoryEntries}, without its completeness: a record that
 * cannot be read is skipped with a warning in the log.
 *
 * @since 0.1.0
 * @category operations
 */
export const streamDirectoryEntries = (
  params: Omit<ListDirectoryEntriesParameters, "page" | "ifNoneMatch"> = {}
): Stream.Stream<DirectorySchema.ContactResource, PeopleError.PeopleError, RingCentralClient> =>
  Stream.unwrap(
    Effect.flatMap(snapshotDirectoryEntries(params), (result) =>
      result._tag === "Modified" ? Effect.succeed(result.entries) : Effect.fail(unexpected304()))
  )

/** The codes of a 404 that say the entry does not exist. */
const notFoundCodes: ReadonlySet<string> = new Set(["ADG-122", "CMN-102"])

/**
 * Reads one directory entry. `NotFound` only when the server says so: a 404
 * with `ADG-122` or `CMN-102` (or a 410). A `200` with an empty body (which the
 * specification says a missing entry may get), a cut or unreadable body, or a
 * 404 without those codes proves nothing: it is read again, then an
 * `Unavailable` (or a `DecodeError`) is returned, never `NotFound`.
 *
 * @since 0.1.0
 * @category operations
 */
export const readDirectoryEntry = (
  entryId: string
): Effect.Effect<DirectorySchema.ContactResource, PeopleError.PeopleError, RingCentralClient> =>
  Effect.gen(function*() {
    const client = yield* RingCentralClient
    const method = "readDirectoryEntry"
    // an empty, cut, stalled or non-JSON body is read again by the policy; a 404
    // that proves nothing is read again here
    const once = client.json(DirectorySchema.ContactResource)(
      HttpClientRequest.get(client.accountPath(`/directory/entries/${encodeURIComponent(entryId)}`)),
      { method, group: "Medium" }
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
    return yield* once.pipe(
      Effect.retry({ times: 2, schedule: Schedule.exponential(client.retry.base ?? "2 seconds"), while: isRereadable })
    )
  })

/** One search page, its records decoded one by one. */
const searchPage = (
  client: RingCentralClient["Type"],
  request: SearchRequest,
  number: number
): Effect.Effect<PageResult, PeopleError.PeopleError> =>
  Effect.gen(function*() {
    const method = "searchDirectoryEntries"
    // validated before sending: a bad request is refused locally
    const body = yield* Schema.decodeUnknown(DirectorySchema.SearchDirectoryEntriesRequest)(request).pipe(
      Effect.flatMap(Schema.encode(DirectorySchema.SearchDirectoryEntriesRequest)),
      Effect.mapError((e) => {
        const decoded = HttpPolicy.fromParseError({ module, method }, e)
        return new PeopleError.InvalidRequest({ module, method, reason: decoded.reason, field: decoded.path, sent: false })
      })
    )
    const response = yield* client.call(
      HttpClientRequest.post(client.accountPath("/directory/entries/search")).pipe(HttpClientRequest.bodyUnsafeJson(body)),
      // a search changes nothing: repeating it is harmless
      { method, group: "Heavy", idempotent: true, body: "json" }
    )
    return yield* decodePage(method, number)(response)
  })

/**
 * Searches the directory (one page). A record that cannot be read is skipped
 * with a warning in the log.
 *
 * @since 0.1.0
 * @category operations
 */
export const searchDirectoryEntries = (
  request: SearchRequest
): Effect.Effect<DirectorySchema.DirectoryResource, PeopleError.PeopleError, RingCentralClient> =>
  Effect.gen(function*() {
    const client = yield* RingCentralClient
    const { directory, unreadable } = yield* searchPage(client, request, request.page ?? 1)
    for (const u of unreadable) {
      yield* Effect.logWarning("a record could not be read and was skipped").pipe(
        Effect.annotateLogs({ module, method: "searchDirectoryEntries", path: u.path, reason: u.reason, ...(u.remoteId === undefined ? {} : { remoteId: u.remoteId }) })
      )
    }
    return directory
  })

/**
 * Page sizes tried by {@link streamSearchDirectoryEntries}, largest first: a
 * server that refuses one (`InvalidRequest` on `perPage`) gets the next.
 *
 * @since 0.1.0
 * @category paging
 */
export const searchPageSizes: ReadonlyArray<number> = [2000, 1000, 500, 200, 100]

/**
 * Every match of a search across pages, lazily, with the largest page size the
 * server accepts (unless `perPage` is given), through the same audited page
 * loop as the directory listing (bad records skipped with a warning).
 *
 * @since 0.1.0
 * @category operations
 */
export const streamSearchDirectoryEntries = (
  request: Omit<SearchRequest, "page">
): Stream.Stream<DirectorySchema.ContactResource, PeopleError.PeopleError, RingCentralClient> =>
  Stream.unwrap(Effect.gen(function*() {
    const client = yield* RingCentralClient
    const probe = (
      sizes: ReadonlyArray<number>
    ): Effect.Effect<readonly [PageResult, number], PeopleError.PeopleError> =>
      searchPage(client, { ...request, page: 1, perPage: sizes[0]! }, 1).pipe(
        Effect.map((first) => [first, sizes[0]!] as const),
        Effect.catchIf(
          (e) => e._tag === "InvalidRequest" && e.sent && e.field === "perPage" && sizes.length > 1,
          () => probe(sizes.slice(1))
        )
      )
    const [first, perPage] = yield* probe(request.perPage === undefined ? searchPageSizes : [request.perPage])
    return PagedRead.make({
      module,
      method: "searchDirectoryEntries",
      first: 1,
      key: (page: number) => `page=${page}`,
      numberOf: (page: number) => page,
      retryDelay: client.retry.base ?? "2 seconds",
      fetch: (page: number, number, attempt) =>
        Effect.map(
          number === 1 && attempt === 0 ? Effect.succeed(first) : searchPage(client, { ...request, page, perPage }, number),
          (result) => {
            // a search is read by page number; a link only says whether there is more
            const answer = answerOf(result, number, client.serverUrl)
            return { ...answer, next: answer.next === undefined ? undefined : page + 1 }
          }
        )
    }).stream
  }))

/**
 * Reads the federation and its accounts.
 *
 * @since 0.1.0
 * @category operations
 */
export const readDirectoryFederation = (
  params: { readonly types?: DirectorySchema.FederationTypes; readonly rcExtensionId?: string } = {}
): Effect.Effect<DirectorySchema.FederationResource, PeopleError.PeopleError, RingCentralClient> =>
  Effect.gen(function*() {
    const client = yield* RingCentralClient
    return yield* client.json(DirectorySchema.FederationResource)(
      HttpClientRequest.get(client.accountPath("/directory/federation")).pipe(
        params.types === undefined ? (r) => r : HttpClientRequest.setUrlParam("types", params.types),
        params.rcExtensionId === undefined ? (r) => r : HttpClientRequest.setHeader("RCExtensionId", params.rcExtensionId)
      ),
      { method: "readDirectoryFederation", group: "Medium" }
    )
  })

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
): Person.Person => Mapping.toPerson(toInput(entry), options)
