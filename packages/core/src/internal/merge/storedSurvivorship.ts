/**
 * Survivorship over the records of a {@link RecordStore}, in columns: the same
 * choices as `survivorship.ts` makes over `Person` objects (each field from the
 * best ranked source, contact points unioned and combined, provenance
 * unioned), computed without building a `Person` per record. A resolution
 * reads the features of a merged person from its {@link View}; the merged
 * `Person` itself is built only when asked for ({@link StoredSurvivor.person}).
 *
 * Every comparison follows `ranking.ts`: rank, system, latest read, record
 * key, and (only between candidates of one record) the JSON of the values,
 * for which the values are built.
 *
 * @internal
 */
import * as ContactPoint from "../../ContactPoint.js"
import * as Label from "../../Label.js"
import type { Field } from "../../Merge.js"
import * as Person from "../../Person.js"
import type { FeatureBuilder } from "./features.js"
import { compareStrings } from "./order.js"
import type { Ranking } from "./ranking.js"
import type { RecordStore } from "./store.js"

/** The single-valued fields, in the order survivorship picks them. */
const FIELDS = ["name", "jobTitle", "department", "company", "site", "employeeNumber", "extensionNumber", "status", "photo"] as const
const NAME = 0
const JOB_TITLE = 1
const DEPARTMENT = 2
const COMPANY = 3
const SITE = 4
const EMPLOYEE_NUMBER = 5
const EXTENSION_NUMBER = 6
const STATUS = 7
const PHOTO = 8

const capabilityOrder: ReadonlyArray<ContactPoint.Capability> = ContactPoint.Capability.literals
const KIND_EMAIL = Label.kinds.indexOf("email")
const KIND_PHONE = Label.kinds.indexOf("phone")
const LABEL_OTHER = Label.labels.indexOf("other")
const LABEL_PERSONAL = Label.labels.indexOf("personal")
const SHARED_LABELS: ReadonlyArray<boolean> = Label.labels.map((l) => Label.isShared(l))

/** One contact point of a merged person: its candidates combined. */
export interface StoredPoint {
  /** The best candidate (a point index of the store) and its record. */
  readonly top: number
  readonly topRecord: number
  /** The candidate whose label is kept (the best one labelled other than `other`). */
  readonly labelled: number
  /** Combined: 0 absent, 1 false, 2 true. */
  readonly primary: number
  readonly shared: number
  /** Combined capabilities (undefined when no candidate has any). */
  readonly capabilities: ReadonlyArray<ContactPoint.Capability> | undefined
  /** Whether the combination is the best candidate itself. */
  readonly same: boolean
  /** The value points are de-duplicated on. */
  readonly value: string
  readonly kind: number
  /** Rank of the source system of the point (for the order of points). */
  readonly rank: number
}

/** A merged person, as survivorship writes it, in terms of the store's records and points. */
export interface View {
  /** The records (store indices), in canonical order. */
  readonly records: ReadonlyArray<number>
  /** The record each single-valued field comes from (-1 none): its system is the field's source. */
  readonly fields: Int32Array
  /** Custom fields: key, value, system, sorted by key. */
  readonly custom: ReadonlyArray<readonly [string, string, string]>
  readonly points: ReadonlyArray<StoredPoint>
  /** `fieldSources.contactPoints`. */
  readonly pointSystems: string | undefined
  /** The records whose provenance is kept, sorted by key. */
  readonly provenance: ReadonlyArray<number>
}

interface Candidate {
  /** A record, or a point of one. */
  readonly at: number
  readonly record: number
  readonly system: string
  readonly rank: number
  readonly readAt: number
}

/** @internal */
export class StoredSurvivor {
  /** Rank of a system (by interned id) for each field, and for contact points / custom fields. */
  private readonly ranks: Array<Array<number>> = []
  constructor(readonly store: RecordStore, readonly ranking: Ranking) {}

  private rank(field: Field, fieldIndex: number, sid: number): number {
    let byField = this.ranks[fieldIndex]
    if (byField === undefined) byField = this.ranks[fieldIndex] = []
    let rank = byField[sid]
    if (rank === undefined) rank = byField[sid] = this.ranking.rank(field, this.store.strings.values[sid]!)
    return rank
  }

