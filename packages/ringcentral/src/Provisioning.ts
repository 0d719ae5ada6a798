/**
 * The version 2 bulk user operations, the `Provisioning` area: batch provisioning
 * (`postBatchProvisionUsers`) and bulk delete (`bulkDeleteUsersV2`), with their
 * wire schemas as in the OpenAPI specification. Requests are strict (validated
 * before anything is sent), responses are liberal.
 *
 * The server takes a bounded number of records per call (10 to provision, 50 to
 * delete): larger inputs are split into calls, and the result says for every
 * record whether it succeeded and, if not, why. A record is reported as a
 * success only when the server's answer says so for that record.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Liberal from "@unified-people/core/Liberal"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Request from "./Extensions/Request.js"
import { EmailAddress, ExtensionId, ExtensionRegionalSettingRequest, IdString, PhoneNumberE164, Text64 } from "./Extensions/Schema.js"
import { type Operation, RingCentralClient } from "./RingCentralClient.js"

const opt = Schema.optional

/**
 * The most records `postBatchProvisionUsers` accepts per call (`maxItems: 10`).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxProvisionRecords = 10

/**
 * The most records `bulkDeleteUsersV2` accepts per call (`maxItems: 50`).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxDeleteRecords = 50

/**
 * `PostalAddress` (emergency address of a device).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PostalAddress = Schema.Struct({
  street: Schema.String.pipe(Schema.maxLength(256)),
  street2: opt(Schema.String.pipe(Schema.maxLength(256))),
  city: Schema.String.pipe(Schema.maxLength(64)),
  state: opt(Schema.String.pipe(Schema.maxLength(64))),
  zip: Schema.String.pipe(Schema.maxLength(10)),
  country: Schema.String.pipe(Schema.length(2))
})

const PhoneNumberType = Schema.Literal("VoiceFax", "VoiceOnly", "FaxOnly")
const TollType = Schema.Literal("Toll", "TollFree")

/**
 * The `phoneInfo` of a device definition: one of the specification's five ways
 * to pick a number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PhoneNumberDefinition = Schema.Union(
  Schema.Struct({ tollType: TollType, type: opt(PhoneNumberType) }),
  Schema.Struct({
    preferredAreaCode: Schema.String.pipe(Schema.pattern(/^[1-9]\d{1,3}$/)),
    tollType: opt(TollType),
    type: opt(PhoneNumberType)
  }),
  Schema.Struct({ phoneNumber: PhoneNumberE164, reservationId: opt(Schema.String) }),
  Schema.Struct({ phoneNumberId: Schema.String }),
  Schema.Struct({ phoneNumber: Schema.String, type: opt(PhoneNumberType) })
)

/**
 * `DeviceDefinition`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DeviceDefinition = Schema.Struct({
  type: Schema.Literal("OtherPhone", "WebRTC"),
  emergency: Schema.Union(
    Schema.Struct({ location: Schema.Struct({ id: opt(Schema.String) }) }),
    Schema.Struct({ address: PostalAddress })
  ),
  phoneInfo: PhoneNumberDefinition,
  contactCenterPhoneLine: opt(Schema.Boolean)
})

/**
 * `BatchProvisionUsersRequestItem`: one user to create.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BatchProvisionUsersRequestItem = Schema.Struct({
  extensionNumber: opt(Schema.String.pipe(Schema.pattern(/^\d{3,8}$/, { message: () => "must be 3 to 8 digits" }))),
  status: Schema.Literal("Enabled"),
  contact: Schema.Struct({
    firstName: opt(Text64),
    lastName: opt(Text64),
    email: opt(EmailAddress.pipe(Schema.maxLength(64))),
    mobileNumber: opt(PhoneNumberE164),
    emailAsLoginName: opt(Schema.Boolean),
    transition: opt(
      Schema.Struct({ sendWelcomeEmail: opt(Schema.Boolean), regionalSettings: opt(ExtensionRegionalSettingRequest) })
    )
  }),
  costCenter: opt(Schema.Struct({ id: Schema.String })),
  roles: opt(Schema.Array(Schema.Struct({ id: Schema.String }))),
  devices: opt(Schema.Array(Schema.Struct({ deviceInfo: DeviceDefinition })))
})

/**
 * @since 0.1.0
 * @category models
 */
