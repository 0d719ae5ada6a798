/**
 * Honest in-memory implementations of the core ports for tests of code written on
 * them (the sync job): real stores with the same ownership rules as the adapters,
 * versions (ETags), paging, call counters, an in-flight gauge and fault injection.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type * as Duration from "effect/Duration"
import * as ContactBook from "../../src/ContactBook.js"
import * as ContactPoint from "../../src/ContactPoint.js"
import type * as Label from "../../src/Label.js"
import type * as PeopleDirectory from "../../src/PeopleDirectory.js"
import type * as RateLimiter from "../../src/RateLimiter.js"
import * as PeopleError from "../../src/PeopleError.js"
import * as Person from "../../src/Person.js"

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

export interface PersonInput {
  readonly id: string
  readonly given?: string
  readonly family?: string
  readonly employeeNumber?: string
  readonly points?: ReadonlyArray<{
    readonly kind: Label.Kind
    readonly value: string
    readonly label?: Label.Label
    readonly shared?: boolean
  }>
}

/** Builds a person of `system` the way an adapter would (normalized contact points, provenance). */
export const person = (system: string, input: PersonInput): Person.Person =>
  new Person.Person({
    id: Person.canonicalId(system, input.id),
    name: new Person.Name({
      ...(input.given === undefined ? {} : { given: input.given }),
      ...(input.family === undefined ? {} : { family: input.family })
    }),
    ...(input.employeeNumber === undefined ? {} : { employeeNumber: input.employeeNumber }),
    contactPoints: (input.points ?? []).map((p) =>
      ContactPoint.make({
        kind: p.kind,
        value: p.value,
        ...(p.label === undefined ? {} : { label: p.label }),
        ...(p.shared === undefined ? {} : { shared: p.shared }),
        source: new ContactPoint.SourceRef({ system, remoteId: input.id })
      })
    ),
    customFields: {},
    provenance: [new Person.Provenance({ system, remoteId: input.id })]
  })

export interface Calls {
  snapshot: number
  notModified: number
  pages: number
  get: number
  search: number
}

export interface MemoryDirectory {
  readonly service: PeopleDirectory.Service
  readonly calls: Calls
  /** Total remote calls (snapshot first page, further pages, gets, searches). */
  readonly total: () => number
  readonly put: (person: Person.Person) => void
  readonly remove: (remoteId: string) => void
  readonly version: () => string
}

const notFound = (module: string, method: string, reason: string) =>
  new PeopleError.NotFound({ module, method, reason, status: 404 })

/** A directory with an ETag that changes on every change, paged reads, gets and searches. */
export const directory = (
  system: string,
  people: ReadonlyArray<Person.Person>,
  options: { readonly pageSize?: number } = {}
): MemoryDirectory => {
  const pageSize = options.pageSize ?? 50
  const store = new Map<string, Person.Person>()
  const remoteId = (p: Person.Person) => p.provenance.find((x) => x.system === system)!.remoteId
  for (const p of people) store.set(remoteId(p), p)
  let revision = 1
  const calls: Calls = { snapshot: 0, notModified: 0, pages: 0, get: 0, search: 0 }
  const version = () => `"v${revision}"`
  // Pages after the first: each is one more call.
  const pages = (firstCounted: boolean) =>
    Stream.suspend(() => {
      const all = [...store.values()].sort((a, b) => (remoteId(a) < remoteId(b) ? -1 : 1))
      return Stream.paginateChunkEffect(0, (page) =>
        Effect.sync(() => {
          if (page > 0 || !firstCounted) calls.pages++
          const chunk = Chunk.fromIterable(all.slice(page * pageSize, (page + 1) * pageSize))
          const next = (page + 1) * pageSize < all.length ? Option.some(page + 1) : Option.none()
          return [chunk, next] as const
        })
      )
    })
  const service: PeopleDirectory.Service = {
    system,
    stream: pages(false),
    snapshot: (opts) =>
      Effect.sync(() => {
        calls.snapshot++
        if (opts?.ifNoneMatch === version()) {
          calls.notModified++
          return { _tag: "NotModified", version: version() } as const
        }
        return { _tag: "Modified", version: version(), people: pages(true) } as const
      }),
    get: (id) =>
      Effect.suspend(() => {
        calls.get++
        const found = store.get(id)
        return found === undefined ? Effect.fail(notFound(system, "get", `no person ${id}`)) : Effect.succeed(found)
      }),
    search: (query) =>
      Stream.suspend(() => {
        calls.search++
        const hits = [...store.values()].filter((p) =>
          (query.email === undefined ||
            p.contactPoints.some((c) => c.kind === "email" && c.normalized === query.email!.trim().toLowerCase())) &&
          (query.employeeNumber === undefined || p.employeeNumber === query.employeeNumber) &&
          (query.department === undefined || p.department === query.department) &&
          (query.text === undefined || p.displayName.toLowerCase().includes(query.text.toLowerCase()))
        )
        return Stream.fromIterable(hits)
      })
  }
  return {
    service,
    calls,
    total: () => calls.snapshot + calls.pages + calls.get + calls.search,
    put: (p) => {
      store.set(remoteId(p), p)
      revision++
    },
    remove: (id) => {
      if (store.delete(id)) revision++
    },
    version
  }
}

