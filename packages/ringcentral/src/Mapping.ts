/**
 * The one mapping from RingCentral records to the canonical `Person`, shared by
 * directory entries (`ContactResource`), directory event contacts and extensions
 * (`GetExtensionInfoResponse`, part 2): callers convert their DTO to the neutral
 * {@link Input} and call {@link toPerson}.
 *
 * Phone numbers are read from `phoneNumber`, else from `e164`; they get their
 * label from `usageType` ({@link usageTypes}) and their
 * capabilities from `type` ({@link numberTypes}); company-wide numbers are marked
 * shared so merging never uses them to identify a person. Names come from
 * `firstName`/`lastName` only (the derived `name` lags behind updates), except for
 * records that only have a `name` (Department / call queue entries).
 *
 * @since 0.1.0
 */
import * as ContactPoint from "@unified-people/core/ContactPoint"
import type * as Label from "@unified-people/core/Label"
import * as Person from "@unified-people/core/Person"

/**
 * The source system name used in provenance and contact point sources.
 *
 * @since 0.1.0
 * @category constants
 */
export const system = "ringcentral"

/**
 * A phone number in any RingCentral shape.
 *
 * @since 0.1.0
 * @category models
 */
export interface PhoneInput {
  readonly phoneNumber?: string | undefined
  /** The number in E.164, used when `phoneNumber` is missing or empty. */
  readonly e164?: string | undefined
  readonly usageType?: string | undefined
  readonly type?: string | undefined
  readonly primary?: boolean | undefined
  readonly label?: string | undefined
  readonly smsAvailabilityStatus?: string | undefined
}

/**
 * The neutral shape every RingCentral record is converted to before mapping.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly id: string
  readonly firstName?: string | undefined
  readonly lastName?: string | undefined
  /** The derived name; used only when there is no first / last name. */
  readonly name?: string | undefined
  readonly email?: string | undefined
  readonly jobTitle?: string | undefined
  readonly department?: string | undefined
  readonly account?: { readonly id?: string | undefined; readonly name?: string | undefined; readonly companyName?: string | undefined } | undefined
  /** The extension's `contact.company`, used when the account has no name. */
  readonly company?: string | undefined
  readonly site?: { readonly id?: string | undefined; readonly name?: string | undefined } | undefined
  readonly extensionNumber?: string | undefined
  readonly status?: string | undefined
  readonly type?: string | undefined
  readonly profileImage?: { readonly uri?: string | undefined; readonly etag?: string | undefined } | undefined
  readonly customFields?: ReadonlyArray<{
    readonly id?: string | undefined
    readonly name?: string | undefined
    readonly displayName?: string | undefined
    readonly value?: string | undefined
  }> | undefined
  readonly phoneNumbers?: ReadonlyArray<PhoneInput> | undefined
  /** An extension's `contact.businessPhone` (label work). */
  readonly businessPhone?: string | undefined
  /** An extension's `contact.mobilePhone` (label mobile). */
  readonly mobilePhone?: string | undefined
}

/**
 * Options of {@link toPerson}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The version of the record (an ETag), kept in provenance. */
  readonly version?: string | undefined
  readonly readAt?: Date | undefined
  /** Region for numbers without a country code (default `US`). */
  readonly defaultRegion?: string | undefined
}

/**
 * How a `usageType` maps to a canonical label.
 *
 * @since 0.1.0
 * @category models
 */
export interface UsageRule {
  readonly label: Label.Label
  /** Keep the usage type as the custom label (for `other`). */
  readonly custom?: boolean
  /** A company-wide number shared by many people. */
  readonly shared?: boolean
  readonly description: string
}

/**
 * The `usageType` table (every value of the specification's `UsageTypes` enum
 * plus `MobileNumber` and `ContactNumber`). Unknown usage types become `other`
 * with the usage type as custom label.
 *
 * @since 0.1.0
 * @category constants
 */
