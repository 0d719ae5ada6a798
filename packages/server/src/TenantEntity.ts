/**
 * A tenant as a cluster entity (`@effect/cluster`), keyed by the tenant id:
 * every read and write of a tenant runs in it, on the one runner that holds
 * the tenant's shard, one message at a time. Its messages are persisted in
 * PostgreSQL with a primary key, so a message sent twice (a workflow step
 * re-run after a failover, a webhook delivered to two runners) is processed
 * once, and a message whose runner died is processed again by the runner that
 * takes the shard over.
 *
 * | message | what | primary key |
 * |---|---|---|
 * | `Plan` | a full plan of a run (reads, matches, compares; the delete guard): the people with work, in chunks | run id, attempt |
 * | `Apply` | one chunk of a run's plan: written from the plan in memory, or re-planned (see below) | run id / chunk, attempt |
 * | `Finish` | a run's end: the sizes of trusted reads, and the directory version when the run was complete | run id, attempt |
 * | `Events` | directory events from a webhook: `Sync.applyEvents` (processed events are remembered in the state) | event uuids |
 *
 * The attempt is 0 unless the message's answer was an interruption (the
 * cluster stores an interrupted request's answer under its primary key): the
 * step then sends it again as the next attempt. Every message is safe to
 * process twice (a plan reads only, a chunk seen again is re-planned, a
 * finish stores the same values, events are remembered as processed).
 *
 * **Nothing is written twice.** The plan of a run is kept in memory by the
 * entity that made it. A chunk is written from it only the first time this
 * entity instance sees that chunk, and only while every write since the plan
 * was made is the run's own; a chunk seen again, seen by another runner after
 * a failover, or planned before another run's chunk or a batch of events was
 * written (two runs of a tenant interleave, message by message), is
 * re-planned from the systems' current state (`Sync.syncPeople`), so what was
 * already written is found (a create whose answer was lost is adopted)
 * instead of written again.
 *
 * @since 0.1.0
 */
import * as ClusterSchema from "@effect/cluster/ClusterSchema"
import * as Entity from "@effect/cluster/Entity"
import * as Rpc from "@effect/rpc/Rpc"
import type * as Sync from "@unified-people/core/Sync"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"

/**
 * A run that failed: the delete guard refused it, the state was busy for too
 * long, a read of a whole side failed, or the tenant is unknown.
 *
 * @since 0.1.0
 * @category errors
 */
export class SyncFailed extends Schema.TaggedError<SyncFailed>("@unified-people/server/SyncFailed")("SyncFailed", {
  tenant: Schema.String,
  /** The error's tag (`MassDeleteRefused`, `StateBusy`, `Unavailable`, …). */
  cause: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `sync of ${this.tenant} failed (${this.cause}): ${this.reason}`
  }
}

