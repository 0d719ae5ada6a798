/**
 * An audited paged read: the page loop both adapters run over their listings,
 * with the checks a sync needs before it may delete anything.
 *
 * An adapter says how to read one page (and what the page said about itself);
 * `make` runs the pages in order as a `Stream` and feeds each one to a
 * `PageAudit`, so that once the stream ran to its end, `completeness` says
 * whether the read was complete and, if not, why. On the way it:
 *
 * - reads a suspicious page again (at most `retries` times, default 2): an
 *   empty first page, or an empty or short page while the server still
 *   announces more (its next-page link, `totalPages`, `totalElements`); the
 *   fullest answer is kept and the audit records what remains wrong;
 * - reads a page again when reading it failed in a way `retryable` accepts
 *   (the adapters' HTTP policy already reads a page again whose body came
 *   empty, cut, stalled or not JSON, so they pass none for that);
 * - follows the next page the adapter names (the server's own link) and stops
 *   with an issue when a link points at a page already read (a loop), or when
 *   the listing goes on far beyond what was announced (a bound of the
 *   announced pages plus slack, or `maxPages` when nothing was announced), or
 *   when a page holds only records of earlier pages (a server that ignores the
 *   page asked for), or after three empty pages in a row that announce more;
 * - logs a warning for every record that could not be read (it is skipped and
 *   listed in the completeness as `unreadable`).
 *
 * A failure that remains after the retries fails the stream; the completeness
 * then says where the read stopped.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as HttpPolicy from "./HttpPolicy.js"
import * as Liberal from "./Liberal.js"
import * as PageAudit from "./PageAudit.js"
import * as PeopleDirectory from "./PeopleDirectory.js"

/**
 * What reading one page gave.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer<A, Cursor> {
  /**
   * The readable records of the page, in order; or its records as received,
   * decoded a chunk at a time as the stream is pulled ({@link undecoded}).
   */
  readonly items: ReadonlyArray<A> | Undecoded<A>
  /**
   * What the page said about itself (its `number` is set by the read). For an
   * {@link Undecoded} page, `records` and `ids` count every record received and
   * `unreadable` is left out: the unreadable ones are found as they are decoded.
   */
  readonly page: Omit<PageAudit.Page, "number">
  /**
   * Where the next page is: the server's own link when it sends links, or the
   * next page by number. Used only when the page is not the last one
   * (`PageAudit.isLast`).
   */
  readonly next: Cursor | undefined
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<A, Cursor, E, R> {
  /** The adapter (`ringcentral`), for logs. */
  readonly module: string
  /** The operation (`listDirectoryEntries`), for logs. */
  readonly method: string
  /** Where the first page is. */
  readonly first: Cursor
  /**
   * Reads one page. `number` counts pages from 1; `attempt` is 0 for the first
   * try of a page and counts its re-reads.
   */
  readonly fetch: (cursor: Cursor, number: number, attempt: number) => Effect.Effect<Answer<A, Cursor>, E, R>
  /** Identifies the page a cursor points at, to notice a link to a page already read. */
  readonly key: (cursor: Cursor) => string
  /** The number of the page a cursor points at (default: one more than the previous page). */
  readonly numberOf?: ((cursor: Cursor, previous: number) => number) | undefined
  /**
   * Whether an empty first page with nothing more announced is suspicious and
   * read again (default `suspicious`: a whole directory is never empty). For
   * small lists that are often empty (one person's contacts) say `normal`.
   */
  readonly emptyListing?: "suspicious" | "normal" | undefined
  /** Re-reads of a suspicious or failed page (default 2). */
  readonly retries?: number | undefined
  /** Whether a failure of `fetch` is worth reading the page again (default: none). */
  readonly retryable?: ((error: E) => boolean) | undefined
  /** The wait before a re-read (default 200 ms, doubling). */
  readonly retryDelay?: Duration.DurationInput | undefined
  /** The most pages read when the server announced no totals (default 10 000). */
  readonly maxPages?: number | undefined
  /** Describes a failure in the completeness issue (default: its `message`, else its string). */
  readonly describe?: ((error: E) => string) | undefined
  /** How many records of an {@link Undecoded} page are decoded at a time (default 100). */
  readonly chunkSize?: number | undefined
}

