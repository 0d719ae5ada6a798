/**
 * The compact record store: raw records (as a source holds them, contact
 * values not yet normalized) normalized once and kept in columns (interned
 * strings, numbers, contact values in one byte arena) instead of one `Person`
 * object graph per record. A record becomes a `Person` only when asked
 * ({@link RecordStore.person}), exactly as {@link toPerson} builds it.
 *
 * @internal
 */
import * as ContactPoint from "../../ContactPoint.js"
import * as Label from "../../Label.js"
import * as Normalize from "../../Normalize.js"
import * as Person from "../../Person.js"
import * as Text from "../../Text.js"

// -----------------------------------------------------------------------------
// raw records
// -----------------------------------------------------------------------------

/** @internal */
export interface RawContactPoint {
  readonly kind: Label.Kind
  readonly value: string
  readonly label?: Label.Label | undefined
  readonly customLabel?: string | undefined
  readonly primary?: boolean | undefined
  readonly capabilities?: ReadonlyArray<ContactPoint.Capability> | undefined
  readonly shared?: boolean | undefined
  readonly source?: { readonly system: string; readonly remoteId?: string | undefined } | undefined
  readonly defaultRegion?: string | undefined
  readonly maxLength?: number | undefined
}

/** @internal */
export interface RawRecord {
  readonly system: string
  readonly remoteId: string
  readonly version?: string | undefined
  readonly readAt?: Date | string | number | undefined
  readonly name?: { readonly given?: string | undefined; readonly family?: string | undefined; readonly display?: string | undefined } | undefined
  readonly jobTitle?: string | undefined
  readonly department?: string | undefined
  readonly company?: { readonly id?: string | undefined; readonly name?: string | undefined } | undefined
  readonly site?: { readonly id?: string | undefined; readonly name?: string | undefined } | undefined
  readonly employeeNumber?: string | undefined
  readonly extensionNumber?: string | undefined
  readonly status?: string | undefined
  readonly contactPoints?: ReadonlyArray<RawContactPoint> | undefined
  readonly customFields?: { readonly [key: string]: string } | undefined
  readonly photo?: { readonly uri?: string | undefined; readonly etag?: string | undefined } | undefined
}

const fail = (record: RawRecord | undefined, what: string): never => {
  const where = record !== undefined && typeof record.system === "string" && typeof record.remoteId === "string"
    ? ` (record ${Text.quote(`${record.system}:${record.remoteId}`)})`
    : ""
  throw new TypeError(`Merge: ${what}${where}`)
}

const optionalString = (record: RawRecord, value: unknown, what: string): string | undefined => {
  if (value === undefined) return undefined
  if (typeof value !== "string") fail(record, `${what} must be a string`)
  return value as string
}

/** Epoch milliseconds of a `readAt`, NaN when absent. @internal */
export const readAtMillis = (record: RawRecord): number => {
  const at = record.readAt
  if (at === undefined) return Number.NaN
  const millis = at instanceof Date ? at.getTime() : typeof at === "string" ? Date.parse(at) : typeof at === "number" ? at : Number.NaN
  if (!Number.isFinite(millis)) fail(record, `readAt ${Text.quote(String(at))} is not a date`)
  return millis
}

const cleanText = (s: string): string => (Text.isSafe(s) ? s : Text.clean(s))

/** The custom fields as `Person` keeps them (cleaned keys and values). */
const customEntries = (record: RawRecord): ReadonlyArray<readonly [string, string]> => {
  const fields = record.customFields
  if (fields === undefined) return []
  if (typeof fields !== "object" || fields === null) fail(record, "customFields must be an object")
  const out: Array<readonly [string, string]> = []
  let safe = true
  for (const key in fields) {
    const value = fields[key]
    if (typeof value !== "string") fail(record, `custom field ${Text.quote(key)} must be a string`)
    if (!Text.isSafe(key) || !Text.isSafe(value!)) safe = false
    out.push([key, value!])
  }
  if (safe) return out
  // as Person's constructor cleans them: every key and value, a later key winning
  const cleaned = new Map<string, string>()
  for (const [k, v] of out) cleaned.set(Text.clean(k), Text.clean(v))
  return Array.from(cleaned)
}

