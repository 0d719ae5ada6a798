/**
 * The `core` `PeopleDirectory` port over the `Directory` area service:
 * `stream` (every entry as a `Person`), `snapshot` (with the directory ETag and
 * the completeness of the read: see `Directory.snapshotDirectoryEntries`; both
 * read the entries with only the fields the mapping reads:
 * `Directory.streamMappedEntries`),
 * `get` (`NotFound` only for a 404 `ADG-122`/`CMN-102`, never for an empty or
 * unreadable answer) and `search`. {@link make} needs the `Directory` service
 * (a test can replace it); {@link layer} provides both its own tag and
 * `PeopleDirectory` over the `RingCentralClient` (it provides `Directory.layer`
 * itself), so sync code written against `core` runs on RingCentral.
 *
 * @since 0.1.0
 */
import * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Directory from "./Directory.js"
import * as Mapping from "./Mapping.js"
import type { RingCentralClient } from "./RingCentralClient.js"

/**
 * @since 0.1.0
 * @category tags
 */
export class RingCentralPeople extends Context.Tag("@unified-people/ringcentral/RingCentralPeople")<
  RingCentralPeople,
  PeopleDirectory.Service
>() {}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Include the other accounts of the federation (default true). */
  readonly showFederated?: boolean
  readonly mapping?: Mapping.Options
}

/**
 * How many entries are mapped to `Person`s at a time: the read decodes a
 * page's records (up to 2000) a chunk of 100 at a time as they are pulled
 * (`PagedRead.Undecoded`), and they come out in chunks of this size (a chunk
 * shortened by unreadable records is topped up), so that only a small chunk of
 * entries and `Person`s exists at once and each dies young (mapping a whole
 * page at once kept 2000 `Person`s alive across young-generation collections:
 * they were promoted, and the old generation grew to 3-4 times the live heap
 * before a full collection; 265 MiB peak RSS over 1,000,000 entries).
 */
const personChunk = 100

/**
 * Builds the port over the `Directory` service in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<PeopleDirectory.Service, never, Directory.Directory> =>
  Effect.map(Directory.Directory, (directory) => {
    const federated = options.showFederated === undefined ? {} : { showFederated: options.showFederated }
    const mapped = (readAt: Date) => {
      const mapping = { ...options.mapping, readAt }
      return (entry: Mapping.Input) => Mapping.toPerson(entry, mapping)
    }
    return {
      system: "ringcentral",
      // whole-directory reads decode only the fields the mapping reads (Directory/Entry)
      stream: Stream.suspend(() => directory.streamMappedEntries(federated).pipe(Stream.rechunk(personChunk), Stream.map(mapped(new Date())))),
      snapshot: (snapshotOptions) =>
        directory.snapshotMappedEntries({
          ...federated,
          ...(snapshotOptions?.ifNoneMatch === undefined ? {} : { ifNoneMatch: snapshotOptions.ifNoneMatch })
        }).pipe(
          Effect.map((result): PeopleDirectory.Snapshot =>
            result._tag === "NotModified"
              ? { _tag: "NotModified", version: result.etag }
              : {
                _tag: "Modified",
                version: result.etag,
                people: result.entries.pipe(Stream.rechunk(personChunk), Stream.map(mapped(new Date()))),
                completeness: result.completeness
              }
          )
        ),
      get: (remoteId) => directory.readDirectoryEntry(remoteId).pipe(Effect.map(mapped(new Date()))),
      search: (query) => {
        const text = query.email ?? query.employeeNumber ?? query.text
        const searchFields = query.email !== undefined
          ? ["email" as const]
          : query.employeeNumber !== undefined
          ? ["customFieldValue" as const]
          : undefined
        return Stream.suspend(() =>
          directory.streamSearchDirectoryEntries({
            ...federated,
            ...(text === undefined ? {} : { searchString: text }),
            ...(searchFields === undefined ? {} : { searchFields }),
            ...(query.department === undefined ? {} : { department: query.department })
          }).pipe(
            Stream.map(mapped(new Date())),
            // the server matches substrings: keep exact e-mail matches only
            Stream.filter((person) =>
              query.email === undefined ||
              person.contactPoints.some((p) => p.kind === "email" && p.normalized === query.email!.trim().toLowerCase())
            )
          )
        )
      }
    }
  })

/**
 * A layer providing both {@link RingCentralPeople} and the `core`
 * `PeopleDirectory`, over the `RingCentralClient` (the `Directory` service is
 * built inside).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<RingCentralPeople | PeopleDirectory.PeopleDirectory, never, RingCentralClient> =>
  Layer.effectContext(
    Effect.map(make(options), (service) =>
      Context.make(RingCentralPeople, service).pipe(Context.add(PeopleDirectory.PeopleDirectory, service)))
  ).pipe(Layer.provide(Directory.layer))