/**
 * A page's records as received, to be decoded a chunk at a time as the stream
 * is pulled instead of all at once when the page arrives, each record let go
 * once it is decoded. A page decoded whole lived, decoded, until the next page
 * had been read and parsed (the stream holds the last chunk it emitted), long
 * enough to be promoted to the old generation as garbage with many pages; now
 * only a chunk of decoded records is alive at a time, and a page's records as
 * received die as they are decoded. What the read reports is the same: a
 * record that cannot be decoded is logged and listed in the completeness when
 * its chunk is decoded, and the records of a page the read stops at are
 * decoded before the reason it stopped is recorded.
 *
 * @since 0.1.0
 * @category models
 */
export interface Undecoded<A> {
  readonly _tag: "Undecoded"
  /**
   * The page's records as received, readable or not: the read's own array
   * (see {@link undecoded}), whose elements it clears as it decodes them.
   */
  readonly records: Array<unknown>
  /** Decodes `records[from, to)` (see {@link decodeRecords}). */
  readonly decode: (records: ReadonlyArray<unknown>, from: number, to: number) => Records<A>
}

/**
 * A page's records to be decoded as the stream is pulled, with `decode` (a
 * {@link decodeRecords} for the page). The read keeps a copy of the array
 * (of references: the records themselves are not copied) and never changes
 * `records` itself.
 *
 * @since 0.1.0
 * @category constructors
 */
export const undecoded = <A>(
  records: ReadonlyArray<unknown>,
  decode: (records: ReadonlyArray<unknown>, from: number, to: number) => Records<A>
): Undecoded<A> => ({ _tag: "Undecoded", records: records.slice(), decode })

const isUndecoded = <A>(items: ReadonlyArray<A> | Undecoded<A>): items is Undecoded<A> =>
  (items as Partial<Undecoded<A>>)._tag === "Undecoded"

/**
 * A paged read: the records as a stream, and what the last run of the stream
 * said about itself.
 *
 * @since 0.1.0
 * @category models
 */
export interface Read<A, E, R = never> {
  /** Every readable record, page by page, lazily; every run is a new read with a new audit. */
  readonly stream: Stream.Stream<A, E, R>
  /** The completeness of the last run of `stream`; `PeopleDirectory.notRead` until a run reached its end. */
  readonly completeness: Effect.Effect<PeopleDirectory.Completeness>
}

/**
 * The page count a bound is derived from: the announced `totalPages`, else
 * the announced `totalElements` over the page size.
 */
const announcedPages = (page: PageAudit.Page): number | undefined => {
  if (page.totalPages !== undefined) return page.totalPages
  if (page.totalElements !== undefined && page.perPage !== undefined && page.perPage > 0) {
    return Math.ceil(page.totalElements / page.perPage)
  }
  return undefined
}

/**
 * The most pages read when `announced` pages were announced: a little slack
 * for a directory that grew during the read.
 *
 * @since 0.1.0
 * @category paging
 */
export const bound = (announced: number): number => announced + Math.max(2, Math.ceil(announced / 10))

/**
 * Whether the server says more follows this page: its next-page link, or its
 * totals (`before` records were read before the page).
 *
 * @since 0.1.0
 * @category paging
 */
export const moreAnnounced = (page: PageAudit.Page, before: number): boolean => {
  if (page.hasNext === true) return true
  if (page.totalPages !== undefined && (page.page ?? page.number) < page.totalPages) return true
  return page.totalElements !== undefined && (page.pageStart ?? before) + page.records < page.totalElements
}

