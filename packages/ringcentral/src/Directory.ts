/**
 * The company directory operations (`InternalContactsService`): list (with
 * `If-None-Match`; a `304` is a value), stream every page, read one entry,
 * search (also as a stream) and read the federation. Every operation carries its
 * throttling group.
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
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as PeopleError from "@unified-people/core/PeopleError"
import type * as Person from "@unified-people/core/Person"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
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
 * The answer of `listDirectoryEntries`.
 *
 * @since 0.1.0
 * @category models
 */
export type ListResult =
  | { readonly _tag: "NotModified"; readonly etag: string }
  | { readonly _tag: "Modified"; readonly etag: string | undefined; readonly directory: DirectorySchema.DirectoryResource }

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
 * Lists one page of the directory. A `304 Not Modified` answer is the value
 * `NotModified`, not an error.
 *
 * @since 0.1.0
 * @category operations
 */
export const listDirectoryEntries = (
  params: ListDirectoryEntriesParameters = {}
): Effect.Effect<ListResult, PeopleError.PeopleError, RingCentralClient> =>
  Effect.gen(function*() {
    const client = yield* RingCentralClient
    const method = "listDirectoryEntries"
    const response = yield* client.call(listRequest(client.accountPath("/directory/entries"), params), {
      method,
      group: "Medium",
      accept: (status) => (status >= 200 && status < 300) || status === 304
    })
    const etag = response.headers["etag"]
    if (response.status === 304) {
      return { _tag: "NotModified", etag: etag ?? params.ifNoneMatch ?? "" } as const
    }
    const directory = yield* HttpPolicy.decodeJson(DirectorySchema.DirectoryResource, { module, method })(response)
    return { _tag: "Modified", etag, directory } as const
  })

/**
 * Whether a page is the last one: `page >= totalPages` when the server sent
 * totals, else a short or empty page. `totalElements` is never trusted.
 *
 * @since 0.1.0
 * @category paging
 */
export const isLastPage = (page: DirectorySchema.DirectoryResource, requested: number): boolean => {
  if (page.records.length === 0) return true
  const { paging } = page
  if (paging.totalPages !== undefined) return (paging.page ?? requested) >= paging.totalPages
  return page.records.length < paging.perPage
}

const pages = <E, R>(
  fetch: (page: number) => Effect.Effect<DirectorySchema.DirectoryResource, E, R>,
  first?: DirectorySchema.DirectoryResource
): Stream.Stream<DirectorySchema.ContactResource, E, R> =>
  Stream.paginateChunkEffect(1, (page: number) =>
    Effect.map(
      page === 1 && first !== undefined ? Effect.succeed(first) : fetch(page),
      (result) => [Chunk.fromIterable(result.records), isLastPage(result, page) ? Option.none<number>() : Option.some(page + 1)] as const
    ))

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

const fetchPage = (params: ListDirectoryEntriesParameters) =>
  Effect.flatMap(listDirectoryEntries(params), (result) =>
    result._tag === "Modified" ? Effect.succeed(result.directory) : Effect.fail(unexpected304()))

const rest = (
  params: Omit<ListDirectoryEntriesParameters, "page">,
  perPage: PerPage,
  first: DirectorySchema.DirectoryResource
) => {
  const { ifNoneMatch: _, ...others } = params
  return pages((page) => fetchPage({ ...others, perPage, page }), first)
}

/**
 * Every directory entry across pages, fetched lazily one page at a time with the
 * largest page size the server accepts (`perPage=max`, then 2000, 1000, … if
 * refused) unless `perPage` is given.
 *
 * @since 0.1.0
 * @category operations
 */
export const streamDirectoryEntries = (
  params: Omit<ListDirectoryEntriesParameters, "page" | "ifNoneMatch"> = {}
): Stream.Stream<DirectorySchema.ContactResource, PeopleError.PeopleError, RingCentralClient> =>
  Stream.unwrap(
    Effect.flatMap(firstPage(params), ([result, perPage]) =>
      result._tag === "Modified" ? Effect.succeed(rest(params, perPage, result.directory)) : Effect.fail(unexpected304()))
  )

