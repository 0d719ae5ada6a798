/**
 * One tenant at work on this process: its ports (over an HTTP client that
 * names the runner and counts 429s), its sync jobs over its state, one
 * operation at a time, metrics, its webhook app and its subscription.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Events from "@unified-people/ringcentral/Events"
import * as RingCentralClient from "@unified-people/ringcentral/RingCentralClient"
import * as RingCentralConfig from "@unified-people/ringcentral/RingCentralConfig"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Connector from "../Connector.js"
import * as Metrics from "../Metrics.js"
import * as TenantFile from "../TenantFile.js"

/** The header naming the runner on every request a tenant's clients send. */
export const runnerHeader = "x-unified-people-runner"

/** What a run of a tenant is. */
export type RunKind = "scheduled" | "startup" | "requested" | "events"

/** Settings shared by every tenant of a process. */
export interface Settings {
  /** This process's name in leases and request headers. */
  readonly runner: string
  /** Lease time to live (default 60 s). */
  readonly leaseTtl?: Duration.DurationInput | undefined
}

export interface Runtime {
  readonly tenant: TenantFile.Tenant
  readonly state: SyncState.Service
  readonly ports: Connector.Ports
  /** The incremental job (stored directory version honoured) and the verifying one (every person compared). */
  readonly job: Sync.Sync
  readonly verifyJob: Sync.Sync
  /** Runs `effect` as this tenant's only operation. */
  readonly exclusive: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/** Retries of background work: quickly at first, then every 10 seconds. */
export const backoff = Schedule.exponential(Duration.millis(500)).pipe(Schedule.union(Schedule.spaced(Duration.seconds(10))))

/** The outcome of a sync as the metrics count it. */
export const outcomeOf = (summary: Sync.Summary): Metrics.RunOutcome => ({
  status: summary.status,
  created: summary.created,
  updated: summary.updated,
  deleted: summary.deleted,
  failures: summary.failures.length,
  durationMillis: summary.durationMillis
})

/** An HTTP client naming the runner and counting the tenant's 429 answers by side. */
const instrument = (tenant: TenantFile.Tenant, runner: string) => (client: HttpClient.HttpClient): HttpClient.HttpClient => {
  const rc = tenant.env.get("RINGCENTRAL_SERVER_URL")
  const rcOrigin = rc === undefined ? "https://platform.ringcentral.com" : new URL(Redacted.value(rc)).origin
  const counter = Metrics.rateLimited.pipe(Metric.tagged("tenant", tenant.id))
  return client.pipe(
    HttpClient.mapRequest(HttpClientRequest.setHeader(runnerHeader, runner)),
    HttpClient.tap((response) =>
      response.status === 429
        ? Metric.update(Metric.tagged(counter, "side", new URL(response.request.url).origin === rcOrigin ? "ringcentral" : "people-contacts"), 1)
        : Effect.void
    )
  )
}

/** Builds a tenant's runtime over a state store. */
export const make = (
  tenant: TenantFile.Tenant,
  state: SyncState.Service,
  settings: Settings
): Effect.Effect<Runtime, ConfigError.ConfigError, Connector.Connector | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const connector = yield* Connector.Connector
    const base = yield* HttpClient.HttpClient
    const ports = yield* connector.connect(TenantFile.configProvider(tenant)).pipe(
      Effect.provideService(HttpClient.HttpClient, instrument(tenant, settings.runner)(base))
    )
    const options: Sync.Options = {
      ...ports,
      concurrency: tenant.sync.concurrency,
      defaultRegion: tenant.sync.region,
      maxDeletes: tenant.sync.maxDeletes,
      maxDeleteRatio: tenant.sync.maxDeleteRatio,
      allowMassDelete: tenant.sync.allowMassDelete,
      bulk: tenant.sync.bulk,
      lease: {
        owner: `${settings.runner}/${tenant.id}`,
        ...(settings.leaseTtl === undefined ? {} : { ttl: settings.leaseTtl })
      }
    }
    const job = yield* Sync.make(options).pipe(Effect.provideService(SyncState.SyncState, state))
    // a verifying run ignores the stored directory version (it still stores the new one)
    const ignoringVersion: SyncState.Service = { ...state, version: Effect.succeedNone }
    const verifyJob = yield* Sync.make({ ...options, verify: true }).pipe(Effect.provideService(SyncState.SyncState, ignoringVersion))
    const lock = yield* Effect.makeSemaphore(1)
    return { tenant, state, ports, job, verifyJob, exclusive: lock.withPermits(1) }
  })

