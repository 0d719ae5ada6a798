/**
 * The sync state store in SQL, on any `@effect/sql` `SqlClient` (SQLite,
 * PostgreSQL, …): plain SQL with `ON CONFLICT` upserts and `RETURNING`, its
 * tables created by `@effect/sql`'s `Migrator` (table `up_sync_migrations`).
 * The driver layer lives where it is used: the CLI's `SqliteState` opens a
 * SQLite file; a service would provide a `PgClient`.
 *
 * The writes a sync makes after each remote write (`recordWrite`,
 * `forgetWrite`, `setXref`, `deleteXref`, `setFingerprint`) are committed in
 * groups: the writes that arrive while a transaction is being committed (the
 * job's other people, written concurrently) go together in the next one, so a
 * sync commits a transaction per group instead of one per statement. Each call
 * still returns only once its own statement is committed (durable), exactly as
 * before: a recorded write is never reported done before it is stored. A group
 * whose transaction fails is committed again one statement at a time, so a
 * failure belongs to its own call.
 *
 * ```ts
 * import * as SqlState from "@unified-people/core/SyncState/Sql"
 * const StateLive = SqlState.layer.pipe(Layer.provide(PgClient.layer({ url })))
 * ```
 *
 * @since 0.1.0
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Label from "../Label.js"
import * as Liberal from "../Liberal.js"
import { Lease, PendingImport, SyncState, SyncStateError, Written, Xref } from "../SyncState.js"
import type { Service } from "../SyncState.js"

const WrittenRow = Schema.Struct({
  person_id: Schema.String,
  contact_id: Schema.String,
  source_id: Schema.String,
  kind: Label.Kind,
  normalized: Schema.String,
  label: Label.Label,
  hash: Schema.String,
  // BIGINT columns arrive as strings from some drivers (PostgreSQL)
  written_at: Liberal.Numeric
})

const decodeWritten = Schema.decodeUnknown(Schema.Array(WrittenRow))

const toWritten = (row: typeof WrittenRow.Type) =>
  new Written({
    personId: row.person_id,
    contactId: row.contact_id,
    sourceId: row.source_id,
    kind: row.kind,
    normalized: row.normalized,
    label: row.label,
    hash: row.hash,
    writtenAt: row.written_at
  })

const fail = (method: string) => (cause: SqlError.SqlError | { readonly message: string }) =>
  new SyncStateError({ method, reason: cause.message, cause })

/**
 * The migrations of the store, in order. Each is idempotent, so a database
 * created before migrations were recorded is taken over as it is.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "0001_sync_state": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS up_sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`
    yield* sql`CREATE TABLE IF NOT EXISTS up_sync_xref (source_id TEXT PRIMARY KEY, target_id TEXT NOT NULL, fingerprint TEXT)`
    yield* sql`CREATE INDEX IF NOT EXISTS up_sync_xref_target ON up_sync_xref (target_id)`
    yield* sql`CREATE TABLE IF NOT EXISTS up_sync_written (
      person_id TEXT NOT NULL,
      contact_id TEXT NOT NULL,
      source_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      normalized TEXT NOT NULL,
      label TEXT NOT NULL,
      hash TEXT NOT NULL,
      written_at BIGINT NOT NULL,
      PRIMARY KEY (person_id, contact_id)
    )`
    yield* sql`CREATE INDEX IF NOT EXISTS up_sync_written_source ON up_sync_written (source_id)`
    yield* sql`CREATE TABLE IF NOT EXISTS up_sync_event (uuid TEXT PRIMARY KEY, processed_at BIGINT NOT NULL DEFAULT 0)`
    yield* sql`CREATE INDEX IF NOT EXISTS up_sync_event_processed ON up_sync_event (processed_at)`
  }),
  "0002_lease": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS up_sync_lease (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      owner TEXT NOT NULL,
      started_at BIGINT NOT NULL,
      heartbeat_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    )`
  })
}

/**
 * Brings the tables up to date (the `Migrator` records what ran in
 * `up_sync_migrations`). Two processes migrating at once: the one that finds
 * the other's lock tries again.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: Effect.Effect<void, SyncStateError, SqlClient.SqlClient> = Migrator.make({})({
  loader: Migrator.fromRecord(migrations),
  table: "up_sync_migrations"
}).pipe(
  Effect.retry({ times: 5, schedule: Schedule.spaced("100 millis"), while: (e) => e._tag === "MigrationError" && e.reason === "locked" }),
  Effect.asVoid,
  Effect.mapError(fail("migrate"))
)

const LeaseRow = Schema.Struct({
  owner: Schema.String,
  started_at: Liberal.Numeric,
  heartbeat_at: Liberal.Numeric,
  expires_at: Liberal.Numeric
})

const decodeLeases = Schema.decodeUnknown(Schema.Array(LeaseRow))

const decodePending = Schema.decode(Schema.parseJson(PendingImport))
const encodePending = Schema.encodeSync(Schema.parseJson(PendingImport))

/**
 * Options of {@link makeWith}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * Commit the sync's per-write statements in groups (default `true`): see the
   * module documentation. `false` commits each statement on its own (one
   * transaction per statement, as a plain `SqlClient` does).
   */
  readonly groupCommit?: boolean
}

