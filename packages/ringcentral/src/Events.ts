/**
 * Company directory events (seed 002), the `Events` area: the event schema, a
 * webhook `HttpApp` a user mounts in their own server ({@link makeWebhook},
 * {@link webhook}: no client needed; it answers the `Validation-Token`
 * handshake, rejects deliveries whose `Verification-Token` does not match, drops
 * duplicate deliveries by `uuid` and stale ones by `timestamp`, and hands each
 * decoded contact change over as a `Stream` or to a callback), and the
 * `Events` service: the webhook subscription operations and
 * `keepSubscription` (renewal before expiry).
 *
 * | operation | group |
 * |---|---|
 * | `createSubscription` | Medium |
 * | `listSubscriptions` | Light |
 * | `readSubscription` | Light |
 * | `updateSubscription` | Medium |
 * | `renewSubscription` | Light |
 * | `deleteSubscription` | Medium |
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as Liberal from "@unified-people/core/Liberal"
import type * as PeopleError from "@unified-people/core/PeopleError"
import type * as Person from "@unified-people/core/Person"
import type * as Sync from "@unified-people/core/Sync"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { timingSafeEqual } from "node:crypto"
import * as Directory from "./Directory.js"
import { contactFields, open } from "./Directory/Schema.js"
import type * as Mapping from "./Mapping.js"
import { type Operation, RingCentralClient } from "./RingCentralClient.js"

/**
 * One changed contact of a directory event: a directory entry plus `eventType`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class DirectoryEventContact extends Schema.Class<DirectoryEventContact>("@unified-people/ringcentral/DirectoryEventContact")({
  ...contactFields,
  eventType: Liberal.optional(open("Create", "Update", "Delete"))
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class DirectoryEventBody extends Schema.Class<DirectoryEventBody>("@unified-people/ringcentral/DirectoryEventBody")({
  contacts: Schema.Array(DirectoryEventContact)
}) {}

/**
 * The envelope of a company directory event.
 *
 * @since 0.1.0
 * @category schemas
 */
export class DirectoryEvent extends Schema.Class<DirectoryEvent>("@unified-people/ringcentral/DirectoryEvent")({
  uuid: Liberal.Id,
  event: Schema.String,
  timestamp: Schema.String,
  subscriptionId: Liberal.optional(Schema.String),
  ownerId: Liberal.optional(Schema.String),
  body: DirectoryEventBody
}) {}

/**
 * The event filter of the company directory.
 *
 * @since 0.1.0
 * @category constants
 */
export const directoryEventFilter = "/restapi/v1.0/account/~/directory/entries"

/**
 * One decoded contact change handed to the caller.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactChange {
  readonly uuid: string
  readonly timestamp: string
  readonly subscriptionId: string | undefined
  readonly eventType: string
  readonly contact: DirectoryEventContact
  /** The contact mapped to a `Person` (the same mapping as the directory). */
  readonly person: Person.Person
}

/**
 * Groups contact changes by delivery `uuid` into the sync's directory events
 * (`Sync.DirectoryEvent`, in the order received), naming each changed entry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toDirectoryEvents = (changes: Iterable<ContactChange>): ReadonlyArray<Sync.DirectoryEvent> => {
  const byUuid = new Map<string, { uuid: string; timestamp: Date; changes: Array<{ type: string; remoteId: string }> }>()
  for (const change of changes) {
    const event = byUuid.get(change.uuid) ?? { uuid: change.uuid, timestamp: new Date(change.timestamp), changes: [] }
    event.changes.push({ type: change.eventType, remoteId: change.contact.id })
    byUuid.set(change.uuid, event)
  }
  return [...byUuid.values()]
}

/**
 * Counters of a webhook.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookStats {
  readonly validations: number
  readonly accepted: number
  readonly rejected: number
  readonly duplicates: number
  readonly stale: number
  readonly invalid: number
  /** Deliveries refused for their size (413). */
  readonly tooLarge: number
}

