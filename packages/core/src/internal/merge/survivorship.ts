/**
 * Survivorship: the people of one cluster become one person. Single-valued
 * fields and custom fields come from the best ranked source, contact points and
 * provenance are unioned, and `fieldSources` records where each field came from.
 *
 * @internal
 */
import type * as ContactPoint from "../../ContactPoint.js"
import * as Label from "../../Label.js"
import type { Field } from "../../Merge.js"
import * as Person from "../../Person.js"
import { combinePoints } from "./contactPoints.js"
import { recordKey } from "./keys.js"
import { compareStrings } from "./order.js"
import { best, type Candidate, compareCandidates, type Ranking, readAtOf, recordSystem } from "./ranking.js"

const hasName = (name: Person.Name): boolean =>
  (name.given !== undefined && name.given !== "") ||
  (name.family !== undefined && name.family !== "") ||
  (name.display !== undefined && name.display !== "")

const kindIndex = (kind: Label.Kind): number => Label.kinds.indexOf(kind)

/** @internal */
export const surviveWith = (members: ReadonlyArray<Person.Person>, ranking: Ranking): Person.Person => {
  const fieldSources: Record<string, string> = {}
  const keyed = members.map((person) => ({ person, record: recordKey(person) }))

  const single = keyed.length === 1 ? members[0]! : undefined
  const pick = <A>(field: Field, get: (person: Person.Person) => A | undefined): A | undefined => {
    if (single !== undefined) {
      const value = get(single)
      if (value !== undefined) fieldSources[field] = recordSystem(single, field, ranking)
      return value
    }
    let winner: Candidate<A> | undefined
    for (const { person, record } of keyed) {
      const value = get(person)
      if (value === undefined) continue
      const system = recordSystem(person, field, ranking)
      const candidate = { value, system, rank: ranking.rank(field, system), readAt: readAtOf(person, system), record }
      if (winner === undefined || compareCandidates(candidate, winner) < 0) winner = candidate
    }
    if (winner !== undefined) fieldSources[field] = winner.system
    return winner?.value
  }

  const name = pick("name", (p) => (hasName(p.name) ? p.name : undefined)) ?? new Person.Name({}, true)
  const jobTitle = pick("jobTitle", (p) => p.jobTitle)
  const department = pick("department", (p) => p.department)
  const company = pick("company", (p) => p.company)
  const site = pick("site", (p) => p.site)
  const employeeNumber = pick("employeeNumber", (p) => p.employeeNumber)
  const extensionNumber = pick("extensionNumber", (p) => p.extensionNumber)
  const status = pick("status", (p) => p.status)
  const photo = pick("photo", (p) => p.photo)

  // custom fields, per key
  const customCandidates = new Map<string, Array<Candidate<string>>>()
  for (const { person, record } of keyed) {
    for (const [key, value] of Object.entries(person.customFields)) {
      const sourceKey = `customFields.${key}`
      const system = person.fieldSources?.[sourceKey] ?? recordSystem(person, "customFields", ranking)
      const list = customCandidates.get(key) ?? []
      list.push({ value, system, rank: ranking.rank("customFields", system), readAt: readAtOf(person, system), record })
      customCandidates.set(key, list)
    }
  }
  const customFields: Record<string, string> = {}
  for (const key of Array.from(customCandidates.keys()).sort(compareStrings)) {
    const winner = best(customCandidates.get(key)!)!
    customFields[key] = winner.value
    fieldSources[`customFields.${key}`] = winner.system
  }

  // contact points, unioned on their key (kind + normalized value); a linear scan
  // beats a map for the few points of one person
  const pointKinds: Array<Label.Kind> = []
  const pointValues: Array<string> = []
  const pointCandidates: Array<Array<Candidate<ContactPoint.ContactPoint>>> = []
  for (const member of keyed) {
    const person = member.person
    const fallback = recordSystem(person, "contactPoints", ranking)
    for (const point of person.contactPoints) {
      const system = point.source?.system ?? fallback
      const value = point.normalized ?? point.value.trim()
      let group = -1
      for (let g = 0; g < pointValues.length; g++) {
        if (pointValues[g] === value && pointKinds[g] === point.kind) {
          group = g
          break
        }
      }
      const candidate = { value: point, system, rank: ranking.rank("contactPoints", system), readAt: readAtOf(person, system), record: member.record }
      if (group >= 0) pointCandidates[group]!.push(candidate)
      else {
        pointKinds.push(point.kind)
        pointValues.push(value)
        pointCandidates.push([candidate])
      }
    }
  }
  const points: Array<{ readonly point: ContactPoint.ContactPoint; readonly value: string; readonly rank: number }> = []
  for (let g = 0; g < pointCandidates.length; g++) {
    const point = combinePoints(pointCandidates[g]!)
    points.push({ point, value: pointValues[g]!, rank: ranking.rank("contactPoints", point.source!.system) })
  }
  // the same order as by kind, then primary, then source, then key (kind + value)
  points.sort((x, y) =>
    kindIndex(x.point.kind) - kindIndex(y.point.kind) ||
    (x.point.primary === true ? 0 : 1) - (y.point.primary === true ? 0 : 1) ||
    x.rank - y.rank ||
    compareStrings(x.value, y.value)
  )
  if (points.length > 0) {
    const systems = Array.from(new Set(points.map((p) => p.point.source!.system)))
    systems.sort((x, y) => ranking.rank("contactPoints", x) - ranking.rank("contactPoints", y) || compareStrings(x, y))
    fieldSources["contactPoints"] = systems.join(",")
  }

  // provenance, unioned on its key (the latest read wins)
  let provenance: Array<Person.Provenance>
  if (single !== undefined && single.provenance.length <= 1) {
    provenance = [...single.provenance]
  } else {
    provenance = []
    for (const { person } of keyed) {
      for (const p of person.provenance) {
        const at = provenance.findIndex((q) => q.remoteId === p.remoteId && q.system === p.system)
        if (at < 0) provenance.push(p)
        else if (compareProvenance(p, provenance[at]!) < 0) provenance[at] = p
      }
    }
    if (provenance.length > 1) {
      const keys = new Map(provenance.map((p) => [p, p.key] as const))
      provenance.sort((x, y) => compareStrings(keys.get(x)!, keys.get(y)!))
    }
  }
  const id = provenance[0]?.key ?? keyed.map((k) => k.person.id).sort(compareStrings)[0] ?? ""


  return new Person.Person(
    {
      id,
      name,
      ...(jobTitle === undefined ? {} : { jobTitle }),
      ...(department === undefined ? {} : { department }),
      ...(company === undefined ? {} : { company }),
      ...(site === undefined ? {} : { site }),
      ...(employeeNumber === undefined ? {} : { employeeNumber }),
      ...(extensionNumber === undefined ? {} : { extensionNumber }),
      ...(status === undefined ? {} : { status }),
      contactPoints: points.map((p) => p.point),
      customFields,
      ...(photo === undefined ? {} : { photo }),
      provenance,
      fieldSources
    },
    true
  )
}

/** Latest read first, then the larger version, then a stable serialization. */
const compareProvenance = (x: Person.Provenance, y: Person.Provenance): number => {
  const rx = x.readAt?.getTime() ?? Number.NEGATIVE_INFINITY
  const ry = y.readAt?.getTime() ?? Number.NEGATIVE_INFINITY
  if (rx !== ry) return ry - rx > 0 ? 1 : -1
  return compareStrings(y.version ?? "", x.version ?? "")
}
