/**
 * Wire schemas (DTOs) of the RingCentral extension and user-settings operations,
 * named and shaped as in the OpenAPI specification (`GetExtensionInfoResponse`,
 * `ExtensionUpdateRequest`, `GetExtensionGrantListResponse`, `ExtensionCallerIdInfo`,
 * `NotificationSettings`, `GetConferencingInfoResponse`, ...).
 *
 * Responses are decoded liberally (`@unified-people/core/Liberal`): every field
 * is optional (the specification requires almost nothing and real records are
 * sparse) and takes `null` as absent, numbers may arrive as numeric strings, ids
 * that arrive as numbers become strings (ids beyond 2^53 keep their digits),
 * strings that arrive with stray spaces are trimmed and enum values outside the
 * specification are kept as plain strings. Requests are strict: closed enums and
 * the specification's length and format constraints, checked before anything is
 * sent (their optional fields take no `null`: only the type side is checked).
 *
 * @since 0.1.0
 */
import * as Liberal from "@unified-people/core/Liberal"
import * as Schema from "effect/Schema"

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

/**
 * An id that the wire sends as a number in some resources and as a string in
 * others (extension `id` is an int64 number): always a string once decoded.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IdString: Schema.Schema<string, string | number> = Liberal.Id

/**
 * The id of an extension (a user, a department, a call queue, … and the
 * directory entry of one): a branded string, read liberally like
 * {@link IdString} (an int64 number on the wire, kept digit for digit).
 * Operations take plain strings (`~`, an id from elsewhere); what they return
 * carries the brand.
 *
 * @since 0.1.0
 * @category ids
 */
export const ExtensionId = Liberal.Id.pipe(Schema.brand("@unified-people/ringcentral/ExtensionId"))

/**
 * @since 0.1.0
 * @category ids
 */
export type ExtensionId = typeof ExtensionId.Type

/**
 * The id of a custom field definition of the account (`CustomFields`), also
 * carried by the custom field values of extensions and directory entries: a
 * branded string, read liberally.
 *
 * @since 0.1.0
 * @category ids
 */
export const CustomFieldId = Liberal.Id.pipe(Schema.brand("@unified-people/ringcentral/CustomFieldId"))

/**
 * @since 0.1.0
 * @category ids
 */
export type CustomFieldId = typeof CustomFieldId.Type

/**
 * A string that is trimmed on decode (RingCentral pads some numbers with spaces)
 * and sent as is.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Trimmed: Schema.Schema<string> = Schema.transform(Schema.String, Schema.String, {
  strict: true,
  decode: (value) => value.trim(),
  encode: (value) => value
})

/**
 * An enum read from the remote side: the known values are typed, unknown values
 * are kept as strings, never rejected.
 *
 * @since 0.1.0
 * @category schemas
 */
export const openEnum = Liberal.open

const opt = Liberal.optional

/**
 * An e-mail address as the specification constrains it on write (`format: email`,
 * at most 254 characters).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmailAddress = Schema.String.pipe(
  Schema.maxLength(254),
  Schema.pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: () => "must be an e-mail address" })
)

/**
 * A name part as the specification constrains it on write (at most 64 characters).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Text64 = Schema.String.pipe(Schema.maxLength(64))

/**
 * A phone number in E.164 (`^\+[1-9]\d{1,14}$`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PhoneNumberE164 = Schema.String.pipe(
  Schema.pattern(/^\+[1-9]\d{1,14}$/, { message: () => "must be an E.164 phone number" })
)

/**
 * A `{id}` reference.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IdReference = Schema.Struct({ id: opt(IdString) })

// -----------------------------------------------------------------------------
// enums
// -----------------------------------------------------------------------------

/**
 * `ExtensionStatusEnumFull` (read side, open).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionStatus = openEnum("Enabled", "Disabled", "Frozen", "NotActivated", "Unassigned")

/**
 * `ExtensionStatusEnumForUpdate` (write side, closed).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionStatusForUpdate = Schema.Literal("Enabled", "Disabled", "Frozen", "NotActivated")

/**
 * @since 0.1.0
 * @category models
 */
export type ExtensionStatusForUpdate = typeof ExtensionStatusForUpdate.Type