/**
 * Whether a page deserves a second read: an empty first page, or an empty or
 * short page while the server announces more.
 *
 * @since 0.1.0
 * @category paging
 */
export const isSuspicious = (page: PageAudit.Page, before: number, emptyListing: "suspicious" | "normal" = "suspicious"): boolean => {
  if (page.records === 0) return (page.number === 1 && emptyListing === "suspicious") || moreAnnounced(page, before)
  return page.perPage !== undefined && page.records < page.perPage && moreAnnounced(page, before)
}

const describeError = (error: unknown): string => {
  if (error !== null && typeof error === "object" && "message" in error && typeof error.message === "string") return error.message
  return String(error)
}

/**
 * Builds a paged read.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <A, Cursor, E, R>(options: Options<A, Cursor, E, R>): Read<A, E, R> => {
  const retries = Math.max(0, options.retries ?? 2)
  const baseDelay = Duration.toMillis(options.retryDelay ?? Duration.millis(200))
  const maxPages = options.maxPages ?? 10_000
  const maxEmptyRun = 3
  const describe = options.describe ?? describeError
  const chunkSize = Math.max(1, options.chunkSize ?? 100)
  const annotations = { module: options.module, method: options.method }
  let last: PeopleDirectory.Completeness = PeopleDirectory.notRead

  const stream = Stream.suspend(() => {
    const audit = PageAudit.make()
    const seen = new Set<string>([options.key(options.first)])
    let before = 0
    let pagesRead = 0
    let emptyRun = 0
    let announced: number | undefined
    last = PeopleDirectory.notRead

    const pause = (attempt: number) => {
      const millis = baseDelay * 2 ** attempt
      return millis > 0 ? Effect.sleep(Duration.millis(millis)) : Effect.void
    }

    // one page, read again while it is suspicious or failed retryably; the fullest answer wins
    const readPage = (cursor: Cursor, number: number) => {
      const attemptAt = (attempt: number, best: Answer<A, Cursor> | undefined): Effect.Effect<Answer<A, Cursor>, E, R> =>
        options.fetch(cursor, number, attempt).pipe(
          Effect.matchEffect({
            onFailure: (error) => {
              if (attempt < retries && options.retryable?.(error) === true) {
                return Effect.logWarning("a page could not be read; reading it again").pipe(
                  Effect.annotateLogs({ ...annotations, page: number, attempt: attempt + 1, error: describe(error) }),
                  Effect.zipRight(pause(attempt)),
                  Effect.zipRight(attemptAt(attempt + 1, best))
                )
              }
              return Effect.fail(error)
            },
            onSuccess: (answer) => {
              const fuller = best === undefined || answer.page.records >= best.page.records ? answer : best
              if (attempt < retries && isSuspicious({ ...answer.page, number }, before, options.emptyListing)) {
                return Effect.logWarning("a page came back empty or short while more was announced; reading it again").pipe(
                  Effect.annotateLogs({ ...annotations, page: number, records: answer.page.records, attempt: attempt + 1 }),
                  Effect.zipRight(pause(attempt)),
                  Effect.zipRight(attemptAt(attempt + 1, fuller))
                )
              }
              return Effect.succeed(fuller)
            }
          })
        )
      return attemptAt(0, undefined)
    }

    const stop = (reason: string) =>
      Effect.sync(() => audit.stopped(reason)).pipe(
        Effect.zipRight(Effect.logWarning("a paged read stopped early").pipe(Effect.annotateLogs({ ...annotations, reason })))
      )

    const logUnreadable = (records: ReadonlyArray<PeopleDirectory.Unreadable>) =>
      Effect.forEach(records, (unreadable) =>
        Effect.logWarning("a record could not be read and was skipped").pipe(
          Effect.annotateLogs({
            ...annotations,
            path: unreadable.path,
            reason: unreadable.reason,
            ...(unreadable.remoteId === undefined ? {} : { remoteId: unreadable.remoteId })
          })
        ), { discard: true })

    // records [from, to) of an undecoded page, its unreadable ones logged and
    // audited; each record is let go once decoded
    const decodeSome = (page: Undecoded<A>, from: number, to: number) =>
      Effect.suspend(() => {
        const decoded = page.decode(page.records, from, to)
        page.records.fill(undefined, from, to)
        audit.unreadable(decoded.unreadable)
        return Effect.as(logUnreadable(decoded.unreadable), Chunk.unsafeFromArray(decoded.items))
      })

    // a page's records as the stream is pulled, a chunk at a time
    const emit = (page: Undecoded<A>): Stream.Stream<A> =>
      Stream.unfoldChunkEffect(0, (from) => {
        const n = page.records.length
        if (from >= n) return Effect.succeed(Option.none())
        const to = Math.min(n, from + chunkSize)
        return Effect.map(decodeSome(page, from, to), (items) => Option.some([items, to] as const))
      })

    const step = (state: readonly [Cursor, number]) => {
      const [cursor, number] = state
      return Effect.gen(function*() {
        const answer = yield* readPage(cursor, number)
        const page: PageAudit.Page = { ...answer.page, number }
        const repeated = audit.page(page)
        pagesRead++
        before += page.records
        yield* logUnreadable(page.unreadable ?? [])
        const pages = announcedPages(page)
        if (pages !== undefined) announced = Math.max(announced ?? 0, pages)
        const items = answer.items
        // the page's records as the stream is pulled (an undecoded page a chunk at a time)
        const records = isUndecoded(items) ? emit(items) : Stream.fromChunk(Chunk.fromIterable(items))
        // the page decoded at once, when the read stops at it: its unreadable
        // records are recorded before the reason it stopped
        const decodedNow = isUndecoded(items)
          ? Effect.map(decodeSome(items, 0, items.records.length), Stream.fromChunk)
          : Effect.succeed(records)
        const end = Option.none<readonly [Cursor, number]>()
        if (PageAudit.isLast(page) || answer.next === undefined) return [records, end] as const
        emptyRun = page.records === 0 ? emptyRun + 1 : 0
        if (emptyRun >= maxEmptyRun) {
          // each was read again already: a server that links on past its end
          const decoded = yield* decodedNow
          yield* stop(`${emptyRun} pages in a row up to page ${number} were empty although more was announced: the read stopped there`)
          return [decoded, end] as const
        }
        if (number > 1 && page.records > 0 && repeated === page.records) {
          // every record of the page came on earlier pages: the server answers
          // pages it already sent (it ignores the page asked for), so reading on
          // would go on until the page bound
          yield* decodedNow
          yield* stop(`page ${number} repeats records already read (${repeated} of ${page.records}): the read stopped there`)
          // its records were delivered with the earlier pages
          return [Stream.empty, end] as const
        }
        const next = answer.next
        const key = options.key(next)
        if (seen.has(key)) {
          const decoded = yield* decodedNow
          yield* stop(`page ${number} links to a page already read (${key}): the read stopped there`)
          return [decoded, end] as const
        }
        const limit = announced === undefined ? maxPages : Math.min(maxPages, bound(announced))
        if (pagesRead >= limit) {
          const decoded = yield* decodedNow
          yield* stop(
            announced === undefined
              ? `the listing did not end after ${pagesRead} pages: the read stopped there`
              : `the listing did not end after ${pagesRead} pages although ${announced} were announced: the read stopped there`
          )
          return [decoded, end] as const
        }
        seen.add(key)
        const nextNumber = options.numberOf?.(next, number) ?? number + 1
        return [records, Option.some([next, nextNumber] as const)] as const
      }).pipe(
        Effect.tapError((error) =>
          Effect.sync(() => {
            audit.stopped(`page ${number} could not be read: ${describe(error)}`)
            last = audit.finish()
          })
        )
      )
    }

    return Stream.paginateEffect([options.first, 1] as readonly [Cursor, number], step).pipe(
      Stream.flatten(),
      Stream.concat(Stream.execute(Effect.sync(() => {
        last = audit.finish()
      })))
    )
  })

  return { stream, completeness: Effect.sync(() => last) }
}

/**
 * The most precise issue of a parse error and how many other fields are wrong.
 * An optional field's alternatives (`Expected null`, `Expected undefined`) and
 * the issues of its parents add nothing to the issue of the value itself.
 *
 * @since 0.1.0
 * @category decoding
 */