/** Runs a full sync of a tenant (one operation at a time) and records it. */
export const sync = (runtime: Runtime, kind: RunKind, verify: boolean): Effect.Effect<Sync.Report, Sync.SyncError> =>
  runtime.exclusive((verify ? runtime.verifyJob : runtime.job).run).pipe(
    Effect.tap((report) => Metrics.recordRun(runtime.tenant.id, kind, outcomeOf(report.summary))),
    Effect.tapError(() => Metrics.recordRun(runtime.tenant.id, kind, failedOutcome)),
    Effect.annotateLogs({ tenant: runtime.tenant.id, run: kind })
  )

/** A run that failed before its summary. */
export const failedOutcome: Metrics.RunOutcome = { status: "failed", created: 0, updated: 0, deleted: 0, failures: 0, durationMillis: 0 }

/** Applies directory events (one operation at a time) and records them. */
export const applyEvents = (
  runtime: Runtime,
  events: ReadonlyArray<Sync.DirectoryEvent>
): Effect.Effect<Sync.Report, Sync.SyncError> =>
  runtime.exclusive(runtime.job.applyEvents(events)).pipe(
    Effect.tap((report) =>
      Effect.gen(function*() {
        yield* Metrics.recordRun(runtime.tenant.id, "events", outcomeOf(report.summary))
        if (report.summary.status === "complete") {
          yield* Metric.update(Metrics.eventsApplied.pipe(Metric.tagged("tenant", runtime.tenant.id)), events.length)
          const oldest = Math.min(...events.map((e) => e.timestamp?.getTime() ?? Date.now()))
          yield* Metric.set(Metrics.eventLag.pipe(Metric.tagged("tenant", runtime.tenant.id)), Math.max(0, (Date.now() - oldest) / 1000))
        }
      })
    ),
    Effect.tapError(() => Metrics.recordRun(runtime.tenant.id, "events", failedOutcome)),
    Effect.annotateLogs({ tenant: runtime.tenant.id, run: "events" })
  )

const collector = FiberRef.unsafeMake<Array<Events.ContactChange> | undefined>(undefined)

/**
 * A tenant's webhook: the RingCentral adapter's (validation handshake,
 * verification token, 413, de-duplication, stale deliveries) with each
 * delivery's changes handed over as directory events once accepted. When the
 * hand-over fails the delivery is answered 503, so RingCentral sends it again.
 */
export const webhook = (
  tenant: TenantFile.Tenant,
  options: {
    readonly isProcessed: (uuid: string) => Effect.Effect<boolean>
    readonly handoff: (events: ReadonlyArray<Sync.DirectoryEvent>) => Effect.Effect<void, unknown>
    /** Remember delivered uuids in memory too (default true); off where a hand-over can fail. */
    readonly memoryDedup?: boolean | undefined
  }
): Effect.Effect<HttpApp.Default<never, HttpServerRequest.HttpServerRequest>, Events.WebhookConfigError> =>
  Effect.gen(function*() {
    const hook = yield* Events.webhook({
      verificationToken: tenant.webhook.verificationToken,
      isProcessed: options.isProcessed,
      ...(options.memoryDedup === false ? { dedupCapacity: 0 } : {}),
      onChange: (change) => Effect.flatMap(FiberRef.get(collector), (bucket) => Effect.sync(() => void bucket?.push(change)))
    })
    const received = Metrics.eventsReceived.pipe(Metric.tagged("tenant", tenant.id))
    return Effect.gen(function*() {
      const bucket: Array<Events.ContactChange> = []
      const response = yield* Effect.locally(hook.app, collector, bucket)
      if (bucket.length === 0) return response
      const events = Events.toDirectoryEvents(bucket)
      return yield* options.handoff(events).pipe(
        Effect.zipRight(Metric.update(received, events.length)),
        Effect.as(response),
        Effect.catchAllCause((cause) =>
          Effect.as(
            Effect.logError("directory event not handed over", cause).pipe(Effect.annotateLogs({ tenant: tenant.id })),
            HttpServerResponse.text("the event could not be accepted, send it again", { status: 503 })
          )
        )
      )
    })
  })