/** A statement waiting for the group commit: `lead` tells a waiter to commit the next group. */
interface Queued {
  readonly method: string
  readonly statement: Effect.Effect<unknown, SqlError.SqlError>
  readonly done: Deferred.Deferred<"done" | "lead", SyncStateError>
}

/** Resumes once the I/O already received is handled (`setImmediate`, else a zero timeout). */
const afterIo: Effect.Effect<void> = Effect.async<void>((resume) => {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown; clearImmediate?: (t: unknown) => void }
  if (g.setImmediate !== undefined && g.clearImmediate !== undefined) {
    const t = g.setImmediate(() => resume(Effect.void))
    return Effect.sync(() => g.clearImmediate!(t))
  }
  const t = setTimeout(() => resume(Effect.void), 0)
  return Effect.sync(() => clearTimeout(t))
})

/**
 * Group commit: `submit(method, statement)` returns once the statement is
 * committed. The first caller that finds no commit running leads: it lets the
 * other fibers queue their statements (a yield), then commits everything
 * queued in one transaction; statements queued meanwhile wait for the next
 * group, led by the first of them.
 */
const groupCommitter = (sql: SqlClient.SqlClient) => {
  const queue: Array<Queued> = []
  let leading = false
  const commit = (group: ReadonlyArray<Queued>): Effect.Effect<void> =>
    sql.withTransaction(Effect.forEach(group, (q) => q.statement, { discard: true })).pipe(
      Effect.matchEffect({
        onSuccess: () => Effect.forEach(group, (q) => Deferred.succeed(q.done, "done"), { discard: true }),
        // one statement failed (or the transaction): each on its own, so that a failure is its call's
        onFailure: () =>
          Effect.forEach(group, (q) =>
            Effect.matchEffect(q.statement, {
              onSuccess: () => Deferred.succeed(q.done, "done"),
              onFailure: (e) => Deferred.fail(q.done, fail(q.method)(e))
            }), { discard: true })
      }),
      Effect.asVoid
    )
  const lead: Effect.Effect<void> = Effect.gen(function*() {
    // let the fibers that are about to write queue their statements (the answers
    // that arrived meanwhile are handled before this resumes)
    yield* afterIo
    const group = queue.splice(0, queue.length)
    yield* commit(group)
    const next = queue[0]
    if (next === undefined) leading = false
    else yield* Deferred.succeed(next.done, "lead")
  })
  const submit = (method: string, statement: Effect.Effect<unknown, SqlError.SqlError>): Effect.Effect<void, SyncStateError> =>
    // uninterruptible: a queued statement is committed, and a leader finishes its group
    Effect.uninterruptible(Effect.gen(function*() {
      const done = yield* Deferred.make<"done" | "lead", SyncStateError>()
      queue.push({ method, statement, done })
      if (!leading) {
        leading = true
        yield* lead
      }
      for (;;) {
        const outcome = yield* Deferred.await(done)
        if (outcome === "done") return
        // this caller leads the next group (its own statement is in it)
        const fresh = yield* Deferred.make<"done" | "lead", SyncStateError>()
        const own = queue.findIndex((q) => q.done === done)
        if (own >= 0) queue[own] = { ...queue[own]!, done: fresh }
        yield* lead
        return yield* Deferred.await(fresh).pipe(Effect.asVoid)
      }
    }))
  return submit
}

