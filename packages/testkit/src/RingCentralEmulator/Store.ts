/**
 * The emulator's in-memory state: a store of EXTENSION records (the company
 * directory is a view of it), the accounts of the federation, custom field
 * definitions, and a change feed that directory events are built from.
 *
 * Store API (shared by the directory routes and the extension routes of part 2):
 *
 * - `list()`: every extension, in creation order (ids ascending).
 * - `get(id)`: one extension (`~` = the token owner, {@link Store.ownerId}).
 * - `create(input)`: adds an extension, assigns the next id, emits `Create`.
 * - `update(id, mutate)`: mutates an extension in place through the callback,
 *   bumps its version and the directory ETag, emits `Update`. The derived `name`
 *   is NOT recomputed (it lags behind `contact`, as on the real server); call
 *   {@link refreshName} to recompute it.
 * - `remove(id)`: deletes an extension, emits `Delete`.
 * - `etag()`: the directory ETag; it changes on every mutation.
 * - `customFields`, `createCustomField`, `updateCustomField`, `deleteCustomFields`:
 *   the account's custom field definitions (at most {@link maxCustomFields}).
 * - `subscribe(listener)`: calls `listener` after every change; returns an unsubscribe function.
 *
 * Extensions keep part-2 sub-resources (caller id, notification settings,
 * conferencing, grants, …) in the free-form `extra` bag.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category models
 */
