/**
 * Extensions and user settings (seed `001`, UserSettingsService), the
 * `Extensions` area: read and update an extension, its grants, caller id,
 * notification and conferencing settings, each under its throttling group
 * ({@link operations}). An extension maps to a `Person`
 * through the shared `Mapping`, and a `Person` (or a partial change to one) maps
 * back to an `ExtensionUpdateRequest`, reporting what RingCentral cannot store.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as ContactPoint from "@unified-people/core/ContactPoint"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as PagedRead from "@unified-people/core/PagedRead"
import * as PageAudit from "@unified-people/core/PageAudit"
import type * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import type * as PeopleError from "@unified-people/core/PeopleError"
import type * as Person from "@unified-people/core/Person"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as EffectSchema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Schema from "./Extensions/Schema.js"
import * as CustomFields from "./CustomFields.js"
import * as Request from "./Extensions/Request.js"
import * as Mapping from "./Mapping.js"
import { type Operation, RingCentralClient } from "./RingCentralClient.js"

/**
 * The wire schemas (`GetExtensionInfoResponse`, `ExtensionUpdateRequest`, ...).
 *
 * @since 0.1.0
 */
export * from "./Extensions/Schema.js"

const ext = "/restapi/v1.0/account/{accountId}/extension/{extensionId}"

/**
 * The operations of this module with their `x-throttling-group`, as in the
 * specification.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  readExtension: { operationId: "readExtension", method: "GET", path: ext, group: "Light" },
  updateExtension: { operationId: "updateExtension", method: "PUT", path: ext, group: "Medium" },
  listExtensionGrants: { operationId: "listExtensionGrants", method: "GET", path: `${ext}/grant`, group: "Light" },
  readExtensionCallerId: { operationId: "readExtensionCallerId", method: "GET", path: `${ext}/caller-id`, group: "Light" },
  updateExtensionCallerId: {
    operationId: "updateExtensionCallerId",
    method: "PUT",
    path: `${ext}/caller-id`,
    group: "Medium"
  },
  readNotificationSettings: {
    operationId: "readNotificationSettings",
    method: "GET",
    path: `${ext}/notification-settings`,
    group: "Light"
  },
  updateNotificationSettings: {
    operationId: "updateNotificationSettings",
    method: "PUT",
    path: `${ext}/notification-settings`,
    group: "Medium"
  },
  readConferencingSettings: {
    operationId: "readConferencingSettings",
    method: "GET",
    path: `${ext}/conferencing`,
    group: "Light"
  },
  updateConferencingSettings: {
    operationId: "updateConferencingSettings",
    method: "PUT",
    path: `${ext}/conferencing`,
    group: "Medium"
  }
} as const satisfies Record<string, Operation>

// -----------------------------------------------------------------------------
// mapping
// -----------------------------------------------------------------------------

/**
 * Adapts an extension to the neutral input of the shared `Mapping`: the one
 * place where the extension's differences from a directory entry are handled
 * (numeric id already a string, names / e-mail / phones / job title /
 * department / company inside the `contact` block, custom fields with
 * `displayName`). The business address has no counterpart in `Person`.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toInput = (extension: Schema.GetExtensionInfoResponse): Mapping.Input => {
  const contact = extension.contact
  const id = extension.id ?? ""
  return {
    id,
    ...(contact?.firstName === undefined ? {} : { firstName: contact.firstName }),
    ...(contact?.lastName === undefined ? {} : { lastName: contact.lastName }),
    ...(extension.name === undefined ? {} : { name: extension.name }),
    ...(contact?.email === undefined ? {} : { email: contact.email }),
    ...(contact?.jobTitle === undefined ? {} : { jobTitle: contact.jobTitle }),
    ...(contact?.department === undefined ? {} : { department: contact.department }),
    ...(contact?.company === undefined ? {} : { company: contact.company }),
    ...(extension.account?.id === undefined ? {} : { account: { id: extension.account.id } }),
    ...(extension.site === undefined ? {} : { site: { id: extension.site.id, name: extension.site.name } }),
    ...(extension.extensionNumber === undefined ? {} : { extensionNumber: extension.extensionNumber }),
    ...(extension.status === undefined ? {} : { status: extension.status }),
    ...(extension.type === undefined ? {} : { type: extension.type }),
    ...(extension.profileImage === undefined
      ? {}
      : { profileImage: { uri: extension.profileImage.uri, etag: extension.profileImage.etag } }),
    ...(extension.customFields === undefined ? {} : { customFields: extension.customFields }),
    ...(contact?.businessPhone === undefined ? {} : { businessPhone: contact.businessPhone }),
    ...(contact?.mobilePhone === undefined ? {} : { mobilePhone: contact.mobilePhone })
  }
}

/**
 * Maps an extension to a `Person` through the shared `Mapping.toPerson`.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toPerson = (extension: Schema.GetExtensionInfoResponse, options?: Mapping.Options): Person.Person =>
  Mapping.toPerson(toInput(extension), options)

/**
 * A `Person`, or a partial change to one: only the fields present are written.
 *
 * @since 0.1.0
 * @category models
 */