export type BatchProvisionUsersRequestItem = typeof BatchProvisionUsersRequestItem.Type

/**
 * `BatchProvisionUsersRequest`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BatchProvisionUsersRequest = Schema.Struct({
  records: Schema.Array(BatchProvisionUsersRequestItem).pipe(
    Schema.minItems(1),
    Schema.maxItems(maxProvisionRecords)
  )
})

/**
 * `ApiErrorWithParameter`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ApiErrorWithParameter = Schema.Struct({
  errorCode: Liberal.optional(Schema.String),
  message: Liberal.optional(Schema.String),
  parameterName: Liberal.optional(Schema.String),
  parameterValue: Liberal.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ApiErrorWithParameter = typeof ApiErrorWithParameter.Type

/**
 * One item of `BatchProvisionUsersResponse.results`: `BatchProvisionUsersSuccessItem`
 * or `BatchProvisionErrorItem` (told apart by `successful`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const BatchProvisionResultItem = Schema.Struct({
  successful: Schema.Boolean,
  extension: Liberal.optional(
    Schema.Struct({
      id: Liberal.optional(ExtensionId),
      devices: Liberal.optional(Schema.Array(Schema.Struct({ id: Liberal.optional(IdString), phoneNumber: Liberal.optional(Schema.String) })))
    })
  ),
  errors: Liberal.optional(Schema.Array(ApiErrorWithParameter))
})

/**
 * `BatchProvisionUsersResponse`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class BatchProvisionUsersResponse extends Schema.Class<BatchProvisionUsersResponse>(
  "@unified-people/ringcentral/BatchProvisionUsersResponse"
)({
  results: Schema.Array(BatchProvisionResultItem)
}) {}

/**
 * `BulkDeleteUsersRequest`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BulkDeleteUsersRequest = Schema.Struct({
  keepAssetsInInventory: opt(Schema.Boolean),
  records: Schema.Array(Schema.Struct({ id: Schema.String.pipe(Schema.minLength(1)) })).pipe(
    Schema.minItems(1),
    Schema.maxItems(maxDeleteRecords)
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type BulkDeleteUsersRequest = typeof BulkDeleteUsersRequest.Type

/**
 * `BulkDeleteUsersResponse`: one `{id, bulkItemSuccessful, bulkItemErrors?}` per record.
 *
 * @since 0.1.0
 * @category schemas
 */
export class BulkDeleteUsersResponse extends Schema.Class<BulkDeleteUsersResponse>(
  "@unified-people/ringcentral/BulkDeleteUsersResponse"
)({
  records: Schema.Array(
    Schema.Struct({
      id: Liberal.optional(ExtensionId),
      bulkItemSuccessful: Schema.Boolean,
      bulkItemErrors: Liberal.optional(Schema.Array(ApiErrorWithParameter))
    })
  )
}) {}

// -----------------------------------------------------------------------------
// operations
// -----------------------------------------------------------------------------

/**
 * The operations of this module with their `x-throttling-group`.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  postBatchProvisionUsers: {
    operationId: "postBatchProvisionUsers",
    method: "POST",
    path: "/restapi/v2/accounts/{accountId}/batch-provisioning/users",
    group: "Heavy"
  },
  bulkDeleteUsersV2: {
    operationId: "bulkDeleteUsersV2",
    method: "DELETE",
    path: "/restapi/v2/accounts/{accountId}/extensions",
    group: "Heavy"
  }
} as const satisfies Record<string, Operation>

/**
 * Why one record failed: the server's errors for it, or the error of the whole
 * call that carried it (then the outcome on the server is unknown).
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure {
  readonly errors: ReadonlyArray<ApiErrorWithParameter>
  readonly error?: PeopleError.PeopleError | undefined
}

/**
 * The outcome of deleting one extension.
 *
 * @since 0.1.0
 * @category models
 */