// ---------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------

interface Stored {
  readonly id: string
  readonly kind: Label.Kind
  readonly value: string
  readonly label: Label.Label
  readonly customLabel?: string | undefined
  readonly integration: boolean
}

export interface BookCalls {
  list: number
  get: number
  create: number
  update: number
  delete: number
  deleteAll: number
}

export interface MemoryContactBook {
  readonly service: ContactBook.Service
  readonly calls: BookCalls
  readonly writes: () => number
  /** The most calls that were in flight at once. */
  readonly maxInFlight: () => number
  /** Adds a contact directly (as a person typing it in, or another integration), not counted. */
  readonly seed: (personId: string, input: { readonly kind: Label.Kind; readonly value: string; readonly label: Label.Label; readonly integration: boolean }) => string
  /** Changes a stored contact directly (as a person in the UI would), not counted. */
  readonly edit: (personId: string, contactId: string, change: Partial<Omit<Stored, "id">>) => void
  readonly removePerson: (personId: string) => void
  /** Every contact of a person as stored: `[kind, value, label, integration]`, sorted. */
  readonly dump: (personId: string) => ReadonlyArray<readonly [string, string, string, boolean]>
  readonly dumpAll: () => Readonly<Record<string, ReadonlyArray<readonly [string, string, string, boolean]>>>
  /** After `writes` more successful writes, every write fails with a retryable `Unavailable` until cleared. */
  readonly failAfter: (writes: number | undefined) => void
  /** The next `n` creates are stored but answer with a retryable `Unavailable` (a lost answer). */
  readonly loseCreateAnswers: (n: number) => void
}

/**
 * A contact book over people that exist (`personIds`). Writes to a contact that
 * no integration owns are refused with `Forbidden` unless `allowUnowned`, as the
 * adapters do. With `omitIntegration`, list answers leave `integration` out (as
 * real list answers may); `get` always says.
 */