  /** Latest read of the record from `system` (its own system), else -Infinity. */
  private readAt(record: number, sid: number): number {
    const store = this.store
    if (store.system[record] !== sid) return Number.NEGATIVE_INFINITY
    const at = store.readAt[record]!
    return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at
  }

  private compare(x: Candidate, y: Candidate, json: (c: Candidate) => string): number {
    if (x.rank !== y.rank) return x.rank - y.rank
    const bySystem = compareStrings(x.system, y.system)
    if (bySystem !== 0) return bySystem
    if (x.readAt !== y.readAt) return y.readAt > x.readAt ? 1 : -1
    const keys = this.store.keys
    const byRecord = compareStrings(keys[x.record]!, keys[y.record]!)
    if (byRecord !== 0) return byRecord
    return x.at === y.at ? 0 : compareStrings(json(x), json(y))
  }

  private hasField(record: number, field: number): boolean {
    const store = this.store
    switch (field) {
      case NAME: {
        const s = store.strings.values
        const present = (id: number) => id >= 0 && s[id] !== ""
        return present(store.given[record]!) || present(store.family[record]!) || present(store.display[record]!)
      }
      case JOB_TITLE:
        return store.jobTitle[record]! >= 0
      case DEPARTMENT:
        return store.department[record]! >= 0
      case COMPANY:
        return store.hasCompany(record)
      case SITE:
        return store.hasSite(record)
      case EMPLOYEE_NUMBER:
        return store.employeeStart[record]! >= 0
      case EXTENSION_NUMBER:
        return store.extensionStart[record]! >= 0
      case STATUS:
        return store.status[record]! >= 0
      default:
        return store.hasPhoto(record)
    }
  }

  /** The JSON of a field's value (the last tie-break between two records of one key). */
  private fieldJson(record: number, field: number): string {
    const store = this.store
    const s = store.strings.values
    switch (field) {
      case NAME:
        return JSON.stringify(store.nameOf(record))
      case JOB_TITLE:
        return JSON.stringify(s[store.jobTitle[record]!])
      case DEPARTMENT:
        return JSON.stringify(s[store.department[record]!])
      case COMPANY:
        return JSON.stringify(store.companyOf(record))
      case SITE:
        return JSON.stringify(store.siteOf(record))
      case EMPLOYEE_NUMBER:
        return JSON.stringify(store.employeeNumberOf(record))
      case EXTENSION_NUMBER:
        return JSON.stringify(store.extensionNumberOf(record))
      case STATUS:
        return JSON.stringify(s[store.status[record]!])
      default:
        return JSON.stringify(store.photoOf(record))
    }
  }

  /** Whether record `r` (of system `sid`, rank and read) beats record `w` for `field`: `compareCandidates` < 0. */
  private beats(field: number, r: number, sid: number, rank: number, readAt: number, w: number, wSid: number, wRank: number, wReadAt: number): boolean {
    if (rank !== wRank) return rank < wRank
    if (sid !== wSid) {
      const strings = this.store.strings.values
      const bySystem = compareStrings(strings[sid]!, strings[wSid]!)
      if (bySystem !== 0) return bySystem < 0
    }
    if (readAt !== wReadAt) return readAt > wReadAt
    const keys = this.store.keys
    const byRecord = compareStrings(keys[r]!, keys[w]!)
    if (byRecord !== 0) return byRecord < 0
    return compareStrings(this.fieldJson(r, field), this.fieldJson(w, field)) < 0
  }

