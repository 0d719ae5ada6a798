/**
 * unified-people for code that does not use Effect: every operation returns a
 * `Promise` that rejects with the library's own error classes (so `instanceof
 * PeopleError.NotFound` holds, and `error.isRetryable` answers), and every
 * stream is an async iterable.
 *
 * ```js
 * import { PromiseApi } from "@unified-people/cli"
 * import { NotFound } from "@unified-people/core/PeopleError"
 *
 * const up = await PromiseApi.connect({ state: "state.sqlite" }) // RINGCENTRAL_* and PEOPLE_CONTACTS_* from the environment
 * try {
 *   for await (const person of up.directory.people()) console.log(person.displayName)
 *   const report = await up.sync()
 *   console.log(report.summary.status)
 *   await up.directory.get("404")
 * } catch (error) {
 *   if (error instanceof NotFound) console.log("gone")
 * } finally {
 *   await up.close()
 * }
 * ```
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ContactBook from "@unified-people/core/ContactBook"
import type * as ContactPoint from "@unified-people/core/ContactPoint"
import * as Merge from "@unified-people/core/Merge"
import type * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import type * as Person from "@unified-people/core/Person"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"
import * as Cli from "./Cli.js"
import * as Connections from "./Connections.js"

/**
 * Options of {@link connect}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Where both systems are and the credentials, as values (secrets `Redacted`). */
  readonly settings?: Connections.Settings | undefined
  /**
   * The same as variables (`RINGCENTRAL_SERVER_URL`, `PEOPLE_CONTACTS_TOKEN`,
   * …, plain strings) when `settings` is not given; default `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /** The SQLite file keeping the sync state (default: in memory, lost at `close`). */
  readonly state?: string | undefined
}

/**
 * One directory (the RingCentral directory, or the People system's people).
 *
 * @since 0.1.0
 * @category models
 */
export interface Directory {
  readonly system: string
  /** Every person, page by page as the loop asks for them. */
  readonly people: () => AsyncIterable<Person.Person>
  /** One person; rejects with `NotFound` when the system says they do not exist. */
  readonly get: (remoteId: string) => Promise<Person.Person>
  readonly search: (query: PeopleDirectory.Query) => AsyncIterable<Person.Person>
}

/**
 * The People system's contacts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Contacts {
  readonly list: (personId: string) => AsyncIterable<ContactBook.Contact>
  readonly get: (personId: string, contactId: string) => Promise<ContactBook.Contact>
  /** Creates a contact (`integration: true` unless told otherwise); an invalid value is refused before sending. */
  readonly create: (personId: string, point: ContactPoint.ContactPoint, options?: { readonly integration?: boolean }) => Promise<ContactBook.Contact>
  readonly update: (personId: string, contactId: string, patch: ContactBook.Patch, options?: ContactBook.WriteOptions) => Promise<ContactBook.Contact>
  readonly delete: (personId: string, contactId: string, options?: ContactBook.WriteOptions) => Promise<void>
}

/**
 * Options of a sync run through the Promise API (the job's options without the ports).
 *
 * @since 0.1.0
 * @category models
 */
export type SyncOptions = Omit<Sync.Options, "source" | "target" | "contacts" | "stats" | "onProgress"> & {
  /** Called on every progress change. */
  readonly onProgress?: ((progress: Sync.Progress) => void) | undefined
}

/**
 * A connection to both systems.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnifiedPeople {
  /** The RingCentral company directory. */
  readonly directory: Directory
  /** The People system's people. */
  readonly people: Directory
  readonly contacts: Contacts
  /** Plans a full sync (nothing written). */
  readonly plan: (options?: SyncOptions) => Promise<Sync.Plan>
  /** Plans and applies a full sync; rejects with `MassDeleteRefused`, `StateBusy`, … as the job does. */
  readonly sync: (options?: SyncOptions) => Promise<Sync.Report>
  /** Merges records into one person per real person (no I/O). */
  readonly merge: typeof Merge.merge
  /** Closes the connections and the state. */
  readonly close: () => Promise<void>
}

/**
 * Runs an effect to a `Promise` that rejects with the effect's own error (not a
 * wrapper), so `instanceof` works on the library's error classes.
 *
 * @since 0.1.0
 * @category running
 */
export const toPromise = <A, E, R, ER>(runtime: ManagedRuntime.ManagedRuntime<R, ER>, effect: Effect.Effect<A, E, R>): Promise<A> =>
  runtime.runPromiseExit(effect).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause)
  })

const fromEnv = (env: Readonly<Record<string, string | undefined>>) =>
  ConfigProvider.fromMap(new Map(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)), { pathDelim: "_" })

/**
 * Connects to both systems.
 *
 * @since 0.1.0
 * @category constructors
 */
export const connect = async (options: Options = {}): Promise<UnifiedPeople> => {
  const connections = options.settings !== undefined
    ? Connections.layer(options.settings)
    : options.env === undefined
    ? Connections.layerConfig()
    : Connections.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(fromEnv(options.env))))
  const state = options.state === undefined ? SyncState.layerMemory : Cli.layerState(options.state)
  const layer = Layer.mergeAll(connections, state).pipe(Layer.provide(Layer.mergeAll(NodeHttpClient.layerUndici, NodeContext.layer)))
  const runtime = ManagedRuntime.make(layer)
  const run = <A, E>(effect: Effect.Effect<A, E, Connections.Connections | SyncState.SyncState>) => toPromise(runtime, effect)
  // fails here, with the configuration error, rather than at the first call
  const ports = await run(Connections.Connections)
  const effectRuntime = await runtime.runtime()
  const iterate = <A, E>(stream: Stream.Stream<A, E>): AsyncIterable<A> => Stream.toAsyncIterableRuntime(stream, effectRuntime)
  const directory = (service: PeopleDirectory.Service): Directory => ({
    system: service.system,
    people: () => iterate(service.stream),
    get: (remoteId) => run(service.get(remoteId)),
    search: (query) => iterate(service.search(query))
  })
  const job = (syncOptions: SyncOptions = {}) =>
    Sync.make({
      ...syncOptions,
      source: ports.source,
      target: ports.target,
      contacts: ports.contacts,
      stats: ports.stats,
      onProgress: syncOptions.onProgress === undefined
        ? undefined
        : (progress) => Effect.sync(() => syncOptions.onProgress!(progress))
    })
  return {
    directory: directory(ports.source),
    people: directory(ports.target),
    contacts: {
      list: (personId) => iterate(ports.contacts.list(personId)),
      get: (personId, contactId) => run(ports.contacts.get(personId, contactId)),
      create: (personId, point, createOptions) => run(ports.contacts.create(personId, point, createOptions)),
      update: (personId, contactId, patch, writeOptions) => run(ports.contacts.update(personId, contactId, patch, writeOptions)),
      delete: (personId, contactId, writeOptions) => run(ports.contacts.delete(personId, contactId, writeOptions))
    },
    plan: (syncOptions) => run(Effect.flatMap(job({ ...syncOptions, dryRun: true }), (j) => j.plan)),
    sync: (syncOptions) => run(Effect.flatMap(job(syncOptions), (j) => j.run)),
    merge: Merge.merge,
    close: () => runtime.dispose()
  }
}