export type PersonChange = Partial<
  Pick<
    Person.Person,
    | "name"
    | "jobTitle"
    | "department"
    | "company"
    | "site"
    | "employeeNumber"
    | "extensionNumber"
    | "status"
    | "contactPoints"
    | "customFields"
    | "photo"
  >
>

/**
 * A value RingCentral cannot store through `updateExtension`, and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Unsupported {
  /** The `Person` path (`contactPoints[2]`, `customFields.Badge`, `employeeNumber`). */
  readonly field: string
  readonly value?: string | undefined
  readonly reason: string
}

/**
 * Options of {@link toUpdateRequest}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ToUpdateOptions {
  /** The account's custom field definitions, to write values by id (a `Person` keys them by name; `updatePerson` lists them when omitted). */
  readonly customFields?: ReadonlyArray<{ readonly id: string; readonly displayName?: string | undefined }> | undefined
  /**
   * Treat the input as the whole person: names, job title, department, company,
   * business / mobile phones and the values of the given custom fields it lacks
   * are cleared (sent as `""`).
   */
  readonly clear?: boolean | undefined
}

/**
 * The result of {@link toUpdateRequest}.
 *
 * @since 0.1.0
 * @category models
 */
export interface UpdatePlan {
  readonly request: Schema.ExtensionUpdateRequest
  readonly unsupported: ReadonlyArray<Unsupported>
}

const statusesForUpdate: ReadonlyArray<string> = Schema.ExtensionStatusForUpdate.literals

const pick = (points: ReadonlyArray<readonly [ContactPoint.ContactPoint, number]>) =>
  points.find(([point]) => point.primary === true) ?? points[0]

