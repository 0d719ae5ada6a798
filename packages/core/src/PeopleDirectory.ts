/**
 * The people-directory port: a source of `Person`s that every adapter implements.
 * Code written against this tag runs on any adapter.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import type { PeopleError } from "./PeopleError.js"
import type { Person } from "./Person.js"

/**
 * A search over a directory. Every field is optional; `text` matches names,
 * e-mail addresses and numbers the way the remote system does.
 *
 * @since 0.1.0
 * @category models
 */
export interface Query {
  readonly text?: string
  readonly email?: string
  readonly employeeNumber?: string
  readonly department?: string
}

/**
 * A record of a listing that could not be read: it was skipped, and this says
 * where and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Unreadable {
  /** The record's remote id, when it could be read at all. */
  readonly remoteId?: string | undefined
  /** Where in the answer: `page 3, records[17].phoneNumbers[0]`. */
  readonly path: string
  readonly reason: string
}

/**
 * What a full read of a directory says about itself once it ran to its end.
 * Only a complete read proves that someone absent from it is gone: a sync
 * deletes nothing on the strength of an incomplete one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Completeness {
  /**
   * Every page was read and the pages agree with each other: the server's
   * next-page links, totals and page sizes are consistent, no page before the
   * last is empty or short, the totals did not change during the read, and as
   * many records arrived as were announced.
   */
  readonly complete: boolean
  /** Why the read is not complete, one sentence each (empty when complete). */
  readonly issues: ReadonlyArray<string>
  /** Records received, readable or not. */
  readonly records: number
  /** Pages read. */
  readonly pages: number
  /** The number of records the server announced, when it did. */
  readonly announced?: number | undefined
  /** Records that could not be decoded and were skipped (the read stays complete when each has a remote id). */
  readonly unreadable: ReadonlyArray<Unreadable>
}

/**
 * The completeness of a read that has not run to its end.
 *
 * @since 0.1.0
 * @category constructors
 */
export const notRead: Completeness = {
  complete: false,
  issues: ["the read did not run to its end"],
  records: 0,
  pages: 0,
  unreadable: []
}

/**
 * The result of a conditional read of the whole directory.
 *
 * @since 0.1.0
 * @category models
 */
export type Snapshot =
  | { readonly _tag: "NotModified"; readonly version: string }
  | {
    readonly _tag: "Modified"
    /** The version (ETag) of the directory to pass next time, when the system has one. */
    readonly version: string | undefined
    /** Every person, fetched lazily page by page; unreadable records are skipped and reported in `completeness`. */
    readonly people: Stream.Stream<Person, PeopleError>
    /**
     * What the last run of `people` said about itself; {@link notRead} until
     * `people` has run to its end.
     */
    readonly completeness: Effect.Effect<Completeness>
  }

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The source system's name, as used in `Provenance.system`. */
  readonly system: string
  /** Every person, fetched lazily page by page. */
  readonly stream: Stream.Stream<Person, PeopleError>
  /** The whole directory unless it is unchanged since `version`, with the completeness of the read. */
  readonly snapshot: (options?: { readonly ifNoneMatch?: string | undefined }) => Effect.Effect<Snapshot, PeopleError>
  /**
   * One person by remote id. Fails with `NotFound` only when the system said
   * the person does not exist (a 404 or a deleted status), never for an empty,
   * truncated or unreadable answer (those are `Unavailable` or `DecodeError`).
   */
  readonly get: (remoteId: string) => Effect.Effect<Person, PeopleError>
  /** The people matching a query, lazily. */
  readonly search: (query: Query) => Stream.Stream<Person, PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class PeopleDirectory extends Context.Tag("@unified-people/core/PeopleDirectory")<PeopleDirectory, Service>() {}