  /** The merged person of `records` (store indices in canonical order), as survivorship writes it. */
  view(records: ReadonlyArray<number>): View {
    const store = this.store
    const strings = store.strings.values
    const fields = new Int32Array(FIELDS.length).fill(-1)
    const single = records.length === 1
    for (let field = 0; field < FIELDS.length; field++) {
      let w = -1
      let wSid = 0
      let wRank = 0
      let wReadAt = 0
      for (const r of records) {
        if (!this.hasField(r, field)) continue
        if (single) {
          w = r
          break
        }
        const sid = store.system[r]!
        const rank = this.rank(FIELDS[field]!, field, sid)
        const readAt = this.readAt(r, sid)
        if (w < 0 || this.beats(field, r, sid, rank, readAt, w, wSid, wRank, wReadAt)) {
          w = r
          wSid = sid
          wRank = rank
          wReadAt = readAt
        }
      }
      fields[field] = w
    }

    // custom fields, per key
    const customKeys: Array<string> = []
    const customCandidates = new Map<string, Array<Candidate & { readonly value: string }>>()
    for (const r of records) {
      const sid = store.system[r]!
      for (let k = store.customStart[r]!; k < store.customStart[r + 1]!; k++) {
        const key = strings[store.customKey[k]!]!
        const candidate = { at: k, record: r, system: strings[sid]!, rank: this.rank("customFields", 9, sid), readAt: this.readAt(r, sid), value: strings[store.customValue[k]!]! }
        const list = customCandidates.get(key)
        if (list === undefined) {
          customKeys.push(key)
          customCandidates.set(key, [candidate])
        } else list.push(candidate)
      }
    }
    const custom: Array<readonly [string, string, string]> = []
    for (const key of customKeys.sort(compareStrings)) {
      let winner: (Candidate & { readonly value: string }) | undefined
      for (const c of customCandidates.get(key)!) {
        if (winner === undefined || this.compare(c, winner, (x) => JSON.stringify((x as Candidate & { value: string }).value)) < 0) winner = c
      }
      custom.push([key, winner!.value, winner!.system])
    }

    // contact points, unioned on kind + value, in the order first seen
    const groupKinds: Array<number> = []
    const groupValues: Array<string> = []
    const groups: Array<Array<Candidate>> = []
    for (const r of records) {
      for (let k = store.pointStart[r]!; k < store.pointStart[r + 1]!; k++) {
        const sourceSid = store.sourceSystemOf(k)
        const sid = sourceSid < 0 ? store.system[r]! : sourceSid
        const value = store.dedupeValueOf(k)
        const kind = store.pointKind[k]!
        let group = -1
        for (let g = 0; g < groupValues.length; g++) {
          if (groupValues[g] === value && groupKinds[g] === kind) {
            group = g
            break
          }
        }
        const candidate: Candidate = { at: k, record: r, system: strings[sid]!, rank: this.rank("contactPoints", 10, sid), readAt: this.readAt(r, sid) }
        if (group >= 0) groups[group]!.push(candidate)
        else {
          groupKinds.push(kind)
          groupValues.push(value)
          groups.push([candidate])
        }
      }
    }
    const points: Array<StoredPoint> = []
    for (let g = 0; g < groups.length; g++) points.push(this.combine(groups[g]!, groupValues[g]!, groupKinds[g]!))
    // by kind, then primary, then source, then value
    points.sort((x, y) =>
      x.kind - y.kind ||
      (x.primary === 2 ? 0 : 1) - (y.primary === 2 ? 0 : 1) ||
      x.rank - y.rank ||
      compareStrings(x.value, y.value)
    )
    let pointSystems: string | undefined
    if (points.length > 0) {
      const systems: Array<string> = []
      const ranks: Array<number> = []
      for (const p of points) {
        const sid = this.sourceSystem(p.top, p.topRecord)
        const system = strings[sid]!
        if (!systems.includes(system)) {
          systems.push(system)
          ranks.push(this.rank("contactPoints", 10, sid))
        }
      }
      const order = systems.map((_, i) => i)
      order.sort((x, y) => ranks[x]! - ranks[y]! || compareStrings(systems[x]!, systems[y]!))
      pointSystems = order.map((i) => systems[i]!).join(",")
    }

    // provenance: one per key and system (the latest read, then the larger version), sorted by key
    let provenance: Array<number>
    if (single) provenance = [records[0]!]
    else {
      provenance = []
      for (const r of records) {
        const at = provenance.findIndex((q) => store.keys[q] === store.keys[r] && store.system[q] === store.system[r])
        if (at < 0) provenance.push(r)
        else if (this.compareProvenance(r, provenance[at]!) < 0) provenance[at] = r
      }
      if (provenance.length > 1) provenance.sort((x, y) => compareStrings(store.keys[x]!, store.keys[y]!))
    }
    return { records, fields, custom, points, pointSystems, provenance }
  }

