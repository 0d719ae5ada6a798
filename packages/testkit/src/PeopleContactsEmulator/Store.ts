/**
 * The People-Contacts emulator's in-memory state: people (wire field names) and
 * their contacts, seeded by a generator (thousands of people if asked), with
 * direct access for tests: add a person or a contact without validation, add
 * generated valid contacts, read and delete a person's contacts; when each
 * person last changed (what an export `from` a time reads).
 *
 * @since 0.1.0
 */
import * as Generator from "../Generator.js"
import * as Rules from "./Rules.js"

/**
 * A stored contact.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredContact {
  readonly id: number
  personId: number
  label: string
  email?: string
  telephone?: string
  chat?: string
  website?: string
  integration: boolean
  verified: boolean
  readonly nodeID: string
}

/**
 * A stored person (wire field names).
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredPerson {
  readonly id: number
  name: string
  primary_email: string
  employeeID: string | null
  sourceID: string | null
  supportID: string | null
  authenticationID: string | null
  source: string | null
  job_title: string | null
  location: string | null
  organization: { readonly id: number; readonly name: string } | null
  site: { readonly id: number; readonly name: string } | null
  manager: { readonly id: number; readonly name: string } | null
  disabled: boolean
  vip: boolean
  cost_per_hour: string | null
  picture_uri: string | null
  custom_fields: ReadonlyArray<{ readonly id: string; readonly value: unknown }> | null
  created_at: string
  updated_at: string
  readonly nodeID: string
}

/**
 * The people and contacts of an emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Store {
  readonly people: Map<number, StoredPerson>
  readonly contacts: Map<number, StoredContact>
  /** Adds a person; the fields not given are generated. */
  readonly addPerson: (fields?: Partial<Omit<StoredPerson, "id" | "nodeID">>) => StoredPerson
  /** Adds a contact to a person directly (no validation: any label can be stored). */
  readonly addContact: (personId: number, fields: Partial<Omit<StoredContact, "id" | "nodeID" | "personId">>) => StoredContact
  /** Adds `count` generated valid contacts to a person. */
  readonly addGeneratedContacts: (personId: number, count: number) => ReadonlyArray<StoredContact>
  /** The contacts of a person, oldest first. */
  readonly contactsOf: (personId: number) => ReadonlyArray<StoredContact>
  /** Deletes one contact of a person. */
  readonly deleteContact: (personId: number, contactId: number) => void
  /** Deletes every contact of a person. */
  readonly deleteContacts: (personId: number) => void
  /**
   * When each person or one of their contacts last changed (the store's clock,
   * milliseconds): set by every write through the store and by {@link Store.touch}.
   * Direct edits of the `people` / `contacts` maps are not seen.
   */
  readonly changedAt: ReadonlyMap<number, number>
  /** Records a change of a person (or of one of their contacts) now. */
  readonly touch: (personId: number) => void
  /** The store's clock (milliseconds). */
  readonly clock: () => number
}

/**
 * What to generate.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** People to generate (default 25). */
  readonly people?: number
  /** The generator seed (default 4). */
  readonly seed?: number
  /** Generated contacts per person: 0 up to this many (default 3). */
  readonly maxContactsPerPerson?: number
  /**
   * The clock changes are stamped with and the bulk jobs read (milliseconds;
   * default `Date.now`). A test can pass a counter to make `from` exact.
   */
  readonly clock?: () => number
}

const givenNames = ["Ashok", "Barney", "Chess", "Ed", "Tom", "Howard", "Ellen", "Mia", "Noor", "Olga", "Pablo", "Rita", "Sven", "Yuki"]
const familyNames = ["Kumar", "Turban", "Cole", "Turner", "Peterson", "Tanner", "Brown", "Garcia", "Haddad", "Ivanova", "Lopez", "Moreau"]
const organizations = [
  { id: 30, name: "Widget Data Center, External IT" },
  { id: 31, name: "Widget International" },
  { id: 32, name: "Widget Finance" }
]
const sites = [{ id: 13, name: "Widget Data Center" }, { id: 14, name: "Widget Headquarters" }]

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64").replace(/=+$/, "")