/**
 * `AllExtensionTypesEnum` (open).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionType = openEnum(
  "User",
  "Department",
  "Announcement",
  "Voicemail",
  "DigitalUser",
  "VirtualUser",
  "FaxUser",
  "PagingOnly",
  "SharedLinesGroup",
  "DelegatedLinesGroup",
  "GroupCallPickup",
  "IvrMenu",
  "ApplicationExtension",
  "ProxyAdmin",
  "RoomConnector",
  "ParkLocation",
  "Limited",
  "Bot",
  "Site",
  "Room",
  "FlexibleUser",
  "TieLine",
  "Unknown"
)

/**
 * `AllExtensionSubtypesEnum` (open).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionSubType = openEnum("VideoPro", "VideoProPlus", "DigitalSignageOnlyRooms", "Unknown", "Emergency")

/**
 * `SetupWizardStateForUpdateEnum` (open on read).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SetupWizardState = openEnum("NotStarted", "Incomplete", "Completed")

/**
 * `TimeFormatEnum` (open on read).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeFormat = openEnum("12h", "24h")

// -----------------------------------------------------------------------------
// GetExtensionInfoResponse
// -----------------------------------------------------------------------------

/**
 * `ContactBusinessAddressInfo`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactBusinessAddressInfo = Schema.Struct({
  country: opt(Schema.String),
  state: opt(Schema.String),
  city: opt(Schema.String),
  street: opt(Schema.String),
  zip: opt(Schema.String)
})

/**
 * `PronouncedNameInfo` (read side).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PronouncedNameInfo = Schema.Struct({
  type: opt(openEnum("Default", "TextToSpeech", "Recorded")),
  text: opt(Schema.String),
  prompt: opt(
    Schema.Struct({
      id: opt(IdString),
      contentUri: opt(Schema.String),
      contentType: opt(openEnum("audio/mpeg", "audio/wav"))
    })
  )
})

/**
 * `ContactInfo`: the contact block of an extension.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactInfo = Schema.Struct({
  firstName: opt(Schema.String),
  lastName: opt(Schema.String),
  name: opt(Schema.String),
  company: opt(Schema.String),
  jobTitle: opt(Schema.String),
  email: opt(Schema.String),
  businessPhone: opt(Trimmed),
  mobilePhone: opt(Trimmed),
  businessAddress: opt(ContactBusinessAddressInfo),
  emailAsLoginName: opt(Schema.Boolean),
  pronouncedName: opt(PronouncedNameInfo),
  department: opt(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ContactInfo = typeof ContactInfo.Type

/**
 * `CustomFieldInfo`: a custom field value of an extension (`displayName` here,
 * `name` in the directory).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomFieldInfo = Schema.Struct({
  id: opt(CustomFieldId),
  value: opt(Schema.String),
  displayName: opt(Schema.String)
})

/**
 * `ProfileImageInfo`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProfileImageInfo = Schema.Struct({
  uri: opt(Schema.String),
  etag: opt(Schema.String),
  lastModified: opt(Schema.String),
  contentType: opt(Schema.String),
  scales: opt(Schema.Array(Schema.Struct({ uri: opt(Schema.String) })))
})

/**
 * A country, timezone, language or locale entry of the regional settings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegionalEntry = Schema.Struct({
  id: opt(IdString),
  uri: opt(Schema.String),
  name: opt(Schema.String),
  description: opt(Schema.String),
  bias: opt(Schema.String),
  isoCode: opt(Schema.String),
  callingCode: opt(Schema.String),
  localeCode: opt(Schema.String)
})

/**
 * `RegionalSettings` (read side).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegionalSettings = Schema.Struct({
  homeCountry: opt(RegionalEntry),
  timezone: opt(RegionalEntry),
  language: opt(RegionalEntry),
  greetingLanguage: opt(RegionalEntry),
  formattingLocale: opt(RegionalEntry),
  timeFormat: opt(TimeFormat)
})

/**
 * `CallQueueExtensionInfo`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallQueueInfo = Schema.Struct({
  slaGoal: opt(Liberal.Numeric),
  slaThresholdSeconds: opt(Liberal.Numeric),
  includeAbandonedCalls: opt(Schema.Boolean),
  abandonedThresholdSeconds: opt(Liberal.Numeric)
})

/**
 * `ReferenceInfo`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReferenceInfo = Schema.Struct({
  ref: opt(Schema.String),
  type: opt(openEnum("PartnerId", "CustomerDirectoryId")),
  refAccId: opt(Schema.String)
})

/**
 * `GetExtensionInfoResponse`: an extension. Nothing is required (an `Unassigned`
 * extension has only `uri`, `id`, `type`, `status` and `profileImage`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class GetExtensionInfoResponse extends Schema.Class<GetExtensionInfoResponse>(
  "@unified-people/ringcentral/GetExtensionInfoResponse"
)({
  id: opt(ExtensionId),
  uri: opt(Schema.String),
  account: opt(Schema.Struct({ id: opt(IdString), uri: opt(Schema.String) })),
  contact: opt(ContactInfo),
  costCenter: opt(Schema.Struct({ id: opt(IdString), name: opt(Schema.String) })),
  customFields: opt(Schema.Array(CustomFieldInfo)),
  departments: opt(
    Schema.Array(Schema.Struct({ id: opt(ExtensionId), uri: opt(Schema.String), extensionNumber: opt(Schema.String) }))
  ),
  extensionNumber: opt(Schema.String),
  extensionNumbers: opt(Schema.Array(Schema.String)),
  name: opt(Schema.String),
  partnerId: opt(Schema.String),
  permissions: opt(
    Schema.Struct({
      admin: opt(Schema.Struct({ enabled: opt(Schema.Boolean) })),
      internationalCalling: opt(Schema.Struct({ enabled: opt(Schema.Boolean) }))
    })
  ),
  profileImage: opt(ProfileImageInfo),
  references: opt(Schema.Array(ReferenceInfo)),
  roles: opt(
    Schema.Array(
      Schema.Struct({
        id: opt(IdString),
        uri: opt(Schema.String),
        autoAssigned: opt(Schema.Boolean),
        displayName: opt(Schema.String),
        siteCompatible: opt(Schema.Boolean),
        siteRestricted: opt(Schema.Boolean)
      })
    )
  ),
  regionalSettings: opt(RegionalSettings),
  serviceFeatures: opt(
    Schema.Array(
      Schema.Struct({ featureName: opt(Schema.String), enabled: opt(Schema.Boolean), reason: opt(Schema.String) })
    )
  ),
  setupWizardState: opt(SetupWizardState),
  status: opt(ExtensionStatus),
  statusInfo: opt(Schema.Struct({ comment: opt(Schema.String), reason: opt(Schema.String) })),
  type: opt(ExtensionType),
  subType: opt(ExtensionSubType),
  callQueueInfo: opt(CallQueueInfo),
  hidden: opt(Schema.Boolean),
  site: opt(
    Schema.Struct({ id: opt(IdString), uri: opt(Schema.String), name: opt(Schema.String), code: opt(Schema.String) })
  ),
  assignedCountry: opt(
    Schema.Struct({ id: opt(IdString), uri: opt(Schema.String), isoCode: opt(Schema.String), name: opt(Schema.String) })
  ),
  creationTime: opt(Schema.String),
  siteAccess: opt(openEnum("Limited", "Unlimited")),
  alertTimer: opt(Liberal.Numeric)
}) {}

// -----------------------------------------------------------------------------
// ExtensionUpdateRequest (strict: validated before sending)
// -----------------------------------------------------------------------------

/**
 * `ContactInfoUpdateRequest`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactInfoUpdateRequest = Schema.Struct({
  firstName: opt(Text64),
  lastName: opt(Text64),
  company: opt(Text64),
  jobTitle: opt(Text64),
  email: opt(EmailAddress),
  businessPhone: opt(Schema.String),
  mobilePhone: opt(Schema.String),
  businessAddress: opt(ContactBusinessAddressInfo),
  emailAsLoginName: opt(Schema.Boolean),
  pronouncedName: opt(
    Schema.Struct({
      type: opt(Schema.Literal("Default", "TextToSpeech", "Recorded")),
      text: opt(Schema.String),
      prompt: opt(
        Schema.Struct({
          id: opt(Schema.String),
          contentUri: opt(Schema.String),
          contentType: opt(Schema.Literal("audio/mpeg", "audio/wav"))
        })
      )
    })
  ),
  department: opt(Text64)
})

/**
 * `ExtensionRegionalSettingRequest`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionRegionalSettingRequest = Schema.Struct({
  homeCountry: opt(Schema.Struct({ id: opt(Schema.String) })),
  timezone: opt(Schema.Struct({ id: opt(Schema.String) })),
  language: opt(Schema.Struct({ id: opt(Schema.String) })),
  greetingLanguage: opt(Schema.Struct({ id: opt(Schema.String) })),
  formattingLocale: opt(Schema.Struct({ id: opt(Schema.String) })),
  currency: opt(Schema.Struct({ id: opt(Schema.String) })),
  timeFormat: opt(Schema.Literal("12h", "24h"))
})

/**
 * `ExtensionUpdateRequest`: every field optional; only the fields set are sent.
 * `password` and `ivrPin` are `Redacted`, so they never show in logs or errors.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionUpdateRequest = Schema.Struct({
  status: opt(ExtensionStatusForUpdate),
  statusInfo: opt(Schema.Struct({ comment: opt(Schema.String), reason: opt(Schema.String), till: opt(Schema.String) })),
  extensionNumber: opt(Schema.String.pipe(Schema.pattern(/^\d{1,8}$/, { message: () => "must be 1 to 8 digits" }))),
  contact: opt(ContactInfoUpdateRequest),
  regionalSettings: opt(ExtensionRegionalSettingRequest),
  setupWizardState: opt(Schema.Literal("NotStarted", "Incomplete", "Completed")),
  partnerId: opt(Schema.String),
  /** A secret: `Redacted` in the model, plain on the wire only. */
  ivrPin: opt(Schema.Redacted(Schema.String)),
  /** A secret: `Redacted` in the model, plain on the wire only. */
  password: opt(Schema.Redacted(Schema.String)),
  callQueueInfo: opt(
    Schema.Struct({
      slaGoal: opt(Schema.Int),
      slaThresholdSeconds: opt(Schema.Int),
      includeAbandonedCalls: opt(Schema.Boolean),
      abandonedThresholdSeconds: opt(Schema.Int)
    })
  ),
  transition: opt(Schema.Struct({ sendWelcomeEmailsToUsers: opt(Schema.Boolean), sendWelcomeEmail: opt(Schema.Boolean) })),
  customFields: opt(
    Schema.Array(
      Schema.Struct({ id: Schema.String.pipe(Schema.minLength(1)), value: Schema.String, displayName: opt(Schema.String) })
    )
  ),
  site: opt(Schema.Struct({ id: Schema.String })),
  type: opt(
    Schema.Literal(
      "User",
      "FaxUser",
      "FlexibleUser",
      "VirtualUser",
      "DigitalUser",
      "Department",
      "Announcement",
      "Voicemail",
      "SharedLinesGroup",
      "PagingOnly",
      "IvrMenu",
      "ApplicationExtension",
      "ParkLocation",
      "DelegatedLinesGroup",
      "GroupCallPickup"
    )
  ),
  subType: opt(Schema.Literal("VideoPro", "VideoProPlus", "DigitalSignageOnlyRooms", "Unknown", "Emergency")),
  references: opt(
    Schema.Array(
      Schema.Struct({
        ref: opt(Schema.String),
        type: opt(Schema.Literal("PartnerId", "CustomerDirectoryId")),
        refAccId: opt(Schema.String)
      })
    )
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type ExtensionUpdateRequest = typeof ExtensionUpdateRequest.Type

// -----------------------------------------------------------------------------
// grants
// -----------------------------------------------------------------------------

/**
 * `EnumeratedPagingModel`, without response-side maxima (real answers exceed them).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EnumeratedPagingModel = Schema.Struct({
  perPage: opt(Liberal.Numeric),
  page: opt(Liberal.Numeric),
  pageStart: opt(Liberal.Numeric),
  pageEnd: opt(Liberal.Numeric),
  totalPages: opt(Liberal.Numeric),
  totalElements: opt(Liberal.Numeric)
})

/**
 * `PageNavigationModel`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageNavigationModel = Schema.Struct({
  firstPage: opt(Schema.Struct({ uri: opt(Schema.String) })),
  nextPage: opt(Schema.Struct({ uri: opt(Schema.String) })),
  previousPage: opt(Schema.Struct({ uri: opt(Schema.String) })),
  lastPage: opt(Schema.Struct({ uri: opt(Schema.String) }))
})

/**
 * `SearchGrantExtensionTypeEnum`: the extension types `listExtensionGrants` can filter by.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GrantExtensionTypeFilter = Schema.Literal(
  "User",
  "FaxUser",
  "VirtualUser",
  "DigitalUser",
  "Department",
  "Announcement",
  "Voicemail",
  "SharedLinesGroup",
  "PagingOnly",
  "IvrMenu",
  "ApplicationExtension",
  "ParkLocation",
  "Limited",
  "Bot",
  "Room",
  "DelegatedLinesGroup"
)

/**
 * @since 0.1.0
 * @category models
 */
export type GrantExtensionTypeFilter = typeof GrantExtensionTypeFilter.Type

/**
 * `GrantInfo`: the grants the current extension holds over another one. Flags the
 * server leaves out stay absent (unknown), never `false`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class GrantInfo extends Schema.Class<GrantInfo>("@unified-people/ringcentral/GrantInfo")({
  uri: opt(Schema.String),
  extension: opt(
    Schema.Struct({
      id: opt(ExtensionId),
      uri: opt(Schema.String),
      extensionNumber: opt(Schema.String),
      name: opt(Schema.String),
      type: opt(
        openEnum(
          "User",
          "Fax User",
          "VirtualUser",
          "DigitalUser",
          "Department",
          "Announcement",
          "Voicemail",
          "SharedLinesGroup",
          "PagingOnly",
          "IvrMenu",
          "ApplicationExtension",
          "ParkLocation",
          "DelegatedLinesGroup"
        )
      )
    })
  ),
  callPickup: opt(Schema.Boolean),
  callMonitoring: opt(Schema.Boolean),
  callOnBehalfOf: opt(Schema.Boolean),
  callDelegation: opt(Schema.Boolean),
  groupPaging: opt(Schema.Boolean),
  callQueueSetup: opt(Schema.Boolean),
  callQueueMembersSetup: opt(Schema.Boolean),
  callQueueMessages: opt(Schema.Boolean),
  callQueueFacSetup: opt(Schema.Boolean),
  sharedVoicemails: opt(Schema.Boolean),
  callQueueSmsRecipient: opt(Schema.Boolean),
  smsRecipient: opt(Schema.Boolean)
}) {}

/**
 * `GetExtensionGrantListResponse`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class GetExtensionGrantListResponse extends Schema.Class<GetExtensionGrantListResponse>(
  "@unified-people/ringcentral/GetExtensionGrantListResponse"
)({
  uri: opt(Schema.String),
  records: Schema.Array(GrantInfo),
  navigation: opt(PageNavigationModel),
  paging: opt(EnumeratedPagingModel)
}) {}

// -----------------------------------------------------------------------------
// caller id
// -----------------------------------------------------------------------------

/**
 * `CallerIdData`. `Alternate` may come as `{}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallerIdData = Schema.Struct({
  type: opt(openEnum("PhoneNumber", "Blocked", "CurrentLocation")),
  phoneInfo: opt(Schema.Struct({ id: opt(IdString), uri: opt(Schema.String), phoneNumber: opt(Trimmed) }))
})

/**
 * `CallerIdData` as sent in an update: `CallerIdPhoneInfo` with its read-only
 * `uri` and `phoneNumber` allowed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallerIdDataRequest = Schema.Struct({
  type: Schema.optional(openEnum("PhoneNumber", "Blocked", "CurrentLocation")),
  phoneInfo: Schema.optional(
    Schema.Struct({ id: Schema.optional(Schema.String), uri: Schema.optional(Schema.String), phoneNumber: Schema.optional(Schema.String) })
  )
})

/**
 * `CallerIdByFeature.feature` (open).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallerIdFeature = openEnum(
  "RingOut",
  "RingMe",
  "CallFlip",
  "FaxNumber",
  "AdditionalSoftphone",
  "Alternate",
  "CommonPhone",
  "MobileApp",
  "Delegated",
  "BusinessMobile"
)

/**
 * `ExtensionCallerIdInfo`: read and update use the same shape.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ExtensionCallerIdInfo extends Schema.Class<ExtensionCallerIdInfo>(
  "@unified-people/ringcentral/ExtensionCallerIdInfo"
)({
  uri: opt(Schema.String),
  byDevice: opt(
    Schema.Array(
      Schema.Struct({
        device: opt(Schema.Struct({ id: opt(IdString), uri: opt(Schema.String), name: opt(Schema.String) })),
        callerId: opt(CallerIdData)
      })
    )
  ),
  byFeature: opt(Schema.Array(Schema.Struct({ feature: opt(CallerIdFeature), callerId: opt(CallerIdData) }))),
  extensionNameForOutboundCalls: opt(Schema.Boolean),
  extensionNumberForInternalCalls: opt(Schema.Boolean)
}) {}

/**
 * `ExtensionCallerIdInfo` as the update body. The specification uses the same
 * schema to read and to update caller id settings, so a body read with
 * `readExtensionCallerId` is accepted as it is: every field optional, the
 * read-only `uri`, `name` and `phoneNumber` allowed (the server ignores them),
 * and `feature` and `type` open, since they are the server's own values sent
 * back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionCallerIdInfoRequest = Schema.Struct({
  uri: Schema.optional(Schema.String),
  byDevice: Schema.optional(
    Schema.Array(
      Schema.Struct({
        device: Schema.optional(
          Schema.Struct({ id: Schema.optional(Schema.String), uri: Schema.optional(Schema.String), name: Schema.optional(Schema.String) })
        ),
        callerId: Schema.optional(CallerIdDataRequest)
      })
    )
  ),
  byFeature: Schema.optional(
    Schema.Array(Schema.Struct({ feature: Schema.optional(CallerIdFeature), callerId: Schema.optional(CallerIdDataRequest) }))
  ),
  extensionNameForOutboundCalls: Schema.optional(Schema.Boolean),
  extensionNumberForInternalCalls: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ExtensionCallerIdInfoRequest = typeof ExtensionCallerIdInfoRequest.Type

// -----------------------------------------------------------------------------
// notification settings
// -----------------------------------------------------------------------------

const notificationCategory = {
  notifyByEmail: opt(Schema.Boolean),
  notifyBySms: opt(Schema.Boolean),
  advancedSmsPhoneNumbers: opt(Schema.Array(Schema.String)),
  advancedEmailAddresses: opt(Schema.Array(Schema.String)),
  advancedSmsEmailAddresses: opt(Schema.Array(Schema.String))
}

/**
 * One notification category (`VoicemailsInfo`, `InboundFaxesInfo`, ...): the union
 * of their fields, all optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NotificationCategory = Schema.Struct({
  ...notificationCategory,
  includeAttachment: opt(Schema.Boolean),
  includeTranscription: opt(Schema.Boolean),
  markAsRead: opt(Schema.Boolean)
})

/**
 * `EmailRecipientInfo`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmailRecipientInfo = Schema.Struct({
  extensionId: opt(ExtensionId),
  fullName: opt(Schema.String),
  extensionNumber: opt(Schema.String),
  status: opt(ExtensionStatus),
  emailAddresses: opt(Schema.Array(Schema.String)),
  permission: opt(openEnum("FullAccess", "Messages", "MemberManagement", "None"))
})

/**
 * `NotificationSettings`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class NotificationSettings extends Schema.Class<NotificationSettings>(
  "@unified-people/ringcentral/NotificationSettings"
)({
  uri: opt(Schema.String),
  smsPhoneNumbers: opt(Schema.Array(Schema.String)),
  advancedMode: opt(Schema.Boolean),
  voicemails: opt(NotificationCategory),
  inboundFaxes: opt(NotificationCategory),
  outboundFaxes: opt(NotificationCategory),
  inboundTexts: opt(NotificationCategory),
  missedCalls: opt(NotificationCategory),
  emailRecipients: opt(Schema.Array(EmailRecipientInfo)),
  emailAddresses: opt(Schema.Array(Schema.String)),
  includeManagers: opt(Schema.Boolean),
  includeSmsRecipients: opt(Schema.Boolean),
  smsRecipients: opt(Schema.Array(EmailRecipientInfo)),
  smsEmailAddresses: opt(Schema.Array(Schema.String)),
  callNotes: opt(
    Schema.Struct({
      notifyByEmail: opt(Schema.Boolean),
      notifyBySms: opt(Schema.Boolean),
      advancedEmailAddresses: opt(Schema.Array(Schema.String)),
      advancedSmsEmailAddresses: opt(Schema.Array(Schema.String))
    })
  )
}) {}

const StrictCategory = Schema.Struct({
  notifyByEmail: opt(Schema.Boolean),
  notifyBySms: opt(Schema.Boolean),
  advancedSmsPhoneNumbers: opt(Schema.Array(PhoneNumberE164)),
  advancedEmailAddresses: opt(Schema.Array(EmailAddress)),
  advancedSmsEmailAddresses: opt(Schema.Array(EmailAddress)),
  includeAttachment: opt(Schema.Boolean),
  includeTranscription: opt(Schema.Boolean),
  markAsRead: opt(Schema.Boolean)
})

/**
 * `NotificationSettingsUpdateRequest` (addresses validated before sending).
 *
 * @since 0.1.0
 * @category schemas
 */
export const NotificationSettingsUpdateRequest = Schema.Struct({
  uri: opt(Schema.String),
  smsPhoneNumbers: opt(Schema.Array(PhoneNumberE164)),
  advancedMode: opt(Schema.Boolean),
  voicemails: opt(StrictCategory),
  inboundFaxes: opt(StrictCategory),
  outboundFaxes: opt(StrictCategory),
  inboundTexts: opt(StrictCategory),
  missedCalls: opt(StrictCategory),
  emailAddresses: opt(Schema.Array(EmailAddress)),
  smsEmailAddresses: opt(Schema.Array(EmailAddress)),
  includeManagers: opt(Schema.Boolean),
  callNotes: opt(
    Schema.Struct({
      notifyByEmail: opt(Schema.Boolean),
      notifyBySms: opt(Schema.Boolean),
      advancedEmailAddresses: opt(Schema.Array(EmailAddress)),
      advancedSmsEmailAddresses: opt(Schema.Array(EmailAddress))
    })
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type NotificationSettingsUpdateRequest = typeof NotificationSettingsUpdateRequest.Type

// -----------------------------------------------------------------------------
// conferencing
// -----------------------------------------------------------------------------

/**
 * `PhoneNumberInfoConferencing` (numbers trimmed: the wire pads them with spaces).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PhoneNumberInfoConferencing = Schema.Struct({
  country: opt(RegionalEntry),
  default: opt(Schema.Boolean),
  hasGreeting: opt(Schema.Boolean),
  location: opt(Schema.String),
  phoneNumber: opt(Trimmed),
  premium: opt(Schema.Boolean)
})

/**
 * `GetConferencingInfoResponse`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class GetConferencingInfoResponse extends Schema.Class<GetConferencingInfoResponse>(
  "@unified-people/ringcentral/GetConferencingInfoResponse"
)({
  uri: opt(Schema.String),
  allowJoinBeforeHost: opt(Schema.Boolean),
  hostCode: opt(Trimmed),
  mode: opt(Schema.String),
  participantCode: opt(Trimmed),
  phoneNumber: opt(Trimmed),
  supportUri: opt(Schema.String),
  tapToJoinUri: opt(Schema.String),
  phoneNumbers: opt(Schema.Array(PhoneNumberInfoConferencing))
}) {}

/**
 * `UpdateConferencingInfoRequest`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateConferencingInfoRequest = Schema.Struct({
  phoneNumbers: opt(Schema.Array(Schema.Struct({ phoneNumber: opt(Schema.String), default: opt(Schema.Boolean) }))),
  allowJoinBeforeHost: opt(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateConferencingInfoRequest = typeof UpdateConferencingInfoRequest.Type
