/**
 * Honest in-memory implementations of the core ports for tests of code written on
 * them (the sync job): real stores with the same ownership rules as the adapters,
 * versions (ETags), paging, call counters, an in-flight gauge and fault injection.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type * as Duration from "effect/Duration"
import * as ContactBook from "../../src/ContactBook.js"
import * as ContactPoint from "../../src/ContactPoint.js"
import * as Label from "../../src/Label.js"
import * as PeopleDirectory from "../../src/PeopleDirectory.js"
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

/**
 * How the directory answers one full read (a snapshot's people or the stream):
 * as it is, or with a fault. A `detected` fault is one the adapter's page
 * audit notices (the read says it is incomplete); an undetected one is a server
 * that lies consistently (the read says complete).
 */
export type Answer =
  | { readonly _tag: "Complete" }
  /** Only the first `keep` people (0: an empty listing). */
  | { readonly _tag: "Truncated"; readonly keep: number; readonly detected: boolean }
  /** One person (the one at `drop` in id order) missing: pages that shifted. */
  | { readonly _tag: "Shifted"; readonly drop: number; readonly detected: boolean }
  /** The read fails with a retryable `Unavailable` after `afterPages` pages. */
  | { readonly _tag: "Fail"; readonly afterPages: number }

export interface MemoryDirectory {
  readonly service: PeopleDirectory.Service
  readonly calls: Calls
  /** Total remote calls (snapshot first page, further pages, gets, searches). */
  readonly total: () => number
  readonly put: (person: Person.Person) => void
  readonly remove: (remoteId: string) => void
  readonly version: () => string
  /** How the next full reads answer, one per read (then `Complete` again); replaces answers not used yet. */
  readonly answer: (...answers: ReadonlyArray<Answer>) => void
  /** The next `n` gets fail with a retryable `Unavailable`. */
  readonly failGets: (n: number) => void
  /** Gets of these ids answer `NotFound` although the person is there (a lying single read). */
  readonly hideOnGet: (ids: ReadonlyArray<string>) => void
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
  const answers: Array<Answer> = []
  let failingGets = 0
  const hidden = new Set<string>()
  /** The people a read returns, what it says about itself, and when it fails. */
  const answerRead = (all: ReadonlyArray<Person.Person>) => {
    const answer = answers.shift() ?? { _tag: "Complete" }
    const complete = (records: number): PeopleDirectory.Completeness => ({
      complete: true,
      issues: [],
      records,
      pages: Math.max(1, Math.ceil(records / pageSize)),
      unreadable: []
    })
    switch (answer._tag) {
      case "Complete":
        return { people: all, completeness: complete(all.length), failAfter: undefined }
      case "Fail":
        return { people: all, completeness: complete(all.length), failAfter: answer.afterPages }
      case "Truncated":
      case "Shifted": {
        const people = answer._tag === "Truncated" ? all.slice(0, answer.keep) : all.filter((_, i) => i !== answer.drop)
        const completeness = answer.detected
          ? { ...complete(people.length), complete: false, issues: [`injected: ${answer._tag.toLowerCase()} read`] }
          : complete(people.length)
        return { people, completeness, failAfter: undefined }
      }
    }
  }
  // Pages after the first: each is one more call.
  const pages = (firstCounted: boolean, onEnd: (completeness: PeopleDirectory.Completeness) => void) =>
    Stream.suspend(() => {
      const all = [...store.values()].sort((a, b) => (remoteId(a) < remoteId(b) ? -1 : 1))
      const { completeness, failAfter, people } = answerRead(all)
      return Stream.paginateChunkEffect(0, (page) =>
        Effect.suspend(() => {
          if (page > 0 || !firstCounted) calls.pages++
          if (failAfter !== undefined && page >= failAfter) {
            return Effect.fail(new PeopleError.Unavailable({ module: system, method: "list", reason: "injected: the read failed", status: 503 }))
          }
          const chunk = Chunk.fromIterable(people.slice(page * pageSize, (page + 1) * pageSize))
          const more = (page + 1) * pageSize < people.length
          if (!more) onEnd(completeness)
          return Effect.succeed([chunk, more ? Option.some(page + 1) : Option.none()] as const)
        })
      )
    })
  const service: PeopleDirectory.Service = {
    system,
    stream: pages(false, () => undefined),
    snapshot: (opts) =>
      Effect.sync((): PeopleDirectory.Snapshot => {
        calls.snapshot++
        if (opts?.ifNoneMatch === version()) {
          calls.notModified++
          return { _tag: "NotModified", version: version() }
        }
        let last: PeopleDirectory.Completeness = PeopleDirectory.notRead
        return {
          _tag: "Modified",
          version: version(),
          people: pages(true, (c) => void (last = c)),
          completeness: Effect.sync(() => last)
        }
      }),
    get: (id) =>
      Effect.suspend((): Effect.Effect<Person.Person, PeopleError.PeopleError> => {
        calls.get++
        if (failingGets > 0) {
          failingGets--
          return Effect.fail(new PeopleError.Unavailable({ module: system, method: "get", reason: "injected: the read failed", status: 503 }))
        }
        const found = hidden.has(id) ? undefined : store.get(id)
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
    version,
    answer: (...next) => void answers.splice(0, answers.length, ...next),
    failGets: (n) => void (failingGets = n),
    hideOnGet: (ids) => {
      hidden.clear()
      for (const id of ids) hidden.add(id)
    }
  }
}

// ---------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------

/** The label rules of the book: those of the People system (seed 004), which it stands in for. */
const labels = Label.projection([
  { remote: "work", label: "work", kinds: ["phone", "email", "website"] },
  { remote: "home", label: "home" },
  { remote: "mobile", label: "mobile" },
  { remote: "fax", label: "fax" },
  { remote: "personal", label: "personal" },
  { remote: "chat_skype", label: "chat_skype" },
  { remote: "chat_slack", label: "chat_slack" },
  { remote: "chat_teams", label: "chat_teams" },
  { remote: "chat_workchat", label: "chat_workchat" }
])

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
  exports: number
  /** Import calls (uploads and polls of a resumed import). */
  imports: number
  /** Import files uploaded. */
  uploads: number
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
  /** The next `n` import uploads are queued, then the connection drops (an interrupted run); a resume processes them. */
  readonly interruptUploads: (n: number) => void
  /** The next `n` exports fail with `error` (an Unavailable by default). */
  readonly failExports: (n: number, error?: PeopleError.PeopleError) => void
  /** Every contact deleted so far (by `delete` or `deleteAll`), in order. */
  readonly deleted: () => ReadonlyArray<{ readonly personId: string; readonly kind: Label.Kind; readonly value: string; readonly label: Label.Label }>
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
    /**
     * Gives the book a batch export and import over these people (the
     * directory of the book's people, and their primary e-mails).
     */
    readonly bulk?: { readonly directory: MemoryDirectory; readonly maxRows?: number }
  } = {}
): MemoryContactBook => {
  const people = new Map<string, Array<Stored>>()
  for (const id of personIds) people.set(id, [])
  let nextId = 1000
  let inFlight = 0
  let maxInFlight = 0
  let failBudget: number | undefined
  let loseAnswers = 0
  const calls: BookCalls = { list: 0, get: 0, create: 0, update: 0, delete: 0, deleteAll: 0, exports: 0, imports: 0, uploads: 0 }
  let interruptUploads = 0
  let failExports: { n: number; error: PeopleError.PeopleError | undefined } = { n: 0, error: undefined }
  const deletedLog: Array<{ readonly personId: string; readonly kind: Label.Kind; readonly value: string; readonly label: Label.Label }> = []
  const logDeleted = (personId: string, removed: ReadonlyArray<Stored>) => {
    for (const c of removed) deletedLog.push({ personId, kind: c.kind, value: c.value, label: c.label })
  }

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
    canHold: labels.canHold,
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
            Effect.map(owned("delete", list[index]!, opts), () => logDeleted(personId, list.splice(index, 1))))
        })
      ),
    ...(options.bulk === undefined ? {} : { bulk: makeBulk(options.bulk) }),
    deleteAll: (personId) =>
      writing(
        "deleteAll",
        Effect.suspend(() => {
          calls.deleteAll++
          return Effect.map(contactsOf("deleteAll", personId), (list) => logDeleted(personId, list.splice(0, list.length)))
        })
      )
  }

  function makeBulk(config: { readonly directory: MemoryDirectory; readonly maxRows?: number }): ContactBook.Bulk {
    const primaryOf = (p: Person.Person) => p.contactPoints.find((c) => c.kind === "email")?.normalized
    const personOf = (p: Person.Person) => p.provenance.find((x) => x.system === system)!.remoteId
    const imports = new Map<string, ContactBook.ImportResult>()
    const uploaded = new Map<string, ReadonlyArray<ContactBook.Replacement>>()
    return {
      ...(config.maxRows === undefined ? {} : { maxRows: config.maxRows }),
      exportAll: () =>
        failExports.n > 0
          ? Effect.suspend(() => {
            failExports.n--
            calls.exports++
            return Effect.fail(failExports.error ?? new PeopleError.Unavailable({ module: system, method: "export", reason: "injected fault", status: 503 }))
          })
          : Effect.flatMap(Stream.runCollect(config.directory.service.stream), (chunk) =>
          Effect.sync((): ContactBook.Snapshot => {
            calls.exports++
            const everyone = Chunk.toReadonlyArray(chunk).filter((p) => people.has(personOf(p)))
            return {
              people: everyone,
              contacts: new Map(everyone.map((p) => [personOf(p), (people.get(personOf(p)) ?? []).map((c) => toContact(personOf(p), c, true))])),
              primaryEmails: new Map(everyone.flatMap((p) => {
                const email = primaryOf(p)
                return email === undefined ? [] : [[personOf(p), email] as const]
              })),
              completeness: { complete: true, issues: [], records: everyone.length, pages: 1, unreadable: [] }
            }
          })).pipe(Effect.orDie),
      replaceIntegrationContacts: (rows, importOptions) =>
        Effect.gen(function*() {
          calls.imports++
          if (importOptions?.resume !== undefined) {
            const done = imports.get(importOptions.resume)
            if (done !== undefined) return done
            const queued = uploaded.get(importOptions.resume)
            if (queued !== undefined) {
              // the upload of an interrupted run, processed now
              uploaded.delete(importOptions.resume)
              const result = yield* apply(queued)
              imports.set(importOptions.resume, result)
              return result
            }
          }
          if (failBudget !== undefined && failBudget <= 0) {
            return yield* new PeopleError.Unavailable({ module: system, method: "import", reason: "injected fault", status: 503 })
          }
          calls.uploads++
          if (interruptUploads > 0) {
            // uploaded and queued, then the connection dropped before the run saw it finish
            interruptUploads--
            const token = `import-${imports.size + uploaded.size + 1}`
            uploaded.set(token, rows)
            if (importOptions?.onToken !== undefined) yield* importOptions.onToken(token)
            return yield* new PeopleError.Unavailable({ module: system, method: "import", reason: "the connection dropped while polling" })
          }
          const result = yield* apply(rows)
          const token = `import-${imports.size + uploaded.size + 1}`
          imports.set(token, result)
          if (importOptions?.onToken !== undefined) yield* importOptions.onToken(token)
          return result
        })
    }
    function apply(rows: ReadonlyArray<ContactBook.Replacement>) {
      return Effect.gen(function*() {
          const byEmail = new Map(Chunk.toReadonlyArray(yield* Effect.orDie(Stream.runCollect(config.directory.service.stream)))
            .flatMap((p) => {
              const email = primaryOf(p)
              return email === undefined ? [] : [[email, personOf(p)] as const]
            }))
          const result = { created: 0, updated: 0, deleted: 0, unchanged: 0, failures: 0, errors: 0, log: [] as Array<string> }
          for (const row of rows) {
            const personId = byEmail.get(row.primaryEmail)
            const list = personId === undefined ? undefined : people.get(personId)
            if (personId === undefined || list === undefined) {
              result.failures += row.contacts.length
              result.log.push(`no person with the e-mail ${row.primaryEmail}`)
              continue
            }
            const keep = new Set(row.contacts.flatMap((c) => (c.id === undefined ? [] : [c.id])))
            for (let i = list.length - 1; i >= 0; i--) {
              const c = list[i]!
              if (c.integration && !keep.has(c.id)) {
                logDeleted(personId, list.splice(i, 1))
                result.deleted++
              }
            }
            for (const c of row.contacts) {
              const point = c.point
              const index = c.id === undefined ? -1 : list.findIndex((x) => x.id === c.id)
              const next = { kind: point.kind, value: point.value, label: point.label, customLabel: point.customLabel, integration: true }
              if (index >= 0) {
                const before = list[index]!
                if (before.value === next.value && before.label === next.label && before.kind === next.kind && before.integration) result.unchanged++
                else result.updated++
                list[index] = { ...before, ...next }
              } else {
                list.push({ id: String(nextId++), ...next })
                result.created++
              }
            }
          }
          return result
      })
    }
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
    loseCreateAnswers: (n) => void (loseAnswers = n),
    deleted: () => [...deletedLog],
    interruptUploads: (n) => void (interruptUploads = n),
    failExports: (n, error) => void (failExports = { n, error })
  }
}