const checkPoint = (record: RawRecord, point: RawContactPoint): void => {
  if (typeof point !== "object" || point === null) fail(record, "a contact point must be an object")
  if (!Label.kinds.includes(point.kind)) fail(record, `contact point kind ${Text.quote(String(point.kind))} is not one of ${Label.kinds.join(", ")}`)
  if (typeof point.value !== "string") fail(record, "a contact point value must be a string")
  if (point.label !== undefined && typeof point.label !== "string") fail(record, "a contact point label must be a string")
  if (point.source !== undefined && (typeof point.source !== "object" || point.source === null || typeof point.source.system !== "string")) {
    fail(record, "a contact point source must have a system")
  }
}

const checkRecord = (record: RawRecord): void => {
  if (typeof record !== "object" || record === null) fail(undefined, "a record must be an object")
  if (typeof record.system !== "string" || record.system === "") fail(record, "a record needs a system (a non-empty string)")
  if (typeof record.remoteId !== "string") fail(record, "a record needs a remoteId (a string)")
  if (record.contactPoints !== undefined && !Array.isArray(record.contactPoints)) fail(record, "contactPoints must be an array")
}

/** A contact point as `ContactPoint.make` builds it, with its source (this record unless given). */
const makePoint = (point: RawContactPoint, own: ContactPoint.SourceRef): ContactPoint.ContactPoint =>
  ContactPoint.make({
    kind: point.kind,
    value: point.value,
    ...(point.label === undefined ? {} : { label: point.label }),
    ...(point.customLabel === undefined ? {} : { customLabel: point.customLabel }),
    ...(point.primary === undefined ? {} : { primary: point.primary }),
    ...(point.capabilities === undefined ? {} : { capabilities: point.capabilities }),
    ...(point.shared === undefined ? {} : { shared: point.shared }),
    source: point.source === undefined
      ? own
      : new ContactPoint.SourceRef({ system: point.source.system, ...(point.source.remoteId === undefined ? {} : { remoteId: point.source.remoteId }) }, true),
    ...(point.defaultRegion === undefined ? {} : { defaultRegion: point.defaultRegion }),
    ...(point.maxLength === undefined ? {} : { maxLength: point.maxLength })
  })

/**
 * The canonical person of a raw record: id `system:remoteId`, one provenance,
 * contact points normalized by `ContactPoint.make` (their source is the record
 * unless given), free text cleaned as `Person` cleans it.
 *
 * @internal
 */
export const toPerson = (record: RawRecord): Person.Person => {
  checkRecord(record)
  const own = new ContactPoint.SourceRef({ system: record.system, remoteId: record.remoteId }, true)
  const name = record.name ?? {}
  const given = optionalString(record, name.given, "name.given")
  const family = optionalString(record, name.family, "name.family")
  const display = optionalString(record, name.display, "name.display")
  const reference = (ref: RawRecord["company"], what: string) => {
    const id = optionalString(record, ref!.id, `${what}.id`)
    const refName = optionalString(record, ref!.name, `${what}.name`)
    return new Person.Reference({ ...(id === undefined ? {} : { id }), ...(refName === undefined ? {} : { name: refName }) }, true)
  }
  const text = (value: unknown, what: string) => optionalString(record, value, what)
  const jobTitle = text(record.jobTitle, "jobTitle")
  const department = text(record.department, "department")
  const employeeNumber = text(record.employeeNumber, "employeeNumber")
  const extensionNumber = text(record.extensionNumber, "extensionNumber")
  const status = text(record.status, "status")
  const version = text(record.version, "version")
  const readAt = readAtMillis(record)
  const photo = record.photo
  const points = (record.contactPoints ?? []).map((p) => {
    checkPoint(record, p)
    return makePoint(p, own)
  })
  return new Person.Person(
    {
      id: `${record.system}:${record.remoteId}`,
      name: new Person.Name(
        { ...(given === undefined ? {} : { given }), ...(family === undefined ? {} : { family }), ...(display === undefined ? {} : { display }) },
        true
      ),
      ...(jobTitle === undefined ? {} : { jobTitle }),
      ...(department === undefined ? {} : { department }),
      ...(record.company === undefined ? {} : { company: reference(record.company, "company") }),
      ...(record.site === undefined ? {} : { site: reference(record.site, "site") }),
      ...(employeeNumber === undefined ? {} : { employeeNumber }),
      ...(extensionNumber === undefined ? {} : { extensionNumber }),
      ...(status === undefined ? {} : { status }),
      contactPoints: points,
      customFields: Object.fromEntries(customEntries(record)),
      ...(photo === undefined
        ? {}
        : {
          photo: new Person.Photo(
            {
              ...(photo.uri === undefined ? {} : { uri: text(photo.uri, "photo.uri")! }),
              ...(photo.etag === undefined ? {} : { etag: text(photo.etag, "photo.etag")! })
            },
            true
          )
        }),
      provenance: [
        new Person.Provenance(
          {
            system: record.system,
            remoteId: record.remoteId,
            ...(version === undefined ? {} : { version }),
            ...(Number.isNaN(readAt) ? {} : { readAt: new Date(readAt) })
          },
          true
        )
      ]
    },
    true
  )
}

