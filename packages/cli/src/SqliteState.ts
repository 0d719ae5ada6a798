/**
 * The sync state in an embedded SQLite file: the core SQL store
 * (`@unified-people/core/SyncState/Sql`) on `@effect/sql-sqlite-node`. The
 * native driver is a dependency of the CLI only, so installing the libraries
 * never compiles SQLite.
 *
 * @since 0.1.0
 */
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as SyncState from "@unified-people/core/SyncState"
import * as SqlState from "@unified-people/core/SyncState/Sql"
import * as Cause from "effect/Cause"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The database file (created when missing), or `:memory:`. */
  readonly filename: string
  /** Commit the sync's per-write statements in groups (default `true`; see `@unified-people/core/SyncState/Sql`). */
  readonly groupCommit?: boolean
}

/** The driver throws when the file cannot be opened: a typed error instead of a defect. */
const openFailure = <E>(self: Layer.Layer<SyncState.SyncState, E>): Layer.Layer<SyncState.SyncState, E | SyncState.SyncStateError> =>
  Layer.catchAllCause(self, (cause): Layer.Layer<SyncState.SyncState, E | SyncState.SyncStateError> => {
    const defect = Cause.dieOption(cause)
    return Option.isSome(defect)
      ? Layer.fail(
        new SyncState.SyncStateError({
          method: "open",
          reason: defect.value instanceof Error ? defect.value.message : "cannot open the database",
          cause: defect.value
        })
      )
      : Layer.failCause(cause)
  })

/**
 * A state store in a SQLite file (created when missing), or in `:memory:`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<SyncState.SyncState, SyncState.SyncStateError | ConfigError.ConfigError> =>
  SqlState.layerWith(options.groupCommit === undefined ? {} : { groupCommit: options.groupCommit }).pipe(
    Layer.provide(SqliteClient.layer({ filename: options.filename })),
    openFailure
  )

/**
 * {@link layer} with its options read from `Config` (for example
 * `{ filename: Config.string("UNIFIED_PEOPLE_STATE") }`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config.Wrap<Pick<Options, "filename">>
): Layer.Layer<SyncState.SyncState, SyncState.SyncStateError | ConfigError.ConfigError> =>
  SqlState.layer.pipe(Layer.provide(SqliteClient.layerConfig(options)), openFailure)
