import { describe, expect, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Effect, type Layer, Option, TestClock } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as SyncState from "../src/SyncState.js"
import * as SqlState from "../src/SyncState/Sql.js"
import * as Sqlite from "./utils/Sqlite.js"

const tempFile = () => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "up-sync-state-"))
  return Path.join(dir, "state.db")
}

const written = (personId: string, contactId: string, sourceId: string, normalized: string, label: "work" | "mobile" = "work") =>
  new SyncState.Written({
    personId,
    contactId,
    sourceId,
    kind: normalized.includes("@") ? "email" : "phone",
    normalized,
    label,
    hash: SyncState.hash({ kind: normalized.includes("@") ? "email" : "phone", normalized, label }),
    writtenAt: 1_700_000_000_000
  })

const suite = (name: string, layer: () => Layer.Layer<SyncState.SyncState, unknown>) =>
  describe(name, () => {
    it.effect("stores and clears the directory version", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        expect(yield* state.version).toEqual(Option.none())
        yield* state.setVersion("etag-1")
        yield* state.setVersion("etag-2")
        expect(yield* state.version).toEqual(Option.some("etag-2"))
        yield* state.setVersion(undefined)
        expect(yield* state.version).toEqual(Option.none())
      }).pipe(Effect.provide(layer())))

    it.effect("keeps cross-references, replacing and deleting them", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        yield* state.setXref("rc-2", "p-20")
        yield* state.setXref("rc-1", "p-10")
        yield* state.setXref("rc-2", "p-21")
        expect(yield* state.xref("rc-2")).toEqual(Option.some("p-21"))
        expect(yield* state.xref("rc-9")).toEqual(Option.none())
        yield* state.setXref("rc-3", "p-21")
        expect(yield* state.xrefsTo("p-21")).toEqual(["rc-2", "rc-3"])
        expect(yield* state.xrefsTo("p-20")).toEqual([])
        yield* state.deleteXref("rc-3")
        expect((yield* state.xrefs).map((x) => [x.sourceId, x.targetId])).toEqual([["rc-1", "p-10"], ["rc-2", "p-21"]])
        yield* state.setFingerprint("rc-1", "fp-1")
        yield* state.setFingerprint("rc-2", "fp-2")
        yield* state.setFingerprint("rc-2", "fp-2b")
        yield* state.setFingerprint("rc-9", "fp-9") // not linked: ignored
        expect(yield* state.fingerprint("rc-2")).toEqual(Option.some("fp-2b"))
        expect(yield* state.fingerprint("rc-9")).toEqual(Option.none())
        yield* state.setXref("rc-2", "p-22") // relinking keeps the fingerprint (the job replaces it after syncing)
        expect(yield* state.fingerprint("rc-2")).toEqual(Option.some("fp-2b"))
        yield* state.setFingerprint("rc-2", undefined)
        expect(yield* state.fingerprint("rc-2")).toEqual(Option.none())
        yield* state.deleteXref("rc-1")
        expect(yield* state.fingerprint("rc-1")).toEqual(Option.none())
        yield* state.setXref("rc-1", "p-10")
        expect(yield* state.fingerprint("rc-1")).toEqual(Option.none())
        yield* state.deleteXref("rc-1")
        expect((yield* state.xrefs).map((x) => x.sourceId)).toEqual(["rc-2"])
      }).pipe(Effect.provide(layer())))

    it.effect("records, replaces and forgets written contacts, by person and by source", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        yield* state.recordWrite(written("p-1", "c-2", "rc-1", "+15550100"))
        yield* state.recordWrite(written("p-1", "c-1", "rc-1", "a@x.com"))
        yield* state.recordWrite(written("p-2", "c-3", "rc-2", "b@x.com"))
        // replacing a contact moves it to its new source
        yield* state.recordWrite(written("p-1", "c-2", "rc-3", "+15550199", "mobile"))
        expect((yield* state.written("p-1")).map((w) => [w.contactId, w.sourceId, w.normalized, w.label])).toEqual([
          ["c-1", "rc-1", "a@x.com", "work"],
          ["c-2", "rc-3", "+15550199", "mobile"]
        ])
        expect((yield* state.writtenFor("rc-1")).map((w) => w.contactId)).toEqual(["c-1"])
        expect((yield* state.writtenFor("rc-3")).map((w) => w.contactId)).toEqual(["c-2"])
        yield* state.setXref("rc-0", "p-0")
        expect(yield* state.sources).toEqual(["rc-0", "rc-1", "rc-2", "rc-3"])
        yield* state.forgetWrite("p-1", "c-1")
        yield* state.forgetWrite("p-1", "missing")
        expect((yield* state.written("p-1")).map((w) => w.contactId)).toEqual(["c-2"])
        expect(yield* state.sources).toEqual(["rc-0", "rc-2", "rc-3"])
        const [first] = yield* state.written("p-2")
        expect(first).toEqual(written("p-2", "c-3", "rc-2", "b@x.com"))
      }).pipe(Effect.provide(layer())))

    it.effect("marks each event once", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        expect(yield* state.isEventProcessed("e-1")).toBe(false)
        expect(yield* state.markEventProcessed("e-1")).toBe(true)
        expect(yield* state.markEventProcessed("e-1")).toBe(false)
        expect(yield* state.isEventProcessed("e-1")).toBe(true)
        expect(yield* state.isEventProcessed("e-2")).toBe(false)
      }).pipe(Effect.provide(layer())))

    it.effect("prunes the events processed before a time, keeping the later ones", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        yield* TestClock.setTime(1_000_000)
        yield* state.markEventProcessed("old-1")
        yield* state.markEventProcessed("old-2")
        yield* TestClock.setTime(2_000_000)
        yield* state.markEventProcessed("new-1")
        expect(yield* state.pruneEvents(new Date(1_000_000))).toBe(0)
        expect(yield* state.pruneEvents(new Date(1_500_000))).toBe(2)
        expect(yield* state.isEventProcessed("old-1")).toBe(false)
        expect(yield* state.isEventProcessed("old-2")).toBe(false)
        expect(yield* state.isEventProcessed("new-1")).toBe(true)
        // a pruned event can be processed again (it is new to the store)
        expect(yield* state.markEventProcessed("old-1")).toBe(true)
        expect(yield* state.pruneEvents(new Date(1_500_000))).toBe(0)
      }).pipe(Effect.provide(layer())))

    it.effect("counts what the job owns and links, and keeps the size of the last complete read of each side", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        expect(yield* state.ownedCount).toBe(0)
        expect(yield* state.lastCount("source")).toEqual(Option.none())
        yield* state.recordWrite(written("p-1", "c-1", "rc-1", "a@acme.com"))
        yield* state.recordWrite(written("p-1", "c-2", "rc-1", "+16505550101"))
        yield* state.setXref("rc-1", "p-1")
        expect(yield* state.ownedCount).toBe(2)
        expect(yield* state.linkedCount).toBe(1)
        yield* state.setLastCount("source", 2000)
        yield* state.setLastCount("target", 1990)
        yield* state.setLastCount("source", 2001)
        expect(yield* state.lastCount("source")).toEqual(Option.some(2001))
        expect(yield* state.lastCount("target")).toEqual(Option.some(1990))
      }).pipe(Effect.provide(layer())))

    it.effect("keeps the pending import (fingerprint, token, start) until cleared", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        expect(yield* state.pendingImport).toEqual(Option.none())
        yield* state.setPendingImport(new SyncState.PendingImport({ fingerprint: "f1", startedAt: 1000 }))
        expect(yield* state.pendingImport).toEqual(Option.some(new SyncState.PendingImport({ fingerprint: "f1", startedAt: 1000 })))
        yield* state.setPendingImport(new SyncState.PendingImport({ fingerprint: "f1", token: "t-9", startedAt: 1000 }))
        expect(Option.map(yield* state.pendingImport, (p) => p.token)).toEqual(Option.some("t-9"))
        yield* state.setPendingImport(undefined)
        expect(yield* state.pendingImport).toEqual(Option.none())
      }).pipe(Effect.provide(layer())))

    it.effect("a lease is exclusive until released or expired, renewable only by its holder", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        const a = new SyncState.Lease({ owner: "a", startedAt: 1000, heartbeatAt: 1000, expiresAt: 61_000 })
        expect(yield* state.tryLease(a)).toEqual(Option.none())
        // held: b is told who holds it
        const b = (at: number) => new SyncState.Lease({ owner: "b", startedAt: at, heartbeatAt: at, expiresAt: at + 60_000 })
        expect(yield* state.tryLease(b(2000))).toEqual(Option.some(a))
        // the holder renews; the other cannot
        expect(yield* state.renewLease("a", 30_000, 90_000)).toBe(true)
        expect(yield* state.renewLease("b", 30_000, 90_000)).toBe(false)
        expect(Option.map(yield* state.tryLease(b(89_999)), (l) => l.expiresAt)).toEqual(Option.some(90_000))
        // expired: taken over; the old holder can no longer renew or release it
        expect(yield* state.tryLease(b(90_000))).toEqual(Option.none())
        expect(yield* state.renewLease("a", 91_000, 151_000)).toBe(false)
        yield* state.releaseLease("a")
        expect(Option.map(yield* state.tryLease(new SyncState.Lease({ ...a, startedAt: 91_000 })), (l) => l.owner)).toEqual(Option.some("b"))
        // released: free
        yield* state.releaseLease("b")
        expect(yield* state.tryLease(new SyncState.Lease({ ...a, startedAt: 92_000, expiresAt: 152_000 }))).toEqual(Option.none())
      }).pipe(Effect.provide(layer())))

    it.scoped("SyncState.lease holds the lease for a scope, heartbeats, and fails fast with StateBusy", () =>
      Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        yield* Effect.scoped(
          Effect.gen(function*() {
            const held = yield* SyncState.lease({ owner: "runner-1", ttl: "30 seconds" })
            yield* TestClock.adjust("5 seconds")
            const busy = yield* Effect.flip(Effect.scoped(SyncState.lease({ owner: "runner-2" })))
            expect(busy._tag).toBe("StateBusy")
            expect(busy.message).toBe(
              "the sync state is in use by runner-1 (started 5 s ago, last heartbeat 5 s ago): one run at a time; " +
                "if that run crashed, its lease expires in 25 s"
            )
            // heartbeats every 10 s keep it alive well past the first expiry
            yield* TestClock.adjust("60 seconds")
            const later = yield* Effect.flip(Effect.scoped(SyncState.lease({ owner: "runner-2" })))
            expect(later._tag).toBe("StateBusy")
            expect(yield* held.lost).toBe(false)
          })
        )
        // released with the scope
        const again = new SyncState.Lease({ owner: "runner-2", startedAt: 70_000, heartbeatAt: 70_000, expiresAt: 80_000 })
        expect(yield* state.tryLease(again)).toEqual(Option.none())
      }).pipe(Effect.provide(layer())))
  })

