/**
 * The emulator's webhook subscriptions: create (with the `Validation-Token`
 * handshake against the webhook address first), list, read, update, renew, delete,
 * expiry, and delivery of directory events built from the store's change feed
 * (with the subscription's `Verification-Token`).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Context from "./Context.js"
import * as Directory from "./Directory.js"
import type * as Store from "./Store.js"

/**
 * A subscription held by the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subscription {
  readonly id: string
  eventFilters: ReadonlyArray<string>
  readonly address: string
  readonly verificationToken: string | undefined
  readonly creationTime: number
  expiresAt: number
  expiresIn: number
  status: "Active" | "Blacklisted"
}

/**
 * A directory event as delivered (the envelope of seed 002).
 *
 * @since 0.1.0
 * @category models
 */
export interface Delivery {
  readonly subscriptionId: string
  readonly event: Record<string, unknown>
}

/**
 * The subscription state and its delivery controls.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subscriptions {
  readonly all: Map<string, Subscription>
  /** Events waiting to be delivered. */
  readonly pending: Array<Delivery>
  /** Events delivered so far (for redelivery tests). */
  readonly delivered: Array<Delivery>
  /** Delivers every pending event; returns how many were accepted (2xx). */
  readonly deliver: Effect.Effect<number>
  /** Sends an already delivered event again (a duplicate delivery, same `uuid`). */
  readonly redeliver: (delivery: Delivery, options?: { readonly verificationToken?: string }) => Effect.Effect<number>
  readonly routes: HttpRouter.HttpRouter<never, never>
}

const directoryFilter = /^\/restapi\/v1\.0\/account\/([^/]+)\/directory\/entries$/

