/**
 * The service in one process, for one or more tenants, each with its state
 * in its own SQLite file (through the `Connector`): the endpoints of `Http`
 * (webhooks, health, readiness, metrics, admin) on one port, and per tenant:
 *
 * - its webhook mounted at `/webhooks/<tenant>` with its verification token;
 *   accepted events are applied as they arrive (`Sync.applyEvents`, a batch at
 *   a time), repeated deliveries dropped by the state's processed events
 *   (`isProcessed`), so also after a restart;
 * - its subscription kept alive when the tenant file gives the webhook's
 *   public address (renewed before expiry, recreated when gone, deleted at
 *   shutdown; its id kept next to the state file, so a start after a crash
 *   deletes the subscription the crashed process left);
 * - a sync at startup, and a verifying sync on its schedule (`Schedule.cron`);
 * - one operation at a time (a sync, or a batch of events), under the state's lease.
 *
 * Shutting down (SIGTERM, or the scope closing) stops the work between writes:
 * each write and its state record are one uninterruptible step, so the
 * writes in flight finish and are recorded, and the next start continues.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as Sync from "@unified-people/core/Sync"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import type * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Connector from "./Connector.js"
import * as Http from "./Http.js"
import * as tenants from "./internal/tenant.js"
import type * as TenantFile from "./TenantFile.js"

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly tenants: ReadonlyArray<TenantFile.Tenant>
  /** The port of the endpoints (0: any free one). */
  readonly port: number
  /** The address to listen on (default `0.0.0.0`). */
  readonly host?: string | undefined
  /** Where the tenants' state files are kept (`<dir>/<tenant>.sqlite`) unless the tenant file names one. */
  readonly stateDir: string
  /** This process's name in leases and request headers (default `host:pid`). */
  readonly runner?: string | undefined
  /** Enables the admin endpoints (start a sync, read a run). */
  readonly adminToken?: Redacted.Redacted | undefined
  /** Sync every tenant at startup (default true). */
  readonly startupSync?: boolean | undefined
  /** The largest number of events applied in one batch (default 500). */
  readonly eventBatch?: number | undefined
}

/**
 * A running service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Served {
  /** `http://HOST:PORT` of the endpoints. */
  readonly url: string
  readonly port: number
  /** A tenant's runtime once started (tests). */
  readonly tenant: (id: string) => Effect.Effect<Option.Option<tenants.Runtime>>
}

type Entry =
  | { readonly _tag: "Starting" }
  | { readonly _tag: "Failed"; readonly reason: string }
  | {
    readonly _tag: "Ready"
    readonly runtime: tenants.Runtime
    readonly webhook: Option.Option<HttpApp.Default<never, HttpServerRequest.HttpServerRequest>>
  }

