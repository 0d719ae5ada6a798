/**
 * The service as a cluster of runners on PostgreSQL, on Effect's own engine:
 * `@effect/cluster` (sharded entities; a runner takes a dead runner's shards
 * over) and `@effect/workflow` (durable steps), their storage on PostgreSQL
 * through `@effect/sql-pg`, and each tenant's sync state in the same database
 * (`PgState`).
 *
 * - **A tenant is an entity** (`TenantEntity`, keyed by tenant id): all its
 *   reads and writes run there, on the one runner holding its shard, one
 *   message at a time.
 * - **A sync is a durable workflow** (`SyncWorkflow`, one execution per tenant
 *   and run id): step `plan` (the tenant entity plans the run and cuts the
 *   people with work into chunks), one step per chunk (`apply/<n>`), then
 *   `finish` (directory version and read sizes stored when the run was
 *   complete). A step's result is stored once done; a workflow whose runner
 *   dies resumes on another runner from the last completed step, and a step
 *   sent again reaches the entity as the same persisted message (its primary
 *   key), which the entity processes once; a step whose answer was an
 *   interruption (its entity's runner died) is sent as a new attempt. A chunk
 *   the entity sees again is re-planned from the systems' state, so nothing
 *   is written twice.
 * - **Webhooks reach any runner**: the runner checks the tenant's verification
 *   token and drops processed events (the tenant's state in PostgreSQL), then
 *   sends the events to the tenant's entity as a persisted message and
 *   answers 200 once it is stored.
 * - **Schedules and subscriptions** are cluster singletons: the verifying sync
 *   of each tenant is a `ClusterCron` starting a workflow; each tenant's
 *   webhook subscription is kept alive by one runner, its id kept in
 *   PostgreSQL (`up_server_subscriptions`) so the runner taking it over from
 *   a dead one deletes the old subscription before creating its own; every
 *   check the keeper prunes the tenant's subscriptions to one (the earliest),
 *   so two holders of a moving singleton end with one between them.
 *
 * @since 0.1.0
 */
import * as ClusterCron from "@effect/cluster/ClusterCron"
import * as ClusterWorkflowEngine from "@effect/cluster/ClusterWorkflowEngine"
import * as Entity from "@effect/cluster/Entity"
import * as RunnerAddress from "@effect/cluster/RunnerAddress"
import type * as Sharding from "@effect/cluster/Sharding"
import * as ShardingConfig from "@effect/cluster/ShardingConfig"
import * as SqlMessageStorage from "@effect/cluster/SqlMessageStorage"
import * as SqlRunnerStorage from "@effect/cluster/SqlRunnerStorage"
import * as Singleton from "@effect/cluster/Singleton"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Activity from "@effect/workflow/Activity"
import * as Workflow from "@effect/workflow/Workflow"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import type * as Sync from "@unified-people/core/Sync"
import * as Cause from "effect/Cause"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import { createServer } from "node:http"
import type * as Connector from "./Connector.js"
import * as Http from "./Http.js"
import * as tenants from "./internal/tenant.js"
import * as Metrics from "./Metrics.js"
import * as PgState from "./PgState.js"
import type * as TenantFile from "./TenantFile.js"
import { ChunkResult, failed, RunPlan, slice, SyncFailed, TenantEntity, toRunPlan, whileBusy } from "./TenantEntity.js"

