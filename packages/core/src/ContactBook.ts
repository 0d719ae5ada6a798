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
import type * as PeopleDirectory from "./PeopleDirectory.js"
import type { PeopleError } from "./PeopleError.js"
import type { Person } from "./Person.js"

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
 * Everything a bulk export read: the book's people, each one's contacts, and
 * what the read says about itself.
 *
 * @since 0.1.0
 * @category bulk
 */
export interface Snapshot {
  /** The people, as the directory port maps them. */
  readonly people: ReadonlyArray<Person>
  /** Each person's contacts by person id (a person without contacts has an empty list). */
  readonly contacts: ReadonlyMap<string, ReadonlyArray<Contact>>
  /** Each person's primary e-mail, which an import addresses them by; absent when they have none. */
  readonly primaryEmails: ReadonlyMap<string, string>
  readonly completeness: PeopleDirectory.Completeness
}

/**
 * The integration-owned contacts one person must have after an import: every
 * existing one to keep (with its `id`, so it is kept as it is), and the new ones.
 *
 * @since 0.1.0
 * @category bulk
 */
export interface Replacement {
  readonly personId: string
  readonly primaryEmail: string
  readonly contacts: ReadonlyArray<{ readonly point: ContactPoint; readonly id?: string | undefined }>
}

/**
 * What an import did, as the book counts it.
 *
 * @since 0.1.0
 * @category bulk
 */
export interface ImportResult {
  readonly created: number
  readonly updated: number
  readonly deleted: number
  readonly unchanged: number
  readonly failures: number
  readonly errors: number
  /** The book's own lines about rows it could not apply, when it gives them. */
  readonly log: ReadonlyArray<string>
}

/**
 * Options of {@link Bulk.replaceIntegrationContacts}.
 *
 * @since 0.1.0
 * @category bulk
 */
export interface ImportOptions {
  /** An import of the same rows already uploaded (its token): poll it instead of uploading again. */
  readonly resume?: string | undefined
  /** Called with the import's token as soon as the book answers the upload. */
  readonly onToken?: ((token: string) => Effect.Effect<void>) | undefined
}

/**
 * The book's batch operations: one export reads everyone's contacts, one
 * import replaces the integration-owned contacts of many people (the
 * contacts people typed themselves are never touched by it).
 *
 * @since 0.1.0
 * @category bulk
 */
export interface Bulk {
  /**
   * Reads every person and their contacts at once; with `since`, only the
   * people changed since then (what an import just wrote).
   */
  readonly exportAll: (options?: { readonly since?: Date | undefined }) => Effect.Effect<Snapshot, PeopleError>
  /**
   * Replaces, for each person listed, every integration-owned contact by the
   * ones given (existing ones by their id). A person must be given at least one
   * contact: an import cannot empty a person.
   */
  readonly replaceIntegrationContacts: (
    rows: ReadonlyArray<Replacement>,
    options?: ImportOptions
  ) => Effect.Effect<ImportResult, PeopleError>
  /** The most contacts one import may carry (more are split into several imports). */
  readonly maxRows?: number | undefined
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
  /** The book's batch export and import, when it has them (the sync's bulk mode uses them). */
  readonly bulk?: Bulk | undefined
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ContactBook extends Context.Tag("@unified-people/core/ContactBook")<ContactBook, Service>() {}