/**
 * The default name of this process: host and process id.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRunner = (): string => `${Os.hostname()}:${process.pid}`

/**
 * Starts the service for the lifetime of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Served, HttpServerError.ServeError, Scope.Scope | Connector.Connector | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const connector = yield* Connector.Connector
    const runner = options.runner ?? defaultRunner()
    const entries = new Map<string, Entry>(options.tenants.map((t) => [t.id, { _tag: "Starting" }]))
    const runs = new Map<string, Http.RunStatus>()
    const scope = yield* Effect.scope

    const ready = (id: string) => {
      const entry = entries.get(id)
      return entry?._tag === "Ready" ? Option.some(entry) : Option.none()
    }

    const track = (tenant: string, runId: string, effect: Effect.Effect<Sync.Report, Sync.SyncError>) =>
      Effect.sync(() => runs.set(`${tenant}/${runId}`, { state: "running" })).pipe(
        Effect.zipRight(effect),
        Effect.tap((report) => Effect.sync(() => runs.set(`${tenant}/${runId}`, { state: "done", result: report.summary }))),
        Effect.tapError((e) => Effect.sync(() => runs.set(`${tenant}/${runId}`, { state: "failed", error: e.message }))),
        Effect.catchAll((e) => Effect.logWarning(`run ${runId} failed: ${e.message}`)),
        Effect.annotateLogs({ tenant, run: runId })
      )

    const handlers: Http.Handlers = {
      tenants: new Set(entries.keys()),
      adminToken: options.adminToken,
      notReady: Effect.sync(() =>
        [...entries].flatMap(([id, e]) => e._tag === "Ready" ? [] : [`${id} ${e._tag === "Starting" ? "starting" : `failed: ${e.reason}`}`])
      ),
      webhook: (id) => Effect.sync(() => Option.flatMap(ready(id), (e) => e.webhook)),
      requestSync: (id, { runId, verify }) =>
        Effect.gen(function*() {
          const entry = ready(id)
          if (Option.isNone(entry)) return yield* Effect.fail(new Error(`tenant ${id} is not ready`))
          if (runs.get(`${id}/${runId}`)?.state === "running") return runId
          yield* Effect.forkIn(track(id, runId, tenants.sync(entry.value.runtime, "requested", verify)), scope)
          return runId
        }),
      runStatus: (id, runId) => Effect.sync(() => runs.get(`${id}/${runId}`) ?? { state: "unknown" })
    }

    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port, host: options.host ?? "0.0.0.0" })
    yield* server.serve(yield* Http.app(handlers))
    const address = server.address
    const port = address._tag === "TcpAddress" ? address.port : 0
    const url = `http://${address._tag === "TcpAddress" ? (address.hostname === "0.0.0.0" ? "127.0.0.1" : address.hostname) : "localhost"}:${port}`
    yield* Effect.logInfo(`serving ${options.tenants.length} tenant(s) on ${url}`)

    const start = (tenant: TenantFile.Tenant) =>
      Effect.gen(function*() {
        const file = tenant.state ?? Path.join(options.stateDir, `${tenant.id}.sqlite`)
        yield* Effect.tryPromise({
          try: () => Fs.mkdir(Path.dirname(file), { recursive: true }),
          catch: (e) => new Error(`cannot create the state directory ${Path.dirname(file)}: ${(e as NodeJS.ErrnoException).code ?? "error"}`)
        })
        const state = yield* tenants.buildState(connector.stateFile(file))
        const runtime = yield* tenants.make(tenant, state, { runner })
        const queue = yield* Queue.unbounded<Sync.DirectoryEvent>()
        const webhook = tenant.webhook.verificationToken === undefined
          ? Option.none()
          : Option.some(
            yield* tenants.webhook(tenant, {
              isProcessed: (uuid) => Effect.orElseSucceed(state.isEventProcessed(uuid), () => false),
              handoff: (events) => Queue.offerAll(queue, events)
            })
          )
        if (Option.isNone(webhook)) yield* Effect.logWarning("no webhook: the tenant file gives no webhook.verificationToken")
        // events: a batch at a time, between the other operations
        yield* Queue.takeBetween(queue, 1, options.eventBatch ?? 500).pipe(
          Effect.flatMap((batch) =>
            tenants.applyEvents(runtime, [...batch]).pipe(
              Effect.retry({ schedule: tenants.backoff, times: 5, while: (e) => e.isRetryable }),
              Effect.catchAll((e) => Effect.logWarning(`events not applied (the next sync repairs): ${e.message}`))
            )
          ),
          Effect.forever,
          Effect.forkIn(scope)
        )
        if (options.startupSync !== false) {
          yield* Effect.forkIn(track(tenant.id, `startup-${Date.now().toString(36)}`, tenants.sync(runtime, "startup", false)), scope)
        }
        if (tenant.sync.cron !== undefined) {
          yield* tenants.sync(runtime, "scheduled", true).pipe(
            Effect.catchAll((e) => Effect.logWarning(`scheduled sync failed: ${e.message}`)),
            Effect.schedule(Schedule.cron(tenant.sync.cron)),
            Effect.forever,
            Effect.forkIn(scope)
          )
        }
        entries.set(tenant.id, { _tag: "Ready", runtime, webhook })
        // once the webhook is mounted (the subscription's creation checks it answers); its id next
        // to the state file, so a start after a crash deletes the subscription left behind
        const remembered = `${file}.subscription`
        yield* Effect.forkIn(
          tenants.keepSubscription(tenant, {
            load: Effect.promise(() => Fs.readFile(remembered, "utf8").then((id) => Option.some(id.trim()), () => Option.none<string>())),
            // written aside and renamed: a crash mid-write never leaves a truncated id
            save: (id) => Effect.tryPromise(() => Fs.writeFile(`${remembered}.tmp`, id).then(() => Fs.rename(`${remembered}.tmp`, remembered)))
          }),
          scope
        )
      }).pipe(
        Effect.provideService(Scope.Scope, scope),
        Effect.catchAll((e) =>
          Effect.zipRight(
            Effect.logError(`tenant not started: ${e.message}`),
            Effect.sync(() => void entries.set(tenant.id, { _tag: "Failed", reason: e.message }))
          )
        ),
        Effect.annotateLogs({ tenant: tenant.id })
      )

    yield* Effect.forEach(options.tenants, start, { concurrency: 4, discard: true })
    yield* Effect.addFinalizer(() => Effect.logInfo("shutting down: in-flight writes finish and are recorded"))
    return {
      url,
      port,
      tenant: (id) => Effect.sync(() => Option.map(ready(id), (e) => e.runtime))
    } satisfies Served
  })

/**
 * Runs the service until interrupted (SIGTERM / SIGINT through the runtime).
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  options: Options
): Effect.Effect<never, HttpServerError.ServeError, Connector.Connector | HttpClient.HttpClient> =>
  Effect.scoped(Effect.zipRight(make(options), Effect.never))
