/**
 * The company directory DTOs, named and shaped as in the specification
 * (`DirectoryResource`, `ContactResource`, `AdgPhoneNumberResource`,
 * `SearchDirectoryEntriesRequest`, `FederationResource`, …). Enums are open:
 * values not in the specification decode as plain strings. Ids are strings
 * (numbers are accepted and turned into strings).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * An open enum: the known literals, or any other string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const open = <const L extends ReadonlyArray<string>>(...literals: L) =>
  Schema.Union(Schema.Literal(...literals), Schema.String)

/**
 * An id: a string, or a number read as a string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id = Schema.Union(
  Schema.String,
  Schema.transform(Schema.Number, Schema.String, { strict: true, decode: (n) => String(n), encode: (s) => Number(s) })
)

/**
 * `UsageTypes` plus the directory's `MobileNumber` / `ContactNumber`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UsageType = open(
  "MainCompanyNumber", "AdditionalCompanyNumber", "DirectNumber", "CompanyNumber", "CompanyFaxNumber", "ForwardedNumber",
  "ForwardedCompanyNumber", "ContactCenterNumber", "ConferencingNumber", "MeetingsNumber", "NumberPool", "ELIN",
  "BusinessMobileNumber", "ExternalMobileNumber", "IntegrationNumber", "PartnerBusinessMobileNumber",
  "NumberPoolPartnerBusinessMobileNumber", "NumberStorage", "FmcBusinessMobileNumber", "InventoryFmcBusinessMobileNumber",
  "InventoryMobileNumber", "MobileNumber", "ContactNumber"
)

/**
 * `ContactResource.type`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactType = open(
  "User", "Department", "Announcement", "Voicemail", "SharedLinesGroup", "PagingOnly", "ParkLocation", "IvrMenu", "Limited",
  "ApplicationExtension", "Site", "Bot", "Room", "ProxyAdmin", "DelegatedLinesGroup", "GroupCallPickup", "External",
  "RoomConnector", "Unknown"
)

/**
 * `ContactResource.status`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactStatus = open("Enabled", "Disabled", "Frozen", "NotActivated", "Unassigned", "Unknown")

/**
 * `ADGSearchableExtensionTypesEnum` (the `type` query parameter of `listDirectoryEntries`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ADGSearchableExtensionTypesEnum = Schema.Literal(
  "User", "Department", "Announcement", "Voicemail", "SharedLinesGroup", "PagingOnly", "IvrMenu", "ParkLocation", "Limited",
  "External", "DelegatedLinesGroup", "TieLine"
)

/**
 * @since 0.1.0
 * @category schemas
 */
export type ADGSearchableExtensionTypesEnum = typeof ADGSearchableExtensionTypesEnum.Type

/**
 * `SearchDirectoryExtensionType`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchDirectoryExtensionType = Schema.Literal(
  "User", "Department", "Announcement", "Voicemail", "DigitalUser", "VirtualUser", "FaxUser", "PagingOnly", "SharedLinesGroup",
  "IvrMenu", "ApplicationExtension", "ParkLocation", "Limited", "Bot", "Site", "Room", "ProxyAdmin", "DelegatedLinesGroup",
  "FlexibleUser", "GroupCallPickup", "RoomConnector", "TieLine", "External"
)

/**
 * `SearchDirectoryContactType`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchDirectoryContactType = Schema.Literal(
  "User", "Department", "Announcement", "Voicemail", "SharedLinesGroup", "PagingOnly", "ParkLocation", "IvrMenu", "Limited",
  "ApplicationExtension", "Site", "Bot", "Room", "DelegatedLinesGroup", "GroupCallPickup", "External"
)

/**
 * `ADGPhoneNumberSmsAvailabilityStatus`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ADGPhoneNumberSmsAvailabilityStatus = open(
  "Active", "Inactive", "Disabled", "Banned", "Suspended", "Deprovisioning", "InboundOnly", "Unknown"
)

/**
 * A directory phone number.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AdgPhoneNumberResource extends Schema.Class<AdgPhoneNumberResource>("@unified-people/ringcentral/AdgPhoneNumberResource")({
  formattedPhoneNumber: Schema.optional(Schema.String),
  phoneNumber: Schema.optional(Schema.String),
  /** `VoiceOnly` / `FaxOnly` / `VoiceFax` (free text in the specification). */
  type: Schema.optional(Schema.String),
  label: Schema.optional(Schema.String),
  usageType: Schema.optional(UsageType),
  hidden: Schema.optional(Schema.Boolean),
  primary: Schema.optional(Schema.Boolean),
  e164: Schema.optional(Schema.String),
  formatted: Schema.optional(Schema.String),
  smsAvailabilityStatus: Schema.optional(ADGPhoneNumberSmsAvailabilityStatus),
  smsCampaignId: Schema.optional(Schema.String)
}) {}

