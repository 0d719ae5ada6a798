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
import type { RawContactPoint, RawRecord } from "../../Merge.js"

// -----------------------------------------------------------------------------
// raw records (the public `Merge.RawRecord`: plain data, values as written)
// -----------------------------------------------------------------------------

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

  /** Gives the bytes exactly their length (appending afterwards grows them again). */
  compact(): void {
    if (this.bytes.length > Math.max(16, this.used)) this.bytes = this.bytes.slice(0, Math.max(16, this.used))
  }

  private grow(atLeast: number): void {
    let size = Math.ceil(this.bytes.length * 1.5)
    while (size < atLeast) size = Math.ceil(size * 1.5)
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
/** The source is given (else it is the record). */
const F_SOURCE = 128

/** Record flags. */
const R_COMPANY = 1
const R_SITE = 2
const R_PHOTO = 4

const labelIndex: ReadonlyMap<string, number> = new Map(Label.labels.map((l, i) => [l, i] as const))
const kindIndex: ReadonlyMap<string, number> = new Map(Label.kinds.map((k, i) => [k, i] as const))
const capabilityIndex: ReadonlyMap<string, number> = new Map(ContactPoint.Capability.literals.map((c, i) => [c, i + 1] as const))

/**
 * A list of capabilities as a number: 2 bits per capability (1-based), first
 * last; longer lists or unknown values are interned (negative: `-2 - id`).
 * -1 is no list.
 */
const encodeCapabilities = (list: ReadonlyArray<string>, strings: Strings): number => {
  if (list.length <= 12) {
    let code = 0
    for (let i = list.length - 1; i >= 0; i--) {
      const c = capabilityIndex.get(list[i]!)
      if (c === undefined) return -2 - strings.id(JSON.stringify(list))
      code = code * 4 + c
    }
    return code
  }
  return -2 - strings.id(JSON.stringify(list))
}

const decodeCapabilities = (code: number, strings: Strings): Array<ContactPoint.Capability> => {
  if (code < -1) return JSON.parse(strings.values[-2 - code]!) as Array<ContactPoint.Capability>
  const out: Array<ContactPoint.Capability> = []
  while (code > 0) {
    out.push(ContactPoint.Capability.literals[(code % 4) - 1]!)
    code = Math.floor(code / 4)
  }
  return out
}

const growInt32 = (a: Int32Array, size: number): Int32Array<ArrayBuffer> => {
  const next = new Int32Array(size)
  next.set(a)
  return next
}

const growUint8 = (a: Uint8Array, size: number): Uint8Array<ArrayBuffer> => {
  const next = new Uint8Array(size)
  next.set(a)
  return next
}

const growUint16 = (a: Uint16Array, size: number): Uint16Array<ArrayBuffer> => {
  const next = new Uint16Array(size)
  next.set(a)
  return next
}

/** A stored capabilities code that is in the map of long codes. */
const CAPABILITIES_ESCAPE = 255
/** A stored length that is in the map of long lengths. */
const LENGTH_ESCAPE = 65535

const growFloat64 = (a: Float64Array, size: number): Float64Array<ArrayBuffer> => {
  const next = new Float64Array(size)
  next.set(a)
  return next
}

/**
 * Raw records in columns (typed arrays, interned strings, values in a byte
 * arena), in arrival order. Contact values are normalized on the way in,
 * exactly as `ContactPoint.make` does.
 *
 * @internal
 */
export class RecordStore {
  readonly strings = new Strings()
  readonly arena = new Arena()
  /** `system:remoteId` of each record. */
  readonly keys: Array<string> = []
  private capacity = 1024
  system = new Int32Array(1024)
  version = new Int32Array(1024)
  readAt = new Float64Array(1024)
  given = new Int32Array(1024)
  family = new Int32Array(1024)
  display = new Int32Array(1024)
  jobTitle = new Int32Array(1024)
  department = new Int32Array(1024)
  status = new Int32Array(1024)
  /** Employee and extension numbers: start and end in the arena (-1 absent). */
  employeeStart = new Int32Array(1024)
  employeeEnd = new Int32Array(1024)
  extensionStart = new Int32Array(1024)
  extensionEnd = new Int32Array(1024)
  flags = new Uint8Array(1024)
  /** Company id and name, site id and name (interned, -1 absent). */
  companyId = new Int32Array(1024)
  companyName = new Int32Array(1024)
  siteIdOf = new Int32Array(1024)
  siteNameOf = new Int32Array(1024)
  /** Photo uri and etag (interned, -1 absent), of the records that have one. */
  private readonly photos = new Map<number, readonly [number, number]>()
  /** Custom fields: `customStart[r] .. customStart[r + 1]` into `customKey` / `customValue`. */
  customStart = new Int32Array(1025)
  customKey = new Int32Array(1024)
  customValue = new Int32Array(1024)
  private customCapacity = 1024
  private customCount = 0
  /** Contact points: `pointStart[r] .. pointStart[r + 1]`. */
  pointStart = new Int32Array(1025)
  private pointCapacity = 4096
  private pointCount = 0
  pointKind = new Uint8Array(4096)
  pointLabel = new Uint8Array(4096)
  pointFlags = new Uint8Array(4096)
  /** Custom labels (interned, -1 none): no column until a point has one. */
  private pointCustomLabel: Int32Array | undefined = undefined
  /** Capabilities: 0 none, else the code + 1 ({@link CAPABILITIES_ESCAPE}: the code is in `capabilityCodes`). */
  private pointCapabilities = new Uint8Array(4096)
  private readonly capabilityCodes = new Map<number, number>()
  /**
   * The value, then the normalized value or the issue, in the arena: the start
   * of the value and the byte lengths of both ({@link LENGTH_ESCAPE}: the
   * length is in `longLengths`, value then second).
   */
  private pointValue = new Int32Array(4096)
  private pointValueLength = new Uint16Array(4096)
  private pointSecondLength = new Uint16Array(4096)
  private readonly longLengths = new Map<number, readonly [number, number]>()
  /** Given sources: system and remote id (interned, -1 none), by point. */
  private readonly sources = new Map<number, readonly [number, number]>()

  get size(): number {
    return this.keys.length
  }

  private growRecords(): void {
    const size = Math.ceil(this.capacity * 1.5)
    this.system = growInt32(this.system, size)
    this.version = growInt32(this.version, size)
    this.readAt = growFloat64(this.readAt, size)
    this.given = growInt32(this.given, size)
    this.family = growInt32(this.family, size)
    this.display = growInt32(this.display, size)
    this.jobTitle = growInt32(this.jobTitle, size)
    this.department = growInt32(this.department, size)
    this.status = growInt32(this.status, size)
    this.employeeStart = growInt32(this.employeeStart, size)
    this.employeeEnd = growInt32(this.employeeEnd, size)
    this.extensionStart = growInt32(this.extensionStart, size)
    this.extensionEnd = growInt32(this.extensionEnd, size)
    this.flags = growUint8(this.flags, size)
    this.companyId = growInt32(this.companyId, size)
    this.companyName = growInt32(this.companyName, size)
    this.siteIdOf = growInt32(this.siteIdOf, size)
    this.siteNameOf = growInt32(this.siteNameOf, size)
    this.customStart = growInt32(this.customStart, size + 1)
    this.pointStart = growInt32(this.pointStart, size + 1)
    this.capacity = size
  }

  private growPoints(atLeast: number): void {
    let size = Math.ceil(this.pointCapacity * 1.5)
    while (size < atLeast) size = Math.ceil(size * 1.5)
    this.pointKind = growUint8(this.pointKind, size)
    this.pointLabel = growUint8(this.pointLabel, size)
    this.pointFlags = growUint8(this.pointFlags, size)
    if (this.pointCustomLabel !== undefined) this.pointCustomLabel = growInt32(this.pointCustomLabel, size)
    this.pointCapabilities = growUint8(this.pointCapabilities, size)
    this.pointValue = growInt32(this.pointValue, size)
    this.pointValueLength = growUint16(this.pointValueLength, size)
    this.pointSecondLength = growUint16(this.pointSecondLength, size)
    this.pointCapacity = size
  }

  /**
   * Gives every column exactly its length (growth leaves up to a third of each
   * unused), one column at a time; adding records afterwards grows them again.
   */
  compact(): void {
    const size = Math.max(16, this.keys.length)
    if (this.capacity > size) {
      this.system = this.system.slice(0, size)
      this.version = this.version.slice(0, size)
      this.readAt = this.readAt.slice(0, size)
      this.given = this.given.slice(0, size)
      this.family = this.family.slice(0, size)
      this.display = this.display.slice(0, size)
      this.jobTitle = this.jobTitle.slice(0, size)
      this.department = this.department.slice(0, size)
      this.status = this.status.slice(0, size)
      this.employeeStart = this.employeeStart.slice(0, size)
      this.employeeEnd = this.employeeEnd.slice(0, size)
      this.extensionStart = this.extensionStart.slice(0, size)
      this.extensionEnd = this.extensionEnd.slice(0, size)
      this.flags = this.flags.slice(0, size)
      this.companyId = this.companyId.slice(0, size)
      this.companyName = this.companyName.slice(0, size)
      this.siteIdOf = this.siteIdOf.slice(0, size)
      this.siteNameOf = this.siteNameOf.slice(0, size)
      this.customStart = this.customStart.slice(0, size + 1)
      this.pointStart = this.pointStart.slice(0, size + 1)
      this.capacity = size
    }
    const points = Math.max(16, this.pointCount)
    if (this.pointCapacity > points) {
      this.pointKind = this.pointKind.slice(0, points)
      this.pointLabel = this.pointLabel.slice(0, points)
      this.pointFlags = this.pointFlags.slice(0, points)
      if (this.pointCustomLabel !== undefined) this.pointCustomLabel = this.pointCustomLabel.slice(0, points)
      this.pointCapabilities = this.pointCapabilities.slice(0, points)
      this.pointValue = this.pointValue.slice(0, points)
      this.pointValueLength = this.pointValueLength.slice(0, points)
      this.pointSecondLength = this.pointSecondLength.slice(0, points)
      this.pointCapacity = points
    }
    const custom = Math.max(16, this.customCount)
    if (this.customCapacity > custom) {
      this.customKey = this.customKey.slice(0, custom)
      this.customValue = this.customValue.slice(0, custom)
      this.customCapacity = custom
    }
    this.arena.compact()
  }

  private growCustom(atLeast: number): void {
    let size = Math.ceil(this.customCapacity * 1.5)
    while (size < atLeast) size = Math.ceil(size * 1.5)
    this.customKey = growInt32(this.customKey, size)
    this.customValue = growInt32(this.customValue, size)
    this.customCapacity = size
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
    const refs = [-1, -1, -1, -1]
    const reference = (ref: RawRecord["company"], what: string, at: number, flag: number) => {
      if (ref === undefined) return
      if (typeof ref !== "object" || ref === null) fail(record, `${what} must be an object`)
      flags |= flag
      const id = optionalString(record, ref.id, `${what}.id`)
      refs[at] = id === undefined ? -1 : s.id(id)
      refs[at + 1] = opt(ref.name, `${what}.name`)
    }
    reference(record.company, "company", 0, R_COMPANY)
    reference(record.site, "site", 2, R_SITE)
    let photo: readonly [number, number] | undefined
    if (record.photo !== undefined) {
      if (typeof record.photo !== "object" || record.photo === null) fail(record, "photo must be an object")
      flags |= R_PHOTO
      photo = [s.optional(optionalString(record, record.photo.uri, "photo.uri")), s.optional(optionalString(record, record.photo.etag, "photo.etag"))]
    }
    const custom = customEntries(record)
    const points = record.contactPoints ?? []
    for (const point of points) checkPoint(record, point)

    // nothing can fail past this point
    const r = this.keys.length
    if (r === this.capacity) this.growRecords()
    this.keys.push(`${record.system}:${record.remoteId}`)
    this.system[r] = s.id(record.system)
    this.version[r] = version === undefined ? -1 : s.id(version)
    this.readAt[r] = readAt
    this.given[r] = given
    this.family[r] = family
    this.display[r] = display
    this.jobTitle[r] = jobTitle
    this.department[r] = department
    this.status[r] = status
    const arena = this.arena
    if (employee === undefined) this.employeeStart[r] = this.employeeEnd[r] = -1
    else {
      this.employeeStart[r] = arena.put(cleanText(employee))
      this.employeeEnd[r] = arena.used
    }
    if (extension === undefined) this.extensionStart[r] = this.extensionEnd[r] = -1
    else {
      this.extensionStart[r] = arena.put(cleanText(extension))
      this.extensionEnd[r] = arena.used
    }
    this.flags[r] = flags
    this.companyId[r] = refs[0]!
    this.companyName[r] = refs[1]!
    this.siteIdOf[r] = refs[2]!
    this.siteNameOf[r] = refs[3]!
    if (photo !== undefined) this.photos.set(r, photo)
    if (this.customCount + custom.length > this.customCapacity) this.growCustom(this.customCount + custom.length)
    for (const [k, v] of custom) {
      this.customKey[this.customCount] = s.id(k)
      this.customValue[this.customCount++] = s.id(v)
    }
    this.customStart[r + 1] = this.customCount
    if (this.pointCount + points.length > this.pointCapacity) this.growPoints(this.pointCount + points.length)
    for (const point of points) this.addPoint(point)
    this.pointStart[r + 1] = this.pointCount
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
    const k = this.pointCount++
    const arena = this.arena
    const start = arena.put(point.value)
    const second = arena.used
    if (result._tag === "Normalized") {
      if (result.value === point.value) flags |= F_NORMALIZED | F_NORMALIZED_SAME
      else {
        flags |= F_NORMALIZED
        arena.put(result.value)
      }
    } else {
      flags |= F_ISSUE
      arena.put(result.reason)
    }
    this.pointValue[k] = start
    const valueLength = second - start
    const secondLength = arena.used - second
    if (valueLength < LENGTH_ESCAPE && secondLength < LENGTH_ESCAPE) {
      this.pointValueLength[k] = valueLength
      this.pointSecondLength[k] = secondLength
    } else {
      this.pointValueLength[k] = LENGTH_ESCAPE
      this.longLengths.set(k, [valueLength, secondLength])
    }
    if (point.source !== undefined) {
      flags |= F_SOURCE
      this.sources.set(k, [s.id(point.source.system), s.optional(point.source.remoteId)])
    }
    this.pointKind[k] = kindIndex.get(point.kind)!
    this.pointLabel[k] = labelIndex.get(allowed ? requested : "other")!
    this.pointFlags[k] = flags
    if (customLabel !== undefined) {
      if (this.pointCustomLabel === undefined) this.pointCustomLabel = new Int32Array(this.pointCapacity).fill(-1)
      this.pointCustomLabel[k] = s.id(customLabel)
    } else if (this.pointCustomLabel !== undefined) this.pointCustomLabel[k] = -1
    const capabilities = point.capabilities === undefined ? -1 : encodeCapabilities(point.capabilities, s)
    if (capabilities >= 0 && capabilities + 1 < CAPABILITIES_ESCAPE) this.pointCapabilities[k] = capabilities + 1
    else if (capabilities === -1) this.pointCapabilities[k] = 0
    else {
      this.pointCapabilities[k] = CAPABILITIES_ESCAPE
      this.capabilityCodes.set(k, capabilities)
    }
  }

  /** The system of the given source of point `k` (interned), -1 when it is the record. */
  sourceSystemOf(k: number): number {
    return (this.pointFlags[k]! & F_SOURCE) === 0 ? -1 : this.sources.get(k)![0]
  }

  employeeNumberOf(r: number): string | undefined {
    const start = this.employeeStart[r]!
    return start < 0 ? undefined : this.arena.get(start, this.employeeEnd[r]!)
  }

  extensionNumberOf(r: number): string | undefined {
    const start = this.extensionStart[r]!
    return start < 0 ? undefined : this.arena.get(start, this.extensionEnd[r]!)
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

  /** The custom label of point `k` (interned, -1 none). */
  customLabelOf(k: number): number {
    return this.pointCustomLabel === undefined ? -1 : this.pointCustomLabel[k]!
  }

  /** Where the value of point `k` ends in the arena (its second string starts there). */
  private secondOf(k: number): number {
    const length = this.pointValueLength[k]!
    return this.pointValue[k]! + (length === LENGTH_ESCAPE ? this.longLengths.get(k)![0] : length)
  }

  /** The second string of point `k` (its normalized value or its issue). */
  private secondValueOf(k: number): string {
    const from = this.secondOf(k)
    const length = this.pointValueLength[k] === LENGTH_ESCAPE ? this.longLengths.get(k)![1] : this.pointSecondLength[k]!
    return this.arena.get(from, from + length)
  }

  pointValueOf(k: number): string {
    return this.arena.get(this.pointValue[k]!, this.secondOf(k))
  }

  /** The normalized value of point `k` (undefined when it has an issue). */
  normalizedOf(k: number): string | undefined {
    const flags = this.pointFlags[k]!
    if ((flags & F_NORMALIZED) === 0) return undefined
    return (flags & F_NORMALIZED_SAME) !== 0 ? this.pointValueOf(k) : this.secondValueOf(k)
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

  /** The capabilities code of point `k` (-1 none; see `encodeCapabilities`). */
  private capabilitiesCode(k: number): number {
    const stored = this.pointCapabilities[k]!
    return stored === CAPABILITIES_ESCAPE ? this.capabilityCodes.get(k)! : stored - 1
  }

  capabilitiesOf(k: number): ReadonlyArray<ContactPoint.Capability> | undefined {
    const code = this.capabilitiesCode(k)
    return code === -1 ? undefined : decodeCapabilities(code, this.strings)
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
    const custom = this.customLabelOf(k)
    // the properties in the order ContactPoint.make writes them
    const props: Record<string, unknown> = { kind: Label.kinds[this.pointKind[k]!]!, value }
    if ((flags & F_NORMALIZED) !== 0) props["normalized"] = (flags & F_NORMALIZED_SAME) !== 0 ? value : this.secondValueOf(k)
    else props["issue"] = this.secondValueOf(k)
    props["label"] = Label.labels[this.pointLabel[k]!]!
    if (custom >= 0) props["customLabel"] = s[custom]!
    if ((flags & F_PRIMARY_SET) !== 0) props["primary"] = (flags & F_PRIMARY) !== 0
    const capabilities = this.capabilitiesCode(k)
    if (capabilities !== -1) props["capabilities"] = decodeCapabilities(capabilities, this.strings)
    if ((flags & F_SHARED_SET) !== 0) props["shared"] = (flags & F_SHARED) !== 0
    if ((flags & F_SOURCE) === 0) props["source"] = own ?? this.ownSource(r)
    else {
      const [system, remoteId] = this.sources.get(k)!
      props["source"] = new ContactPoint.SourceRef(remoteId < 0 ? { system: s[system]! } : { system: s[system]!, remoteId: s[remoteId]! }, true)
    }
    return new ContactPoint.ContactPoint(props as unknown as ConstructorParameters<typeof ContactPoint.ContactPoint>[0], true)
  }

  nameOf(r: number): Person.Name {
    const s = this.strings.values
    const given = this.given[r]!
    const family = this.family[r]!
    const display = this.display[r]!
    const props: { given?: string; family?: string; display?: string } = {}
    if (given >= 0) props.given = s[given]!
    if (family >= 0) props.family = s[family]!
    if (display >= 0) props.display = s[display]!
    return new Person.Name(props, true)
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

  private reference(id: number, name: number): Person.Reference {
    const s = this.strings.values
    return new Person.Reference({ ...(id < 0 ? {} : { id: s[id]! }), ...(name < 0 ? {} : { name: s[name]! }) }, true)
  }

  companyOf(r: number): Person.Reference {
    return this.reference(this.companyId[r]!, this.companyName[r]!)
  }

  siteOf(r: number): Person.Reference {
    return this.reference(this.siteIdOf[r]!, this.siteNameOf[r]!)
  }

  photoOf(r: number): Person.Photo {
    const s = this.strings.values
    const [uri, etag] = this.photos.get(r)!
    return new Person.Photo({ ...(uri < 0 ? {} : { uri: s[uri]! }), ...(etag < 0 ? {} : { etag: s[etag]! }) }, true)
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
    const employeeNumber = this.employeeNumberOf(r)
    const extensionNumber = this.extensionNumberOf(r)
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
    return this.siteNameOf[r]!
  }

  siteId(r: number): number {
    return this.siteIdOf[r]!
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