/**
 * Maps a `Person` (or a partial change) to an `ExtensionUpdateRequest`: names,
 * e-mail, business and mobile phones, job title, department, company, site,
 * extension number, status and custom field values (by id). Everything else
 * (extra e-mails and phones, home / fax / shared numbers, chat handles,
 * websites, the employee number, the photo, unknown custom fields, a status
 * RingCentral does not accept on write) is listed in `unsupported`, never
 * silently dropped.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toUpdateRequest = (change: PersonChange, options: ToUpdateOptions = {}): UpdatePlan => {
  const unsupported: Array<Unsupported> = []
  const contact: { -readonly [K in keyof NonNullable<Schema.ExtensionUpdateRequest["contact"]>]: NonNullable<Schema.ExtensionUpdateRequest["contact"]>[K] } = {}
  const request: { -readonly [K in keyof Schema.ExtensionUpdateRequest]: Schema.ExtensionUpdateRequest[K] } = {}
  const clear = options.clear === true

  if (change.name !== undefined) {
    const { given, family, display } = change.name
    if (given !== undefined) contact.firstName = given
    else if (clear) contact.firstName = ""
    if (family !== undefined) contact.lastName = family
    else if (clear) contact.lastName = ""
    const derived = [given, family].filter((s) => s !== undefined && s !== "").join(" ")
    if (display !== undefined && display !== derived) {
      unsupported.push({ field: "name.display", value: display, reason: "RingCentral derives the name from first and last name" })
    }
  } else if (clear) {
    contact.firstName = ""
    contact.lastName = ""
  }
  if (change.jobTitle !== undefined) contact.jobTitle = change.jobTitle
  else if (clear) contact.jobTitle = ""
  if (change.department !== undefined) contact.department = change.department
  else if (clear) contact.department = ""
  if (change.company !== undefined) {
    if (change.company.name !== undefined) contact.company = change.company.name
    else if (clear) contact.company = ""
    if (change.company.id !== undefined) {
      unsupported.push({ field: "company.id", value: change.company.id, reason: "read-only: the account of the extension" })
    }
  } else if (clear) contact.company = ""
  if (change.site !== undefined) {
    if (change.site.id !== undefined) request.site = { id: change.site.id }
    else if (change.site.name !== undefined) {
      unsupported.push({ field: "site.name", value: change.site.name, reason: "a site is set by id" })
    }
  }
  if (change.extensionNumber !== undefined) request.extensionNumber = change.extensionNumber
  if (change.status !== undefined) {
    if (statusesForUpdate.includes(change.status)) request.status = change.status as Schema.ExtensionStatusForUpdate
    else unsupported.push({ field: "status", value: change.status, reason: `not a status RingCentral accepts on update (${statusesForUpdate.join(", ")})` })
  }
  if (change.employeeNumber !== undefined) {
    unsupported.push({ field: "employeeNumber", value: change.employeeNumber, reason: "extensions have no employee number" })
  }
  if (change.photo !== undefined) {
    unsupported.push({
      field: "photo",
      ...(change.photo.uri === undefined ? {} : { value: change.photo.uri }),
      reason: "profile images are uploaded with ProfileImages"
    })
  }

  if (change.contactPoints !== undefined) {
    const indexed = change.contactPoints.map((point, i) => [point, i] as const)
    const emails = indexed.filter(([p]) => p.kind === "email" && p.normalized !== undefined)
    const email = pick(emails.filter(([p]) => p.label === "work")) ?? pick(emails)
    const own = indexed.filter(([p]) => p.kind === "phone" && p.shared !== true && p.normalized !== undefined)
    const business = pick(own.filter(([p]) => p.label === "work"))
    const mobile = pick(own.filter(([p]) => p.label === "mobile"))
    if (email !== undefined) contact.email = email[0].normalized!
    if (business !== undefined) contact.businessPhone = business[0].normalized!
    else if (clear) contact.businessPhone = ""
    if (mobile !== undefined) contact.mobilePhone = mobile[0].normalized!
    else if (clear) contact.mobilePhone = ""
    const used = new Set([email?.[1], business?.[1], mobile?.[1]])
    for (const [point, i] of indexed) {
      if (used.has(i)) continue
      const reason = point.kind === "email"
        ? point.normalized === undefined ? `not a valid e-mail address (${point.issue ?? "unnormalized"})` : "an extension holds one e-mail address"
        : point.kind === "phone"
        ? point.normalized === undefined
          ? `not a valid phone number (${point.issue ?? "unnormalized"})`
          : point.shared === true
          ? "a shared company number is not the person's own"
          : point.label === "work" || point.label === "mobile"
          ? `an extension holds one ${point.label === "work" ? "business" : "mobile"} phone`
          : `an extension has no ${point.label === "other" ? (point.customLabel ?? "other") : point.label} phone`
        : `an extension has no ${point.kind} contact points`
      unsupported.push({ field: `contactPoints[${i}]`, value: point.value, reason })
    }
  } else if (clear) {
    contact.businessPhone = ""
    contact.mobilePhone = ""
  }

  if (change.customFields !== undefined) {
    const values: Array<{ id: string; value: string }> = []
    for (const [key, value] of Object.entries(change.customFields)) {
      const definition = options.customFields?.find((d) => d.displayName === key) ?? options.customFields?.find((d) => d.id === key)
      if (definition === undefined) {
        unsupported.push({
          field: `customFields.${key}`,
          value,
          reason: options.customFields === undefined ? "custom field definitions were not given" : "no custom field of the account has this name"
        })
      } else values.push({ id: definition.id, value })
    }
    if (clear) {
      for (const definition of options.customFields ?? []) {
        const present = Object.keys(change.customFields).some((key) => key === definition.displayName || key === definition.id)
        if (!present) values.push({ id: definition.id, value: "" })
      }
    }
    if (values.length > 0) request.customFields = values
  }

  if (Object.keys(contact).length > 0) request.contact = contact
  return { request, unsupported }
}

/**
 * Options of `listExtensionGrants`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GrantListOptions {
  readonly extensionType?: ReadonlyArray<Schema.GrantExtensionTypeFilter> | undefined
  /** 1-based page (default 1). */
  readonly page?: number | undefined
  /** Page size (default 100 on the server). */
  readonly perPage?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `readExtension` (Light). `extensionId` defaults to `~`, the token's extension. */
  readonly readExtension: (extensionId?: string) => Effect.Effect<Schema.GetExtensionInfoResponse, PeopleError.PeopleError>
  /**
   * `updateExtension` (Medium): sends only the fields set in `request`, after
   * checking it against the specification (`InvalidRequest{sent: false}` otherwise).
   */
  readonly updateExtension: (
    extensionId: string,
    request: Schema.ExtensionUpdateRequest
  ) => Effect.Effect<Schema.GetExtensionInfoResponse, PeopleError.PeopleError>
  /** `listExtensionGrants` (Light): one page. */
  readonly listExtensionGrants: (
    extensionId?: string,
    options?: GrantListOptions
  ) => Effect.Effect<Schema.GetExtensionGrantListResponse, PeopleError.PeopleError>
  /**
   * Every grant as an audited paged read (`PagedRead`): an empty or short page
   * while more is announced is read again, a listing that never ends is
   * stopped, and a grant that cannot be decoded is skipped, logged and listed
   * in `completeness`.
   */
  readonly readExtensionGrants: (
    extensionId?: string,
    options?: Omit<GrantListOptions, "page">
  ) => PagedRead.Read<Schema.GrantInfo, PeopleError.PeopleError>
  /** Every grant, page by page: the stream of {@link Service.readExtensionGrants}. */
  readonly streamExtensionGrants: (
    extensionId?: string,
    options?: Omit<GrantListOptions, "page">
  ) => Stream.Stream<Schema.GrantInfo, PeopleError.PeopleError>
  /** `readExtensionCallerId` (Light). */
  readonly readExtensionCallerId: (
    extensionId?: string
  ) => Effect.Effect<Schema.ExtensionCallerIdInfo, PeopleError.PeopleError>
  /** `updateExtensionCallerId` (Medium). */
  readonly updateExtensionCallerId: (
    extensionId: string,
    request: Schema.ExtensionCallerIdInfoRequest
  ) => Effect.Effect<Schema.ExtensionCallerIdInfo, PeopleError.PeopleError>
  /** `readNotificationSettings` (Light). */
  readonly readNotificationSettings: (
    extensionId?: string
  ) => Effect.Effect<Schema.NotificationSettings, PeopleError.PeopleError>
  /** `updateNotificationSettings` (Medium); addresses are checked before sending. */
  readonly updateNotificationSettings: (
    extensionId: string,
    request: Schema.NotificationSettingsUpdateRequest
  ) => Effect.Effect<Schema.NotificationSettings, PeopleError.PeopleError>
  /** `readConferencingSettings` (Light). */
  readonly readConferencingSettings: (
    extensionId?: string,
    options?: { readonly countryId?: string | undefined }
  ) => Effect.Effect<Schema.GetConferencingInfoResponse, PeopleError.PeopleError>
  /** `updateConferencingSettings` (Medium). */
  readonly updateConferencingSettings: (
    extensionId: string,
    request: Schema.UpdateConferencingInfoRequest
  ) => Effect.Effect<Schema.GetConferencingInfoResponse, PeopleError.PeopleError>
  /** `readExtension`, mapped to a `Person`. */
  readonly readPerson: (extensionId?: string) => Effect.Effect<Person.Person, PeopleError.PeopleError>
  /**
   * Writes a `Person` (or a partial change) with `updateExtension` and returns
   * the person as updated, plus what RingCentral could not store. Custom field
   * definitions are listed (`listCustomFields`) when the change has custom
   * fields and `options.customFields` is not given. Nothing is sent when nothing
   * storable changed (the extension is read instead).
   */
  readonly updatePerson: (
    extensionId: string,
    change: PersonChange,
    options?: ToUpdateOptions
  ) => Effect.Effect<{ readonly person: Person.Person; readonly unsupported: ReadonlyArray<Unsupported> }, PeopleError.PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Extensions extends Context.Tag("@unified-people/ringcentral/Extensions")<Extensions, Service>() {}

