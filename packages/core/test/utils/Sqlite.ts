/**
 * The core SQL state store on an in-process SQLite database, for tests (the
 * SQLite driver is a dev dependency of core; the CLI ships the real layer).
 */
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Layer } from "effect"
import * as SqlState from "../../src/SyncState/Sql.js"

export const layer = (options: { readonly filename: string }) => SqlState.layer.pipe(Layer.provide(SqliteClient.layer(options)))