/**
 * Builds a store holding `options.people` generated people, each with 0 up to
 * `options.maxContactsPerPerson` generated valid contacts; the same seed gives
 * the same people.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Store => {
  const random = Generator.random(options.seed ?? 4).next
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!

  const people = new Map<number, StoredPerson>()
  const contacts = new Map<number, StoredContact>()
  const byPerson = new Map<number, Array<number>>()
  let nextPersonId = 1
  let nextContactId = 1000
  const clock = options.clock ?? Date.now
  const changedAt = new Map<number, number>()
  const touch = (personId: number) => {
    changedAt.set(personId, clock())
  }

  const addPerson = (fields: Partial<Omit<StoredPerson, "id" | "nodeID">> = {}): StoredPerson => {
    const id = nextPersonId++
    const given = pick(givenNames)
    const family = pick(familyNames)
    const day = String(1 + (id % 28)).padStart(2, "0")
    const person: StoredPerson = {
      id,
      name: `${given} ${family}`,
      primary_email: `${given}.${family}.${id}@widget.example`.toLowerCase(),
      employeeID: id % 7 === 0 ? null : `E${String(id).padStart(5, "0")}`,
      sourceID: id % 3 === 0 ? `hr-${id}` : null,
      supportID: null,
      authenticationID: null,
      source: id % 3 === 0 ? "hr" : null,
      job_title: pick(["Trainee", "Engineer", "Analyst", null]),
      location: null,
      organization: pick(organizations),
      site: pick(sites),
      manager: id === 1 ? null : { id: 1, name: "Howard Tanner" },
      disabled: id % 13 === 0,
      vip: false,
      cost_per_hour: "80.0",
      picture_uri: null,
      custom_fields: null,
      created_at: `2016-03-${day}T03:09:55-06:00`,
      updated_at: `2016-03-${day}T03:10:31-06:00`,
      nodeID: b64(`emulator/Person/${id}`),
      ...fields
    }
    people.set(id, person)
    byPerson.set(id, [])
    touch(id)
    return person
  }

  const addContact = (personId: number, fields: Partial<Omit<StoredContact, "id" | "nodeID" | "personId">>): StoredContact => {
    const id = nextContactId++
    const contact: StoredContact = { id, personId, label: "work", integration: false, verified: false, nodeID: b64(`emulator/Contact/${id}`), ...fields }
    contacts.set(id, contact)
    const list = byPerson.get(personId) ?? []
    list.push(id)
    byPerson.set(personId, list)
    touch(personId)
    return contact
  }

  const generatedContact = (personId: number, n: number): Partial<StoredContact> => {
    const field = pick(Rules.valueFields)
    const labels = Rules.knownLabels.filter((label) => Rules.isAllowed(label, field))
    const value = field === "telephone"
      ? `+1 (713) ${String(100 + Math.floor(random() * 900))} ${String(1000 + ((personId * 31 + n) % 9000))}`
      : field === "email"
      ? `person${personId}.c${n}@mail.example`
      : field === "chat"
      ? `https://chat.example/u/${personId}-${n}`
      : `www.person${personId}-${n}.example`
    return { label: pick(labels), [field]: value, integration: random() < 0.5, verified: random() < 0.3 }
  }

  const addGeneratedContacts = (personId: number, count: number) =>
    Array.from({ length: count }, (_, n) => addContact(personId, generatedContact(personId, n)))

  const contactsOf = (personId: number) => (byPerson.get(personId) ?? []).map((id) => contacts.get(id)!).filter((c) => c !== undefined)

  const maxContacts = options.maxContactsPerPerson ?? 3
  for (let i = 0; i < (options.people ?? 25); i++) {
    const person = addPerson()
    addGeneratedContacts(person.id, Math.floor(random() * (maxContacts + 1)))
  }

  return {
    people,
    contacts,
    addPerson,
    addContact,
    addGeneratedContacts,
    contactsOf,
    deleteContact: (personId, contactId) => {
      contacts.delete(contactId)
      byPerson.set(personId, (byPerson.get(personId) ?? []).filter((id) => id !== contactId))
      touch(personId)
    },
    deleteContacts: (personId) => {
      for (const id of byPerson.get(personId) ?? []) contacts.delete(id)
      byPerson.set(personId, [])
      touch(personId)
    },
    changedAt,
    touch,
    clock
  }
}