const validateUpdate = Request.validate(Schema.ExtensionUpdateRequest, "updateExtension")
const validateCallerId = Request.validate(Schema.ExtensionCallerIdInfoRequest, "updateExtensionCallerId")
const validateNotifications = Request.validate(Schema.NotificationSettingsUpdateRequest, "updateNotificationSettings")
const validateConferencing = Request.validate(Schema.UpdateConferencingInfoRequest, "updateConferencingSettings")

/** A grants page with its records left undecoded (each one is decoded on its own). */
const GrantPage = EffectSchema.Struct({
  ...Schema.GetExtensionGrantListResponse.fields,
  records: EffectSchema.Array(EffectSchema.Unknown)
})

/** A grant's remote id: the granted extension's id. */
const grantId = (record: unknown): string | undefined => {
  if (typeof record !== "object" || record === null) return undefined
  const extension = (record as { readonly extension?: unknown }).extension
  if (typeof extension !== "object" || extension === null) return undefined
  const id = (extension as { readonly id?: unknown }).id
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined
}

/**
 * What a grants page said about itself, for the audit: its totals are hints,
 * its next-page link (when it sends navigation) says whether there is more,
 * else a short or empty page ends the listing.
 *
 * @since 0.1.0
 * @category paging
 */
export const grantPageInfo = (
  page: {
    readonly records: ReadonlyArray<unknown>
    readonly paging?: typeof Schema.EnumeratedPagingModel.Type | undefined
    readonly navigation?: typeof Schema.PageNavigationModel.Type | undefined
  },
  requested: { readonly perPage?: number | undefined },
  unreadable: ReadonlyArray<PeopleDirectory.Unreadable> = []
): Omit<PageAudit.Page, "number"> => {
  const { navigation, paging } = page
  const perPage = paging?.perPage ?? requested.perPage
  return {
    records: page.records.length + unreadable.length,
    ...(perPage === undefined ? {} : { perPage }),
    ...(paging?.page === undefined ? {} : { page: paging.page }),
    ...(paging?.pageStart === undefined ? {} : { pageStart: paging.pageStart }),
    ...(paging?.totalPages === undefined ? {} : { totalPages: paging.totalPages }),
    ...(paging?.totalElements === undefined ? {} : { totalElements: paging.totalElements }),
    ...(navigation === undefined ? {} : { hasNext: navigation.nextPage?.uri !== undefined && navigation.nextPage.uri.trim() !== "" }),
    ids: page.records.flatMap((r) => grantId(r) ?? []),
    unreadable
  }
}

