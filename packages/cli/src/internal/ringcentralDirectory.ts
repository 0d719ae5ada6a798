/**
 * A `PeopleDirectory` over the RingCentral company directory, built on the
 * adapter's `Directory` operations (conditional first page, lazy paging, one
 * entry, search).
 *
 * @internal
 */
import type * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import * as Directory from "@unified-people/ringcentral/Directory"
import * as Mapping from "@unified-people/ringcentral/Mapping"
import { RingCentralClient } from "@unified-people/ringcentral/RingCentralClient"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

type Entry = Directory.ContactResource

/** @internal */
export const make: Effect.Effect<PeopleDirectory.Service, never, RingCentralClient> = Effect.gen(function*() {
  const client = yield* RingCentralClient
  const toPerson = (entry: Entry, version?: string) =>
    Effect.map(Clock.currentTimeMillis, (now) =>
      Directory.toPerson(entry, { readAt: new Date(now), ...(version === undefined ? {} : { version }) }))
  const people = <E>(entries: Stream.Stream<Entry, E, RingCentralClient>) =>
    entries.pipe(Stream.mapEffect((entry) => toPerson(entry)), Stream.provideService(RingCentralClient, client))
  const provide = Effect.provideService(RingCentralClient, client)
  const searchFields = (query: PeopleDirectory.Query) =>
    query.email !== undefined
      ? { searchString: query.email, searchFields: ["email" as const] }
      : query.text !== undefined
      ? { searchString: query.text }
      : {}
  return {
    system: Mapping.system,
    stream: people(Directory.streamDirectoryEntries()),
    snapshot: (options) =>
      Directory.snapshotDirectoryEntries(options?.ifNoneMatch === undefined ? {} : { ifNoneMatch: options.ifNoneMatch }).pipe(
        Effect.map((result): PeopleDirectory.Snapshot =>
          result._tag === "NotModified"
            ? { _tag: "NotModified", version: result.etag }
            : { _tag: "Modified", version: result.etag, people: people(result.entries) }
        ),
        provide
      ),
    get: (remoteId) => Directory.readDirectoryEntry(remoteId).pipe(Effect.flatMap((entry) => toPerson(entry)), provide),
    search: (query) =>
      people(
        Directory.streamSearchDirectoryEntries({
          ...searchFields(query),
          ...(query.department === undefined ? {} : { department: query.department })
        })
      )
  }
})