/**
 * The outcome of a run as the workflow returns it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RunResult = Schema.Struct({
  tenant: Schema.String,
  runId: Schema.String,
  status: Schema.Literal("complete", "partial", "stopped"),
  unchanged: Schema.Boolean,
  created: Schema.Number,
  updated: Schema.Number,
  deleted: Schema.Number,
  adopted: Schema.Number,
  failures: Schema.Number,
  chunks: Schema.Number,
  /** Chunks re-planned (seen again, or after a failover). */
  replanned: Schema.Number,
  /** The runners that applied the chunks, in order. */
  runners: Schema.Array(Schema.String),
  issues: Schema.Array(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type RunResult = typeof RunResult.Type

/**
 * A tenant's sync as a durable workflow: `plan`, `apply/<n>` per chunk, `finish`.
 *
 * @since 0.1.0
 * @category workflows
 */
export const SyncWorkflow = Workflow.make({
  name: "TenantSync",
  payload: { tenant: Schema.String, runId: Schema.String, verify: Schema.Boolean },
  success: RunResult,
  error: SyncFailed,
  idempotencyKey: ({ runId, tenant }) => `${tenant}/${runId}`
})

/**
 * Sends a message to the tenant entity (`send(attempt)`), retrying the
 * cluster's own transient failures, and sending it again as the next attempt
 * (a new primary key) when its answer is an interruption: its entity's runner
 * died, and the cluster keeps that answer under the message's key.
 */
const call = <A>(
  send: (attempt: number) => Effect.Effect<A, SyncFailed | { readonly _tag: "MailboxFull" | "AlreadyProcessingMessage" | "PersistenceError" }>
): Effect.Effect<A, SyncFailed> =>
  Effect.suspend(() => {
    let attempt = 0
    return Effect.suspend(() => send(attempt)).pipe(
      Effect.sandbox,
      Effect.tapError((cause) => Effect.sync(() => void (Cause.isInterruptedOnly(cause) && attempt++))),
      Effect.retry({
        while: (cause) =>
          Cause.isInterruptedOnly(cause) || Cause.failureOption(cause).pipe(Option.exists((e) => e._tag !== "SyncFailed")),
        schedule: Schedule.exponential("200 millis").pipe(Schedule.union(Schedule.spaced("2 seconds")), Schedule.compose(Schedule.recurs(90)))
      }),
      Effect.unsandbox,
      Effect.catchIf((e): e is Exclude<typeof e, SyncFailed> => e._tag !== "SyncFailed", (e) => Effect.die(e))
    ) as Effect.Effect<A, SyncFailed>
  })

/**
 * How long a step waits out interruptions (its entity's runner died, its
 * shard not yet taken over): every 2 s at most, for about 3 minutes, longer
 * than the shard lock's expiry and the state's lease.
 */
const interruptRetryPolicy = Schedule.exponential("200 millis", 1.5).pipe(
  Schedule.union(Schedule.spaced("2 seconds")),
  Schedule.intersect(Schedule.recurs(90)),
  Schedule.whileInput((cause: Cause.Cause<unknown>) => Cause.isInterrupted(cause))
)

/**
 * Options of the runner.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly tenants: ReadonlyArray<TenantFile.Tenant>
  /** PostgreSQL: the cluster's storage and every tenant's state. */
  readonly database: Redacted.Redacted
  /** The port of the endpoints (webhooks, health, metrics, admin). */
  readonly port: number
  readonly host?: string | undefined
  /** How other runners reach this one (host and port of the runner protocol). */
  readonly runnerAddress: { readonly host: string; readonly port: number }
  /** The address the runner protocol listens on (default: `runnerAddress` on all interfaces). */
  readonly runnerListenHost?: string | undefined
  /** This runner's name in leases and request headers (default: its runner address). */
  readonly runner?: string | undefined
  readonly adminToken?: Redacted.Redacted | undefined
  /** People per workflow step (default 50). */
  readonly chunkSize?: number | undefined
  /** The sync state's lease time to live (default 20 s: a dead runner's tenants wait this long at most). */
  readonly leaseTtl?: Duration.DurationInput | undefined
  /** Overrides of the cluster's settings (shard lock expiry, poll intervals, …). */
  readonly sharding?: Partial<ShardingConfig.ShardingConfig["Type"]> | undefined
}

