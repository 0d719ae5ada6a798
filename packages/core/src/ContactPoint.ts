/**
 * A contact point: one e-mail address, phone number, chat handle or website of a
 * person, with its canonical label and where it came from.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Label from "./Label.js"
import * as Normalize from "./Normalize.js"
import * as Text from "./Text.js"

/**
 * What a phone number can do.
 *
 * @since 0.1.0
 * @category models
 */
export const Capability = Schema.Literal("voice", "fax", "sms")

/**
 * @since 0.1.0
 * @category models
 */
export type Capability = typeof Capability.Type

/**
 * Where a value came from: a source system and, when known, the remote id of the
 * record that holds it.
 *
 * @since 0.1.0
 * @category models
 */
export class SourceRef extends Schema.Class<SourceRef>("@unified-people/core/SourceRef")({
  system: Schema.String,
  remoteId: Schema.optional(Schema.String)
}) {}

/**
 * A contact point.
 *
 * @since 0.1.0
 * @category models
 */
export class ContactPoint extends Schema.Class<ContactPoint>("@unified-people/core/ContactPoint")({
  kind: Label.Kind,
  /**
   * The value as received, unchecked: it may hold any character. Print it with
   * `Text.printable`; write `normalized` (or {@link validate} first), never this.
   */
  value: Schema.String,
  /** The valid form (E.164 with `;ext=`, lower-case e-mail, canonical URL, chat link): safe to write. */
  normalized: Schema.optional(Schema.String),
  /** Why `normalized` is missing: the value is invalid and is never written. Safe to print. */
  issue: Schema.optional(Schema.String),
  label: Label.Label,
  /** The remote label when it is not in the canonical vocabulary (then `label` is `other`). */
  customLabel: Schema.optional(Schema.String),
  primary: Schema.optional(Schema.Boolean),
  capabilities: Schema.optional(Schema.Array(Capability)),
  /** Shared by many people (a company main number): never used to identify a person. */
  shared: Schema.optional(Schema.Boolean),
  source: Schema.optional(SourceRef)
}) {
  /** The value used to compare and de-duplicate: the normalized form, else the trimmed raw value. */
  get key(): string {
    return `${this.kind}:${this.normalized ?? this.value.trim()}`
  }
}

/** An instance of a model class from its fields: what its constructor builds with validation off, without the constructor's copies. */
const build = <A>(prototype: object, fields: object): A => Object.assign(Object.create(prototype), fields) as A

/**
 * Builds a `SourceRef` exactly as `new SourceRef(fields, true)` does (no
 * validation) at a fraction of the cost: for mappers building many points.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSourceRef = (fields: { readonly system: string; readonly remoteId?: string }): SourceRef => build(SourceRef.prototype, fields)

/**
 * Input of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MakeInput {
  readonly kind: Label.Kind
  readonly value: string
  readonly label?: Label.Label
  readonly customLabel?: string
  readonly primary?: boolean
  readonly capabilities?: ReadonlyArray<Capability>
  readonly shared?: boolean
  readonly source?: SourceRef
  readonly defaultRegion?: string
  /** The target's limit on a value's length (see `Normalize.Options`). */
  readonly maxLength?: number
}

/**
 * Builds a contact point, normalizing (so validating) its value: an invalid value
 * keeps no `normalized` form and its `issue` says why. A label not allowed for
 * the kind becomes `other` with the requested label kept as `customLabel`, so
 * nothing is lost; a custom label is cleaned like free text (`Text.clean`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: MakeInput): ContactPoint => {
  const result = Normalize.value(input.kind, input.value, input)
  const requested = input.label ?? "other"
  const allowed = Label.isAllowed(requested, input.kind)
  const custom = allowed ? input.customLabel : (input.customLabel ?? requested)
  const cleaned = custom === undefined ? undefined : Text.clean(custom)
  const customLabel = cleaned === "" ? undefined : cleaned
  const shared = input.shared ?? (Label.isShared(requested) ? true : undefined)
  // what `new ContactPoint(fields, true)` builds (every field is typed and built
  // here, in the same order), without the class constructor's copies
  const point = Object.create(ContactPoint.prototype) as { -readonly [K in keyof ContactPoint]: ContactPoint[K] }
  point.kind = input.kind
  point.value = input.value
  if (result._tag === "Normalized") point.normalized = result.value
  else point.issue = result.reason
  point.label = allowed ? requested : "other"
  if (customLabel !== undefined) point.customLabel = customLabel
  if (input.primary !== undefined) point.primary = input.primary
  if (input.capabilities !== undefined) point.capabilities = [...input.capabilities]
  if (shared !== undefined) point.shared = shared
  if (input.source !== undefined) point.source = input.source
  return point as ContactPoint
}

/**
 * Whether a contact point can identify a person: normalized, and not shared.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isIdentifying = (point: ContactPoint): boolean => point.normalized !== undefined && point.shared !== true

/**
 * Checks a contact point before it is written: its `issue` if it has one, else
 * its value (`normalized`, or the raw value when it was never normalized)
 * normalized again under `options` (a target's `maxLength`, the `defaultRegion`
 * of a raw value). `Normalized` carries the exact value to write. Normalizing
 * is idempotent and has fast paths for E.164 numbers and plain e-mail
 * addresses, so checking an already-normalized point is cheap.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (point: ContactPoint, options: Normalize.Options = {}): Normalize.Result =>
  point.issue !== undefined
    ? { _tag: "Unnormalized", reason: point.issue }
    : Normalize.value(point.kind, point.normalized ?? point.value, options)