export const describeIssues = (error: ParseResult.ParseError): { readonly path: ReadonlyArray<PropertyKey>; readonly reason: string } => {
  const all = ParseResult.ArrayFormatter.formatErrorSync(error)
  const key = (path: ReadonlyArray<PropertyKey>) => HttpPolicy.formatPath(path)
  const alternative = (message: string) => message.startsWith("Expected null,") || message.startsWith("Expected undefined,")
  const precise = all.filter((issue) => !alternative(issue.message))
  const candidates = (precise.length > 0 ? precise : all).filter((issue) =>
    !all.some((other) => other !== issue && other.path.length > issue.path.length && issue.path.every((k, i) => other.path[i] === k))
  )
  const first = candidates[0] ?? all[0]
  if (first === undefined) return { path: [], reason: "does not match the expected shape" }
  const others = new Set(candidates.map((issue) => key(issue.path)))
  others.delete(key(first.path))
  return { path: first.path, reason: others.size === 0 ? first.message : `${first.message} (and ${others.size} more)` }
}

/**
 * The records of one page decoded one by one: the readable ones, and for each
 * record that is not readable, where and why (with its remote id when the id
 * itself is readable).
 *
 * @since 0.1.0
 * @category models
 */
export interface Records<A> {
  readonly items: ReadonlyArray<A>
  readonly unreadable: ReadonlyArray<PeopleDirectory.Unreadable>
  /** The remote ids of every record whose id is readable, in order. */
  readonly ids: ReadonlyArray<string>
  /** Records received, readable or not. */
  readonly count: number
}

