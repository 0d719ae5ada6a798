/**
 * Survivorship of one contact point held by several records: the best source's
 * point, with the best known label, and primary, shared and capabilities
 * combined from every record.
 *
 * @internal
 */
import * as ContactPoint from "../../ContactPoint.js"
import { type Candidate, compareCandidates } from "./ranking.js"

const capabilityOrder: ReadonlyArray<ContactPoint.Capability> = ContactPoint.Capability.literals

/** @internal */
export const combinePoints = (candidates: ReadonlyArray<Candidate<ContactPoint.ContactPoint>>): ContactPoint.ContactPoint => {
  const sorted = candidates.length === 1 ? candidates : [...candidates].sort(compareCandidates)
  const first = sorted[0]!
  const top = first.value
  const labelled = sorted.find((c) => c.value.label !== "other")?.value ?? top
  const primary = sorted.some((c) => c.value.primary === true) ? true : top.primary
  const shared = sorted.some((c) => c.value.shared === true) ? true : top.shared
  let capabilities: Array<ContactPoint.Capability> | undefined
  for (const c of sorted) {
    if (c.value.capabilities === undefined) continue
    capabilities ??= []
    for (const capability of c.value.capabilities) if (!capabilities.includes(capability)) capabilities.push(capability)
  }
  if (capabilities !== undefined && capabilities.length > 1) capabilities.sort((a, b) => capabilityOrder.indexOf(a) - capabilityOrder.indexOf(b))
  const sameCapabilities = capabilities === undefined
    ? top.capabilities === undefined
    : top.capabilities !== undefined && top.capabilities.length === capabilities.length && top.capabilities.every((c, i) => c === capabilities[i])
  if (
    top.source !== undefined && sameCapabilities && labelled.label === top.label && labelled.customLabel === top.customLabel &&
    primary === top.primary && shared === top.shared
  ) {
    // the combination is the best point itself
    return top
  }
  const source = top.source ?? new ContactPoint.SourceRef({ system: first.system, remoteId: first.record.slice(first.record.indexOf(":") + 1) }, true)
  return new ContactPoint.ContactPoint(
    {
      kind: top.kind,
      value: top.value,
      ...(top.normalized === undefined ? {} : { normalized: top.normalized }),
      ...(top.issue === undefined ? {} : { issue: top.issue }),
      label: labelled.label,
      ...(labelled.customLabel === undefined ? {} : { customLabel: labelled.customLabel }),
      ...(primary === undefined ? {} : { primary }),
      ...(capabilities === undefined ? {} : { capabilities }),
      ...(shared === undefined ? {} : { shared }),
      source
    },
    true
  )
}