  private compareProvenance(x: number, y: number): number {
    const store = this.store
    const rx = Number.isNaN(store.readAt[x]!) ? Number.NEGATIVE_INFINITY : store.readAt[x]!
    const ry = Number.isNaN(store.readAt[y]!) ? Number.NEGATIVE_INFINITY : store.readAt[y]!
    if (rx !== ry) return ry - rx > 0 ? 1 : -1
    const s = store.strings.values
    const vx = store.version[x]!
    const vy = store.version[y]!
    return compareStrings(vy < 0 ? "" : s[vy]!, vx < 0 ? "" : s[vx]!)
  }

  private sourceSystem(k: number, record: number): number {
    const sid = this.store.sourceSystemOf(k)
    return sid < 0 ? this.store.system[record]! : sid
  }

  /** `combinePoints` over the candidates of one value. */
  private combine(candidates: Array<Candidate>, value: string, kind: number): StoredPoint {
    const store = this.store
    const sorted = candidates.length === 1
      ? candidates
      : [...candidates].sort((x, y) => this.compare(x, y, (c) => JSON.stringify(store.pointOf(c.at, c.record))))
    const first = sorted[0]!
    const top = first.at
    let labelled = top
    for (const c of sorted) {
      if (store.pointLabel[c.at] !== LABEL_OTHER) {
        labelled = c.at
        break
      }
    }
    const topPrimary = store.primaryOf(top)
    const topShared = store.sharedOf(top)
    let primary = topPrimary
    let shared = topShared
    for (const c of sorted) {
      if (store.primaryOf(c.at) === 2) primary = 2
      if (store.sharedOf(c.at) === 2) shared = 2
    }
    let capabilities: Array<ContactPoint.Capability> | undefined
    for (const c of sorted) {
      const list = store.capabilitiesOf(c.at)
      if (list === undefined) continue
      capabilities ??= []
      for (const capability of list) if (!capabilities.includes(capability)) capabilities.push(capability)
    }
    if (capabilities !== undefined && capabilities.length > 1) capabilities.sort((a, b) => capabilityOrder.indexOf(a) - capabilityOrder.indexOf(b))
    const topCapabilities = store.capabilitiesOf(top)
    const sameCapabilities = capabilities === undefined
      ? topCapabilities === undefined
      : topCapabilities !== undefined && topCapabilities.length === capabilities.length && topCapabilities.every((c, i) => c === capabilities![i])
    const same = sameCapabilities && store.pointLabel[labelled] === store.pointLabel[top] &&
      store.customLabelOf(labelled) === store.customLabelOf(top) && primary === topPrimary && shared === topShared
    const topRecord = first.record
    return {
      top,
      topRecord,
      labelled,
      primary,
      shared,
      capabilities,
      same,
      value,
      kind,
      rank: this.rank("contactPoints", 10, this.sourceSystem(top, topRecord))
    }
  }