/**
 * Builds a state store on the `SqlClient` in context, creating its tables when
 * missing, with `options`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = (options: Options = {}): Effect.Effect<Service, SyncStateError, SqlClient.SqlClient> => Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* migrate
  const run = <A>(method: string, effect: Effect.Effect<A, SqlError.SqlError | { readonly _tag: "ParseError"; readonly message: string }>) =>
    Effect.mapError(effect, fail(method))
  const submit = options.groupCommit === false ? undefined : groupCommitter(sql)
  /** A write of the sync: committed in a group (or on its own, and always inside a caller's own transaction, which a group must not join). */
  const write = (method: string, statement: Effect.Effect<unknown, SqlError.SqlError>): Effect.Effect<void, SyncStateError> =>
    submit === undefined
      ? run(method, statement).pipe(Effect.asVoid)
      : Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (inTransaction) =>
        Option.isSome(inTransaction) ? run(method, statement).pipe(Effect.asVoid) : submit(method, statement))
  const written = (method: string, rows: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    run(method, Effect.flatMap(rows, decodeWritten)).pipe(Effect.map((rows) => rows.map(toWritten)))
  return {
    version: run(
      "version",
      sql<{ value: string }>`SELECT value FROM up_sync_meta WHERE key = 'version'`.pipe(
        Effect.map((rows) => Option.fromNullable(rows[0]?.value))
      )
    ),
    setVersion: (version) =>
      run(
        "setVersion",
        version === undefined
          ? sql`DELETE FROM up_sync_meta WHERE key = 'version'`
          : sql`INSERT INTO up_sync_meta (key, value) VALUES ('version', ${version})
                ON CONFLICT (key) DO UPDATE SET value = excluded.value`
      ).pipe(Effect.asVoid),
    xref: (sourceId) =>
      run(
        "xref",
        sql<{ target_id: string }>`SELECT target_id FROM up_sync_xref WHERE source_id = ${sourceId}`.pipe(
          Effect.map((rows) => Option.fromNullable(rows[0]?.target_id))
        )
      ),
    setXref: (sourceId, targetId) =>
      write(
        "setXref",
        sql`INSERT INTO up_sync_xref (source_id, target_id) VALUES (${sourceId}, ${targetId})
            ON CONFLICT (source_id) DO UPDATE SET target_id = excluded.target_id`
      ),
    deleteXref: (sourceId) => write("deleteXref", sql`DELETE FROM up_sync_xref WHERE source_id = ${sourceId}`),
    fingerprint: (sourceId) =>
      run(
        "fingerprint",
        sql<{ fingerprint: string | null }>`SELECT fingerprint FROM up_sync_xref WHERE source_id = ${sourceId}`.pipe(
          Effect.map((rows) => Option.fromNullable(rows[0]?.fingerprint))
        )
      ),
    setFingerprint: (sourceId, fingerprint) =>
      write("setFingerprint", sql`UPDATE up_sync_xref SET fingerprint = ${fingerprint ?? null} WHERE source_id = ${sourceId}`),
    xrefsTo: (targetId) =>
      run(
        "xrefsTo",
        sql<{ source_id: string }>`SELECT source_id FROM up_sync_xref WHERE target_id = ${targetId} ORDER BY source_id`.pipe(
          Effect.map((rows) => rows.map((row) => row.source_id))
        )
      ),
    xrefs: run(
      "xrefs",
      sql<{ source_id: string; target_id: string }>`SELECT source_id, target_id FROM up_sync_xref ORDER BY source_id`.pipe(
        Effect.map((rows) => rows.map((row) => new Xref({ sourceId: row.source_id, targetId: row.target_id })))
      )
    ),
    written: (personId) =>
      written("written", sql`SELECT * FROM up_sync_written WHERE person_id = ${personId} ORDER BY person_id, contact_id`),
    writtenFor: (sourceId) =>
      written("writtenFor", sql`SELECT * FROM up_sync_written WHERE source_id = ${sourceId} ORDER BY person_id, contact_id`),
    recordWrite: (w) =>
      write(
        "recordWrite",
        sql`INSERT INTO up_sync_written (person_id, contact_id, source_id, kind, normalized, label, hash, written_at)
            VALUES (${w.personId}, ${w.contactId}, ${w.sourceId}, ${w.kind}, ${w.normalized}, ${w.label}, ${w.hash}, ${w.writtenAt})
            ON CONFLICT (person_id, contact_id) DO UPDATE SET
              source_id = excluded.source_id, kind = excluded.kind, normalized = excluded.normalized,
              label = excluded.label, hash = excluded.hash, written_at = excluded.written_at`
      ),
    forgetWrite: (personId, contactId) =>
      write("forgetWrite", sql`DELETE FROM up_sync_written WHERE person_id = ${personId} AND contact_id = ${contactId}`),
    sources: run(
      "sources",
      sql<{ source_id: string }>`SELECT source_id FROM up_sync_xref UNION SELECT source_id FROM up_sync_written ORDER BY source_id`.pipe(
        Effect.map((rows) => rows.map((row) => row.source_id))
      )
    ),
    markEventProcessed: (uuid) =>
      run(
        "markEventProcessed",
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          sql<{ uuid: string }>`INSERT INTO up_sync_event (uuid, processed_at) VALUES (${uuid}, ${now}) ON CONFLICT (uuid) DO NOTHING RETURNING uuid`.pipe(
            Effect.map((rows) => rows.length > 0)
          ))
      ),
    isEventProcessed: (uuid) =>
      run(
        "isEventProcessed",
        sql<{ uuid: string }>`SELECT uuid FROM up_sync_event WHERE uuid = ${uuid}`.pipe(Effect.map((rows) => rows.length > 0))
      ),
    pruneEvents: (before) =>
      run(
        "pruneEvents",
        sql<{ uuid: string }>`DELETE FROM up_sync_event WHERE processed_at < ${before.getTime()} RETURNING uuid`.pipe(
          Effect.map((rows) => rows.length)
        )
      ),
    ownedCount: run(
      "ownedCount",
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM up_sync_written`.pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))
    ),
    linkedCount: run(
      "linkedCount",
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM up_sync_xref`.pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))
    ),
    lastCount: (side) =>
      run(
        "lastCount",
        sql<{ value: string }>`SELECT value FROM up_sync_meta WHERE key = ${`count:${side}`}`.pipe(
          Effect.map((rows) => Option.filter(Option.fromNullable(rows[0]?.value).pipe(Option.map(Number)), Number.isFinite))
        )
      ),
    setLastCount: (side, count) =>
      run(
        "setLastCount",
        sql`INSERT INTO up_sync_meta (key, value) VALUES (${`count:${side}`}, ${String(count)})
            ON CONFLICT (key) DO UPDATE SET value = excluded.value`
      ).pipe(Effect.asVoid),
    tryLease: (lease) =>
      run(
        "tryLease",
        Effect.gen(function*() {
          // one statement: the row is taken only when free, expired or already ours
          const taken = yield* sql<{ owner: string }>`
            INSERT INTO up_sync_lease (id, owner, started_at, heartbeat_at, expires_at)
            VALUES (1, ${lease.owner}, ${lease.startedAt}, ${lease.heartbeatAt}, ${lease.expiresAt})
            ON CONFLICT (id) DO UPDATE SET
              owner = excluded.owner, started_at = excluded.started_at,
              heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
            WHERE up_sync_lease.expires_at <= excluded.started_at OR up_sync_lease.owner = excluded.owner
            RETURNING owner`
          if (taken.length > 0) return Option.none()
          const rows = yield* Effect.flatMap(
            sql`SELECT owner, started_at, heartbeat_at, expires_at FROM up_sync_lease WHERE id = 1`,
            decodeLeases
          )
          const row = rows[0]
          return row === undefined
            ? Option.none()
            : Option.some(new Lease({ owner: row.owner, startedAt: row.started_at, heartbeatAt: row.heartbeat_at, expiresAt: row.expires_at }))
        })
      ),
    renewLease: (owner, heartbeatAt, expiresAt) =>
      run(
        "renewLease",
        sql<{ owner: string }>`UPDATE up_sync_lease SET heartbeat_at = ${heartbeatAt}, expires_at = ${expiresAt}
            WHERE id = 1 AND owner = ${owner} RETURNING owner`.pipe(Effect.map((rows) => rows.length > 0))
      ),
    releaseLease: (owner) =>
      run("releaseLease", sql`DELETE FROM up_sync_lease WHERE id = 1 AND owner = ${owner}`).pipe(Effect.asVoid),
    pendingImport: run(
      "pendingImport",
      sql<{ value: string }>`SELECT value FROM up_sync_meta WHERE key = 'import:pending'`.pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined
            ? Effect.succeedNone
            : Effect.map(decodePending(rows[0].value), Option.some)
        )
      )
    ),
    setPendingImport: (pending) =>
      run(
        "setPendingImport",
        pending === undefined
          ? sql`DELETE FROM up_sync_meta WHERE key = 'import:pending'`
          : sql`INSERT INTO up_sync_meta (key, value) VALUES ('import:pending', ${encodePending(pending)})
                ON CONFLICT (key) DO UPDATE SET value = excluded.value`
      ).pipe(Effect.asVoid)
  }
})

/**
 * Builds a state store on the `SqlClient` in context, creating its tables when
 * missing (writes committed in groups: see {@link Options}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, SyncStateError, SqlClient.SqlClient> = makeWith()

/**
 * A state store on the `SqlClient` in context (any `@effect/sql` driver).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SyncState, SyncStateError, SqlClient.SqlClient> = Layer.effect(SyncState, make)

/**
 * {@link layer} with options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options): Layer.Layer<SyncState, SyncStateError, SqlClient.SqlClient> =>
  Layer.effect(SyncState, makeWith(options))