/**
 * The same as {@link AdgPhoneNumberResource}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PhoneNumberResource = AdgPhoneNumberResource

/**
 * @since 0.1.0
 * @category schemas
 */
export class AccountResource extends Schema.Class<AccountResource>("@unified-people/ringcentral/AccountResource")({
  id: Id,
  companyName: Schema.optional(Schema.String),
  federatedName: Schema.optional(Schema.String),
  mainNumber: Schema.optional(AdgPhoneNumberResource)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class AccountDirectoryProfileImageResource extends Schema.Class<AccountDirectoryProfileImageResource>(
  "@unified-people/ringcentral/AccountDirectoryProfileImageResource"
)({
  etag: Schema.optional(Schema.String),
  uri: Schema.optional(Schema.String)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class BusinessSiteResource extends Schema.Class<BusinessSiteResource>("@unified-people/ringcentral/BusinessSiteResource")({
  id: Schema.optional(Id),
  name: Schema.optional(Schema.String),
  code: Schema.optional(Schema.String)
}) {}

/**
 * A custom field value of a directory entry (`name`, where extensions say `displayName`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class CustomFieldResource extends Schema.Class<CustomFieldResource>("@unified-people/ringcentral/CustomFieldResource")({
  id: Schema.optional(Id),
  name: Schema.optional(Schema.String),
  value: Schema.optional(Schema.String)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class ExternalIntegrationResource extends Schema.Class<ExternalIntegrationResource>(
  "@unified-people/ringcentral/ExternalIntegrationResource"
)({
  id: Schema.optional(Schema.String),
  typeId: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String),
  displayName: Schema.optional(Schema.String),
  routingType: Schema.optional(Schema.String),
  outboundEdgeId: Schema.optional(Schema.String)
}) {}

/**
 * The fields of a directory entry (shared with directory event contacts).
 *
 * @since 0.1.0
 * @category schemas
 */
export const contactFields = {
  id: Id,
  type: Schema.optional(ContactType),
  status: Schema.optional(ContactStatus),
  account: Schema.optional(AccountResource),
  department: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String),
  extensionNumber: Schema.optional(Schema.String),
  firstName: Schema.optional(Schema.String),
  lastName: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  jobTitle: Schema.optional(Schema.String),
  phoneNumbers: Schema.optional(Schema.Array(AdgPhoneNumberResource)),
  profileImage: Schema.optional(AccountDirectoryProfileImageResource),
  site: Schema.optional(BusinessSiteResource),
  hidden: Schema.optional(Schema.Boolean),
  customFields: Schema.optional(Schema.Array(CustomFieldResource)),
  integration: Schema.optional(ExternalIntegrationResource)
}

/**
 * A directory entry.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ContactResource extends Schema.Class<ContactResource>("@unified-people/ringcentral/ContactResource")(contactFields) {}

/**
 * Paging of a directory page. Totals may be missing or wrong: never trust `totalElements`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class EnumeratedPagingModel extends Schema.Class<EnumeratedPagingModel>("@unified-people/ringcentral/EnumeratedPagingModel")({
  perPage: Schema.Number,
  page: Schema.optional(Schema.Number),
  pageStart: Schema.optional(Schema.Number),
  pageEnd: Schema.optional(Schema.Number),
  totalPages: Schema.optional(Schema.Number),
  totalElements: Schema.optional(Schema.Number)
}) {}

/**
 * A page of directory entries.
 *
 * @since 0.1.0
 * @category schemas
 */
export class DirectoryResource extends Schema.Class<DirectoryResource>("@unified-people/ringcentral/DirectoryResource")({
  uri: Schema.optional(Schema.String),
  records: Schema.Array(ContactResource),
  paging: EnumeratedPagingModel
}) {}

/**
 * A sort key of a search.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrderBy = Schema.Struct({
  index: Schema.optional(Schema.Number),
  fieldName: Schema.optional(Schema.Literal("firstName", "lastName", "extensionNumber", "phoneNumber", "email", "jobTitle", "department")),
  direction: Schema.optional(Schema.Literal("Asc", "Desc"))
})

/**
 * @since 0.1.0
 * @category schemas
 */
export type OrderBy = typeof OrderBy.Type

/**
 * The body of `searchDirectoryEntries`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class SearchDirectoryEntriesRequest extends Schema.Class<SearchDirectoryEntriesRequest>(
  "@unified-people/ringcentral/SearchDirectoryEntriesRequest"
)({
  searchString: Schema.optional(Schema.String),
  searchFields: Schema.optional(
    Schema.Array(Schema.Literal("firstName", "lastName", "extensionNumber", "phoneNumber", "email", "jobTitle", "department", "customFieldValue"))
  ),
  showFederated: Schema.optional(Schema.Boolean),
  showAdminOnlyContacts: Schema.optional(Schema.Boolean),
  extensionType: Schema.optional(SearchDirectoryContactType),
  siteId: Schema.optional(Schema.String),
  showExternalContacts: Schema.optional(Schema.Boolean),
  accountIds: Schema.optional(Schema.Array(Schema.String)),
  department: Schema.optional(Schema.String),
  siteIds: Schema.optional(Schema.Array(Schema.String)),
  extensionStatuses: Schema.optional(Schema.Array(Schema.Literal("Enabled", "Disabled", "NotActivated"))),
  extensionTypes: Schema.optional(Schema.Array(SearchDirectoryExtensionType)),
  extensionIds: Schema.optional(Schema.Array(Schema.String).pipe(Schema.maxItems(100))),
  integrationRoutingTypes: Schema.optional(Schema.Array(Schema.Literal("Carrier", "Account"))),
  phoneNumberSmsAvailabilityStatuses: Schema.optional(
    Schema.Array(Schema.Literal("Active", "Inactive", "Disabled", "Banned", "Suspended", "Deprovisioning", "InboundOnly", "Unknown"))
  ),
  phoneNumberSmsCampaignIds: Schema.optional(Schema.Array(Schema.String)),
  orderBy: Schema.optional(Schema.Array(OrderBy)),
  page: Schema.optional(Schema.Number),
  perPage: Schema.optional(Schema.Number)
}) {}

/**
 * `FederationType`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FederationType = open("Regular", "AdminOnly")

/**
 * `FederationTypes` (the filter of `readDirectoryFederation`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FederationTypes = Schema.Literal("All", "Regular", "AdminOnly")

/**
 * @since 0.1.0
 * @category schemas
 */
export type FederationTypes = typeof FederationTypes.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export class FederatedAccountResource extends Schema.Class<FederatedAccountResource>("@unified-people/ringcentral/FederatedAccountResource")({
  id: Id,
  companyName: Schema.optional(Schema.String),
  conflictCount: Schema.optional(Schema.Number),
  federatedName: Schema.optional(Schema.String),
  linkCreationTime: Schema.optional(Schema.String),
  mainNumber: Schema.optional(AdgPhoneNumberResource)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class FederationResource extends Schema.Class<FederationResource>("@unified-people/ringcentral/FederationResource")({
  accounts: Schema.optional(Schema.Array(FederatedAccountResource)),
  creationTime: Schema.optional(Schema.String),
  displayName: Schema.optional(Schema.String),
  id: Schema.optional(Id),
  lastModifiedTime: Schema.optional(Schema.String),
  type: Schema.optional(FederationType)
}) {}