  /** The merged `Person` of a view. */
  person(view: View): Person.Person {
    const store = this.store
    const s = store.strings.values
    const fieldSources: Record<string, string> = {}
    const f = view.fields
    // the properties in the order survivorship writes them
    const props: Record<string, unknown> = { id: store.keys[view.provenance[0]!]! }
    const source = (index: number): number => {
      const r = f[index]!
      if (r >= 0) fieldSources[FIELDS[index]!] = s[store.system[r]!]!
      return r
    }
    const name = source(NAME)
    props["name"] = name < 0 ? new Person.Name({}, true) : store.nameOf(name)
    const jobTitle = source(JOB_TITLE)
    if (jobTitle >= 0) props["jobTitle"] = s[store.jobTitle[jobTitle]!]!
    const department = source(DEPARTMENT)
    if (department >= 0) props["department"] = s[store.department[department]!]!
    const company = source(COMPANY)
    if (company >= 0) props["company"] = store.companyOf(company)
    const site = source(SITE)
    if (site >= 0) props["site"] = store.siteOf(site)
    const employeeNumber = source(EMPLOYEE_NUMBER)
    if (employeeNumber >= 0) props["employeeNumber"] = store.employeeNumberOf(employeeNumber)!
    const extensionNumber = source(EXTENSION_NUMBER)
    if (extensionNumber >= 0) props["extensionNumber"] = store.extensionNumberOf(extensionNumber)!
    const status = source(STATUS)
    if (status >= 0) props["status"] = s[store.status[status]!]!
    const photo = source(PHOTO)
    const customFields: Record<string, string> = {}
    for (const [key, value, system] of view.custom) {
      customFields[key] = value
      fieldSources[`customFields.${key}`] = system
    }
    if (view.pointSystems !== undefined) fieldSources["contactPoints"] = view.pointSystems
    // one source per record
    const owns = new Map<number, ContactPoint.SourceRef>()
    const points: Array<ContactPoint.ContactPoint> = []
    for (const p of view.points) {
      let own: ContactPoint.SourceRef | undefined
      if (store.sourceSystemOf(p.top) < 0) {
        own = owns.get(p.topRecord)
        if (own === undefined) owns.set(p.topRecord, own = store.ownSource(p.topRecord))
      }
      points.push(this.pointOf(p, own))
    }
    props["contactPoints"] = points
    props["customFields"] = customFields
    if (photo >= 0) props["photo"] = store.photoOf(photo)
    props["provenance"] = view.provenance.map((r) => store.provenanceOf(r))
    props["fieldSources"] = fieldSources
    return new Person.Person(props as unknown as ConstructorParameters<typeof Person.Person>[0], true)
  }

  private pointOf(p: StoredPoint, own: ContactPoint.SourceRef | undefined): ContactPoint.ContactPoint {
    const store = this.store
    const top = store.pointOf(p.top, p.topRecord, own)
    if (p.same) return top
    const customLabel = store.customLabelOf(p.labelled)
    // the properties in the order combinePoints writes them
    const props: Record<string, unknown> = { kind: top.kind, value: top.value }
    if (top.normalized !== undefined) props["normalized"] = top.normalized
    if (top.issue !== undefined) props["issue"] = top.issue
    props["label"] = Label.labels[store.pointLabel[p.labelled]!]!
    if (customLabel >= 0) props["customLabel"] = store.strings.values[customLabel]!
    if (p.primary !== 0) props["primary"] = p.primary === 2
    if (p.capabilities !== undefined) props["capabilities"] = p.capabilities
    if (p.shared !== 0) props["shared"] = p.shared === 2
    props["source"] = top.source!
    return new ContactPoint.ContactPoint(props as unknown as ConstructorParameters<typeof ContactPoint.ContactPoint>[0], true)
  }

  /**
   * Adds the features of a view to `builder`: what `addPerson` reads of the
   * merged person, read from the store. Returns the number of provenance
   * entries.
   */
  addFeatures(view: View, builder: FeatureBuilder): number {
    const store = this.store
    const f = view.fields
    const emails: Array<number> = []
    const personal: Array<boolean> = []
    const phones: Array<number> = []
    for (const p of view.points) {
      // identifying: normalized and not shared
      if (!store.isNormalized(p.top) || p.shared === 2) continue
      const label = store.pointLabel[p.labelled]!
      if (p.kind === KIND_EMAIL) {
        emails.push(p.top)
        personal.push(label === LABEL_PERSONAL)
      } else if (p.kind === KIND_PHONE && !SHARED_LABELS[label]) phones.push(p.top)
    }
    builder.addView(store, {
      name: f[NAME]!,
      department: f[DEPARTMENT]!,
      site: f[SITE]!,
      jobTitle: f[JOB_TITLE]!,
      employeeNumber: f[EMPLOYEE_NUMBER]!,
      provenance: view.provenance,
      emails,
      personal,
      phones
    })
    return view.provenance.length
  }
}
