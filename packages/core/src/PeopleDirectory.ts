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
    /** Every person, fetched lazily page by page. */
    readonly people: Stream.Stream<Person, PeopleError>
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
  /** The whole directory unless it is unchanged since `version`. */
  readonly snapshot: (options?: { readonly ifNoneMatch?: string | undefined }) => Effect.Effect<Snapshot, PeopleError>
  /** One person by remote id. */
  readonly get: (remoteId: string) => Effect.Effect<Person, PeopleError>
  /** The people matching a query, lazily. */
  readonly search: (query: Query) => Stream.Stream<Person, PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class PeopleDirectory extends Context.Tag("@unified-people/core/PeopleDirectory")<PeopleDirectory, Service>() {}
