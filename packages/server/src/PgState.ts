/**
 * A tenant's sync state in PostgreSQL: the core SQL store
 * (`@unified-people/core/SyncState/Sql`) on a `PgClient` whose connections use
 * the tenant's own schema (`up_tenant_<id>`, created when missing), so every
 * tenant of a cluster keeps its state, its lease and its processed events in
 * the same database as the cluster's own tables.
 *
 * @since 0.1.0
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SyncState from "@unified-people/core/SyncState"
import * as SqlState from "@unified-people/core/SyncState/Sql"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"

/**
 * The schema of a tenant's state.
 *
 * @since 0.1.0
 * @category constants
 */
export const schemaOf = (tenant: string): string => `up_tenant_${tenant.replace(/-/g, "_")}`

/**
 * A connection URL whose sessions use `schema` first.
 *
 * @since 0.1.0
 * @category constructors
 */
export const withSchema = (url: Redacted.Redacted, schema: string): Redacted.Redacted => {
  const parsed = new URL(Redacted.value(url))
  parsed.searchParams.set("options", `-c search_path=${schema}`)
  return Redacted.make(parsed.toString())
}

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly url: Redacted.Redacted
  readonly tenant: string
  /** Connections of the tenant's pool (default 2). */
  readonly maxConnections?: number | undefined
}

/**
 * A tenant's state store in PostgreSQL.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<SyncState.SyncState, SyncState.SyncStateError> => {
  const schema = schemaOf(options.tenant)
  const createSchema = Layer.effectDiscard(
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`).pipe(
      // two runners creating it at once: one of them finds it made
      Effect.retry({ times: 3, schedule: Schedule.spaced("100 millis") }),
      Effect.mapError((e) => new SyncState.SyncStateError({ method: "open", reason: `cannot create the schema ${schema}: ${e.message}`, cause: e }))
    )
  )
  const client = PgClient.layer({
    url: withSchema(options.url, schema),
    maxConnections: options.maxConnections ?? 2,
    idleTimeout: Duration.seconds(30),
    applicationName: `unified-people ${options.tenant}`
  })
  return SqlState.layer.pipe(
    Layer.provide(createSchema),
    Layer.provide(client),
    Layer.catchAll((e) =>
      Layer.fail(
        e._tag === "SyncStateError"
          ? e
          : new SyncState.SyncStateError({ method: "open", reason: `cannot connect to PostgreSQL: ${e.message}`, cause: e })
      )
    )
  )
}