/**
 * What a full plan proved about one side.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadCheck = Schema.Struct({
  side: Schema.Literal("source", "target"),
  trusted: Schema.Boolean,
  records: Schema.Number
})

/**
 * A chunk of a run: the source people whose plans it applies, and those of
 * them proven removed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Chunk = Schema.Struct({
  people: Schema.Array(Schema.String),
  removed: Schema.Array(Schema.String)
})

/**
 * A run's plan as the workflow keeps it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RunPlan = Schema.Struct({
  unchanged: Schema.Boolean,
  version: Schema.optional(Schema.String),
  peopleRead: Schema.Number,
  actions: Schema.Number,
  chunks: Schema.Array(Chunk),
  reads: Schema.Array(ReadCheck),
  /** Why the run cannot be complete whatever the chunks do (held removals, untrusted reads, unplanned people). */
  issues: Schema.Array(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type RunPlan = typeof RunPlan.Type

/**
 * What applying a chunk did.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChunkResult = Schema.Struct({
  status: Schema.Literal("complete", "partial", "stopped"),
  created: Schema.Number,
  updated: Schema.Number,
  deleted: Schema.Number,
  adopted: Schema.Number,
  failures: Schema.Number,
  issues: Schema.Array(Schema.String),
  /** The chunk was re-planned from the systems' state (seen again, or after a failover). */
  replanned: Schema.Boolean,
  /** The runner that applied it. */
  runner: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ChunkResult = typeof ChunkResult.Type

/**
 * A directory event as the entity receives it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DirectoryEvent = Schema.Struct({
  uuid: Schema.String,
  timestamp: Schema.optional(Schema.DateFromNumber),
  changes: Schema.Array(Schema.Struct({ type: Schema.optional(Schema.String), remoteId: Schema.String }))
})

/**
 * The tenant entity.
 *
 * @since 0.1.0
 * @category entities
 */
export const TenantEntity = Entity.make("Tenant", [
  Rpc.make("Plan", {
    payload: { runId: Schema.String, verify: Schema.Boolean, chunkSize: Schema.Number, attempt: Schema.Number },
    success: RunPlan,
    error: SyncFailed,
    primaryKey: ({ attempt, runId }) => `${runId}#${attempt}`
  }),
  Rpc.make("Apply", {
    payload: { runId: Schema.String, index: Schema.Number, chunk: Chunk, attempt: Schema.Number },
    success: ChunkResult,
    error: SyncFailed,
    primaryKey: ({ attempt, index, runId }) => `${runId}/${index}#${attempt}`
  }),
  Rpc.make("Finish", {
    payload: {
      runId: Schema.String,
      version: Schema.optional(Schema.String),
      reads: Schema.Array(ReadCheck),
      complete: Schema.Boolean,
      attempt: Schema.Number
    },
    error: SyncFailed,
    primaryKey: ({ attempt, runId }) => `${runId}#${attempt}`
  }),
  Rpc.make("Events", {
    payload: { events: Schema.Array(DirectoryEvent) },
    error: SyncFailed,
    primaryKey: ({ events }) => events.map((e) => e.uuid).sort().join(",")
  })
]).annotateRpcs(ClusterSchema.Persisted, true)

/**
 * A sync error as a {@link SyncFailed}.
 *
 * @since 0.1.0
 * @category errors
 */
export const failed = (tenant: string) => (error: Sync.SyncError | { readonly _tag: string; readonly message: string }): SyncFailed =>
  new SyncFailed({ tenant, cause: error._tag, reason: error.message })

/** The people of a plan with something to apply (the others are reported by the plan). */
const withWork = (p: Sync.PersonPlan) =>
  p.failure === undefined && p.held === undefined &&
  (p.actions.length > 0 || p.adopt.length > 0 || p.forget.length > 0 || p.link || p.unlink || p.fingerprint !== undefined)

/**
 * A full plan cut into chunks of at most `size` people with work.
 *
 * @since 0.1.0
 * @category planning
 */
export const toRunPlan = (plan: Sync.Plan, size: number): RunPlan => {
  const people = plan.people.filter(withWork)
  const chunks: Array<typeof Chunk.Type> = []
  for (let i = 0; i < people.length; i += Math.max(1, size)) {
    const slice = people.slice(i, i + Math.max(1, size))
    chunks.push({ people: slice.map((p) => p.sourceId), removed: slice.filter((p) => p.removed).map((p) => p.sourceId) })
  }
  const issues: Array<string> = []
  for (const check of plan.reads) if (!check.trusted) issues.push(`the ${check.side} read proves nothing: ${check.issues.join("; ")}`)
  const held = plan.people.filter((p) => p.held !== undefined).length
  if (held > 0) issues.push(`${held} removal(s) held back for lack of proof`)
  const unplanned = plan.people.filter((p) => p.failure !== undefined).length
  if (unplanned > 0) issues.push(`${unplanned} people could not be planned`)
  return {
    unchanged: plan.unchanged,
    ...(plan.version === undefined ? {} : { version: plan.version }),
    peopleRead: plan.peopleRead,
    actions: people.reduce((n, p) => n + p.actions.length, 0),
    chunks,
    reads: plan.reads.map((r) => ({ side: r.side, trusted: r.trusted, records: r.records })),
    issues
  }
}

/**
 * The part of a plan a chunk applies: its people only, no reads (the run's
 * end stores them), and the stored directory version (only the run's end
 * stores a new one).
 *
 * @since 0.1.0
 * @category planning
 */
export const slice = (plan: Sync.Plan, chunk: typeof Chunk.Type, storedVersion: Option.Option<string>): Sync.Plan => {
  const ids = new Set(chunk.people)
  return { ...plan, people: plan.people.filter((p) => ids.has(p.sourceId)), reads: [], version: Option.getOrUndefined(storedVersion) }
}

/**
 * How long a chunk waits for the state's lease when another runner still
 * holds it (a runner that died holds it until it expires).
 *
 * @since 0.1.0
 * @category constants
 */
export const busyRetry = Schedule.spaced("2 seconds").pipe(Schedule.compose(Schedule.recurs(60)))

/**
 * Retries an operation while the state's lease is busy.
 *
 * @since 0.1.0
 * @category planning
 */
export const whileBusy = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.retry(effect, { schedule: busyRetry, while: (e) => e._tag === "StateBusy" })