suite("SyncState.layerMemory", () => SyncState.layerMemory)
suite("SyncState/Sqlite :memory:", () => Sqlite.layer({ filename: ":memory:" }))
suite("SyncState/Sqlite file", () => Sqlite.layer({ filename: tempFile() }))

describe("SyncState/Sqlite persistence", () => {
  it.effect("two connections to one file: the lease taken by one refuses the other", () =>
    Effect.gen(function*() {
      const filename = tempFile()
      const lease = (owner: string) =>
        Effect.scoped(Effect.flatMap(SyncState.lease({ owner }), (held) => Effect.succeed(held.owner))).pipe(
          Effect.provide(Sqlite.layer({ filename }))
        )
      yield* Effect.scoped(
        Effect.gen(function*() {
          yield* SyncState.lease({ owner: "first" })
          const other = yield* Effect.flip(lease("second"))
          expect(other).toMatchObject({ _tag: "StateBusy", owner: "first" })
        })
      ).pipe(Effect.provide(Sqlite.layer({ filename })))
      expect(yield* lease("second")).toBe("second")
    }))

  it.effect("a second layer on the same file sees what the first wrote", () =>
    Effect.gen(function*() {
      const filename = tempFile()
      yield* Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        yield* state.setVersion("etag-7")
        yield* state.setXref("rc-1", "p-1")
        yield* state.setFingerprint("rc-1", "fp")
        yield* state.recordWrite(written("p-1", "c-1", "rc-1", "a@x.com"))
        yield* state.markEventProcessed("e-1")
      }).pipe(Effect.provide(Sqlite.layer({ filename })))
      yield* Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        expect(yield* state.version).toEqual(Option.some("etag-7"))
        expect(yield* state.xref("rc-1")).toEqual(Option.some("p-1"))
        expect(yield* state.fingerprint("rc-1")).toEqual(Option.some("fp"))
        expect(yield* state.written("p-1")).toEqual([written("p-1", "c-1", "rc-1", "a@x.com")])
        expect(yield* state.markEventProcessed("e-1")).toBe(false)
      }).pipe(Effect.provide(Sqlite.layer({ filename })))
    }))

  it.effect("a corrupt row is a SyncStateError naming the method, not a crash", () =>
    Effect.gen(function*() {
      const filename = tempFile()
      yield* Effect.gen(function*() {
        const state = yield* SyncState.SyncState
        yield* state.recordWrite(written("p-1", "c-1", "rc-1", "a@x.com"))
      }).pipe(Effect.provide(Sqlite.layer({ filename })))
      yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE up_sync_written SET label = 'bogus'`).pipe(
        Effect.provide(SqliteClient.layer({ filename }))
      )
      const error = yield* Effect.flip(
        Effect.flatMap(SyncState.SyncState, (state) => state.written("p-1")).pipe(Effect.provide(Sqlite.layer({ filename })))
      )
      expect(error).toBeInstanceOf(SyncState.SyncStateError)
      expect((error as SyncState.SyncStateError).method).toBe("written")
    }))
})

describe("SyncState/Sql group commit", () => {
  const concurrent = (filename: string, groupCommit: boolean) =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const state = yield* SqlState.makeWith({ groupCommit })
      // the database refuses one person's records: only that call fails
      yield* sql`CREATE TRIGGER IF NOT EXISTS refuse BEFORE INSERT ON up_sync_written WHEN NEW.person_id = 'p-bad'
        BEGIN SELECT RAISE(ABORT, 'refused'); END`
      const ids = Array.from({ length: 40 }, (_, i) => (i === 17 ? "p-bad" : `p-${i}`))
      const results = yield* Effect.forEach(
        ids,
        (id, i) =>
          Effect.either(
            state.recordWrite(written(id, `c-${i}`, `rc-${i}`, `a${i}@x.com`)).pipe(
              Effect.zipRight(state.setXref(`rc-${i}`, id)),
              Effect.zipRight(state.setFingerprint(`rc-${i}`, `f-${i}`))
            )
          ),
        { concurrency: 8 }
      )
      return { results, owned: yield* state.ownedCount, linked: yield* state.linkedCount, fingerprint: yield* state.fingerprint("rc-39") }
    }).pipe(Effect.provide(SqliteClient.layer({ filename })))

  it.effect("a write inside the caller's own transaction stays in it (rolled back with it), never in a group", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const state = yield* SqlState.makeWith({ groupCommit: true })
      const rolledBack = yield* Effect.either(
        sql.withTransaction(Effect.zipRight(state.recordWrite(written("p-in", "c-1", "rc-1", "a@x.com")), Effect.fail("rollback" as const)))
      )
      expect(rolledBack._tag).toBe("Left")
      yield* state.recordWrite(written("p-out", "c-2", "rc-2", "b@x.com"))
      expect(yield* state.written("p-in")).toEqual([])
      expect((yield* state.written("p-out")).map((w) => w.contactId)).toEqual(["c-2"])
    }).pipe(Effect.provide(SqliteClient.layer({ filename: tempFile() }))))

  for (const groupCommit of [true, false]) {
    it.effect(`commits every write of concurrent callers, a refused statement failing only its call (groupCommit ${groupCommit})`, () =>
      Effect.gen(function*() {
        const filename = tempFile()
        const { results, owned, linked, fingerprint } = yield* concurrent(filename, groupCommit)
        const failures = results.flatMap((r, i) => (r._tag === "Left" ? [[i, r.left.method] as const] : []))
        expect(failures).toEqual([[17, "recordWrite"]])
        expect(owned).toBe(39)
        expect(linked).toBe(39)
        expect(fingerprint).toEqual(Option.some("f-39"))
        // committed: another connection sees every record
        const rows = yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ n: number }>`SELECT COUNT(*) AS n FROM up_sync_written`).pipe(
          Effect.provide(SqliteClient.layer({ filename }))
        )
        expect(Number(rows[0]!.n)).toBe(39)
      }))
  }
})