export type DeleteResult =
  | { readonly _tag: "Deleted"; readonly id: string }
  | ({ readonly _tag: "Failed"; readonly id: string } & Failure)

/**
 * The outcome of provisioning one user (`index` is its position in the input).
 *
 * @since 0.1.0
 * @category models
 */
export type ProvisionResult =
  | {
    readonly _tag: "Created"
    readonly index: number
    readonly extensionId: ExtensionId | undefined
    readonly devices: ReadonlyArray<{ readonly id?: string | undefined; readonly phoneNumber?: string | undefined }>
  }
  | ({ readonly _tag: "Failed"; readonly index: number } & Failure)

/**
 * A bulk report: one result per input record, in input order, and the number of
 * calls made.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report<R> {
  readonly calls: number
  readonly results: ReadonlyArray<R>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `postBatchProvisionUsers` (Heavy), 10 records per call. */
  readonly postBatchProvisionUsers: (
    records: ReadonlyArray<BatchProvisionUsersRequestItem>
  ) => Effect.Effect<Report<ProvisionResult>, PeopleError.InvalidRequest>
  /** `bulkDeleteUsersV2` (Heavy), 50 records per call. */
  readonly bulkDeleteUsersV2: (
    ids: ReadonlyArray<string>,
    options?: { readonly keepAssetsInInventory?: boolean | undefined }
  ) => Effect.Effect<Report<DeleteResult>, PeopleError.InvalidRequest>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Provisioning extends Context.Tag("@unified-people/ringcentral/Provisioning")<Provisioning, Service>() {}

/**
 * Splits a list into chunks of at most `size` elements.
 *
 * @since 0.1.0
 * @category utils
 */
export const chunksOf = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const shift = (field: string, offset: number) =>
  field.replace(/^records\[(\d+)\]/, (_, i: string) => `records[${offset + Number(i)}]`)

const noResult: ApiErrorWithParameter = { message: "the server's answer has no result for this record" }

/**
 * Matches a bulk delete answer to the ids sent: each id takes the first unused
 * answer record with the same id; an id without one failed.
 *
 * @since 0.1.0
 * @category utils
 */
export const matchDeleted = (ids: ReadonlyArray<string>, response: BulkDeleteUsersResponse): ReadonlyArray<DeleteResult> => {
  const used = new Set<number>()
  return ids.map((id): DeleteResult => {
    const at = response.records.findIndex((record, i) => !used.has(i) && record.id === id)
    if (at < 0) return { _tag: "Failed", id, errors: [noResult] }
    used.add(at)
    const record = response.records[at]!
    return record.bulkItemSuccessful && (record.bulkItemErrors ?? []).length === 0
      ? { _tag: "Deleted", id }
      : { _tag: "Failed", id, errors: record.bulkItemErrors ?? [{ message: "the server did not delete this record" }] }
  })
}

/**
 * Matches a batch provisioning answer to the records sent, by position
 * (`offset` is the position of the call's first record in the whole input).
 *
 * @since 0.1.0
 * @category utils
 */
export const matchProvisioned = (
  offset: number,
  count: number,
  response: BatchProvisionUsersResponse
): ReadonlyArray<ProvisionResult> =>
  Array.from({ length: count }, (_, i): ProvisionResult => {
    const index = offset + i
    const item = response.results[i]
    if (item === undefined) return { _tag: "Failed", index, errors: [noResult] }
    if (item.successful && item.extension !== undefined && (item.errors ?? []).length === 0) {
      return { _tag: "Created", index, extensionId: item.extension.id, devices: item.extension.devices ?? [] }
    }
    // the server names parameters within its call: point them into the whole input
    const errors = (item.errors ?? [{ message: "the server did not create this record" }]).map((error) =>
      error.parameterName === undefined ? error : { ...error, parameterName: shift(error.parameterName, offset) }
    )
    return { _tag: "Failed", index, errors }
  })

