/**
 * A seeded generator of realistic company directories for the emulator: users
 * with names, e-mails, departments, job titles, sites and numbers, some sharing
 * the company main number, some numbers without `type`, Department (call queue)
 * entries with only a `name`, a few disabled / not activated users, and entries
 * of a second, federated account.
 *
 * @since 0.1.0
 */
import * as Generator from "../Generator.js"
import type * as Store from "./Store.js"

/**
 * A deterministic PRNG (mulberry32).
 *
 * @since 0.1.0
 * @category constructors
 */
export const prng = (seed: number): (() => number) => Generator.random(seed).next

const firstNames = [
  "Alice", "Bob", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kira", "Liam", "Maya", "Noah",
  "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Ana", "Ben", "Chloe",
  "Diego", "Emma", "Felix", "Hana", "Ivan", "Jun", "Lena", "Marco", "Nadia", "Oscar", "Priya", "Ravi", "Sofia", "Tomas"
]
const lastNames = [
  "Smith", "Johnson", "Garcia", "Nguyen", "Müller", "Rossi", "Kim", "Patel", "Okafor", "Dubois", "Silva", "Cohen",
  "Tanaka", "Ivanova", "Brown", "Lopez", "Wilson", "Khan", "Novak", "Larsen", "O'Brien", "Fischer", "Moreau", "Sato",
  "Haddad", "Costa", "Jensen", "Walker", "Ali", "Schmidt", "Park", "Reyes", "Bianchi", "Young", "Hill", "Ward"
]
const departments = ["Sales", "Support", "Engineering", "Finance", "Marketing", "Operations", "Legal", "HR"]
const titles: Readonly<Record<string, ReadonlyArray<string>>> = {
  Sales: ["Account Executive", "Sales Manager", "SDR"],
  Support: ["Support Engineer", "Support Lead"],
  Engineering: ["Software Engineer", "Staff Engineer", "Engineering Manager"],
  Finance: ["Accountant", "Controller"],
  Marketing: ["Marketing Manager", "Content Writer"],
  Operations: ["Operations Analyst", "Office Manager"],
  Legal: ["Counsel", "Paralegal"],
  HR: ["Recruiter", "HR Partner"]
}
const areaCodes = ["650", "415", "408", "212", "617", "312", "206", "303", "512", "720", "205", "404"]

/**
 * Options of {@link seed}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Number of directory entries (default 200). */
  readonly size?: number
  /** PRNG seed (default 1). */
  readonly seed?: number
  /** Share of entries in the federated second account (default 0.15; 0 for none). */
  readonly federatedShare?: number
}

/**
 * Generates the seed of a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const seed = (options: Options = {}): Store.Seed => {
  const random = prng(options.seed ?? 1)
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!
  const size = options.size ?? 200
  const federatedShare = options.federatedShare ?? 0.15
  const usedNumbers = new Set<string>()
  const number = (area: string): string => {
    for (;;) {
      const exchange = 200 + Math.floor(random() * 700)
      if (exchange === 555 || exchange % 100 === 11) continue
      const line = String(Math.floor(random() * 10_000)).padStart(4, "0")
      const n = `+1${area}${exchange}${line}`
      if (!usedNumbers.has(n)) {
        usedNumbers.add(n)
        return n
      }
    }
  }
  const accounts: Array<Store.Account> = [
    {
      id: "400131426008",
      companyName: "Example Holdings",
      federatedName: "Example Federation",
      mainNumber: number("650"),
      linkCreationTime: "2021-03-01T09:00:00Z",
      conflictCount: 0
    },
    {
      id: "400248807008",
      companyName: "Example Labs",
      federatedName: "Example Federation",
      mainNumber: number("415"),
      linkCreationTime: "2022-06-09T10:29:43Z",
      conflictCount: 3
    }
  ]
  const sites: Array<Store.Site> = [
    { id: "main-site", name: "Headquarters" },
    { id: "872781797006", name: "West branch", code: "1007" },
    { id: "872781820006", name: "East branch", code: "1008" }
  ]
  const extensions: Array<Store.ExtensionInput> = []
  for (let i = 0; i < size; i++) {
    const federated = federatedShare > 0 && random() < federatedShare
    const account = federated ? accounts[1]! : accounts[0]!
    const site = pick(sites)
    const extensionNumber = String(101 + i)
    if (i % 25 === 24) {
      const department = pick(departments)
      const withNumber = random() < 0.6
      extensions.push({
        accountId: account.id,
        extensionNumber,
        type: "Department",
        name: `${department} queue ${Math.floor(i / 25) + 1}`,
        site,
        phoneNumbers: withNumber ? [{ phoneNumber: number(pick(areaCodes)), usageType: "DirectNumber", type: "VoiceFax" }] : []
      })
      continue
    }
    const firstName = pick(firstNames)
    const lastName = pick(lastNames)
    const department = pick(departments)
    const emailLocal = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, "")
    const domain = federated ? "labs.example.com" : "example.com"
    const phoneNumbers: Array<Omit<Store.PhoneNumber, "id">> = []
    const r = random()
    if (r < 0.1) {
      // shares the company main number instead of having a direct one
      phoneNumbers.push({ phoneNumber: account.mainNumber, usageType: "MainCompanyNumber", type: "VoiceFax" })
    } else {
      phoneNumbers.push({
        phoneNumber: number(pick(areaCodes)),
        usageType: "DirectNumber",
        primary: true,
        ...(r < 0.2 ? {} : { type: r < 0.3 ? "VoiceOnly" : "VoiceFax" })
      })
    }
    if (random() < 0.3) phoneNumbers.push({ phoneNumber: number(pick(areaCodes)), usageType: "MobileNumber" })
    if (random() < 0.15) phoneNumbers.push({ phoneNumber: number(pick(areaCodes)), usageType: "ContactNumber" })
    if (random() < 0.05) phoneNumbers.push({ phoneNumber: number(pick(areaCodes)), usageType: "CompanyFaxNumber", type: "FaxOnly" })
    const statusRoll = random()
    extensions.push({
      accountId: account.id,
      extensionNumber,
      type: random() < 0.05 ? "DigitalUser" : "User",
      status: statusRoll < 0.05 ? "Disabled" : statusRoll < 0.08 ? "NotActivated" : "Enabled",
      contact: {
        firstName,
        lastName,
        email: `${emailLocal}${i}@${domain}`,
        company: account.companyName,
        department,
        jobTitle: pick(titles[department] ?? ["Employee"])
      },
      site,
      phoneNumbers
    })
  }
  return {
    accounts,
    federation: {
      id: "1721008",
      displayName: "Example Federation",
      type: "Regular",
      creationTime: "2021-03-01T09:00:00Z",
      lastModifiedTime: "2022-06-09T10:29:43Z"
    },
    sites,
    extensions
  }
}
