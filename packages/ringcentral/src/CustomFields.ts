/**
 * Custom field definitions of the account (at most five, category `User`), the
 * `CustomFields` area: list (Light), create, update and delete one or several
 * (Medium). A person's custom field values are written with the extension
 * update (`Extensions.updatePerson`).
 *
 * | operation | group |
 * |---|---|
 * | `listCustomFields` | Light |
 * | `createCustomField` | Medium |
 * | `updateCustomField` | Medium |
 * | `deleteCustomField` | Medium |
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Liberal from "@unified-people/core/Liberal"
import type * as PeopleError from "@unified-people/core/PeopleError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { CustomFieldId } from "./Extensions/Schema.js"
import { type Operation, RingCentralClient } from "./RingCentralClient.js"

export {
  /**
   * @since 0.1.0
   * @category ids
   */
  CustomFieldId
} from "./Extensions/Schema.js"

/**
 * A custom field definition. `category` is `User` in the specification, but
 * real answers also say `Extension`: the value is kept as received.
 *
 * @since 0.1.0
 * @category schemas
 */
export class CustomFieldModel extends Schema.Class<CustomFieldModel>("@unified-people/ringcentral/CustomFieldModel")({
  id: Liberal.optional(CustomFieldId),
  category: Liberal.optional(Liberal.open("User")),
  displayName: Liberal.optional(Schema.String)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class CustomFieldList extends Schema.Class<CustomFieldList>("@unified-people/ringcentral/CustomFieldList")({
  records: Schema.optionalWith(Schema.Array(CustomFieldModel), { default: () => [], nullable: true })
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class CustomFieldCreateRequest extends Schema.Class<CustomFieldCreateRequest>("@unified-people/ringcentral/CustomFieldCreateRequest")({
  category: Schema.optional(Schema.Literal("User")),
  displayName: Schema.optional(Schema.String)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class CustomFieldUpdateRequest extends Schema.Class<CustomFieldUpdateRequest>("@unified-people/ringcentral/CustomFieldUpdateRequest")({
  displayName: Schema.optional(Schema.String)
}) {}

/**
 * The most custom fields an account can have.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxFields = 5

const path = "/restapi/v1.0/account/{accountId}/custom-fields"

/**
 * The operations of this area with their `x-throttling-group`.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  listCustomFields: { operationId: "listCustomFields", method: "GET", path, group: "Light" },
  createCustomField: { operationId: "createCustomField", method: "POST", path, group: "Medium" },
  updateCustomField: { operationId: "updateCustomField", method: "PUT", path: `${path}/{fieldId}`, group: "Medium" },
  deleteCustomField: { operationId: "deleteCustomField", method: "DELETE", path: `${path}/{fieldId}`, group: "Medium" }
} as const satisfies Record<string, Operation>

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `listCustomFields` (Light): the account's custom fields. */
  readonly listCustomFields: Effect.Effect<CustomFieldList, PeopleError.PeopleError>
  /**
   * `createCustomField` (Medium), category `User`. A sixth field is refused by
   * the server with a typed error (`InvalidRequest` carrying the remote code).
   */
  readonly createCustomField: (
    request: { readonly displayName: string; readonly category?: "User" }
  ) => Effect.Effect<CustomFieldModel, PeopleError.PeopleError>
  /** `updateCustomField` (Medium): renames a custom field. */
  readonly updateCustomField: (
    fieldId: string,
    request: { readonly displayName: string }
  ) => Effect.Effect<CustomFieldModel, PeopleError.PeopleError>
  /** `deleteCustomField` (Medium): one custom field, or several at once (the comma-separated id path). */
  readonly deleteCustomField: (fieldIds: string | ReadonlyArray<string>) => Effect.Effect<void, PeopleError.PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CustomFields extends Context.Tag("@unified-people/ringcentral/CustomFields")<CustomFields, Service>() {}

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, RingCentralClient> = Effect.map(RingCentralClient, (client) => ({
  listCustomFields: client.json(CustomFieldList)(HttpClientRequest.get(client.accountPath("/custom-fields")), {
    method: "listCustomFields",
    group: operations.listCustomFields.group
  }),
  createCustomField: (request) =>
    client.json(CustomFieldModel)(
      HttpClientRequest.post(client.accountPath("/custom-fields")).pipe(
        HttpClientRequest.bodyUnsafeJson({ category: request.category ?? "User", displayName: request.displayName })
      ),
      { method: "createCustomField", group: operations.createCustomField.group }
    ),
  updateCustomField: (fieldId, request) =>
    client.json(CustomFieldModel)(
      HttpClientRequest.put(client.accountPath(`/custom-fields/${encodeURIComponent(fieldId)}`)).pipe(
        HttpClientRequest.bodyUnsafeJson({ displayName: request.displayName })
      ),
      { method: "updateCustomField", group: operations.updateCustomField.group }
    ),
  deleteCustomField: (fieldIds) => {
    const ids = (typeof fieldIds === "string" ? [fieldIds] : fieldIds).map((id) => encodeURIComponent(id.trim())).join(",")
    return Effect.asVoid(
      client.execute(HttpClientRequest.del(client.accountPath(`/custom-fields/${ids}`)), {
        method: "deleteCustomField",
        group: operations.deleteCustomField.group
      })
    )
  }
}))

/**
 * The service over the `RingCentralClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CustomFields, never, RingCentralClient> = Layer.effect(CustomFields, make)