/**
 * The whole directory unless unchanged since `ifNoneMatch`: the first page is
 * read eagerly (conditionally), the others lazily when the stream runs.
 *
 * @since 0.1.0
 * @category operations
 */
export const snapshotDirectoryEntries = (
  params: Omit<ListDirectoryEntriesParameters, "page"> = {}
): Effect.Effect<
  | { readonly _tag: "NotModified"; readonly etag: string }
  | { readonly _tag: "Modified"; readonly etag: string | undefined; readonly entries: Stream.Stream<DirectorySchema.ContactResource, PeopleError.PeopleError, RingCentralClient> },
  PeopleError.PeopleError,
  RingCentralClient
> =>
  Effect.map(firstPage(params), ([result, perPage]) =>
    result._tag === "NotModified"
      ? result
      : { _tag: "Modified", etag: result.etag, entries: rest(params, perPage, result.directory) } as const)

/**
 * Reads one directory entry. A missing entry is `NotFound` (`ADG-122`); the
 * server may also answer an empty body for it.
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
    const response = yield* client.call(
      HttpClientRequest.get(client.accountPath(`/directory/entries/${encodeURIComponent(entryId)}`)),
      { method, group: "Medium" }
    )
    const text = yield* HttpPolicy.readText(response, { module, method })
    if (text.trim() === "") {
      return yield* new PeopleError.NotFound({ module, method, reason: `directory entry ${entryId} not found (empty body)`, status: response.status })
    }
    return yield* HttpPolicy.decodeText(DirectorySchema.ContactResource, { module, method })(text)
  })

/**
 * Searches the directory (one page).
 *
 * @since 0.1.0
 * @category operations
 */
export const searchDirectoryEntries = (
  request: SearchRequest
): Effect.Effect<DirectorySchema.DirectoryResource, PeopleError.PeopleError, RingCentralClient> =>
  Effect.gen(function*() {
    const client = yield* RingCentralClient
    const method = "searchDirectoryEntries"
    // validated before sending: a bad request is refused locally
    const body = yield* Schema.decodeUnknown(DirectorySchema.SearchDirectoryEntriesRequest)(request).pipe(
      Effect.flatMap(Schema.encode(DirectorySchema.SearchDirectoryEntriesRequest)),
      Effect.mapError((e) => {
        const decoded = HttpPolicy.fromParseError({ module, method }, e)
        return new PeopleError.InvalidRequest({ module, method, reason: decoded.reason, field: decoded.path, sent: false })
      })
    )
    return yield* client.json(DirectorySchema.DirectoryResource)(
      HttpClientRequest.post(client.accountPath("/directory/entries/search")).pipe(HttpClientRequest.bodyUnsafeJson(body)),
      // a search changes nothing: repeating it is harmless
      { method, group: "Heavy", idempotent: true }
    )
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
 * server accepts (unless `perPage` is given).
 *
 * @since 0.1.0
 * @category operations
 */
export const streamSearchDirectoryEntries = (
  request: Omit<SearchRequest, "page">
): Stream.Stream<DirectorySchema.ContactResource, PeopleError.PeopleError, RingCentralClient> => {
  if (request.perPage !== undefined) return pages((page) => searchDirectoryEntries({ ...request, page }))
  const probe = (
    sizes: ReadonlyArray<number>
  ): Effect.Effect<readonly [DirectorySchema.DirectoryResource, number], PeopleError.PeopleError, RingCentralClient> =>
    searchDirectoryEntries({ ...request, page: 1, perPage: sizes[0]! }).pipe(
      Effect.map((first) => [first, sizes[0]!] as const),
      Effect.catchIf(
        (e) => e._tag === "InvalidRequest" && e.sent && e.field === "perPage" && sizes.length > 1,
        () => probe(sizes.slice(1))
      )
    )
  return Stream.unwrap(
    Effect.map(probe(searchPageSizes), ([first, perPage]) => pages((page) => searchDirectoryEntries({ ...request, page, perPage }), first))
  )
}

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