// -----------------------------------------------------------------------------
// storage
// -----------------------------------------------------------------------------

/** Interned strings: an id per distinct string. @internal */
export class Strings {
  readonly values: Array<string> = []
  private readonly index = new Map<string, number>()

  id(s: string): number {
    let id = this.index.get(s)
    if (id === undefined) {
      id = this.values.length
      this.values.push(s)
      this.index.set(s, id)
    }
    return id
  }

  /** The id of an optional string (-1 absent). */
  optional(s: string | undefined): number {
    return s === undefined ? -1 : this.id(s)
  }

  get(id: number): string | undefined {
    return id < 0 ? undefined : this.values[id]
  }
}

type Decoder = (bytes: Uint8Array, from: number, to: number) => string

const makeDecoder = (): Decoder => {
  const NodeBuffer = (globalThis as unknown as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): { latin1Slice(a: number, b: number): string; utf8Slice(a: number, b: number): string } } }).Buffer
  if (NodeBuffer !== undefined) {
    let source: Uint8Array | undefined
    let view: { latin1Slice(a: number, b: number): string; utf8Slice(a: number, b: number): string } | undefined
    return (bytes, from, to) => {
      if (source !== bytes) {
        source = bytes
        view = NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      }
      return view!.utf8Slice(from, to)
    }
  }
  const decoder = new TextDecoder()
  return (bytes, from, to) => decoder.decode(bytes.subarray(from, to))
}

const encoder = new TextEncoder()

/**
 * Strings in one growing byte array (UTF-8): a contact value costs its bytes
 * and two numbers, not a heap object.
 *
 * @internal
 */
export class Arena {
  bytes = new Uint8Array(1 << 16)
  used = 0
  private readonly decode = makeDecoder()

  /** Appends `s`; returns its start (its end is the next start or `used`). */
  put(s: string): number {
    const start = this.used
    const n = s.length
    if (start + n * 3 > this.bytes.length) this.grow(start + n * 3)
    const bytes = this.bytes
    let k = start
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c >= 0x80) {
        // not ASCII: the encoder writes the rest
        k += encoder.encodeInto(s.slice(i), bytes.subarray(k)).written
        this.used = k
        return start
      }
      bytes[k++] = c
    }
    this.used = k
    return start
  }

  get(from: number, to: number): string {
    return this.decode(this.bytes, from, to)
  }

  private grow(atLeast: number): void {
    let size = this.bytes.length * 2
    while (size < atLeast) size *= 2
    const next = new Uint8Array(size)
    next.set(this.bytes.subarray(0, this.used))
    this.bytes = next
  }
}

/** Contact point flags. */
const F_PRIMARY_SET = 1
const F_PRIMARY = 2
const F_SHARED_SET = 4
const F_SHARED = 8
/** Normalized, with the normalized value stored (else it is the value itself). */
const F_NORMALIZED = 16
const F_NORMALIZED_SAME = 32
const F_ISSUE = 64

/** Record flags. */
const R_COMPANY = 1
const R_SITE = 2
const R_PHOTO = 4