/**
 * The tenant entity's handlers: each tenant's runtime over its state in
 * PostgreSQL, built when the entity starts on this runner.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTenantEntity = (options: Options): Layer.Layer<never, never, Sharding.Sharding | Connector.Connector | HttpClient.HttpClient> => {
  const byId = new Map(options.tenants.map((t) => [t.id, t]))
  const runner = options.runner ?? `${options.runnerAddress.host}:${options.runnerAddress.port}`
  return TenantEntity.toLayer(
    Effect.gen(function*() {
      const address = yield* Entity.CurrentAddress
      const id = address.entityId
      const tenant = byId.get(id)
      const fail = failed(id)
      if (tenant === undefined) {
        const unknown = Effect.fail(new SyncFailed({ tenant: id, cause: "UnknownTenant", reason: "not in this runner's tenant file" }))
        return TenantEntity.of({ Plan: () => unknown, Apply: () => unknown, Finish: () => unknown, Events: () => unknown })
      }
      const started = yield* Effect.either(
        Effect.gen(function*() {
          const state = yield* tenants.buildState(PgState.layer({ url: options.database, tenant: id }))
          return yield* tenants.make(tenant, state, { runner, leaseTtl: options.leaseTtl ?? Duration.seconds(20) })
        })
      )
      if (started._tag === "Left") {
        const error = fail(started.left)
        yield* Effect.logError(`tenant ${id} not started: ${error.reason}`)
        return TenantEntity.of({ Plan: () => error, Apply: () => error, Finish: () => error, Events: () => error })
      }
      const runtime = started.right
      // the plans this entity made, and the chunks it already took up; a plan is written from only
      // while every write since it was made is its own (another run's chunk or a batch of events in
      // between makes it stale: its chunks are then re-planned from the systems' state)
      const plans = new Map<string, { readonly plan: Sync.Plan; readonly writesBefore: number; own: number }>()
      const seen = new Set<string>()
      let writes = 0
      return TenantEntity.of({
        Plan: ({ payload }) =>
          Effect.gen(function*() {
            const job = payload.verify ? runtime.verifyJob : runtime.job
            const plan = yield* runtime.exclusive(job.plan)
            if (plan.guard.tripped) {
              yield* Metrics.recordRun(id, "plan", tenants.failedOutcome)
              return yield* new SyncFailed({
                tenant: id,
                cause: "MassDeleteRefused",
                reason: `the delete guard refuses this run: ${plan.guard.deletes} deletions (limit ${plan.guard.limit}), ` +
                  `${plan.guard.unmatched} people unmatched (limit ${plan.guard.unmatchedLimit}); nothing was written`
              })
            }
            plans.set(payload.runId, { plan, writesBefore: writes, own: 0 })
            return toRunPlan(plan, payload.chunkSize)
          }).pipe(Effect.mapError((e) => e instanceof SyncFailed ? e : fail(e)), Effect.annotateLogs({ tenant: id, run: payload.runId })),
        Apply: ({ payload }) =>
          Effect.gen(function*() {
            const key = `${payload.runId}/${payload.index}`
            const entry = plans.get(payload.runId)
            const fresh = entry !== undefined && !seen.has(key) && writes === entry.writesBefore + entry.own
            seen.add(key)
            writes++
            if (entry !== undefined) entry.own++
            const summary = fresh
              ? yield* whileBusy(
                runtime.exclusive(Effect.flatMap(runtime.state.version, (v) => runtime.job.apply(slice(entry.plan, payload.chunk, v))))
              )
              : (yield* whileBusy(runtime.exclusive(runtime.job.syncPeople(payload.chunk.people, { removed: payload.chunk.removed })))).summary
            if (!fresh) yield* Effect.logInfo(`chunk ${key} re-planned from the systems' state`)
            yield* Metrics.recordRun(id, "chunk", tenants.outcomeOf(summary))
            return ChunkResult.make({
              status: summary.status,
              created: summary.created,
              updated: summary.updated,
              deleted: summary.deleted,
              adopted: summary.adopted,
              failures: summary.failures.length,
              issues: summary.issues,
              replanned: !fresh,
              runner
            })
          }).pipe(Effect.mapError(fail), Effect.annotateLogs({ tenant: id, run: payload.runId })),
        Finish: ({ payload }) =>
          Effect.gen(function*() {
            plans.delete(payload.runId)
            for (const read of payload.reads) if (read.trusted) yield* runtime.state.setLastCount(read.side, read.records)
            if (payload.complete && payload.version !== undefined) yield* runtime.state.setVersion(payload.version)
          }).pipe(Effect.mapError(fail)),
        Events: ({ payload }) =>
          Effect.suspend(() => {
            writes++
            return tenants.applyEvents(runtime, payload.events)
          }).pipe(
            whileBusy,
            Effect.tap((report) =>
              report.summary.status === "complete"
                ? Effect.void
                : Effect.logWarning(`events applied partially (the next sync repairs): ${report.summary.issues.join("; ")}`)
            ),
            Effect.asVoid,
            Effect.mapError(fail),
            Effect.annotateLogs({ tenant: id, run: "events" })
          )
      })
    }),
    { maxIdleTime: Duration.minutes(5) }
  )
}

/**
 * The sync workflow's steps: each a call to the tenant's entity.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSyncWorkflow = (options: { readonly chunkSize?: number | undefined }) =>
  SyncWorkflow.toLayer(({ runId, tenant, verify }) =>
    Effect.gen(function*() {
      const client = (yield* TenantEntity.client)(tenant)
      const plan = yield* Activity.make({
        name: "plan",
        success: RunPlan,
        error: SyncFailed,
        interruptRetryPolicy,
        execute: call((attempt) => client.Plan({ runId, verify, chunkSize: options.chunkSize ?? 50, attempt }))
      })
      const results: Array<ChunkResult> = []
      for (const [index, chunk] of plan.chunks.entries()) {
        results.push(
          yield* Activity.make({
            name: `apply/${index}`,
            success: ChunkResult,
            error: SyncFailed,
            interruptRetryPolicy,
            execute: call((attempt) => client.Apply({ runId, index, chunk, attempt }))
          })
        )
      }
      const issues = [...plan.issues, ...results.flatMap((r) => r.issues)]
      const status = results.some((r) => r.status === "stopped") ? "stopped" : issues.length > 0 ? "partial" : "complete"
      yield* Activity.make({
        name: "finish",
        error: SyncFailed,
        interruptRetryPolicy,
        execute: call((attempt) => client.Finish({ runId, version: plan.version, reads: plan.reads, complete: status === "complete", attempt }))
      })
      const sum = (f: (r: ChunkResult) => number) => results.reduce((n, r) => n + f(r), 0)
      return RunResult.make({
        tenant,
        runId,
        status,
        unchanged: plan.unchanged,
        created: sum((r) => r.created),
        updated: sum((r) => r.updated),
        deleted: sum((r) => r.deleted),
        adopted: sum((r) => r.adopted),
        failures: sum((r) => r.failures),
        chunks: results.length,
        replanned: results.filter((r) => r.replanned).length,
        runners: results.map((r) => r.runner),
        issues
      })
    })
  )

/**
 * Starts a run of a tenant's sync workflow (nothing new when that run exists);
 * answers its execution id.
 *
 * @since 0.1.0
 * @category running
 */
