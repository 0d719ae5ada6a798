/**
 * Projection of a source person onto the contacts the job writes: which of its
 * contact points are desired (kind, label, normalized value, no duplicates) and
 * which are skipped with a reason; the fingerprint of what is synced for a
 * person; the remote id of a person in a system.
 *
 * @internal
 */
import * as ContactPoint from "../../ContactPoint.js"
import * as Label from "../../Label.js"
import * as Normalize from "../../Normalize.js"
import type { Person } from "../../Person.js"
import type * as Sync from "../../Sync.js"

const defaultLabels: ReadonlyArray<Label.Label> = ["work", "mobile", "fax"]

const defaultKinds: ReadonlyArray<Label.Kind> = ["email", "phone"]

/** @internal */
export const remoteIdOf = (person: Person, system: string): string => {
  const record = person.provenance.find((p) => p.system === system)
  if (record !== undefined) return record.remoteId
  return person.id.startsWith(`${system}:`) ? person.id.slice(system.length + 1) : person.id
}

/** @internal */
export const normalizedOf = (point: ContactPoint.ContactPoint, defaultRegion: string | undefined): string | undefined => {
  if (point.normalized !== undefined) return point.normalized
  const result = Normalize.value(point.kind, point.value, defaultRegion === undefined ? {} : { defaultRegion })
  return result._tag === "Normalized" ? result.value : undefined
}

/** @internal */
export const describePoint = (point: ContactPoint.ContactPoint) => `${point.kind} ${point.label} ${point.normalized ?? point.value}`

/** @internal */
export const project = (
  person: Person,
  options: {
    readonly system: string
    readonly sourceId: string
    readonly labels?: ReadonlyArray<Label.Label> | undefined
    readonly kinds?: ReadonlyArray<Label.Kind> | undefined
    readonly defaultRegion?: string | undefined
    /** The longest value the target can hold (`ContactBook.Service.maxLength`). */
    readonly maxLength?: number | undefined
    /** Whether the target can hold a point's label and kind (`ContactBook.Service.canHold`). */
    readonly canHold?: ((point: ContactPoint.ContactPoint) => boolean) | undefined
  }
): { readonly desired: ReadonlyArray<ContactPoint.ContactPoint>; readonly skipped: ReadonlyArray<Sync.Skip> } => {
  const validation = {
    ...(options.defaultRegion === undefined ? {} : { defaultRegion: options.defaultRegion }),
    ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength })
  }
  const labels = options.labels ?? defaultLabels
  const kinds = options.kinds ?? defaultKinds
  const desired: Array<ContactPoint.ContactPoint> = []
  const skipped: Array<Sync.Skip> = []
  const seen = new Map<string, ContactPoint.ContactPoint>()
  const skip = (point: ContactPoint.ContactPoint, reason: string) =>
    skipped.push({ _tag: "Skip", sourceId: options.sourceId, point, reason })
  for (const point of person.contactPoints) {
    if (!kinds.includes(point.kind)) {
      skip(point, `kind ${point.kind} is not projected`)
      continue
    }
    if (point.shared === true || Label.isShared(point.label)) {
      skip(point, "shared number (company main): never projected")
      continue
    }
    if (!labels.includes(point.label)) {
      skip(point, `label ${point.label}${point.customLabel === undefined ? "" : ` (${point.customLabel})`} is not projected`)
      continue
    }
    if (!Label.isAllowed(point.label, point.kind) || (options.canHold !== undefined && !options.canHold(point))) {
      skip(point, `the contact book cannot hold a ${point.kind} labelled ${point.label}`)
      continue
    }
    // the value as the target will receive it: valid, normalized and within its length limit, or skipped with the reason
    const checked = ContactPoint.validate(point, validation)
    if (checked._tag === "Unnormalized") {
      skip(point, `unnormalized value: ${checked.reason}`)
      continue
    }
    const normalized = checked.value
    const key = `${point.kind}:${normalized}`
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      skip(point, `duplicate of ${describePoint(earlier)}`)
      continue
    }
    // Built from values already checked: no second validation or normalization.
    const made = new ContactPoint.ContactPoint(
      {
        kind: point.kind,
        value: normalized,
        normalized,
        label: point.label,
        source: new ContactPoint.SourceRef({ system: options.system, remoteId: options.sourceId }, true)
      },
      true
    )
    seen.set(key, made)
    desired.push(made)
  }
  return { desired, skipped }
}

/**
 * What the job syncs for a person: the target and the desired contacts, in order.
 *
 * @internal
 */
export const fingerprint = (personId: string, desired: ReadonlyArray<ContactPoint.ContactPoint>): string =>
  JSON.stringify([personId, ...desired.map((d) => [d.kind, d.normalized, d.label])])