export const usageTypes: Readonly<Record<string, UsageRule>> = {
  DirectNumber: { label: "work", description: "the person's direct number" },
  ContactNumber: { label: "work", description: "a contact number set by the person" },
  MobileNumber: { label: "mobile", description: "the person's mobile number" },
  BusinessMobileNumber: { label: "mobile", description: "a business mobile number" },
  PartnerBusinessMobileNumber: { label: "mobile", description: "a partner's business mobile number" },
  NumberPoolPartnerBusinessMobileNumber: { label: "mobile", description: "a pooled partner business mobile number" },
  FmcBusinessMobileNumber: { label: "mobile", description: "a fixed-mobile-convergence mobile number" },
  ExternalMobileNumber: { label: "mobile", description: "an external mobile number" },
  ForwardedNumber: { label: "other", custom: true, description: "a number calls are forwarded from" },
  MainCompanyNumber: { label: "main", shared: true, description: "the company main number" },
  AdditionalCompanyNumber: { label: "main", shared: true, description: "an additional company number" },
  CompanyNumber: { label: "main", shared: true, description: "a company number" },
  ForwardedCompanyNumber: { label: "main", shared: true, description: "a forwarded company number" },
  ContactCenterNumber: { label: "main", shared: true, description: "a contact center number" },
  CompanyFaxNumber: { label: "fax", shared: true, description: "the company fax number" },
  ConferencingNumber: { label: "other", custom: true, shared: true, description: "a conferencing bridge number" },
  MeetingsNumber: { label: "other", custom: true, shared: true, description: "a meetings dial-in number" },
  ELIN: { label: "other", custom: true, shared: true, description: "an emergency location identification number" },
  NumberPool: { label: "other", custom: true, description: "a number from the pool" },
  NumberStorage: { label: "other", custom: true, description: "a stored number" },
  IntegrationNumber: { label: "other", custom: true, description: "a number of an integration" },
  InventoryFmcBusinessMobileNumber: { label: "other", custom: true, description: "an inventory FMC mobile number" },
  InventoryMobileNumber: { label: "other", custom: true, description: "an inventory mobile number" }
}

/**
 * The phone number `type` table: capabilities, and the label a fax-only number
 * takes.
 *
 * @since 0.1.0
 * @category constants
 */
export const numberTypes: Readonly<Record<string, { readonly capabilities: ReadonlyArray<ContactPoint.Capability>; readonly label?: Label.Label }>> = {
  VoiceOnly: { capabilities: ["voice"] },
  FaxOnly: { capabilities: ["fax"], label: "fax" },
  VoiceFax: { capabilities: ["voice", "fax"] }
}

/**
 * Resolves a usage type to a label, custom label and shared flag.
 *
 * @since 0.1.0
 * @category mapping
 */
export const resolveUsage = (usageType: string | undefined): { readonly label: Label.Label; readonly customLabel?: string; readonly shared: boolean } => {
  if (usageType === undefined) return { label: "other", shared: false }
  const rule = own(usageTypes, usageType)
  if (rule === undefined) return { label: "other", customLabel: usageType, shared: false }
  return { label: rule.label, ...(rule.custom === true ? { customLabel: usageType } : {}), shared: rule.shared === true }
}

// remote values such as "toString" or "__proto__" must not reach the prototype
const own = <A>(table: Readonly<Record<string, A>>, key: string): A | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined

const nonEmpty = (s: string | undefined): string | undefined => {
  const t = s?.trim()
  return t === undefined || t === "" ? undefined : t
}

/** A phone number's contact point, its value given (no copy of the phone input). */
const phonePoint = (phone: PhoneInput, value: string, source: ContactPoint.SourceRef, defaultRegion: string | undefined): ContactPoint.ContactPoint => {
  const usage = resolveUsage(phone.usageType)
  const numberType = phone.type === undefined ? undefined : own(numberTypes, phone.type)
  let capabilities: Array<ContactPoint.Capability> | undefined
  if (numberType !== undefined) {
    capabilities = numberType.capabilities.slice()
    if (phone.smsAvailabilityStatus === "Active") capabilities.push("sms")
  }
  const label = numberType?.label !== undefined && !usage.shared && usage.label !== "mobile" ? numberType.label : usage.label
  const input: { -readonly [K in keyof ContactPoint.MakeInput]: ContactPoint.MakeInput[K] } = { kind: "phone", value, label, source }
  if (label === usage.label && usage.customLabel !== undefined) input.customLabel = usage.customLabel
  if (phone.primary !== undefined) input.primary = phone.primary
  if (capabilities !== undefined) input.capabilities = capabilities
  if (usage.shared) input.shared = true
  if (defaultRegion !== undefined) input.defaultRegion = defaultRegion
  return ContactPoint.make(input)
}