/**
 * Whether a grants page is the last one (see {@link grantPageInfo}).
 *
 * @since 0.1.0
 * @category paging
 */
export const isLastPage = (page: Schema.GetExtensionGrantListResponse, requested: { page: number; perPage?: number | undefined }): boolean =>
  PageAudit.isLast({ ...grantPageInfo(page, requested), number: requested.page })

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, RingCentralClient> = Effect.gen(function*() {
  const client = yield* RingCentralClient
  const customFields = yield* CustomFields.make
  const path = (extensionId: string, suffix = "") => client.accountPath(`/extension/${encodeURIComponent(extensionId)}${suffix}`)

  const readExtension = (extensionId = "~") =>
    client.json(Schema.GetExtensionInfoResponse)(HttpClientRequest.get(path(extensionId)), {
      method: "readExtension",
      group: operations.readExtension.group
    })

  const updateExtension = (extensionId: string, request: Schema.ExtensionUpdateRequest) =>
    Effect.flatMap(validateUpdate(request), (body) =>
      client.json(Schema.GetExtensionInfoResponse)(HttpClientRequest.put(path(extensionId)).pipe(HttpClientRequest.bodyUnsafeJson(body)), {
        method: "updateExtension",
        group: operations.updateExtension.group
      }))

  const grantRequest = (extensionId: string, options: GrantListOptions) => {
    const params: Array<[string, string]> = []
    for (const type of options.extensionType ?? []) params.push(["extensionType", type])
    if (options.page !== undefined) params.push(["page", String(options.page)])
    if (options.perPage !== undefined) params.push(["perPage", String(options.perPage)])
    return HttpClientRequest.get(path(extensionId, "/grant")).pipe(HttpClientRequest.setUrlParams(params))
  }

  const listExtensionGrants = (extensionId = "~", options: GrantListOptions = {}) =>
    client.json(Schema.GetExtensionGrantListResponse)(grantRequest(extensionId, options), {
      method: "listExtensionGrants",
      group: operations.listExtensionGrants.group
    })

  const readExtensionGrants = (extensionId = "~", options: Omit<GrantListOptions, "page"> = {}) => {
    const method = "listExtensionGrants"
    const decode = HttpPolicy.decodeJson(GrantPage, { module: "ringcentral", method })
    return PagedRead.make<Schema.GrantInfo, number, PeopleError.PeopleError, never>({
      module: "ringcentral",
      method,
      first: 1,
      key: (page) => `page=${page}`,
      numberOf: (page) => page,
      // an extension may well have no grants
      emptyListing: "normal",
      fetch: (page) =>
        Effect.gen(function*() {
          const response = yield* client.execute(grantRequest(extensionId, { ...options, page }), {
            method,
            group: operations.listExtensionGrants.group,
            body: "json"
          })
          const body = yield* Effect.mapError(decode(response), client.policy.scrub)
          const records = PagedRead.decodeRecords(Schema.GrantInfo, { module: "ringcentral", method, page, field: "records", idOf: grantId })(
            body.records
          )
          return { items: records.items, page: grantPageInfo(body, options, records.unreadable), next: page + 1 }
        })
    })
  }

  const readExtensionCallerId = (extensionId = "~") =>
    client.json(Schema.ExtensionCallerIdInfo)(HttpClientRequest.get(path(extensionId, "/caller-id")), {
      method: "readExtensionCallerId",
      group: operations.readExtensionCallerId.group
    })

  const updateExtensionCallerId = (extensionId: string, request: Schema.ExtensionCallerIdInfoRequest) =>
    Effect.flatMap(validateCallerId(request), (body) =>
      client.json(Schema.ExtensionCallerIdInfo)(
        HttpClientRequest.put(path(extensionId, "/caller-id")).pipe(HttpClientRequest.bodyUnsafeJson(body)),
        { method: "updateExtensionCallerId", group: operations.updateExtensionCallerId.group }
      ))

  const readNotificationSettings = (extensionId = "~") =>
    client.json(Schema.NotificationSettings)(HttpClientRequest.get(path(extensionId, "/notification-settings")), {
      method: "readNotificationSettings",
      group: operations.readNotificationSettings.group
    })

  const updateNotificationSettings = (extensionId: string, request: Schema.NotificationSettingsUpdateRequest) =>
    Effect.flatMap(validateNotifications(request), (body) =>
      client.json(Schema.NotificationSettings)(
        HttpClientRequest.put(path(extensionId, "/notification-settings")).pipe(HttpClientRequest.bodyUnsafeJson(body)),
        { method: "updateNotificationSettings", group: operations.updateNotificationSettings.group }
      ))

  const readConferencingSettings = (extensionId = "~", options: { readonly countryId?: string | undefined } = {}) =>
    client.json(Schema.GetConferencingInfoResponse)(
      HttpClientRequest.get(path(extensionId, "/conferencing")).pipe(
        HttpClientRequest.setUrlParams(options.countryId === undefined ? [] : [["countryId", options.countryId]])
      ),
      { method: "readConferencingSettings", group: operations.readConferencingSettings.group }
    )

  const updateConferencingSettings = (extensionId: string, request: Schema.UpdateConferencingInfoRequest) =>
    Effect.flatMap(validateConferencing(request), (body) =>
      client.json(Schema.GetConferencingInfoResponse)(
        HttpClientRequest.put(path(extensionId, "/conferencing")).pipe(HttpClientRequest.bodyUnsafeJson(body)),
        { method: "updateConferencingSettings", group: operations.updateConferencingSettings.group }
      ))

  const readPerson = (extensionId = "~") => Effect.map(readExtension(extensionId), (extension) => toPerson(extension))

  // custom field values are written by id: read the account's definitions when the caller gave none
  const definitionsFor = (change: PersonChange, options: ToUpdateOptions | undefined) =>
    options?.customFields !== undefined || change.customFields === undefined || Object.keys(change.customFields).length === 0
      ? Effect.succeed(options ?? {})
      : Effect.map(customFields.listCustomFields, (list): ToUpdateOptions => ({
        ...options,
        customFields: list.records.flatMap((r) => r.id === undefined ? [] : [{ id: r.id, displayName: r.displayName }])
      }))

  const updatePerson = (extensionId: string, change: PersonChange, options?: ToUpdateOptions) =>
    Effect.flatMap(definitionsFor(change, options), (resolved) => {
      const plan = toUpdateRequest(change, resolved)
      const write = Object.keys(plan.request).length === 0 ? readExtension(extensionId) : updateExtension(extensionId, plan.request)
      return Effect.map(write, (extension) => ({ person: toPerson(extension), unsupported: plan.unsupported }))
    })

  return {
    readPerson,
    updatePerson,
    readExtension,
    updateExtension,
    listExtensionGrants,
    readExtensionGrants,
    streamExtensionGrants: (extensionId, options) => readExtensionGrants(extensionId, options).stream,
    readExtensionCallerId,
    updateExtensionCallerId,
    readNotificationSettings,
    updateNotificationSettings,
    readConferencingSettings,
    updateConferencingSettings
  }
})

/**
 * The service over the `RingCentralClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Extensions, never, RingCentralClient> = Layer.effect(Extensions, make)
