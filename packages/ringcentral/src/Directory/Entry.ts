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

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** As the struct reads an absent value: `null` is no key, a key holding `undefined` stays (never in JSON). */
const absent = (from: Record<string, unknown>, key: string, to: Record<string, unknown>, v: unknown): boolean => {
  if (v === undefined) {
    if (key in from) to[key] = undefined
    return true
  }
  return v === null
}

/** Absent (`undefined` / `null`), a string, or neither (`false`). */
const copyString = (from: Record<string, unknown>, key: string, to: Record<string, unknown>): boolean => {
  const v = from[key]
  if (typeof v === "string") {
    to[key] = v
    return true
  }
  return absent(from, key, to, v)
}

/** An id: a string, or a finite number read as a string (absent when `optional`). */
const copyId = (from: Record<string, unknown>, key: string, to: Record<string, unknown>, optional: boolean): boolean => {
  const v = from[key]
  if (typeof v === "string") to[key] = v
  else if (typeof v === "number" && Number.isFinite(v)) to[key] = String(v)
  else return optional && absent(from, key, to, v)
  return true
}

const stringKeys = ["type", "status", "department", "email", "extensionNumber", "firstName", "lastName", "name", "jobTitle"] as const
const phoneStringKeys = ["phoneNumber", "type", "usageType", "e164", "smsAvailabilityStatus"] as const

const phoneNumber = (u: unknown): Mutable<typeof MappedPhoneNumber.Type> | undefined => {
  if (!isObject(u)) return undefined
  const out: Record<string, unknown> = {}
  for (const key of phoneStringKeys) if (!copyString(u, key, out)) return undefined
  const primary = u["primary"]
  if (typeof primary === "boolean") out["primary"] = primary
  else if (!absent(u, "primary", out, primary)) return undefined
  return out as Mutable<typeof MappedPhoneNumber.Type>
}

/**
 * The hand-written check: the decoded entry, or `undefined` when the entry is
 * not plainly well-formed (then the struct decodes it, or says why not).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeFast = (u: unknown): MappedEntry | undefined => {
  if (!isObject(u)) return undefined
  const out: Record<string, unknown> = {}
  if (!copyId(u, "id", out, false)) return undefined
  for (const key of stringKeys) if (!copyString(u, key, out)) return undefined
  const account = u["account"]
  if (!absent(u, "account", out, account)) {
    if (!isObject(account)) return undefined
    const a: Record<string, unknown> = {}
    if (!copyId(account, "id", a, false) || !copyString(account, "companyName", a)) return undefined
    out["account"] = a
  }
  const phones = u["phoneNumbers"]
  if (!absent(u, "phoneNumbers", out, phones)) {
    if (!Array.isArray(phones)) return undefined
    const list: Array<unknown> = new Array(phones.length)
    for (let i = 0; i < phones.length; i++) {
      const p = phoneNumber(phones[i])
      if (p === undefined) return undefined
      list[i] = p
    }
    out["phoneNumbers"] = list
  }
  const image = u["profileImage"]
  if (!absent(u, "profileImage", out, image)) {
    if (!isObject(image)) return undefined
    const m: Record<string, unknown> = {}
    if (!copyString(image, "etag", m) || !copyString(image, "uri", m)) return undefined
    out["profileImage"] = m
  }
  const site = u["site"]
  if (!absent(u, "site", out, site)) {
    if (!isObject(site)) return undefined
    const s: Record<string, unknown> = {}
    if (!copyId(site, "id", s, true) || !copyString(site, "name", s)) return undefined
    out["site"] = s
  }
  const fields = u["customFields"]
  if (!absent(u, "customFields", out, fields)) {
    if (!Array.isArray(fields)) return undefined
    const list: Array<unknown> = new Array(fields.length)
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]
      if (!isObject(f)) return undefined
      const c: Record<string, unknown> = {}
      if (!copyId(f, "id", c, true) || !copyString(f, "name", c) || !copyString(f, "value", c)) return undefined
      list[i] = c
    }
    out["customFields"] = list
  }
  return out as MappedEntry
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
