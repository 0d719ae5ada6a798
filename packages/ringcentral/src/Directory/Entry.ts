/**
 * A directory entry as the mapping reads it: only the fields
 * `Mapping.toPerson` uses, as plain objects. This is the streaming path of
 * `RingCentralPeople` (`Directory.streamMappedEntries`): decoding a whole
 * `ContactResource` (every field, a class instance per nested object) costs
 * several times the `JSON.parse` of the entry, while the fields the mapping
 * reads cost a fraction of it. The typed API (`listDirectoryEntries`,
 * `streamDirectoryEntries`, ...) keeps the full DTOs.
 *
 * {@link MappedEntry} decodes exactly as the `Schema.Struct` of the same
 * fields ({@link MappedEntryStruct}, built from the `ContactResource` field
 * schemas: `null` is absent, ids may be numbers, enums are open): a hand-written
 * check reads a well-formed entry, and anything it does not accept is decoded
 * by the struct, so a malformed entry fails with the struct's own issue (its
 * path and reason) and an entry the check is unsure of is still read. Fields
 * the mapping does not read are not checked: an entry whose `hidden` is not a
 * boolean, say, is mapped instead of being reported unreadable.
 *
 * @since 0.1.0
 */
import * as Liberal from "@unified-people/core/Liberal"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { CustomFieldId, ExtensionId } from "../Extensions/Schema.js"
import { ADGPhoneNumberSmsAvailabilityStatus, ContactStatus, ContactType, Id, UsageType } from "./Schema.js"

/**
 * The phone number fields the mapping reads.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MappedPhoneNumber = Schema.Struct({
  phoneNumber: Liberal.optional(Schema.String),
  type: Liberal.optional(Schema.String),
  usageType: Liberal.optional(UsageType),
  primary: Liberal.optional(Schema.Boolean),
  e164: Liberal.optional(Schema.String),
  smsAvailabilityStatus: Liberal.optional(ADGPhoneNumberSmsAvailabilityStatus)
})

/**
 * The entry fields the mapping reads, as a struct (the reference decoding of
 * {@link MappedEntry}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MappedEntryStruct = Schema.Struct({
  id: ExtensionId,
  type: Liberal.optional(ContactType),
  status: Liberal.optional(ContactStatus),
  account: Liberal.optional(Schema.Struct({ id: Id, companyName: Liberal.optional(Schema.String) })),
  department: Liberal.optional(Schema.String),
  email: Liberal.optional(Schema.String),
  extensionNumber: Liberal.optional(Schema.String),
  firstName: Liberal.optional(Schema.String),
  lastName: Liberal.optional(Schema.String),
  name: Liberal.optional(Schema.String),
  jobTitle: Liberal.optional(Schema.String),
  phoneNumbers: Liberal.optional(Schema.Array(MappedPhoneNumber)),
  profileImage: Liberal.optional(Schema.Struct({ etag: Liberal.optional(Schema.String), uri: Liberal.optional(Schema.String) })),
  site: Liberal.optional(Schema.Struct({ id: Liberal.optional(Id), name: Liberal.optional(Schema.String) })),
  customFields: Liberal.optional(
    Schema.Array(Schema.Struct({ id: Liberal.optional(CustomFieldId), name: Liberal.optional(Schema.String), value: Liberal.optional(Schema.String) }))
  )
})

/**
 * A directory entry as the mapping reads it.
 *
 * @since 0.1.0
 * @category models
 */
export type MappedEntry = typeof MappedEntryStruct.Type

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/** A plain object (as `JSON.parse` makes them): its enumerable keys are its own keys. */
const isPlain = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/** Outcomes of reading one value: kept, left out (`null`: absent), or not readable here. */
const KEEP = 0
const SKIP = 1
const FAIL = 2

/** A string, or absent (`null`; `undefined` kept as the struct keeps it). */
const stringValue = (v: unknown): number => (typeof v === "string" || v === undefined ? KEEP : v === null ? SKIP : FAIL)

const phoneNumber = (u: unknown): Mutable<typeof MappedPhoneNumber.Type> | undefined => {
  if (!isPlain(u)) return undefined
  const out: Record<string, unknown> = {}
  for (const key in u) {
    const v = u[key]
    switch (key) {
      case "phoneNumber":
      case "type":
      case "usageType":
      case "e164":
      case "smsAvailabilityStatus": {
        const r = stringValue(v)
        if (r === FAIL) return undefined
        if (r === KEEP) out[key] = v
        break
      }
      case "primary":
        if (typeof v === "boolean" || v === undefined) out[key] = v
        else if (v !== null) return undefined
        break
    }
  }
  return out as Mutable<typeof MappedPhoneNumber.Type>
}

