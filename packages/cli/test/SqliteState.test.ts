import { describe, expect, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as SyncState from "@unified-people/core/SyncState"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as SqliteState from "../src/SqliteState.js"

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "up-sqlite-state-")), "state.db")

describe("SqliteState", () => {
  it.effect("a file that cannot be opened is a SyncStateError, not a defect", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.flatMap(SyncState.SyncState, (state) => state.version).pipe(
          Effect.provide(SqliteState.layer({ filename: path.join(os.tmpdir(), `up-missing-dir-${process.pid}`, "state.db") }))
        )
      )
      expect(error).toBeInstanceOf(SyncState.SyncStateError)
      expect((error as SyncState.SyncStateError).method).toBe("open")
      expect(error.message).toContain("directory does not exist")
    }))

  it.effect("a database written before migrations were recorded is taken over as it is, and migrated once", () =>
    Effect.gen(function*() {
      const filename = tempFile()
      // the tables of the first release, without the migrations table or the lease
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE up_sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`
        yield* sql`INSERT INTO up_sync_meta (key, value) VALUES ('version', 'etag-old')`
      }).pipe(Effect.provide(SqliteClient.layer({ filename })))
      const read = Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        return { version: yield* state.version, owned: yield* state.ownedCount }
      })
      expect(yield* read.pipe(Effect.provide(SqliteState.layer({ filename })))).toEqual({ version: Option.some("etag-old"), owned: 0 })
      const ran = yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ name: string }>`SELECT name FROM up_sync_migrations ORDER BY migration_id`).pipe(
        Effect.provide(SqliteClient.layer({ filename }))
      )
      expect(ran.map((r) => r.name)).toEqual(["sync_state", "lease"])
      // opened again: nothing more to run
      expect(yield* read.pipe(Effect.provide(SqliteState.layer({ filename })))).toEqual({ version: Option.some("etag-old"), owned: 0 })
    }))
})