/**
 * Options of {@link makeWebhook}.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookOptions {
  /**
   * The `verificationToken` given to the subscription; deliveries without it
   * are rejected (403). Required unless {@link allowUnverified}.
   */
  readonly verificationToken?: Redacted.Redacted | undefined
  /**
   * Accept deliveries without checking a verification token. Not recommended:
   * anyone who finds the URL can then post events.
   */
  readonly allowUnverified?: boolean | undefined
  /** The largest body accepted (default 1 MiB); a larger one is answered 413 without being read. */
  readonly maxBodyBytes?: number | undefined
  /** How many delivery uuids are remembered in memory for de-duplication (default 10 000). */
  readonly dedupCapacity?: number
  /**
   * A durable record of processed events (e.g. the sync state's
   * `isEventProcessed`), consulted for deliveries the memory no longer holds:
   * a repeated delivery after a restart, or days later, is dropped.
   */
  readonly isProcessed?: ((uuid: string) => Effect.Effect<boolean>) | undefined
  readonly mapping?: Mapping.Options
}

/**
 * The default largest body of a delivery: 1 MiB (a directory event is a few kilobytes).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxBodyBytes = 1024 * 1024

/**
 * A webhook that cannot be built as configured.
 *
 * @since 0.1.0
 * @category errors
 */
export class WebhookConfigError extends Schema.TaggedError<WebhookConfigError>("@unified-people/ringcentral/WebhookConfigError")(
  "WebhookConfigError",
  { reason: Schema.String }
) {
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return `ringcentral.webhook: ${this.reason}`
  }
}

/**
 * A webhook: the app to mount, the changes it received, and its counters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Webhook {
  readonly app: HttpApp.Default<never, HttpServerRequest.HttpServerRequest>
  readonly changes: Stream.Stream<ContactChange>
  readonly stats: Effect.Effect<WebhookStats>
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const decodeEvent = HttpPolicy.decodeText(DirectoryEvent, { module: "ringcentral", method: "directoryEvent" })

/**
 * Builds a webhook whose changes are handed to `onChange` (in delivery order).
 *
 * @since 0.1.0
 * @category constructors
 */
export const webhook = (
  options: WebhookOptions & { readonly onChange: (change: ContactChange) => Effect.Effect<void> }
): Effect.Effect<Omit<Webhook, "changes">, WebhookConfigError> =>
  Effect.suspend(() => {
    if (options.verificationToken === undefined && options.allowUnverified !== true) {
      return new WebhookConfigError({
        reason: "a verification token is required (give the subscription's verificationToken, or set allowUnverified)"
      })
    }
    const seen = new Map<string, true>()
    const latest = new Map<string, string>()
    const capacity = options.dedupCapacity ?? 10_000
    const maxBytes = options.maxBodyBytes ?? defaultMaxBodyBytes
    const counters = { validations: 0, accepted: 0, rejected: 0, duplicates: 0, stale: 0, invalid: 0, tooLarge: 0 }
    const lock = Effect.unsafeMakeSemaphore(1)
    const tooLarge = Effect.sync(() => {
      counters.tooLarge++
      return HttpServerResponse.text(`a delivery is at most ${maxBytes} bytes`, { status: 413 })
    })
    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const validation = request.headers["validation-token"]
      if (validation !== undefined) {
        counters.validations++
        return HttpServerResponse.empty({ status: 200, headers: { "Validation-Token": validation } })
      }
      if (options.verificationToken !== undefined) {
        const given = request.headers["verification-token"]
        if (given === undefined || !safeEqual(given, Redacted.value(options.verificationToken))) {
          counters.rejected++
          yield* Effect.logWarning("directory event rejected: verification token mismatch")
          return HttpServerResponse.text("verification token mismatch", { status: 403 })
        }
      }
      const declared = Number(request.headers["content-length"] ?? "0")
      if (Number.isFinite(declared) && declared > maxBytes) return yield* tooLarge
      // a body without a declared length is read up to the limit, and no further
      const body = yield* Effect.either(HttpServerRequest.withMaxBodySize(request.text, Option.some(FileSystem.Size(maxBytes))))
      if (body._tag === "Left") {
        if (/max|size|large|limit/i.test(String(body.left.cause ?? body.left.message))) return yield* tooLarge
        counters.invalid++
        return HttpServerResponse.text("the body could not be read", { status: 400 })
      }
      const text = body.right
      if (Buffer.byteLength(text) > maxBytes) return yield* tooLarge
      const decoded = yield* Effect.either(decodeEvent(text))
      if (decoded._tag === "Left") {
        counters.invalid++
        yield* Effect.logWarning("directory event not decoded").pipe(Effect.annotateLogs({ error: decoded.left.message }))
        return HttpServerResponse.text(decoded.left.message, { status: 400 })
      }
      const event = decoded.right
      return yield* lock.withPermits(1)(Effect.gen(function*() {
        if (seen.has(event.uuid) || (options.isProcessed !== undefined && (yield* options.isProcessed(event.uuid)))) {
          counters.duplicates++
          return HttpServerResponse.empty({ status: 200 })
        }
        seen.set(event.uuid, true)
        if (seen.size > capacity) seen.delete(seen.keys().next().value!)
        counters.accepted++
        for (const contact of event.body.contacts) {
          const previous = latest.get(contact.id)
          if (previous !== undefined && Date.parse(previous) > Date.parse(event.timestamp)) {
            counters.stale++
            continue
          }
          latest.set(contact.id, event.timestamp)
          yield* options.onChange({
            uuid: event.uuid,
            timestamp: event.timestamp,
            subscriptionId: event.subscriptionId,
            eventType: contact.eventType ?? "Update",
            contact,
            person: Directory.toPerson(contact, options.mapping)
          })
        }
        return HttpServerResponse.empty({ status: 200 })
      }))
    })
    return Effect.succeed({ app, stats: Effect.sync(() => ({ ...counters })) })
  })