/**
 * Where the id of a tenant's subscription is remembered between processes
 * (a cluster: the runner taking the subscription over deletes the one a dead
 * runner left, instead of adding a second one).
 */
export interface SubscriptionMemory {
  readonly load: Effect.Effect<Option.Option<string>, unknown>
  readonly save: (id: string) => Effect.Effect<void, unknown>
}

/**
 * How often the keeper looks at the account's subscriptions: renews its own
 * when due, recreates it when gone, prunes the tenant's duplicates
 * (`SUBSCRIPTION_CHECK_INTERVAL`, default 1 minute).
 */
export const subscriptionCheckInterval = Config.duration("SUBSCRIPTION_CHECK_INTERVAL").pipe(
  Config.withDefault(Duration.minutes(1))
)

const directoryFilter = /^\/restapi\/v1\.0\/account\/[^/]+\/directory\/entries$/

/** Whether a subscription is one of the tenant's: to its webhook address, with the directory filter alone. */
export const isTenantSubscription = (address: string) => (info: Events.SubscriptionInfo): boolean =>
  info.deliveryMode.address === address && info.eventFilters.length === 1 && directoryFilter.test(info.eventFilters[0]!)

const createdAt = (info: Events.SubscriptionInfo) => {
  const t = Date.parse(info.creationTime)
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t
}

/**
 * The one subscription of the tenant that stays: an active one, the earliest
 * created, then the lowest id. Every holder reading the same list picks the
 * same one, and a subscription created later never displaces it.
 */
export const survivorOf = (candidates: ReadonlyArray<Events.SubscriptionInfo>): Option.Option<Events.SubscriptionInfo> => {
  const active = candidates.filter((s) => s.status === "Active")
  if (active.length === 0) return Option.none()
  return Option.some(active.reduce((best, s) => {
    const [a, b] = [createdAt(s), createdAt(best)]
    return a < b || (a === b && s.id < best.id) ? s : best
  }))
}

/** Renew when less than this is left of a subscription's life (plus two check intervals). */
const renewAhead = Duration.hours(1)

/**
 * Keeps the tenant's webhook subscription alive for the lifetime of the scope,
 * when the tenant file gives its public address. Every check interval it lists
 * the account's subscriptions: its own is recreated when gone, renewed when
 * due; then every other subscription to the tenant's address with the
 * directory filter is deleted but one survivor (see `survivorOf`), so two
 * holders of the tenant's singleton agree on one; a holder whose own is not
 * the survivor deletes it and adopts the survivor (its id remembered).
 * Subscriptions to other addresses are never touched. The one held is deleted
 * when the scope closes. Failures are logged and retried.
 */