/** Makes the paths of a chunk's violations point into the whole input. */
const shiftPaths = (error: PeopleError.InvalidRequest, offset: number): PeopleError.InvalidRequest =>
  new PeopleError.InvalidRequest({
    module: error.module,
    method: error.method,
    reason: error.reason,
    sent: error.sent,
    ...(error.field === undefined ? {} : { field: shift(error.field, offset) }),
    ...(error.violations === undefined
      ? {}
      : { violations: error.violations.map((v) => ({ field: shift(v.field, offset), message: v.message })) })
  })

const validateProvision = Request.validate(BatchProvisionUsersRequest, "postBatchProvisionUsers")
const validateDelete = Request.validate(BulkDeleteUsersRequest, "bulkDeleteUsersV2")

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, RingCentralClient> = Effect.map(RingCentralClient, (client) => {
  const v2 = (suffix: string) => `/restapi/v2/accounts/${encodeURIComponent(client.accountId)}${suffix}`

  const postBatchProvisionUsers = (records: ReadonlyArray<BatchProvisionUsersRequestItem>) =>
    Effect.gen(function*() {
      const chunks = chunksOf(records, maxProvisionRecords)
      // every chunk is checked before the first is sent
      const bodies = yield* Effect.forEach(chunks, (chunk, c) =>
        validateProvision({ records: chunk }).pipe(Effect.mapError((error) => shiftPaths(error, c * maxProvisionRecords))))
      const results: Array<ProvisionResult> = []
      for (const [c, body] of bodies.entries()) {
        const offset = c * maxProvisionRecords
        const count = chunks[c]!.length
        const outcome = yield* client.json(BatchProvisionUsersResponse)(
          HttpClientRequest.post(v2("/batch-provisioning/users")).pipe(HttpClientRequest.bodyUnsafeJson(body)),
          { method: "postBatchProvisionUsers", group: operations.postBatchProvisionUsers.group }
        ).pipe(Effect.either)
        if (outcome._tag === "Right") results.push(...matchProvisioned(offset, count, outcome.right))
        else {
          for (let i = 0; i < count; i++) {
            results.push({ _tag: "Failed", index: offset + i, errors: [], error: outcome.left })
          }
        }
      }
      return { calls: bodies.length, results }
    })

  const bulkDeleteUsersV2 = (ids: ReadonlyArray<string>, options: { readonly keepAssetsInInventory?: boolean | undefined } = {}) =>
    Effect.gen(function*() {
      const chunks = chunksOf(ids, maxDeleteRecords)
      const bodies = yield* Effect.forEach(chunks, (chunk) =>
        validateDelete({
          records: chunk.map((id) => ({ id })),
          ...(options.keepAssetsInInventory === undefined ? {} : { keepAssetsInInventory: options.keepAssetsInInventory })
        }))
      const results: Array<DeleteResult> = []
      for (const [c, body] of bodies.entries()) {
        const chunk = chunks[c]!
        const outcome = yield* client.json(BulkDeleteUsersResponse)(
          HttpClientRequest.del(v2("/extensions")).pipe(HttpClientRequest.bodyUnsafeJson(body)),
          { method: "bulkDeleteUsersV2", group: operations.bulkDeleteUsersV2.group }
        ).pipe(Effect.either)
        if (outcome._tag === "Right") results.push(...matchDeleted(chunk, outcome.right))
        else results.push(...chunk.map((id): DeleteResult => ({ _tag: "Failed", id, errors: [], error: outcome.left })))
      }
      return { calls: bodies.length, results }
    })

  return { postBatchProvisionUsers, bulkDeleteUsersV2 }
})

/**
 * The service over the `RingCentralClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Provisioning, never, RingCentralClient> = Layer.effect(Provisioning, make)
