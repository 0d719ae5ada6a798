/**
 * The canonical person: names, organisation, contact points, custom fields and
 * the provenance of every record it was read from.
 *
 * Free text is cleaned when a model is built, by its constructor (so also when
 * an adapter maps a remote record, a merge builds a person, or stored data is
 * decoded): `Text.clean` removes control, zero-width, invisible and bidi
 * characters and unpaired surrogates, turning tabs and line breaks into spaces,
 * and keeps everything else. Cleaned: name parts, `jobTitle`, `department`,
 * `employeeNumber`, `extensionNumber`, `status`, company and site names, and
 * custom field names and values. Identifiers (`id`, remote ids, provenance),
 * photo references and contact values are not touched: a contact value is
 * validated instead (`ContactPoint`, `Normalize`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ContactPoint } from "./ContactPoint.js"
import * as Text from "./Text.js"

/** Cleans the named string fields; the same object when nothing changes. */
const cleanFields = <P extends object>(props: P, keys: ReadonlyArray<keyof P & string>): P => {
  let out: Record<string, unknown> | undefined
  for (const key of keys) {
    const value = props[key]
    if (typeof value === "string" && !Text.isSafe(value)) {
      const copy: Record<string, unknown> = out ?? { ...(props as Record<string, unknown>) }
      copy[key] = Text.clean(value)
      out = copy
    }
  }
  return out === undefined ? props : (out as P)
}

const cleanRecord = (record: Readonly<Record<string, string>>): Readonly<Record<string, string>> => {
  for (const key in record) {
    if (!Text.isSafe(key) || !Text.isSafe(record[key]!)) {
      const out: Record<string, string> = {}
      for (const [k, v] of Object.entries(record)) out[Text.clean(k)] = Text.clean(v)
      return out
    }
  }
  return record
}

const nameFields = {
  given: Schema.optional(Schema.String),
  family: Schema.optional(Schema.String),
  display: Schema.optional(Schema.String)
}

const nameText = ["given", "family", "display"] as const

/**
 * Name parts, cleaned (`Text.clean`) when built.
 *
 * @since 0.1.0
 * @category models
 */
export class Name extends Schema.Class<Name>("@unified-people/core/Name")(nameFields) {
  constructor(props: Schema.Struct.Constructor<typeof nameFields> = {}, options?: Schema.MakeOptions) {
    super(cleanFields(props, nameText), options)
  }
}

const referenceFields = {
  id: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String)
}

const referenceText = ["name"] as const

/**
 * A reference to a company / account or a site: an id, a name, or both. The
 * name is cleaned (`Text.clean`) when built; the id is kept as is.
 *
 * @since 0.1.0
 * @category models
 */
export class Reference extends Schema.Class<Reference>("@unified-people/core/Reference")(referenceFields) {
  constructor(props: Schema.Struct.Constructor<typeof referenceFields> = {}, options?: Schema.MakeOptions) {
    super(cleanFields(props, referenceText), options)
  }
}

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

const personFields = {
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
}

const personText = ["jobTitle", "department", "employeeNumber", "extensionNumber", "status"] as const

/**
 * A canonical person. Its free text is cleaned (`Text.clean`) when built: see
 * the module documentation.
 *
 * @since 0.1.0
 * @category models
 */
export class Person extends Schema.Class<Person>("@unified-people/core/Person")(personFields) {
  constructor(props: Schema.Struct.Constructor<typeof personFields>, options?: Schema.MakeOptions) {
    const cleaned = cleanFields(props, personText)
    const customFields = cleanRecord(cleaned.customFields)
    super(customFields === cleaned.customFields ? cleaned : { ...cleaned, customFields }, options)
  }

  /** The best display name: `display`, else given + family. */
  get displayName(): string {
    const parts = [this.name.given, this.name.family].filter((s): s is string => s !== undefined && s !== "")
    return this.name.display ?? parts.join(" ")
  }
}

/** An instance of a model class from its fields: what its constructor builds with validation off, without the constructor's copies. */
const build = <A>(prototype: object, fields: object): A => Object.assign(Object.create(prototype), fields) as A

/**
 * Builds a `Name` exactly as `new Name(fields, true)` does (free text cleaned,
 * no validation) at a fraction of the cost: for mappers building many people.
 * The fields must already have the right types.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeName = (fields: Schema.Struct.Constructor<typeof nameFields>): Name => build(Name.prototype, cleanFields(fields, nameText))

/**
 * Builds a `Reference` exactly as `new Reference(fields, true)` does (see {@link makeName}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeReference = (fields: Schema.Struct.Constructor<typeof referenceFields>): Reference =>
  build(Reference.prototype, cleanFields(fields, referenceText))

/**
 * Builds a `Photo` exactly as `new Photo(fields, true)` does (see {@link makeName}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makePhoto = (fields: Schema.Struct.Constructor<typeof Photo.fields>): Photo => build(Photo.prototype, fields)

/**
 * Builds a `Provenance` exactly as `new Provenance(fields, true)` does (see {@link makeName}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeProvenance = (fields: Schema.Struct.Constructor<typeof Provenance.fields>): Provenance => build(Provenance.prototype, fields)

/**
 * Builds a `Person` exactly as `new Person(fields, true)` does (free text and
 * custom fields cleaned, no validation) at a fraction of the cost: for mappers
 * building many people. The fields must already have the right types (a
 * mapper's output of decoded values); nested values are kept as given.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makePerson = (fields: Schema.Struct.Constructor<typeof personFields>): Person => {
  const cleaned = cleanFields(fields, personText)
  const customFields = cleanRecord(cleaned.customFields)
  return build(Person.prototype, customFields === cleaned.customFields ? cleaned : { ...cleaned, customFields })
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