/**
 * Decodes the records of a page one by one with `schema`, so that one bad
 * record never rejects its page. An unreadable record's path reads
 * `page 3, records[17].phoneNumbers[0].phoneNumber`. The function it returns
 * decodes `records[from, to)` (default: all of them); indices in paths are
 * those of the page.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeRecords = <A, I>(
  schema: Schema.Schema<A, I>,
  context: {
    readonly module: string
    readonly method: string
    /** The page number, for the paths. */
    readonly page: number
    /** The property holding the records (`records`), or `undefined` when the body is the array. */
    readonly field?: string | undefined
    /** Reads a record's remote id (default: its `id`). */
    readonly idOf?: ((record: unknown) => string | undefined) | undefined
  }
) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  const idOf = context.idOf ?? ((record: unknown) => Liberal.idOf(record))
  return (records: ReadonlyArray<unknown>, from = 0, to = records.length): Records<A> => {
    const items: Array<A> = []
    const unreadable: Array<PeopleDirectory.Unreadable> = []
    const ids: Array<string> = []
    for (let index = from; index < to; index++) {
      const record = records[index]
      const id = idOf(record)
      if (id !== undefined) ids.push(id)
      const decoded = decode(record)
      if (decoded._tag === "Right") {
        items.push(decoded.right)
        continue
      }
      const { path, reason } = describeIssues(decoded.left)
      const at = context.field === undefined ? [index] : [context.field, index]
      unreadable.push({
        ...(id === undefined ? {} : { remoteId: id }),
        path: `page ${context.page}, ${HttpPolicy.formatPath([...at, ...path])}`,
        reason
      })
    }
    return { items, unreadable, ids, count: to - from }
  }
}