export const startRun = (tenant: string, runId: string, verify: boolean): Effect.Effect<string, never, WorkflowEngine.WorkflowEngine> =>
  SyncWorkflow.execute({ tenant, runId, verify }, { discard: true })

/**
 * A run's state.
 *
 * @since 0.1.0
 * @category running
 */
export const runStatus = (tenant: string, runId: string): Effect.Effect<Http.RunStatus, never, WorkflowEngine.WorkflowEngine> =>
  Effect.gen(function*() {
    const executionId = yield* SyncWorkflow.executionId({ tenant, runId, verify: false })
    const result = yield* SyncWorkflow.poll(executionId)
    if (result === undefined) return { state: "unknown" }
    if (result._tag === "Suspended") return { state: "running" }
    return result.exit._tag === "Success"
      ? { state: "done", result: Schema.encodeSync(RunResult)(result.exit.value) }
      : { state: "failed", error: result.exit.cause.toString() }
  })

/**
 * The verifying sync of each tenant on its schedule, as cluster crons (one
 * runner starts each run).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSchedules = (list: ReadonlyArray<TenantFile.Tenant>) =>
  Layer.mergeAll(
    Layer.empty,
    ...list.flatMap((tenant) =>
      tenant.sync.cron === undefined ? [] : [
        ClusterCron.make({
          name: `verify/${tenant.id}`,
          cron: tenant.sync.cron,
          execute: Effect.flatMap(DateTime.now, (now) =>
            startRun(tenant.id, `scheduled-${DateTime.formatIso(DateTime.startOf(now, "minute"))}`, true)).pipe(Effect.asVoid)
        })
      ]
    )
  )

/**
 * Each tenant's webhook subscription, kept alive by one runner (when the
 * tenant file gives the webhook's public address).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSubscriptions = (list: ReadonlyArray<TenantFile.Tenant>) =>
  Layer.mergeAll(
    Layer.empty,
    ...list.flatMap((tenant) =>
      tenant.webhook.address === undefined ? [] : [
        Singleton.make(
          `subscription/${tenant.id}`,
          Effect.flatMap(SqlClient.SqlClient, (sql) =>
            Effect.scoped(Effect.zipRight(
              tenants.keepSubscription(tenant, {
                load: Effect.map(
                  sql<{ id: string }>`SELECT id FROM up_server_subscriptions WHERE tenant = ${tenant.id}`,
                  (rows) => Option.fromNullable(rows[0]?.id)
                ),
                save: (id) =>
                  sql`INSERT INTO up_server_subscriptions (tenant, id) VALUES (${tenant.id}, ${id})
                      ON CONFLICT (tenant) DO UPDATE SET id = excluded.id`
              }),
              Effect.never
            )))
        )
      ]
    )
  )

/** The table of the tenants' subscription ids (see `layerSubscriptions`). */
const subscriptionsTable = Layer.effectDiscard(
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE TABLE IF NOT EXISTS up_server_subscriptions (tenant TEXT PRIMARY KEY, id TEXT NOT NULL)`)
)

/**
 * The endpoints of a runner: webhooks of every tenant (routed to the tenant's
 * entity), health, readiness, metrics, and the admin endpoints (workflows).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttp = (options: Options) =>
  Layer.scopedDiscard(
    Effect.gen(function*() {
      const makeClient = yield* TenantEntity.client
      const scope = yield* Effect.scope
      const hooks = new Map<string, Effect.Effect.Success<ReturnType<typeof tenants.webhook>>>()
      // a tenant's processed events are checked in its state, through a small pool opened on first use
      for (const tenant of options.tenants) {
        if (tenant.webhook.verificationToken === undefined) continue
        const state = yield* Effect.cached(
          tenants.buildState(PgState.layer({ url: options.database, tenant: tenant.id, maxConnections: 1 })).pipe(Effect.provideService(Scope.Scope, scope))
        )
        const hook = yield* tenants.webhook(tenant, {
          memoryDedup: false,
          isProcessed: (uuid) =>
            state.pipe(Effect.flatMap((s) => s.isEventProcessed(uuid)), Effect.orElseSucceed(() => false)),
          handoff: (events) =>
            makeClient(tenant.id).Events({ events: events.map((e) => ({ ...e, changes: [...e.changes] })) }, { discard: true })
        }).pipe(Effect.orDie)
        hooks.set(tenant.id, hook)
      }
      const engine = yield* Effect.context<WorkflowEngine.WorkflowEngine>()
      const app = yield* Http.app({
        tenants: new Set(options.tenants.map((t) => t.id)),
        adminToken: options.adminToken,
        notReady: Effect.succeed([]),
        webhook: (id) => Effect.succeed(Option.fromNullable(hooks.get(id))),
        requestSync: (id, { runId, verify }) => Effect.provide(Effect.as(startRun(id, runId, verify), runId), engine),
        runStatus: (id, run) => Effect.provide(runStatus(id, run), engine)
      })
      yield* HttpServer.serveEffect(app)
    })
  ).pipe(Layer.provide(NodeHttpServer.layer(() => createServer(), { port: options.port, host: options.host ?? "0.0.0.0" })))

/**
 * A runner: the cluster on PostgreSQL (runner protocol on its own port), the
 * workflow engine, the tenant entity, the sync workflow, the schedules, the
 * subscriptions and the endpoints.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options) => {
  const storage = PgClient.layer({ url: options.database, maxConnections: 8, applicationName: "unified-people cluster" })
  const shardingConfig: Partial<ShardingConfig.ShardingConfig["Type"]> = {
    runnerAddress: Option.some(RunnerAddress.make(options.runnerAddress.host, options.runnerAddress.port)),
    runnerListenAddress: Option.some(RunnerAddress.make(options.runnerListenHost ?? "0.0.0.0", options.runnerAddress.port)),
    ...options.sharding
  }
  const config = ShardingConfig.layerFromEnv(shardingConfig)
  // the cluster's tables, created by the first runner while the others wait (runners starting
  // together would race on CREATE TYPE / CREATE TABLE)
  const tables = serialized(
    Layer.mergeAll(SqlMessageStorage.layer, Layer.orDie(SqlRunnerStorage.layer), subscriptionsTable).pipe(Layer.provide(config))
  )
  const cluster = NodeClusterSocket.layer({ storage: "byo", shardingConfig }).pipe(Layer.provideMerge(tables))
  const engine = ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(cluster), Layer.provideMerge(storage))
  return Layer.mergeAll(
    layerTenantEntity(options),
    layerSyncWorkflow(options),
    layerSchedules(options.tenants),
    layerSubscriptions(options.tenants),
    layerHttp(options)
  ).pipe(Layer.provide(engine))
}

/** Builds a layer while holding a PostgreSQL advisory lock (one runner at a time). */
const serialized = <A, E, R>(layer: Layer.Layer<A, E, R>): Layer.Layer<A, E | SqlError.SqlError, R | SqlClient.SqlClient> =>
  Layer.scopedContext(
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const layerScope = yield* Effect.scope
      return yield* Effect.scoped(
        Effect.gen(function*() {
          // a connection of its own, released once the layer is built
          const connection = yield* sql.reserve
          yield* connection.executeRaw("SELECT pg_advisory_lock(7305016)", [])
          return yield* Layer.buildWithScope(layer, layerScope).pipe(
            Effect.ensuring(Effect.ignore(connection.executeRaw("SELECT pg_advisory_unlock(7305016)", [])))
          )
        })
      )
    })
  )

/**
 * Runs a runner until interrupted.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (options: Options) => Layer.launch(layer(options))