/**
 * Builds the subscription state; the store's changes are queued as directory
 * events for every active subscription with a directory filter.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (context: Context.Context, client: HttpClient.HttpClient): Subscriptions => {
  const all = new Map<string, Subscription>()
  const pending: Array<Delivery> = []
  const delivered: Array<Delivery> = []
  const store = context.store

  const info = (s: Subscription) => ({
    uri: `${context.baseUrl()}/restapi/v1.0/subscription/${s.id}`,
    id: s.id,
    creationTime: new Date(s.creationTime).toISOString(),
    status: s.status,
    eventFilters: s.eventFilters,
    expirationTime: new Date(s.expiresAt).toISOString(),
    expiresIn: Math.max(0, s.expiresIn),
    deliveryMode: { transportType: "WebHook", encryption: false, address: s.address }
  })

  store.subscribe((change: Store.Change) => {
    const now = Date.now()
    for (const s of all.values()) {
      if (s.status !== "Active" || s.expiresAt <= now) continue
      const filter = s.eventFilters.find((f) => {
        const m = directoryFilter.exec(f)
        return m !== null && (m[1] === "~" || m[1] === change.extension.accountId || m[1] === store.account.id)
      })
      if (filter === undefined) continue
      pending.push({
        subscriptionId: s.id,
        event: {
          uuid: crypto.randomUUID(),
          event: `/restapi/v1.0/account/${store.account.id}/directory/entries`,
          timestamp: new Date(now).toISOString(),
          subscriptionId: s.id,
          body: {
            contacts: [{
              eventType: change.eventType,
              ...Directory.toContactResource(store, change.extension, context.baseUrl())
            }]
          }
        }
      })
    }
  })

  const post = (delivery: Delivery, token?: string) =>
    Effect.gen(function*() {
      const s = all.get(delivery.subscriptionId)
      if (s === undefined) return false
      const verification = token ?? s.verificationToken
      const request = HttpClientRequest.post(s.address).pipe(
        HttpClientRequest.bodyUnsafeJson(delivery.event),
        verification === undefined ? (r) => r : HttpClientRequest.setHeader("Verification-Token", verification)
      )
      const response = yield* client.execute(request).pipe(Effect.timeout(Duration.seconds(5)), Effect.option)
      return response._tag === "Some" && response.value.status >= 200 && response.value.status < 300
    }).pipe(Effect.scoped)

  const lock = Effect.unsafeMakeSemaphore(1)
  const deliver = lock.withPermits(1)(Effect.gen(function*() {
    let ok = 0
    while (pending.length > 0) {
      const next = pending.shift()!
      if (yield* post(next)) ok++
      delivered.push(next)
    }
    return ok
  }))

  const redeliver = (delivery: Delivery, options: { readonly verificationToken?: string } = {}) =>
    Effect.map(post(delivery, options.verificationToken), (ok) => ok ? 1 : 0)

  const validate = (address: string) =>
    Effect.gen(function*() {
      const token = crypto.randomUUID()
      const response = yield* client.execute(
        HttpClientRequest.post(address).pipe(HttpClientRequest.setHeader("Validation-Token", token))
      ).pipe(Effect.timeout(Duration.seconds(3)), Effect.option)
      return response._tag === "Some" && response.value.status === 200 && response.value.headers["validation-token"] === token
    }).pipe(Effect.scoped)

  const notFound = Context.error(404, "SUB-404", "Subscription not found", { parameterName: "subscriptionId" })

  const readBody = Effect.flatMap(HttpServerRequest.HttpServerRequest, (r) =>
    Effect.orElseSucceed(r.json, () => undefined)) as Effect.Effect<Record<string, unknown> | undefined, never, HttpServerRequest.HttpServerRequest>

  const validFilters = (u: unknown): u is ReadonlyArray<string> =>
    Array.isArray(u) && u.length > 0 && u.every((f) => typeof f === "string" && f.length > 0)

  const create = context.guard("Medium", Effect.gen(function*() {
    const body = yield* readBody
    const now = yield* Clock.currentTimeMillis
    const mode = body?.deliveryMode as Record<string, unknown> | undefined
    if (!validFilters(body?.eventFilters)) {
      return Context.error(400, "SUB-400", "Event filters are invalid", { parameterName: "eventFilters" })
    }
    if (mode?.transportType !== "WebHook" || typeof mode.address !== "string") {
      return Context.error(400, "SUB-400", "Delivery mode is invalid", { parameterName: "deliveryMode" })
    }
    if (!(yield* validate(mode.address))) {
      return Context.error(400, "SUB-521", "Validation token is not returned", { parameterName: "deliveryMode.address" })
    }
    const expiresIn = typeof body?.expiresIn === "number" ? body.expiresIn : 604_799
    const s: Subscription = {
      id: crypto.randomUUID(),
      eventFilters: body.eventFilters as ReadonlyArray<string>,
      address: mode.address,
      verificationToken: typeof mode.verificationToken === "string" ? mode.verificationToken : undefined,
      creationTime: now,
      expiresAt: now + expiresIn * 1000,
      expiresIn,
      status: "Active"
    }
    all.set(s.id, s)
    return HttpServerResponse.unsafeJson(info(s))
  }))

  const withSubscription = (
    f: (s: Subscription, now: number, body: Record<string, unknown> | undefined) => HttpServerResponse.HttpServerResponse
  ) =>
    Effect.gen(function*() {
      const params = yield* HttpRouter.params
      const now = yield* Clock.currentTimeMillis
      const s = all.get(params.subscriptionId ?? "")
      if (s === undefined || s.expiresAt <= now) return notFound
      const request = yield* HttpServerRequest.HttpServerRequest
      const body = request.method === "PUT" ? yield* readBody : undefined
      return f(s, now, body)
    })

  const routes = HttpRouter.empty.pipe(
    HttpRouter.post("/restapi/v1.0/subscription", create),
    HttpRouter.get(
      "/restapi/v1.0/subscription",
      // the account's subscriptions as the single read shows them; expired ones are gone
      context.guard(
        "Light",
        Effect.map(Clock.currentTimeMillis, (now) =>
          HttpServerResponse.unsafeJson({
            uri: `${context.baseUrl()}/restapi/v1.0/subscription`,
            records: [...all.values()].filter((s) => s.expiresAt > now).map(info)
          }))
      )
    ),
    HttpRouter.get("/restapi/v1.0/subscription/:subscriptionId", context.guard("Light", withSubscription((s) => HttpServerResponse.unsafeJson(info(s))))),
    HttpRouter.put(
      "/restapi/v1.0/subscription/:subscriptionId",
      context.guard("Medium", withSubscription((s, now, body) => {
        if (body?.eventFilters !== undefined) {
          if (!validFilters(body.eventFilters)) return Context.error(400, "SUB-400", "Event filters are invalid", { parameterName: "eventFilters" })
          s.eventFilters = body.eventFilters
        }
        if (typeof body?.expiresIn === "number") s.expiresIn = body.expiresIn
        s.expiresAt = now + s.expiresIn * 1000
        return HttpServerResponse.unsafeJson(info(s))
      }))
    ),
    HttpRouter.post(
      "/restapi/v1.0/subscription/:subscriptionId/renew",
      context.guard("Light", withSubscription((s, now) => {
        s.expiresAt = now + s.expiresIn * 1000
        return HttpServerResponse.unsafeJson(info(s))
      }))
    ),
    HttpRouter.del(
      "/restapi/v1.0/subscription/:subscriptionId",
      context.guard("Medium", withSubscription((s) => {
        all.delete(s.id)
        return HttpServerResponse.empty({ status: 204 })
      }))
    )
  )

  return { all, pending, delivered, deliver, redeliver, routes }
}