const labelIndex: ReadonlyMap<string, number> = new Map(Label.labels.map((l, i) => [l, i] as const))
const kindIndex: ReadonlyMap<string, number> = new Map(Label.kinds.map((k, i) => [k, i] as const))

/**
 * Raw records in columns, in arrival order. Contact values are normalized on
 * the way in, exactly as `ContactPoint.make` does.
 *
 * @internal
 */
export class RecordStore {
  readonly strings = new Strings()
  readonly arena = new Arena()
  /** `system:remoteId` of each record. */
  readonly keys: Array<string> = []
  readonly system: Array<number> = []
  readonly version: Array<number> = []
  readonly readAt: Array<number> = []
  readonly given: Array<number> = []
  readonly family: Array<number> = []
  readonly display: Array<number> = []
  readonly jobTitle: Array<number> = []
  readonly department: Array<number> = []
  readonly status: Array<number> = []
  readonly employeeNumber: Array<string | undefined> = []
  readonly extensionNumber: Array<string | undefined> = []
  readonly flags: Array<number> = []
  /** Company id and name, site id and name, photo uri and etag (interned, -1 absent), for records that have them. */
  readonly extra = new Map<number, Int32Array>()
  /** Custom fields: `customStart[r] .. customStart[r + 1]` into `customKey` / `customValue`. */
  readonly customStart: Array<number> = [0]
  readonly customKey: Array<number> = []
  readonly customValue: Array<number> = []
  /** Contact points: `pointStart[r] .. pointStart[r + 1]`. */
  readonly pointStart: Array<number> = [0]
  readonly pointKind: Array<number> = []
  readonly pointLabel: Array<number> = []
  readonly pointFlags: Array<number> = []
  readonly pointCustomLabel: Array<number> = []
  readonly pointCapabilities: Array<number> = []
  /** Source system of a point (-1: the record itself) and its remote id (interned, -1 none). */
  readonly pointSourceSystem: Array<number> = []
  readonly pointSourceRemoteId: Array<number> = []
  /** The value, then the normalized value or the issue, in the arena: starts of each. */
  readonly pointValue: Array<number> = []
  readonly pointSecond: Array<number> = []
  readonly pointEnd: Array<number> = []

  get size(): number {
    return this.keys.length
  }

  /** Adds a record, normalizing its contact values; throws a `TypeError` on a malformed record. */
  add(record: RawRecord): void {
    checkRecord(record)
    const s = this.strings
    const name = record.name
    const opt = (value: unknown, what: string): number => {
      const v = optionalString(record, value, what)
      return v === undefined ? -1 : s.id(cleanText(v))
    }
    const given = name === undefined ? -1 : opt(name.given, "name.given")
    const family = name === undefined ? -1 : opt(name.family, "name.family")
    const display = name === undefined ? -1 : opt(name.display, "name.display")
    const jobTitle = opt(record.jobTitle, "jobTitle")
    const department = opt(record.department, "department")
    const status = opt(record.status, "status")
    const employee = optionalString(record, record.employeeNumber, "employeeNumber")
    const extension = optionalString(record, record.extensionNumber, "extensionNumber")
    const version = optionalString(record, record.version, "version")
    const readAt = readAtMillis(record)
    let flags = 0
    let extra: Int32Array | undefined
    const reference = (ref: RawRecord["company"], what: string, at: number, flag: number) => {
      if (ref === undefined) return
      if (typeof ref !== "object" || ref === null) fail(record, `${what} must be an object`)
      flags |= flag
      extra ??= new Int32Array(6).fill(-1)
      const id = optionalString(record, ref.id, `${what}.id`)
      extra[at] = id === undefined ? -1 : s.id(id)
      extra[at + 1] = opt(ref.name, `${what}.name`)
    }
    reference(record.company, "company", 0, R_COMPANY)
    reference(record.site, "site", 2, R_SITE)
    if (record.photo !== undefined) {
      if (typeof record.photo !== "object" || record.photo === null) fail(record, "photo must be an object")
      flags |= R_PHOTO
      extra ??= new Int32Array(6).fill(-1)
      extra[4] = s.optional(optionalString(record, record.photo.uri, "photo.uri"))
      extra[5] = s.optional(optionalString(record, record.photo.etag, "photo.etag"))
    }
    const custom = customEntries(record)
    const points = record.contactPoints ?? []
    for (const point of points) checkPoint(record, point)

    // nothing can fail past this point
    const r = this.keys.length
    this.keys.push(`${record.system}:${record.remoteId}`)
    this.system.push(s.id(record.system))
    this.version.push(version === undefined ? -1 : s.id(version))
    this.readAt.push(readAt)
    this.given.push(given)
    this.family.push(family)
    this.display.push(display)
    this.jobTitle.push(jobTitle)
    this.department.push(department)
    this.status.push(status)
    this.employeeNumber.push(employee === undefined ? undefined : cleanText(employee))
    this.extensionNumber.push(extension === undefined ? undefined : cleanText(extension))
    this.flags.push(flags)
    if (extra !== undefined) this.extra.set(r, extra)
    for (const [k, v] of custom) {
      this.customKey.push(s.id(k))
      this.customValue.push(s.id(v))
    }
    this.customStart.push(this.customKey.length)
    for (const point of points) this.addPoint(point)
    this.pointStart.push(this.pointKind.length)
  }