export const contactBook = (
  system: string,
  personIds: Iterable<string>,
  options: {
    readonly omitIntegration?: boolean
    readonly latency?: Duration.DurationInput
    /** Every call first acquires the `contacts` bucket of this limiter, as an adapter's policy does. */
    readonly limiter?: RateLimiter.Service
  } = {}
): MemoryContactBook => {
  const people = new Map<string, Array<Stored>>()
  for (const id of personIds) people.set(id, [])
  let nextId = 1000
  let inFlight = 0
  let maxInFlight = 0
  let failBudget: number | undefined
  let loseAnswers = 0
  const calls: BookCalls = { list: 0, get: 0, create: 0, update: 0, delete: 0, deleteAll: 0 }

  const toContact = (personId: string, s: Stored, withIntegration: boolean) =>
    new ContactBook.Contact({
      id: s.id,
      personId,
      point: ContactPoint.make({
        kind: s.kind,
        value: s.value,
        label: s.label,
        ...(s.customLabel === undefined ? {} : { customLabel: s.customLabel }),
        source: new ContactPoint.SourceRef({ system, remoteId: s.id })
      }),
      ...(withIntegration ? { integration: s.integration } : {})
    })

  const gauge = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.zipRight(options.limiter === undefined ? Effect.void : options.limiter.acquire("contacts"), gaugeOnly(effect))

  const gaugeOnly = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
      }),
      () => (options.latency === undefined ? effect : Effect.zipRight(Effect.sleep(options.latency), effect)),
      () => Effect.sync(() => inFlight--)
    )

  const contactsOf = (method: string, personId: string) =>
    Effect.suspend(() => {
      const list = people.get(personId)
      return list === undefined ? Effect.fail(notFound(system, method, `no person ${personId}`)) : Effect.succeed(list)
    })

  const findContact = (method: string, personId: string, contactId: string) =>
    Effect.flatMap(contactsOf(method, personId), (list) => {
      const index = list.findIndex((c) => c.id === contactId)
      return index < 0 ? Effect.fail(notFound(system, method, `no contact ${contactId}`)) : Effect.succeed({ list, index })
    })

  /** A write: checks the fault budget first. */
  const writing = <A>(method: string, effect: Effect.Effect<A, PeopleError.PeopleError>) =>
    gauge(
      Effect.suspend(() => {
        if (failBudget !== undefined) {
          if (failBudget <= 0) {
            return Effect.fail(new PeopleError.Unavailable({ module: system, method, reason: "injected fault", status: 503 }))
          }
        }
        return Effect.tap(effect, () =>
          Effect.sync(() => {
            if (failBudget !== undefined) failBudget--
          }))
      })
    )

  const owned = (method: string, s: Stored, opts: ContactBook.WriteOptions | undefined) =>
    s.integration || opts?.allowUnowned === true
      ? Effect.void
      : Effect.fail(new PeopleError.Forbidden({ module: system, method, reason: `contact ${s.id} is not owned by an integration`, status: 403 }))

  const service: ContactBook.Service = {
    system,
    list: (personId) =>
      Stream.unwrap(
        gauge(
          Effect.suspend(() => {
            calls.list++
            return Effect.map(contactsOf("list", personId), (list) =>
              Stream.fromIterable(list.map((s) => toContact(personId, s, options.omitIntegration !== true))))
          })
        )
      ),
    get: (personId, contactId) =>
      gauge(
        Effect.suspend(() => {
          calls.get++
          return Effect.map(findContact("get", personId, contactId), ({ index, list }) => toContact(personId, list[index]!, true))
        })
      ),
    create: (personId, point, opts) =>
      writing(
        "create",
        Effect.suspend(() => {
          calls.create++
          return Effect.flatMap(contactsOf("create", personId), (list) => {
            const stored: Stored = {
              id: String(nextId++),
              kind: point.kind,
              value: point.value,
              label: point.label,
              customLabel: point.customLabel,
              integration: opts?.integration === true
            }
            list.push(stored)
            if (loseAnswers > 0) {
              loseAnswers--
              return Effect.fail(
                new PeopleError.Unavailable({ module: system, method: "create", reason: "connection reset after the write" })
              )
            }
            return Effect.succeed(toContact(personId, stored, options.omitIntegration !== true))
          })
        })
      ),
    update: (personId, contactId, patch, opts) =>
      writing(
        "update",
        Effect.suspend(() => {
          calls.update++
          return Effect.flatMap(findContact("update", personId, contactId), ({ index, list }) => {
            const current = list[index]!
            return Effect.map(owned("update", current, opts), () => {
              const next: Stored = {
                ...current,
                ...(patch.point === undefined
                  ? {}
                  : { kind: patch.point.kind, value: patch.point.value, label: patch.point.label, customLabel: patch.point.customLabel }),
                ...(patch.integration === undefined ? {} : { integration: patch.integration })
              }
              list[index] = next
              return toContact(personId, next, true)
            })
          })
        })
      ),
    delete: (personId, contactId, opts) =>
      writing(
        "delete",
        Effect.suspend(() => {
          calls.delete++
          return Effect.flatMap(findContact("delete", personId, contactId), ({ index, list }) =>
            Effect.map(owned("delete", list[index]!, opts), () => void list.splice(index, 1)))
        })
      ),
    deleteAll: (personId) =>
      writing(
        "deleteAll",
        Effect.suspend(() => {
          calls.deleteAll++
          return Effect.map(contactsOf("deleteAll", personId), (list) => void list.splice(0, list.length))
        })
      )
  }

  const dump = (personId: string) =>
    (people.get(personId) ?? [])
      .map((s) => [s.kind, s.value, s.label, s.integration] as const)
      .sort((a, b) => (a.join("|") < b.join("|") ? -1 : a.join("|") > b.join("|") ? 1 : 0))

  return {
    service,
    calls,
    writes: () => calls.create + calls.update + calls.delete + calls.deleteAll,
    maxInFlight: () => maxInFlight,
    seed: (personId, input) => {
      const id = String(nextId++)
      people.get(personId)!.push({ id, ...input })
      return id
    },
    edit: (personId, contactId, change) => {
      const list = people.get(personId)!
      const index = list.findIndex((c) => c.id === contactId)
      list[index] = { ...list[index]!, ...change }
    },
    removePerson: (personId) => void people.delete(personId),
    dump,
    dumpAll: () => Object.fromEntries([...people.keys()].sort().map((id) => [id, dump(id)])),
    failAfter: (writes) => void (failBudget = writes),
    loseCreateAnswers: (n) => void (loseAnswers = n)
  }
}