/** A nested object of string fields and optional ids (`ids`: which keys are ids). */
const nested = (u: unknown, strings: ReadonlyArray<string>, ids: ReadonlyArray<string>, requiredId: boolean): Record<string, unknown> | undefined => {
  if (!isPlain(u)) return undefined
  const out: Record<string, unknown> = {}
  let hasId = false
  for (const key in u) {
    const v = u[key]
    if (strings.includes(key)) {
      const r = stringValue(v)
      if (r === FAIL) return undefined
      if (r === KEEP) out[key] = v
    } else if (ids.includes(key)) {
      if (typeof v === "string") out[key] = v
      else if (typeof v === "number" && Number.isFinite(v)) out[key] = String(v)
      else if (v === undefined && !requiredId) out[key] = v
      else if (v !== null || requiredId) return undefined
      hasId = true
    }
  }
  return requiredId && !hasId ? undefined : out
}

const accountStrings = ["companyName"]
const imageStrings = ["etag", "uri"]
const siteStrings = ["name"]
const fieldStrings = ["name", "value"]
const idKey = ["id"]
const noKeys: ReadonlyArray<string> = []

/** A list of nested values, each read by `item`. */
const list = (u: unknown, item: (v: unknown) => unknown): Array<unknown> | undefined => {
  if (!Array.isArray(u)) return undefined
  const out: Array<unknown> = new Array(u.length)
  for (let i = 0; i < u.length; i++) {
    const v = item(u[i])
    if (v === undefined) return undefined
    out[i] = v
  }
  return out
}

const customField = (u: unknown) => nested(u, fieldStrings, idKey, false)

/**
 * The hand-written check, for JSON values (plain objects): the decoded entry,
 * or `undefined` when the entry is not plainly well-formed (then the struct
 * decodes it, or says why not). One pass over the keys each object has.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeFast = (u: unknown): MappedEntry | undefined => {
  if (!isPlain(u)) return undefined
  const out: Record<string, unknown> = {}
  let hasId = false
  for (const key in u) {
    const v = u[key]
    let read: unknown
    switch (key) {
      case "id":
        if (typeof v === "string") out[key] = v
        else if (typeof v === "number" && Number.isFinite(v)) out[key] = String(v)
        else return undefined
        hasId = true
        continue
      case "type":
      case "status":
      case "department":
      case "email":
      case "extensionNumber":
      case "firstName":
      case "lastName":
      case "name":
      case "jobTitle": {
        const r = stringValue(v)
        if (r === FAIL) return undefined
        if (r === KEEP) out[key] = v
        continue
      }
      case "account":
        read = v === null || v === undefined ? v : nested(v, accountStrings, idKey, true)
        break
      case "phoneNumbers":
        read = v === null || v === undefined ? v : list(v, phoneNumber)
        break
      case "profileImage":
        read = v === null || v === undefined ? v : nested(v, imageStrings, noKeys, false)
        break
      case "site":
        read = v === null || v === undefined ? v : nested(v, siteStrings, idKey, false)
        break
      case "customFields":
        read = v === null || v === undefined ? v : list(v, customField)
        break
      default:
        continue
    }
    // a nested value: absent (`null`), kept `undefined`, read, or not readable here
    if (read === undefined) {
      if (v !== undefined) return undefined
      out[key] = undefined
    } else if (read !== null) out[key] = read
  }
  return hasId ? (out as MappedEntry) : undefined
}

const decodeStruct = ParseResult.decodeUnknown(MappedEntryStruct)
const encodeStruct = ParseResult.encodeUnknown(MappedEntryStruct)

/**
 * A directory entry as the mapping reads it: {@link decodeFast}, else the
 * struct ({@link MappedEntryStruct}). Decodes to plain objects.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MappedEntry: Schema.Schema<MappedEntry, typeof MappedEntryStruct.Encoded> = Schema.declare([], {
  decode: () => (input, options) => {
    const fast = decodeFast(input)
    return fast === undefined ? decodeStruct(input, options) : ParseResult.succeed(fast)
  },
  encode: () => (input, options) => encodeStruct(input, options)
}, { identifier: "MappedEntry" })