  /** One contact point, as `ContactPoint.make` builds it. */
  private addPoint(point: RawContactPoint): void {
    const s = this.strings
    const options = point.defaultRegion === undefined && point.maxLength === undefined
      ? undefined
      : { ...(point.defaultRegion === undefined ? {} : { defaultRegion: point.defaultRegion }), ...(point.maxLength === undefined ? {} : { maxLength: point.maxLength }) }
    const result = Normalize.value(point.kind, point.value, options)
    const requested = point.label ?? "other"
    const allowed = Label.isAllowed(requested, point.kind)
    const custom = allowed ? point.customLabel : (point.customLabel ?? requested)
    const cleaned = custom === undefined ? undefined : Text.clean(custom)
    const customLabel = cleaned === "" ? undefined : cleaned
    const shared = point.shared ?? (Label.isShared(requested) ? true : undefined)
    let flags = 0
    if (point.primary !== undefined) flags |= F_PRIMARY_SET | (point.primary ? F_PRIMARY : 0)
    if (shared !== undefined) flags |= F_SHARED_SET | (shared ? F_SHARED : 0)
    const arena = this.arena
    this.pointValue.push(arena.put(point.value))
    if (result._tag === "Normalized") {
      if (result.value === point.value) {
        flags |= F_NORMALIZED | F_NORMALIZED_SAME
        this.pointSecond.push(arena.used)
      } else {
        flags |= F_NORMALIZED
        this.pointSecond.push(arena.put(result.value))
      }
    } else {
      flags |= F_ISSUE
      this.pointSecond.push(arena.put(result.reason))
    }
    this.pointEnd.push(arena.used)
    this.pointKind.push(kindIndex.get(point.kind)!)
    this.pointLabel.push(labelIndex.get(allowed ? requested : "other")!)
    this.pointFlags.push(flags)
    this.pointCustomLabel.push(s.optional(customLabel))
    this.pointCapabilities.push(point.capabilities === undefined ? -1 : s.id(point.capabilities.join(",")))
    if (point.source === undefined) {
      this.pointSourceSystem.push(-1)
      this.pointSourceRemoteId.push(-1)
    } else {
      this.pointSourceSystem.push(s.id(point.source.system))
      this.pointSourceRemoteId.push(s.optional(point.source.remoteId))
    }
  }

  // ---------------------------------------------------------------------------
  // reading
  // ---------------------------------------------------------------------------

  /** The remote id of record `r`. */
  remoteId(r: number): string {
    return this.keys[r]!.slice(this.strings.values[this.system[r]!]!.length + 1)
  }

  pointKindOf(k: number): Label.Kind {
    return Label.kinds[this.pointKind[k]!]!
  }

  pointLabelOf(k: number): Label.Label {
    return Label.labels[this.pointLabel[k]!]!
  }

  /** Whether point `k` has a normalized value. */
  isNormalized(k: number): boolean {
    return (this.pointFlags[k]! & F_NORMALIZED) !== 0
  }

  /** Whether point `k` is marked shared. */
  isShared(k: number): boolean {
    return (this.pointFlags[k]! & F_SHARED) !== 0
  }

