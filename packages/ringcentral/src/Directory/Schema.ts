/**
 * The company directory DTOs, named and shaped as in the specification
 * (`DirectoryResource`, `ContactResource`, `AdgPhoneNumberResource`,
 * `SearchDirectoryEntriesRequest`, `FederationResource`, …).
 *
 * Responses are read liberally (`@unified-people/core/Liberal`): every optional
 * field takes `null` as absent, numbers may arrive as numeric strings, enums are
 * open (values not in the specification decode as plain strings) and ids are
 * strings (numbers are accepted and turned into strings; ids beyond 2^53 arrive
 * as digit strings from the lossless JSON parse and keep every digit). The ids
 * of entries and of custom fields are branded (`ExtensionId`, `CustomFieldId`,
 * from `Extensions/Schema`). The search request is strict.
 *
 * @since 0.1.0
 */
import * as Liberal from "@unified-people/core/Liberal"
import * as Schema from "effect/Schema"
import { CustomFieldId, ExtensionId } from "../Extensions/Schema.js"

/**
 * An open enum: the known literals, or any other string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const open = Liberal.open

/**
 * An id: a string, or a number read as a string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id = Liberal.Id

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
  formattedPhoneNumber: Liberal.optional(Schema.String),
  phoneNumber: Liberal.optional(Schema.String),
  /** `VoiceOnly` / `FaxOnly` / `VoiceFax` (free text in the specification). */
  type: Liberal.optional(Schema.String),
  label: Liberal.optional(Schema.String),
  usageType: Liberal.optional(UsageType),
  hidden: Liberal.optional(Schema.Boolean),
  primary: Liberal.optional(Schema.Boolean),
  e164: Liberal.optional(Schema.String),
  formatted: Liberal.optional(Schema.String),
  smsAvailabilityStatus: Liberal.optional(ADGPhoneNumberSmsAvailabilityStatus),
  smsCampaignId: Liberal.optional(Schema.String)
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
  companyName: Liberal.optional(Schema.String),
  federatedName: Liberal.optional(Schema.String),
  mainNumber: Liberal.optional(AdgPhoneNumberResource)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class AccountDirectoryProfileImageResource extends Schema.Class<AccountDirectoryProfileImageResource>(
  "@unified-people/ringcentral/AccountDirectoryProfileImageResource"
)({
  etag: Liberal.optional(Schema.String),
  uri: Liberal.optional(Schema.String)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class BusinessSiteResource extends Schema.Class<BusinessSiteResource>("@unified-people/ringcentral/BusinessSiteResource")({
  id: Liberal.optional(Id),
  name: Liberal.optional(Schema.String),
  code: Liberal.optional(Schema.String)
}) {}

/**
 * A custom field value of a directory entry (`name`, where extensions say `displayName`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class CustomFieldResource extends Schema.Class<CustomFieldResource>("@unified-people/ringcentral/CustomFieldResource")({
  id: Liberal.optional(CustomFieldId),
  name: Liberal.optional(Schema.String),
  value: Liberal.optional(Schema.String)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class ExternalIntegrationResource extends Schema.Class<ExternalIntegrationResource>(
  "@unified-people/ringcentral/ExternalIntegrationResource"
)({
  id: Liberal.optional(Schema.String),
  typeId: Liberal.optional(Schema.String),
  type: Liberal.optional(Schema.String),
  displayName: Liberal.optional(Schema.String),
  routingType: Liberal.optional(Schema.String),
  outboundEdgeId: Liberal.optional(Schema.String)
}) {}

/**
 * The fields of a directory entry (shared with directory event contacts).
 *
 * @since 0.1.0
 * @category schemas
 */
export const contactFields = {
  id: ExtensionId,
  type: Liberal.optional(ContactType),
  status: Liberal.optional(ContactStatus),
  account: Liberal.optional(AccountResource),
  department: Liberal.optional(Schema.String),
  email: Liberal.optional(Schema.String),
  extensionNumber: Liberal.optional(Schema.String),
  firstName: Liberal.optional(Schema.String),
  lastName: Liberal.optional(Schema.String),
  name: Liberal.optional(Schema.String),
  jobTitle: Liberal.optional(Schema.String),
  phoneNumbers: Liberal.optional(Schema.Array(AdgPhoneNumberResource)),
  profileImage: Liberal.optional(AccountDirectoryProfileImageResource),
  site: Liberal.optional(BusinessSiteResource),
  hidden: Liberal.optional(Schema.Boolean),
  customFields: Liberal.optional(Schema.Array(CustomFieldResource)),
  integration: Liberal.optional(ExternalIntegrationResource)
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
  perPage: Liberal.Numeric,
  page: Liberal.optional(Liberal.Numeric),
  pageStart: Liberal.optional(Liberal.Numeric),
  pageEnd: Liberal.optional(Liberal.Numeric),
  totalPages: Liberal.optional(Liberal.Numeric),
  totalElements: Liberal.optional(Liberal.Numeric)
}) {}

/**
 * `PageNavigationUri`: a link to another page of a listing.
 *
 * @since 0.1.0
 * @category schemas
 */
export class PageNavigationUri extends Schema.Class<PageNavigationUri>("@unified-people/ringcentral/PageNavigationUri")({
  uri: Liberal.optional(Schema.String)
}) {}

/**
 * `PageNavigationModel`: the server's links to the first, next, previous and
 * last pages of a listing.
 *
 * @since 0.1.0
 * @category schemas
 */
export class PageNavigationModel extends Schema.Class<PageNavigationModel>("@unified-people/ringcentral/PageNavigationModel")({
  firstPage: Liberal.optional(PageNavigationUri),
  nextPage: Liberal.optional(PageNavigationUri),
  previousPage: Liberal.optional(PageNavigationUri),
  lastPage: Liberal.optional(PageNavigationUri)
}) {}

/**
 * A page of directory entries. The specification's `DirectoryResource` has
 * `records` and `paging` only; `uri` and `navigation` (the `PageNavigationModel`
 * of RingCentral's other listings) are read when a server sends them, and a
 * next-page link in `navigation` is followed.
 *
 * @since 0.1.0
 * @category schemas
 */
export class DirectoryResource extends Schema.Class<DirectoryResource>("@unified-people/ringcentral/DirectoryResource")({
  uri: Liberal.optional(Schema.String),
  records: Schema.Array(ContactResource),
  paging: EnumeratedPagingModel,
  navigation: Liberal.optional(PageNavigationModel)
}) {}

/**
 * A page of directory entries with its records left undecoded, so that they
 * can be decoded one by one (one bad record never rejects its page).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DirectoryPage = Schema.Struct({
  uri: Liberal.optional(Schema.String),
  records: Schema.Array(Schema.Unknown),
  paging: EnumeratedPagingModel,
  navigation: Liberal.optional(PageNavigationModel)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DirectoryPage = typeof DirectoryPage.Type

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
  companyName: Liberal.optional(Schema.String),
  conflictCount: Liberal.optional(Liberal.Numeric),
  federatedName: Liberal.optional(Schema.String),
  linkCreationTime: Liberal.optional(Schema.String),
  mainNumber: Liberal.optional(AdgPhoneNumberResource)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export class FederationResource extends Schema.Class<FederationResource>("@unified-people/ringcentral/FederationResource")({
  accounts: Liberal.optional(Schema.Array(FederatedAccountResource)),
  creationTime: Liberal.optional(Schema.String),
  displayName: Liberal.optional(Schema.String),
  id: Liberal.optional(Id),
  lastModifiedTime: Liberal.optional(Schema.String),
  type: Liberal.optional(FederationType)
}) {}
