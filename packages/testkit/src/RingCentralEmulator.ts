/**
 * A RingCentral emulator for tests and demos: a real HTTP server on loopback
 * (built on this package's `Loopback`) holding a generated company directory
 * of any size, serving the directory, federation, custom field, OAuth
 * and subscription endpoints (and part 2's extension endpoints) with the real
 * wire format, per-group rate limits with the real penalty semantics, RingCentral
 * error bodies, injectable faults, and delivery of directory events to webhooks.
 *
 * The routes are split by API area, one module each in `RingCentralEmulator/`:
 * `OAuth`, `Directory` (entries, search, federation), `CustomFields`,
 * `Subscriptions` (and event delivery), `Extensions` (one module per route
 * group in `RingCentralEmulator/Extensions/`); `Context` holds what they share
 * (auth, throttling groups, counters, error bodies), `Store` the extension
 * records and `Generate` the seeded company.
 *
 * ```ts
 * const emulator = yield* Emulator.make({ size: 5000, scale: 0.01 })
 * const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator))
 * ```
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as RingCentralClient from "@unified-people/ringcentral/RingCentralClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Loopback from "./Loopback.js"
import * as Context from "./RingCentralEmulator/Context.js"
import * as CustomFields from "./RingCentralEmulator/CustomFields.js"
import * as Directory from "./RingCentralEmulator/Directory.js"
import * as Extensions from "./RingCentralEmulator/Extensions.js"
import * as Generate from "./RingCentralEmulator/Generate.js"
import * as OAuth from "./RingCentralEmulator/OAuth.js"
import * as Store from "./RingCentralEmulator/Store.js"
import * as Subscriptions from "./RingCentralEmulator/Subscriptions.js"

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Generate.Options {
  /** A ready store instead of a generated one. */
  readonly store?: Store.Store
  readonly clientId?: string
  readonly clientSecret?: string
  readonly jwt?: string
  /** Access token lifetime (default 3600 s). */
  readonly tokenLifetimeSeconds?: number
  readonly refreshTokenLifetimeSeconds?: number
  /** Multiplies every rate-limit window and penalty (0.01: 60 s → 600 ms). */
  readonly scale?: number
  /** Limits per group before scaling (default: the real ones). */
  readonly limits?: Partial<Record<Context.Group, Context.GroupLimit>>
  /** Set to false to switch rate limiting off. */
  readonly rateLimits?: boolean
  /** The largest `perPage` (default 2000). */
  readonly maxPerPage?: number
  /** Leave the totals out of directory pages. */
  readonly omitTotals?: boolean
  /**
   * Deliver directory events on their own shortly after each change (also the
   * changes made through the HTTP API). Off by default: tests call
   * `changeDirectory` or `subscriptions.deliver` to control deliveries.
   */
  readonly autoDeliver?: boolean
  readonly port?: number
}

/**
 * A running emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Emulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  readonly store: Store.Store
  readonly context: Context.Context
  readonly faults: Loopback.Faults
  readonly subscriptions: Subscriptions.Subscriptions
  readonly settings: Context.Settings
  /** The client credentials the token endpoint accepts. */
  readonly credentials: { readonly clientId: string; readonly clientSecret: string; readonly jwt: string }
  readonly stats: Effect.Effect<Context.Stats>
  /** Applies a change to the store, then delivers the resulting directory events; returns how many were accepted. */
  readonly changeDirectory: (mutate: (store: Store.Store) => void) => Effect.Effect<number>
  /** Revokes every access token. */
  readonly expireTokens: Effect.Effect<void>
  /** Counts `n` requests against a group as if another client of the same user sent them. */
  readonly consume: (group: Context.Group, n: number) => Effect.Effect<void>
}

/**
 * Starts an emulator for the lifetime of the scope. Requires an `HttpClient`
 * (for webhook deliveries).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<Emulator, HttpServerError.ServeError, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const store = options.store ?? Store.make(Generate.seed(options))
    const scale = options.scale ?? 1
    const limits = Object.fromEntries(
      Context.groups.map((g) => {
        const base = options.limits?.[g] ?? Context.realLimits[g]
        return [g, { limit: base.limit, windowMillis: base.windowMillis * scale, penaltyMillis: base.penaltyMillis * scale }]
      })
    ) as Record<Context.Group, Context.GroupLimit>
    const settings: Context.Settings = {
      clientId: options.clientId ?? "emulator-client-id",
      clientSecret: options.clientSecret ?? "emulator-client-secret",
      jwt: options.jwt ?? "emulator.jwt.assertion",
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? 604_800,
      limits,
      rateLimits: options.rateLimits ?? true,
      maxPerPage: options.maxPerPage ?? 2000,
      omitTotals: options.omitTotals ?? false
    }
    let url = "http://127.0.0.1"
    const context = Context.make(store, settings, () => url)
    const subscriptions = Subscriptions.make(context, client)
    const router = HttpRouter.concatAll(
      OAuth.routes(context),
      Directory.routes(context),
      CustomFields.routes(context),
      subscriptions.routes,
      Extensions.routes(context)
    )
    const app = router.pipe(
      Effect.catchTag("RouteNotFound", () => Effect.succeed(Context.error(404, "CMN-102", "Resource not found", { errorsOnly: true })))
    )
    const server = yield* Loopback.serve(app, options.port === undefined ? {} : { port: options.port })
    url = server.url
    if (options.autoDeliver === true) {
      const signal = yield* Queue.sliding<void>(1)
      store.subscribe(() => {
        Queue.unsafeOffer(signal, undefined)
      })
      yield* Queue.take(signal).pipe(
        Effect.zipRight(Effect.sleep(Duration.millis(5))),
        Effect.zipRight(subscriptions.deliver),
        Effect.forever,
        Effect.forkScoped
      )
    }
    return {
      url: server.url,
      store,
      context,
      faults: server.faults,
      subscriptions,
      settings,
      credentials: { clientId: settings.clientId, clientSecret: settings.clientSecret, jwt: settings.jwt },
      stats: Effect.sync(() => context.stats()),
      changeDirectory: (mutate) => Effect.suspend(() => {
        mutate(store)
        return subscriptions.deliver
      }),
      expireTokens: Effect.sync(() => context.expireTokens()),
      consume: context.consume
    }
  })

/**
 * Client options pointing at an emulator, with the JWT credentials it accepts
 * and the client's limits scaled like the emulator's.
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientOptions = (emulator: Emulator, overrides: Partial<RingCentralClient.Options> = {}): RingCentralClient.Options => ({
  serverUrl: emulator.url,
  credentials: {
    _tag: "Jwt",
    clientId: emulator.credentials.clientId,
    clientSecret: Redacted.make(emulator.credentials.clientSecret),
    jwt: Redacted.make(emulator.credentials.jwt)
  },
  limits: Object.fromEntries(
    Context.groups.map((g) => {
      const l = emulator.settings.limits[g]
      return [g, { windows: [{ limit: l.limit, window: Duration.millis(l.windowMillis) }], penalty: Duration.millis(l.penaltyMillis) }]
    })
  ) as Record<Context.Group, { windows: Array<{ limit: number; window: Duration.Duration }>; penalty: Duration.Duration }>,
  retry: { base: "20 millis", cap: "2 seconds" },
  ...overrides
})