  pointValueOf(k: number): string {
    return this.arena.get(this.pointValue[k]!, this.pointSecond[k]!)
  }

  /** The normalized value of point `k` (undefined when it has an issue). */
  normalizedOf(k: number): string | undefined {
    const flags = this.pointFlags[k]!
    if ((flags & F_NORMALIZED) === 0) return undefined
    return (flags & F_NORMALIZED_SAME) !== 0 ? this.pointValueOf(k) : this.arena.get(this.pointSecond[k]!, this.pointEnd[k]!)
  }

  /** The trimmed value survivorship de-duplicates on: the normalized value, else the trimmed raw value. */
  dedupeValueOf(k: number): string {
    return this.normalizedOf(k) ?? this.pointValueOf(k).trim()
  }

  /** Primary of point `k`: 0 absent, 1 false, 2 true. */
  primaryOf(k: number): number {
    const flags = this.pointFlags[k]!
    return (flags & F_PRIMARY_SET) === 0 ? 0 : (flags & F_PRIMARY) !== 0 ? 2 : 1
  }

  /** Shared of point `k`: 0 absent, 1 false, 2 true. */
  sharedOf(k: number): number {
    const flags = this.pointFlags[k]!
    return (flags & F_SHARED_SET) === 0 ? 0 : (flags & F_SHARED) !== 0 ? 2 : 1
  }

  capabilitiesOf(k: number): ReadonlyArray<ContactPoint.Capability> | undefined {
    const id = this.pointCapabilities[k]!
    if (id < 0) return undefined
    const list = this.strings.values[id]!
    return list === "" ? [] : (list.split(",") as Array<ContactPoint.Capability>)
  }

  /** The source of the points of record `r` that name none: the record itself. */
  ownSource(r: number): ContactPoint.SourceRef {
    return new ContactPoint.SourceRef({ system: this.strings.values[this.system[r]!]!, remoteId: this.remoteId(r) }, true)
  }

  /** Point `k` of record `r` (its source is `own` when it names none; built when omitted). */
  pointOf(k: number, r: number, own?: ContactPoint.SourceRef): ContactPoint.ContactPoint {
    const s = this.strings.values
    const flags = this.pointFlags[k]!
    const value = this.pointValueOf(k)
    const custom = this.pointCustomLabel[k]!
    const capabilities = this.capabilitiesOf(k)
    const sourceSystem = this.pointSourceSystem[k]!
    const sourceRemoteId = this.pointSourceRemoteId[k]!
    // the properties in the order ContactPoint.make writes them
    return new ContactPoint.ContactPoint(
      {
        kind: this.pointKindOf(k),
        value,
        ...((flags & F_NORMALIZED) !== 0
          ? { normalized: (flags & F_NORMALIZED_SAME) !== 0 ? value : this.arena.get(this.pointSecond[k]!, this.pointEnd[k]!) }
          : { issue: this.arena.get(this.pointSecond[k]!, this.pointEnd[k]!) }),
        label: this.pointLabelOf(k),
        ...(custom < 0 ? {} : { customLabel: s[custom]! }),
        ...((flags & F_PRIMARY_SET) === 0 ? {} : { primary: (flags & F_PRIMARY) !== 0 }),
        ...(capabilities === undefined ? {} : { capabilities }),
        ...((flags & F_SHARED_SET) === 0 ? {} : { shared: (flags & F_SHARED) !== 0 }),
        source: sourceSystem < 0
          ? (own ?? this.ownSource(r))
          : new ContactPoint.SourceRef({ system: s[sourceSystem]!, ...(sourceRemoteId < 0 ? {} : { remoteId: s[sourceRemoteId]! }) }, true)
      },
      true
    )
  }

  nameOf(r: number): Person.Name {
    const s = this.strings.values
    const given = this.given[r]!
    const family = this.family[r]!
    const display = this.display[r]!
    return new Person.Name(
      { ...(given < 0 ? {} : { given: s[given]! }), ...(family < 0 ? {} : { family: s[family]! }), ...(display < 0 ? {} : { display: s[display]! }) },
      true
    )
  }

  hasCompany(r: number): boolean {
    return (this.flags[r]! & R_COMPANY) !== 0
  }