/**
 * Maps one phone number to a contact point.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toContactPoint = (
  phone: PhoneInput & { readonly phoneNumber: string },
  owner: string,
  options: Options = {}
): ContactPoint.ContactPoint => phonePoint(phone, phone.phoneNumber, ContactPoint.makeSourceRef({ system, remoteId: owner }), options.defaultRegion)

type Fields<A> = { -readonly [K in keyof A]: A[K] }

/**
 * Maps a RingCentral record to a `Person`. Builds the person and its parts
 * directly (no intermediate copies of the input), with the model's trusted
 * constructors (`Person.makePerson`, ...): the input was decoded by Schema and
 * every value is typed, so validating again only costs time.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toPerson = (input: Input, options: Options = {}): Person.Person => {
  const given = nonEmpty(input.firstName)
  const family = nonEmpty(input.lastName)
  const display = given === undefined && family === undefined ? nonEmpty(input.name) : undefined
  const source = ContactPoint.makeSourceRef({ system, remoteId: input.id })
  const points: Array<ContactPoint.ContactPoint> = []
  const email = nonEmpty(input.email)
  if (email !== undefined) {
    points.push(ContactPoint.make({ kind: "email", value: email, label: "work", primary: true, source }))
  }
  const phones = input.phoneNumbers
  if (phones !== undefined) {
    for (const phone of phones) {
      // the usual field, else its alternate: a number given only as `e164` is kept
      const phoneNumber = phone.phoneNumber !== undefined && phone.phoneNumber.trim() !== "" ? phone.phoneNumber : nonEmpty(phone.e164)
      if (phoneNumber === undefined) continue
      points.push(phonePoint(phone, phoneNumber, source, options.defaultRegion))
    }
  }
  const businessPhone = nonEmpty(input.businessPhone)
  const mobilePhone = nonEmpty(input.mobilePhone)
  if (businessPhone !== undefined || mobilePhone !== undefined) {
    const seen = new Set(points.map((p) => p.key))
    const extra: ReadonlyArray<readonly [string | undefined, Label.Label]> = [[businessPhone, "work"], [mobilePhone, "mobile"]]
    for (const [raw, label] of extra) {
      if (raw === undefined) continue
      const point = ContactPoint.make({
        kind: "phone",
        value: raw,
        label,
        source,
        ...(options.defaultRegion === undefined ? {} : { defaultRegion: options.defaultRegion })
      })
      if (!seen.has(point.key)) {
        seen.add(point.key)
        points.push(point)
      }
    }
  }
  const customFields: Record<string, string> = {}
  if (input.customFields !== undefined) {
    for (const field of input.customFields) {
      const key = field.name ?? field.displayName ?? field.id
      if (key !== undefined && field.value !== undefined) customFields[key] = field.value
    }
  }
  // the fields in the order the constructor was given them before
  const person = { id: Person.canonicalId(system, input.id), name: Person.makeName(nameOf(given, family, display)) } as Fields<
    ConstructorParameters<typeof Person.Person>[0]
  >
  const jobTitle = nonEmpty(input.jobTitle)
  if (jobTitle !== undefined) person.jobTitle = jobTitle
  const department = nonEmpty(input.department)
  if (department !== undefined) person.department = department
  const account = input.account
  const companyName = account?.companyName ?? account?.name ?? nonEmpty(input.company)
  if (account?.id !== undefined || companyName !== undefined) {
    const ref: { id?: string; name?: string } = {}
    if (account?.id !== undefined) ref.id = account.id
    if (companyName !== undefined) ref.name = companyName
    person.company = Person.makeReference(ref)
  }
  const site = input.site
  if (site !== undefined && (site.id !== undefined || site.name !== undefined)) {
    const ref: { id?: string; name?: string } = {}
    if (site.id !== undefined) ref.id = site.id
    if (site.name !== undefined) ref.name = site.name
    person.site = Person.makeReference(ref)
  }
  const extensionNumber = nonEmpty(input.extensionNumber)
  if (extensionNumber !== undefined) person.extensionNumber = extensionNumber
  if (input.status !== undefined) person.status = input.status
  person.contactPoints = points
  person.customFields = customFields
  const image = input.profileImage
  if (image !== undefined && (image.uri !== undefined || image.etag !== undefined)) {
    const photo: { uri?: string; etag?: string } = {}
    if (image.uri !== undefined) photo.uri = image.uri
    if (image.etag !== undefined) photo.etag = image.etag
    person.photo = Person.makePhoto(photo)
  }
  const provenance: { system: string; remoteId: string; version?: string; readAt?: Date } = { system, remoteId: input.id }
  if (options.version !== undefined) provenance.version = options.version
  if (options.readAt !== undefined) provenance.readAt = options.readAt
  person.provenance = [Person.makeProvenance(provenance)]
  return Person.makePerson(person)
}

const nameOf = (given: string | undefined, family: string | undefined, display: string | undefined) => {
  const name: { given?: string; family?: string; display?: string } = {}
  if (given !== undefined) name.given = given
  if (family !== undefined) name.family = family
  if (display !== undefined) name.display = display
  return name
}
