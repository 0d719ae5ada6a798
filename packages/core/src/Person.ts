/**
 * The canonical person: names, organisation, contact points, custom fields and
 * the provenance of every record it was read from.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ContactPoint } from "./ContactPoint.js"

/**
 * Name parts.
 *
 * @since 0.1.0
 * @category models
 */
export class Name extends Schema.Class<Name>("@unified-people/core/Name")({
  given: Schema.optional(Schema.String),
  family: Schema.optional(Schema.String),
  display: Schema.optional(Schema.String)
}) {}

/**
 * A reference to a company / account or a site: an id, a name, or both.
 *
 * @since 0.1.0
 * @category models
 */
export class Reference extends Schema.Class<Reference>("@unified-people/core/Reference")({
  id: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String)
}) {}

/**
 * A reference to a photo.
 *
 * @since 0.1.0
 * @category models
 */
export class Photo extends Schema.Class<Photo>("@unified-people/core/Photo")({
  uri: Schema.optional(Schema.String),
  etag: Schema.optional(Schema.String)
}) {}

/**
 * One record a person was read from: the source system, the remote id, its
 * version (ETag or `updated_at`) and when it was read.
 *
 * @since 0.1.0
 * @category models
 */
export class Provenance extends Schema.Class<Provenance>("@unified-people/core/Provenance")({
  system: Schema.String,
  remoteId: Schema.String,
  version: Schema.optional(Schema.String),
  /** An ISO date-time string on the wire; invalid dates are refused. */
  readAt: Schema.optional(Schema.Date)
}) {
  /** `system:remoteId`, the cross-reference key of the record. */
  get key(): string {
    return `${this.system}:${this.remoteId}`
  }
}

/**
 * The fields of a person that hold one value each (survivorship picks one source
 * per field).
 *
 * @since 0.1.0
 * @category models
 */
export const singleValuedFields = [
  "name",
  "jobTitle",
  "department",
  "company",
  "site",
  "employeeNumber",
  "extensionNumber",
  "status",
  "photo"
] as const

/**
 * @since 0.1.0
 * @category models
 */
export type SingleValuedField = (typeof singleValuedFields)[number]

/**
 * A canonical person.
 *
 * @since 0.1.0
 * @category models
 */
export class Person extends Schema.Class<Person>("@unified-people/core/Person")({
  /** Canonical id: `system:remoteId` for a person read from one source, the cluster id after a merge. */
  id: Schema.String,
  name: Name,
  jobTitle: Schema.optional(Schema.String),
  department: Schema.optional(Schema.String),
  company: Schema.optional(Reference),
  site: Schema.optional(Reference),
  employeeNumber: Schema.optional(Schema.String),
  extensionNumber: Schema.optional(Schema.String),
  /** Remote status as received (`Enabled`, `Disabled`, …), unknown values kept. */
  status: Schema.optional(Schema.String),
  contactPoints: Schema.Array(ContactPoint),
  customFields: Schema.Record({ key: Schema.String, value: Schema.String }),
  photo: Schema.optional(Photo),
  provenance: Schema.Array(Provenance),
  /** For merged people: the source system each field was taken from. */
  fieldSources: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
}) {
  /** The best display name: `display`, else given + family. */
  get displayName(): string {
    const parts = [this.name.given, this.name.family].filter((s): s is string => s !== undefined && s !== "")
    return this.name.display ?? parts.join(" ")
  }
}

/**
 * Builds a canonical person id from a source system and a remote id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const canonicalId = (system: string, remoteId: string): string => `${system}:${remoteId}`

/**
 * Encodes a person to JSON-compatible data.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = Schema.encodeSync(Person)

/**
 * Decodes a person from JSON-compatible data.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = Schema.decodeUnknown(Person)