  hasSite(r: number): boolean {
    return (this.flags[r]! & R_SITE) !== 0
  }

  hasPhoto(r: number): boolean {
    return (this.flags[r]! & R_PHOTO) !== 0
  }

  private reference(r: number, at: number): Person.Reference {
    const s = this.strings.values
    const extra = this.extra.get(r)!
    const id = extra[at]!
    const name = extra[at + 1]!
    return new Person.Reference({ ...(id < 0 ? {} : { id: s[id]! }), ...(name < 0 ? {} : { name: s[name]! }) }, true)
  }

  companyOf(r: number): Person.Reference {
    return this.reference(r, 0)
  }

  siteOf(r: number): Person.Reference {
    return this.reference(r, 2)
  }

  photoOf(r: number): Person.Photo {
    const s = this.strings.values
    const extra = this.extra.get(r)!
    return new Person.Photo({ ...(extra[4]! < 0 ? {} : { uri: s[extra[4]!]! }), ...(extra[5]! < 0 ? {} : { etag: s[extra[5]!]! }) }, true)
  }

  provenanceOf(r: number): Person.Provenance {
    const version = this.version[r]!
    const readAt = this.readAt[r]!
    return new Person.Provenance(
      {
        system: this.strings.values[this.system[r]!]!,
        remoteId: this.remoteId(r),
        ...(version < 0 ? {} : { version: this.strings.values[version]! }),
        ...(Number.isNaN(readAt) ? {} : { readAt: new Date(readAt) })
      },
      true
    )
  }

  /** Record `r` as a `Person`, equal to {@link toPerson} of the record added. */
  person(r: number): Person.Person {
    const s = this.strings.values
    const str = (id: number): string | undefined => (id < 0 ? undefined : s[id])
    const own = this.ownSource(r)
    const jobTitle = str(this.jobTitle[r]!)
    const department = str(this.department[r]!)
    const employeeNumber = this.employeeNumber[r]
    const extensionNumber = this.extensionNumber[r]
    const status = str(this.status[r]!)
    const points: Array<ContactPoint.ContactPoint> = []
    for (let k = this.pointStart[r]!; k < this.pointStart[r + 1]!; k++) points.push(this.pointOf(k, r, own))
    const entries: Array<readonly [string, string]> = []
    for (let k = this.customStart[r]!; k < this.customStart[r + 1]!; k++) entries.push([s[this.customKey[k]!]!, s[this.customValue[k]!]!])
    return new Person.Person(
      {
        id: this.keys[r]!,
        name: this.nameOf(r),
        ...(jobTitle === undefined ? {} : { jobTitle }),
        ...(department === undefined ? {} : { department }),
        ...(this.hasCompany(r) ? { company: this.companyOf(r) } : {}),
        ...(this.hasSite(r) ? { site: this.siteOf(r) } : {}),
        ...(employeeNumber === undefined ? {} : { employeeNumber }),
        ...(extensionNumber === undefined ? {} : { extensionNumber }),
        ...(status === undefined ? {} : { status }),
        contactPoints: points,
        customFields: Object.fromEntries(entries),
        ...(this.hasPhoto(r) ? { photo: this.photoOf(r) } : {}),
        provenance: [this.provenanceOf(r)]
      },
      true
    )
  }

  /** Site name and id of record `r` (interned ids, -1 none). */
  siteName(r: number): number {
    return (this.flags[r]! & R_SITE) === 0 ? -1 : this.extra.get(r)![3]!
  }

  siteId(r: number): number {
    return (this.flags[r]! & R_SITE) === 0 ? -1 : this.extra.get(r)![2]!
  }

  /** Whether record `r` holds one contact value twice (kind and normalized or trimmed value). */
  hasRepeatedPoint(r: number): boolean {
    const from = this.pointStart[r]!
    const to = this.pointStart[r + 1]!
    if (to - from < 2) return false
    for (let a = from + 1; a < to; a++) {
      const va = this.dedupeValueOf(a)
      for (let b = from; b < a; b++) {
        if (this.pointKind[b] === this.pointKind[a] && this.dedupeValueOf(b) === va) return true
      }
    }
    return false
  }
}