export interface Contact {
  firstName?: string | undefined
  lastName?: string | undefined
  company?: string | undefined
  jobTitle?: string | undefined
  email?: string | undefined
  businessPhone?: string | undefined
  mobilePhone?: string | undefined
  department?: string | undefined
  businessAddress?: Record<string, string> | undefined
  emailAsLoginName?: boolean | undefined
  pronouncedName?: { type?: string; text?: string } | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface PhoneNumber {
  id: string
  phoneNumber: string
  /** `UsageTypes` value, `MobileNumber` or `ContactNumber`. */
  usageType: string
  /** `VoiceOnly` / `FaxOnly` / `VoiceFax`; real numbers sometimes have none. */
  type?: string | undefined
  primary?: boolean | undefined
  label?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ProfileImage {
  etag: string
  contentType: string
  lastModified: string
  bytes: Uint8Array
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Site {
  id: string
  name: string
  code?: string | undefined
}

/**
 * One extension record (the fields of `GetExtensionInfoResponse` the emulator keeps).
 *
 * @since 0.1.0
 * @category models
 */
export interface Extension {
  /** Digits; extension resources serialize it as a number, the directory as a string. */
  readonly id: string
  accountId: string
  extensionNumber?: string | undefined
  /** `User`, `Department`, `DigitalUser`, `ApplicationExtension`, … */
  type: string
  subType?: string | undefined
  /** `Enabled`, `Disabled`, `NotActivated`, `Unassigned`, `Frozen`. */
  status: string
  /** The derived name; lags behind `contact` after updates (see {@link refreshName}). */
  name?: string | undefined
  contact: Contact
  site?: Site | undefined
  phoneNumbers: Array<PhoneNumber>
  profileImage?: ProfileImage | undefined
  /** Custom field values by field id. */
  customFields: Record<string, string>
  hidden: boolean
  creationTime: string
  /** Incremented on every update. */
  version: number
  /** Free-form sub-resources owned by the extension routes (part 2). */
  extra: Record<string, unknown>
}

/**
 * An account of the federation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Account {
  readonly id: string
  companyName: string
  federatedName: string
  mainNumber: string
  linkCreationTime: string
  conflictCount: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Federation {
  readonly id: string
  displayName: string
  type: "Regular" | "AdminOnly"
  creationTime: string
  lastModifiedTime: string
}

/**
 * A custom field definition.
 *
 * @since 0.1.0
 * @category models
 */
export interface CustomFieldDefinition {
  readonly id: string
  category: string
  displayName: string
}

/**
 * A change of the store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Change {
  readonly eventType: "Create" | "Update" | "Delete"
  /** A snapshot of the extension after the change (before it, for `Delete`). */
  readonly extension: Extension
}

/**
 * Input of {@link Store.create}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExtensionInput {
  readonly accountId?: string
  readonly extensionNumber?: string | undefined
  readonly type?: string
  readonly subType?: string
  readonly status?: string
  readonly name?: string | undefined
  readonly contact?: Contact
  readonly site?: Site | undefined
  readonly phoneNumbers?: ReadonlyArray<Omit<PhoneNumber, "id"> & { readonly id?: string }>
  readonly customFields?: Record<string, string>
  readonly hidden?: boolean
  readonly extra?: Record<string, unknown>
}

/**
 * The maximum number of custom fields of an account.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxCustomFields = 5

/**
 * @since 0.1.0
 * @category models
 */
export interface Store {
  /** The account of the token (the `~` account). */
  readonly account: Account
  /** Every account of the federation, the current one first. */
  readonly accounts: ReadonlyArray<Account>
  readonly federation: Federation
  /** The extension the access tokens belong to (`~`). */
  readonly ownerId: string
  readonly sites: ReadonlyArray<Site>
  readonly list: () => ReadonlyArray<Extension>
  readonly get: (id: string) => Extension | undefined
  readonly create: (input: ExtensionInput) => Extension
  readonly update: (id: string, mutate: (extension: Extension) => void) => Extension | undefined
  readonly remove: (id: string) => boolean
  readonly etag: () => string
  readonly customFields: () => ReadonlyArray<CustomFieldDefinition>
  /** Fails with `"limit"` when the account already has {@link maxCustomFields}. */
  readonly createCustomField: (input: { readonly category: string; readonly displayName: string }) => CustomFieldDefinition | "limit"
  readonly updateCustomField: (id: string, displayName: string) => CustomFieldDefinition | undefined
  /** Deletes the fields that exist; returns the ids that were not found. */
  readonly deleteCustomFields: (ids: ReadonlyArray<string>) => ReadonlyArray<string>
  readonly subscribe: (listener: (change: Change) => void) => () => void
  /** Allocates a new id for any record (extensions, phone numbers, custom fields). */
  readonly nextId: () => string
}

/**
 * The derived name of an extension: first + last name for users, else `name`.
 *
 * @since 0.1.0
 * @category getters
 */
export const derivedName = (extension: Pick<Extension, "contact" | "name">): string | undefined => {
  const parts = [extension.contact.firstName, extension.contact.lastName].filter((s) => s !== undefined && s !== "")
  return parts.length > 0 ? parts.join(" ") : extension.name
}

/**
 * Recomputes the lagging derived `name` of an extension.
 *
 * @since 0.1.0
 * @category mutations
 */
export const refreshName = (extension: Extension): void => {
  extension.name = derivedName(extension)
}

const clone = (extension: Extension): Extension => structuredClone(extension)

/**
 * Initial content of a store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Seed {
  readonly accounts: ReadonlyArray<Account>
  readonly federation: Federation
  readonly sites: ReadonlyArray<Site>
  readonly extensions: ReadonlyArray<ExtensionInput>
  readonly customFields?: ReadonlyArray<{ readonly category: string; readonly displayName: string }>
  /** First id to allocate (default 62_000_000_004, RingCentral-like). */
  readonly firstId?: number
}

/**
 * Builds a store from a seed. The first extension is the token owner.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: Seed): Store => {
  let counter = seed.firstId ?? 62_000_000_004
  const nextId = () => {
    counter += 1000
    return String(counter)
  }
  const extensions = new Map<string, Extension>()
  const fields = new Map<string, CustomFieldDefinition>()
  const listeners = new Set<(change: Change) => void>()
  let etagCounter = 1
  const bump = () => {
    etagCounter++
  }
  const emit = (change: Change) => {
    bump()
    for (const listener of listeners) listener(change)
  }
  const account = seed.accounts[0]!
  const build = (input: ExtensionInput): Extension => {
    const id = nextId()
    const contact = { ...input.contact }
    const extension: Extension = {
      id,
      accountId: input.accountId ?? account.id,
      extensionNumber: input.extensionNumber,
      type: input.type ?? "User",
      subType: input.subType,
      status: input.status ?? "Enabled",
      name: input.name,
      contact,
      site: input.site,
      phoneNumbers: (input.phoneNumbers ?? []).map((p) => ({ ...p, id: p.id ?? nextId() })),
      customFields: { ...input.customFields },
      hidden: input.hidden ?? false,
      creationTime: new Date(Date.UTC(2020, 0, 1) + (counter % 100_000) * 60_000).toISOString(),
      version: 1,
      extra: { ...input.extra }
    }
    if (extension.name === undefined) refreshName(extension)
    return extension
  }
  for (const input of seed.extensions) {
    const extension = build(input)
    extensions.set(extension.id, extension)
  }
  for (const field of seed.customFields ?? []) {
    const id = nextId()
    fields.set(id, { id, ...field })
  }
  const ownerId = extensions.keys().next().value ?? account.id
  const resolve = (id: string) => (id === "~" ? ownerId : id)

  return {
    account,
    accounts: seed.accounts,
    federation: seed.federation,
    ownerId,
    sites: seed.sites,
    nextId,
    list: () => [...extensions.values()],
    get: (id) => extensions.get(resolve(id)),
    create: (input) => {
      const extension = build(input)
      extensions.set(extension.id, extension)
      emit({ eventType: "Create", extension: clone(extension) })
      return extension
    },
    update: (id, mutate) => {
      const extension = extensions.get(resolve(id))
      if (extension === undefined) return undefined
      mutate(extension)
      extension.version++
      emit({ eventType: "Update", extension: clone(extension) })
      return extension
    },
    remove: (id) => {
      const extension = extensions.get(resolve(id))
      if (extension === undefined) return false
      extensions.delete(extension.id)
      emit({ eventType: "Delete", extension: clone(extension) })
      return true
    },
    etag: () => `"dir-${etagCounter}"`,
    customFields: () => [...fields.values()],
    createCustomField: (input) => {
      if (fields.size >= maxCustomFields) return "limit"
      const id = nextId()
      const field = { id, category: input.category, displayName: input.displayName }
      fields.set(id, field)
      bump()
      return field
    },
    updateCustomField: (id, displayName) => {
      const field = fields.get(id)
      if (field === undefined) return undefined
      field.displayName = displayName
      bump()
      return field
    },
    deleteCustomFields: (ids) => {
      const missing = ids.filter((id) => !fields.has(id))
      for (const id of ids) {
        if (fields.delete(id)) {
          for (const extension of extensions.values()) delete extension.customFields[id]
        }
      }
      if (missing.length < ids.length) bump()
      return missing
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    }
  }
}
