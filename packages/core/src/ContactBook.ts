/**
 * The contact-book port: per-person contact CRUD that adapters implement.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import { ContactPoint } from "./ContactPoint.js"
import type * as Label from "./Label.js"
import type { PeopleError } from "./PeopleError.js"

/**
 * A contact as stored by a contact book: the remote id, the person it belongs to,
 * the contact point, and whether an integration owns it.
 *
 * @since 0.1.0
 * @category models
 */
export class Contact extends Schema.Class<Contact>("@unified-people/core/Contact")({
  id: Schema.String,
  personId: Schema.String,
  point: ContactPoint,
  /** `true` when owned by an integration; missing when the remote answer did not say. */
  integration: Schema.optional(Schema.Boolean),
  verified: Schema.optional(Schema.Boolean)
}) {}

/**
 * A change to a contact: only the fields set are sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface Patch {
  readonly point?: ContactPoint
  readonly integration?: boolean
}

/**
 * Options of writes that touch existing contacts.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteOptions {
  /**
   * Allow changing or deleting a contact that no integration owns. Off by
   * default: sync code can only touch what it owns.
   */
  readonly allowUnowned?: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly system: string
  /**
   * The longest value (in characters) the book stores, when it has a limit:
   * pass it as `maxLength` to `ContactPoint.validate` / `Normalize` so a value
   * too long for the book is refused before it is written. The book refuses
   * such a value itself too (`InvalidRequest`, `sent: false`).
   */
  readonly maxLength?: number | undefined
  /**
   * Whether the book can store a contact point of this kind under this label
   * (its own label rules, e.g. the People system's `Label.projection`): the
   * sync projects only what the book can hold, and skips the rest with the reason.
   */
  readonly canHold: (point: { readonly kind: Label.Kind; readonly label: Label.Label; readonly customLabel?: string | undefined }) => boolean
  /** Every contact of a person, lazily. */
  readonly list: (personId: string) => Stream.Stream<Contact, PeopleError>
  readonly get: (personId: string, contactId: string) => Effect.Effect<Contact, PeopleError>
  readonly create: (
    personId: string,
    point: ContactPoint,
    options?: { readonly integration?: boolean }
  ) => Effect.Effect<Contact, PeopleError>
  readonly update: (personId: string, contactId: string, patch: Patch, options?: WriteOptions) => Effect.Effect<Contact, PeopleError>
  readonly delete: (personId: string, contactId: string, options?: WriteOptions) => Effect.Effect<void, PeopleError>
  /** Deletes every contact of a person (all of them, owned or not: an explicit, separate call). */
  readonly deleteAll: (personId: string) => Effect.Effect<void, PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ContactBook extends Context.Tag("@unified-people/core/ContactBook")<ContactBook, Service>() {}
