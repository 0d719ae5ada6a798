/**
 * Custom field definitions of the account (at most five, category `User`):
 * list (Light), create, update and delete one or several (Medium). A person's
 * custom field values are written with the extension update (part 2).
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Liberal from "@unified-people/core/Liberal"
import type * as PeopleError from "@unified-people/core/PeopleError"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Id, open } from "./Directory/Schema.js"
import { RingCentralClient } from "./RingCentralClient.js"

/**
 * A custom field definition. `category` is `User` in the specification, but
 * real answers also say `Extension`: the value is kept as received.
 *
 * @since 0.1.0
 * @category schemas
 */
export class CustomFieldModel extends Schema.Class<CustomFieldModel>("@unified-people/ringcentral/CustomFieldModel")({
  id: Liberal.optional(Id),
  category: Liberal.optional(open("User")),
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

/**
 * Lists the account's custom fields.
 *
 * @since 0.1.0
 * @category operations
 */
export const listCustomFields: Effect.Effect<CustomFieldList, PeopleError.PeopleError, RingCentralClient> = Effect.flatMap(
  RingCentralClient,
  (client) =>
    client.json(CustomFieldList)(HttpClientRequest.get(client.accountPath("/custom-fields")), { method: "listCustomFields", group: "Light" })
)

/**
 * Creates a custom field (category `User`). A sixth field is refused by the
 * server with a typed error (`InvalidRequest` carrying the remote code).
 *
 * @since 0.1.0
 * @category operations
 */
export const createCustomField = (
  request: { readonly displayName: string; readonly category?: "User" }
): Effect.Effect<CustomFieldModel, PeopleError.PeopleError, RingCentralClient> =>
  Effect.flatMap(RingCentralClient, (client) =>
    client.json(CustomFieldModel)(
      HttpClientRequest.post(client.accountPath("/custom-fields")).pipe(
        HttpClientRequest.bodyUnsafeJson({ category: request.category ?? "User", displayName: request.displayName })
      ),
      { method: "createCustomField", group: "Medium" }
    ))

/**
 * Renames a custom field.
 *
 * @since 0.1.0
 * @category operations
 */
export const updateCustomField = (
  fieldId: string,
  request: { readonly displayName: string }
): Effect.Effect<CustomFieldModel, PeopleError.PeopleError, RingCentralClient> =>
  Effect.flatMap(RingCentralClient, (client) =>
    client.json(CustomFieldModel)(
      HttpClientRequest.put(client.accountPath(`/custom-fields/${encodeURIComponent(fieldId)}`)).pipe(
        HttpClientRequest.bodyUnsafeJson({ displayName: request.displayName })
      ),
      { method: "updateCustomField", group: "Medium" }
    ))

/**
 * Deletes one custom field, or several at once (the comma-separated id path).
 *
 * @since 0.1.0
 * @category operations
 */
export const deleteCustomField = (
  fieldIds: string | ReadonlyArray<string>
): Effect.Effect<void, PeopleError.PeopleError, RingCentralClient> =>
  Effect.flatMap(RingCentralClient, (client) => {
    const ids = (typeof fieldIds === "string" ? [fieldIds] : fieldIds).map((id) => encodeURIComponent(id.trim())).join(",")
    return Effect.asVoid(
      client.call(HttpClientRequest.del(client.accountPath(`/custom-fields/${ids}`)), { method: "deleteCustomField", group: "Medium" })
    )
  })