/**
 * Builds a webhook whose changes are a `Stream`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWebhook = (options: WebhookOptions = {}): Effect.Effect<Webhook, WebhookConfigError> =>
  Effect.gen(function*() {
    const queue = yield* Queue.unbounded<ContactChange>()
    const hook = yield* webhook({ ...options, onChange: (change) => Queue.offer(queue, change) })
    return { ...hook, changes: Stream.fromQueue(queue) }
  })

/**
 * The id of a subscription: a branded string, read liberally (`Liberal.Id`).
 *
 * @since 0.1.0
 * @category ids
 */
export const SubscriptionId = Liberal.Id.pipe(Schema.brand("@unified-people/ringcentral/SubscriptionId"))

/**
 * @since 0.1.0
 * @category ids
 */
export type SubscriptionId = typeof SubscriptionId.Type

/**
 * `DisabledFilterInfo`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class DisabledFilterInfo extends Schema.Class<DisabledFilterInfo>("@unified-people/ringcentral/DisabledFilterInfo")({
  filter: Schema.String,
  reason: Schema.String,
  message: Liberal.optional(Schema.String)
}) {}

/**
 * The delivery mode of a subscription (`WebHook`; older ones say `PubNub`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class NotificationDeliveryMode extends Schema.Class<NotificationDeliveryMode>("@unified-people/ringcentral/NotificationDeliveryMode")({
  transportType: open("WebHook", "WebSocket"),
  address: Liberal.optional(Schema.String),
  encryption: Liberal.optional(Schema.Boolean)
}) {}

/**
 * `SubscriptionInfo`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class SubscriptionInfo extends Schema.Class<SubscriptionInfo>("@unified-people/ringcentral/SubscriptionInfo")({
  uri: Schema.String,
  id: SubscriptionId,
  eventFilters: Schema.Array(Schema.String),
  disabledFilters: Liberal.optional(Schema.Array(DisabledFilterInfo)),
  expirationTime: Schema.String,
  expiresIn: Liberal.optional(Liberal.Numeric),
  status: open("Active", "Blacklisted"),
  creationTime: Schema.String,
  deliveryMode: NotificationDeliveryMode,
  blacklistedData: Liberal.optional(Schema.Struct({ blacklistedAt: Liberal.optional(Schema.String), reason: Liberal.optional(Schema.String) }))
}) {}

/**
 * A list of subscriptions.
 *
 * @since 0.1.0
 * @category schemas
 */