export const keepSubscription = (
  tenant: TenantFile.Tenant,
  memory?: SubscriptionMemory
): Effect.Effect<void, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const address = tenant.webhook.address
    if (address === undefined) return
    const interval = yield* subscriptionCheckInterval.pipe(
      Effect.catchAll((e) => Effect.as(Effect.logWarning(`SUBSCRIPTION_CHECK_INTERVAL not read (${e.message}); every minute`), Duration.minutes(1)))
    )
    const events = yield* Events.make.pipe(
      Effect.provide(RingCentralClient.layerConfig(RingCentralConfig.config)),
      Effect.withConfigProvider(TenantFile.configProvider(tenant))
    )
    if (memory !== undefined) {
      const previous = Option.filter(yield* Effect.orElseSucceed(memory.load, () => Option.none<string>()), (id) => id.length > 0)
      if (Option.isSome(previous)) {
        yield* events.deleteSubscription(previous.value).pipe(
          Effect.tap(() => Effect.logInfo(`subscription ${previous.value} left by an earlier holder deleted`)),
          Effect.catchAll((e) => Effect.logInfo(`subscription ${previous.value} left by an earlier holder not deleted: ${e.message}`))
        )
      }
    }
    const mine = isTenantSubscription(address)
    const current = yield* Ref.make(Option.none<Events.SubscriptionInfo>())
    const hold = (info: Events.SubscriptionInfo) =>
      Effect.zipRight(
        Ref.set(current, Option.some(info)),
        memory === undefined ? Effect.void : Effect.ignore(memory.save(info.id))
      )
    const create = Effect.tap(
      events.createSubscription({ address, verificationToken: tenant.webhook.verificationToken }),
      (info) => Effect.zipRight(hold(info), Effect.logInfo(`subscription ${info.id} to ${address} created`))
    )
    const due = (info: Events.SubscriptionInfo, now: number) => {
      const expires = Date.parse(info.expirationTime)
      return Number.isNaN(expires) || expires - now <= Duration.toMillis(renewAhead) + 2 * Duration.toMillis(interval)
    }
    const cycle = Effect.gen(function*() {
      const listed = (yield* events.listSubscriptions).filter(mine)
      const held = yield* Ref.get(current)
      const now = yield* Clock.currentTimeMillis
      const alive = Option.flatMap(held, (h) => Option.fromNullable(listed.find((s) => s.id === h.id && s.status === "Active")))
      const own = Option.isNone(alive)
        ? yield* create
        : due(alive.value, now)
        ? yield* events.renewSubscription(alive.value.id).pipe(
          Effect.flatMap((renewed) => renewed.status === "Active" ? Effect.tap(Effect.succeed(renewed), hold) : create),
          Effect.catchTag("NotFound", () => create)
        )
        : alive.value
      const all = [own, ...listed.filter((s) => s.id !== own.id)]
      const survivor = Option.getOrElse(survivorOf(all), () => own)
      for (const s of all) {
        if (s.id === survivor.id) continue
        yield* events.deleteSubscription(s.id).pipe(
          Effect.tap(() => Effect.logInfo(`subscription ${s.id} to ${address} deleted: ${survivor.id} is the tenant's one`)),
          Effect.catchTag("NotFound", () => Effect.void)
        )
      }
      if (survivor.id !== own.id) {
        yield* hold(survivor)
        yield* Effect.logInfo(`subscription ${survivor.id} to ${address} adopted`)
      }
    })
    yield* Effect.addFinalizer(() =>
      Effect.flatMap(Ref.get(current), (held) => Option.isNone(held) ? Effect.void : Effect.ignore(events.deleteSubscription(held.value.id)))
    )
    const checked = cycle.pipe(
      Effect.tapError((e) => Effect.logWarning(`subscription to ${address} not kept: ${e.message}; trying again`)),
      Effect.retry({ schedule: backoff })
    )
    yield* checked
    yield* Effect.logInfo(`subscription to ${address} kept alive`)
    yield* checked.pipe(Effect.delay(interval), Effect.forever, Effect.forkScoped)
  }).pipe(
    Effect.catchAll((e) => Effect.logError(`subscription not kept: ${e.message}`)),
    Effect.annotateLogs({ tenant: tenant.id })
  )

/** A state layer built for the lifetime of the scope. */
export const buildState = <E>(layer: Layer.Layer<SyncState.SyncState, E>): Effect.Effect<SyncState.Service, E, Scope.Scope> =>
  Effect.map(Layer.build(layer), Context.get(SyncState.SyncState))