export class SubscriptionListResource extends Schema.Class<SubscriptionListResource>("@unified-people/ringcentral/SubscriptionListResource")({
  uri: Liberal.optional(Schema.String),
  records: Schema.Array(SubscriptionInfo)
}) {}

/** The list as read: each record decoded on its own, so one malformed record does not hide the others. */
const SubscriptionListPage = Schema.Struct({
  uri: Liberal.optional(Schema.String),
  records: Schema.Array(Schema.Unknown)
})

const decodeInfo = Schema.decodeUnknownEither(SubscriptionInfo)

/**
 * Options of `createSubscription` (and `keepSubscription`).
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateSubscriptionOptions {
  /** The webhook URL (it must answer the validation handshake). */
  readonly address: string
  readonly verificationToken?: Redacted.Redacted | undefined
  /** Lifetime in seconds (default: the server's, about 7 days). */
  readonly expiresIn?: number | undefined
  /** Default: the company directory filter. */
  readonly eventFilters?: ReadonlyArray<string> | undefined
}

const subscription = "/restapi/v1.0/subscription"

/**
 * The operations of this area with their `x-throttling-group`.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  createSubscription: { operationId: "createSubscription", method: "POST", path: subscription, group: "Medium" },
  listSubscriptions: { operationId: "listSubscriptions", method: "GET", path: subscription, group: "Light" },
  readSubscription: { operationId: "readSubscription", method: "GET", path: `${subscription}/{subscriptionId}`, group: "Light" },
  updateSubscription: { operationId: "updateSubscription", method: "PUT", path: `${subscription}/{subscriptionId}`, group: "Medium" },
  renewSubscription: {
    operationId: "renewSubscription",
    method: "POST",
    path: `${subscription}/{subscriptionId}/renew`,
    group: "Light"
  },
  deleteSubscription: { operationId: "deleteSubscription", method: "DELETE", path: `${subscription}/{subscriptionId}`, group: "Medium" }
} as const satisfies Record<string, Operation>

/**
 * A subscription kept alive by `keepSubscription`: the current one, and how
 * many times it was renewed (or recreated).
 *
 * @since 0.1.0
 * @category models
 */
export interface KeptSubscription {
  readonly current: Effect.Effect<SubscriptionInfo>
  readonly renewals: Effect.Effect<number>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `createSubscription` (Medium): a WebHook subscription, to the company directory by default. */
  readonly createSubscription: (options: CreateSubscriptionOptions) => Effect.Effect<SubscriptionInfo, PeopleError.PeopleError>
  /**
   * `listSubscriptions` (Light): the subscriptions of this application in the
   * account. A record that does not decode is left out (never acted upon).
   */
  readonly listSubscriptions: Effect.Effect<ReadonlyArray<SubscriptionInfo>, PeopleError.PeopleError>
  /** `readSubscription` (Light). */
  readonly readSubscription: (id: string) => Effect.Effect<SubscriptionInfo, PeopleError.PeopleError>
  /** `updateSubscription` (Medium): its filters or lifetime. */
  readonly updateSubscription: (
    id: string,
    update: { readonly eventFilters?: ReadonlyArray<string>; readonly expiresIn?: number }
  ) => Effect.Effect<SubscriptionInfo, PeopleError.PeopleError>
  /** `renewSubscription` (Light): for its lifetime. */
  readonly renewSubscription: (id: string) => Effect.Effect<SubscriptionInfo, PeopleError.PeopleError>
  /** `deleteSubscription` (Medium). */
  readonly deleteSubscription: (id: string) => Effect.Effect<void, PeopleError.PeopleError>
  /**
   * Creates a subscription and keeps it alive for the lifetime of the scope: it
   * is renewed before it expires (`renewAhead`, default 1 hour, at most half the
   * lifetime), recreated when the server no longer knows it (expired or
   * blacklisted), and deleted when the scope closes.
   */
  readonly keepSubscription: (
    options: CreateSubscriptionOptions & { readonly renewAhead?: Duration.DurationInput }
  ) => Effect.Effect<KeptSubscription, PeopleError.PeopleError, Scope.Scope>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Events extends Context.Tag("@unified-people/ringcentral/Events")<Events, Service>() {}

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, RingCentralClient> = Effect.map(RingCentralClient, (client) => {
  const path = (id: string, suffix = "") => `${subscription}/${encodeURIComponent(id)}${suffix}`

  const createSubscription = (options: CreateSubscriptionOptions) =>
    client.json(SubscriptionInfo)(
      HttpClientRequest.post(subscription).pipe(
        HttpClientRequest.bodyUnsafeJson({
          eventFilters: options.eventFilters ?? [directoryEventFilter],
          ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
          deliveryMode: {
            transportType: "WebHook",
            address: options.address,
            ...(options.verificationToken === undefined ? {} : { verificationToken: Redacted.value(options.verificationToken) })
          }
        })
      ),
      { method: "createSubscription", group: operations.createSubscription.group }
    )

  const listSubscriptions = client.json(SubscriptionListPage)(HttpClientRequest.get(subscription), {
    method: "listSubscriptions",
    group: operations.listSubscriptions.group
  }).pipe(
    Effect.map((page) =>
      page.records.flatMap((record) => {
        const decoded = decodeInfo(record)
        return decoded._tag === "Right" ? [decoded.right] : []
      })
    )
  )

  const readSubscription = (id: string) =>
    client.json(SubscriptionInfo)(HttpClientRequest.get(path(id)), {
      method: "readSubscription",
      group: operations.readSubscription.group
    })

  const updateSubscription = (id: string, update: { readonly eventFilters?: ReadonlyArray<string>; readonly expiresIn?: number }) =>
    client.json(SubscriptionInfo)(
      HttpClientRequest.put(path(id)).pipe(HttpClientRequest.bodyUnsafeJson(update)),
      { method: "updateSubscription", group: operations.updateSubscription.group }
    )

  const renewSubscription = (id: string) =>
    client.json(SubscriptionInfo)(HttpClientRequest.post(path(id, "/renew")), {
      method: "renewSubscription",
      group: operations.renewSubscription.group,
      idempotent: true
    })

  const deleteSubscription = (id: string) =>
    Effect.asVoid(client.execute(HttpClientRequest.del(path(id)), {
      method: "deleteSubscription",
      group: operations.deleteSubscription.group
    }))

  const keepSubscription = (options: CreateSubscriptionOptions & { readonly renewAhead?: Duration.DurationInput }) =>
    Effect.gen(function*() {
      const first = yield* createSubscription(options)
      const current = yield* Ref.make(first)
      const renewals = yield* Ref.make(0)
      const aheadMillis = Duration.toMillis(options.renewAhead ?? Duration.hours(1))
      const delayOf = (info: SubscriptionInfo) => {
        const lifetime = (info.expiresIn ?? 604_799) * 1000
        return Duration.millis(Math.max(10, lifetime - Math.min(aheadMillis, lifetime / 2)))
      }
      const renewOnce = Effect.gen(function*() {
        const info = yield* Ref.get(current)
        yield* Effect.sleep(delayOf(info))
        const next = yield* renewSubscription(info.id).pipe(
          Effect.flatMap((renewed) => renewed.status === "Blacklisted" ? createSubscription(options) : Effect.succeed(renewed)),
          Effect.catchTag("NotFound", () => createSubscription(options))
        )
        yield* Ref.set(current, next)
        yield* Ref.update(renewals, (n) => n + 1)
      })
      yield* renewOnce.pipe(
        Effect.tapError((e) => Effect.logWarning("subscription renewal failed").pipe(Effect.annotateLogs({ error: e.message }))),
        Effect.retry(Schedule.exponential(Duration.millis(100)).pipe(Schedule.union(Schedule.spaced(Duration.seconds(30))))),
        Effect.forever,
        Effect.forkScoped
      )
      yield* Effect.addFinalizer(() => Effect.flatMap(Ref.get(current), (info) => Effect.ignore(deleteSubscription(info.id))))
      return { current: Ref.get(current), renewals: Ref.get(renewals) }
    })

  return { createSubscription, listSubscriptions, readSubscription, updateSubscription, renewSubscription, deleteSubscription, keepSubscription }
})

/**
 * The service over the `RingCentralClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Events, never, RingCentralClient> = Layer.effect(Events, make)
