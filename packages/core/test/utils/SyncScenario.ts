/**
 * A small company for sync-job tests: a RingCentral-like directory, a People
 * directory and its contact book, all in memory (see `Memory.ts`).
 */
import { Effect } from "effect"
import type * as Duration from "effect/Duration"
import type * as RateLimiter from "../../src/RateLimiter.js"
import * as Sync from "../../src/Sync.js"
import type * as SyncState from "../../src/SyncState.js"
import * as Memory from "./Memory.js"

export const RC = "ringcentral"
export const PC = "people-contacts"

export const sourcePeople = () => [
  Memory.person(RC, {
    id: "rc-1",
    given: "Alice",
    family: "Archer",
    points: [
      { kind: "email", value: "Alice@Acme.com", label: "work" },
      { kind: "phone", value: "+1 650 555 0101", label: "work" },
      { kind: "phone", value: "(650) 555-0102", label: "mobile" },
      { kind: "phone", value: "+1 650 555 0103", label: "fax" },
      { kind: "phone", value: "+1 650 555 0100", label: "main" },
      { kind: "phone", value: "call me", label: "work" },
      { kind: "phone", value: "+16505550101", label: "work" }
    ]
  }),
  Memory.person(RC, {
    id: "rc-2",
    given: "Bob",
    family: "Baker",
    employeeNumber: "E-2",
    points: [
      { kind: "email", value: "bob@acme.com", label: "work" },
      { kind: "phone", value: "+1 650 555 0201", label: "work" }
    ]
  }),
  Memory.person(RC, {
    id: "rc-3",
    given: "Carol",
    family: "Cole",
    points: [{ kind: "email", value: "carol@acme.com", label: "work" }]
  }),
  Memory.person(RC, {
    id: "rc-4",
    given: "Dan",
    family: "Dorn",
    points: [
      { kind: "email", value: "dan@acme.com", label: "work" },
      { kind: "phone", value: "+1 650 555 0402", label: "mobile" }
    ]
  })
]

export const targetPeople = () => [
  Memory.person(PC, { id: "p-1", given: "Alice", family: "Archer", points: [{ kind: "email", value: "alice@acme.com" }] }),
  Memory.person(PC, { id: "p-2", given: "Bob", family: "Baker", employeeNumber: "E-2", points: [{ kind: "email", value: "bob.b@acme.com" }] }),
  Memory.person(PC, { id: "p-4", given: "Dan", family: "Dorn", points: [{ kind: "email", value: "dan@acme.com" }] })
]

export interface Scenario {
  readonly source: Memory.MemoryDirectory
  readonly target: Memory.MemoryDirectory
  readonly book: Memory.MemoryContactBook
  /** Contacts people typed in themselves (`integration: false`). */
  readonly typed: { readonly aliceHome: string; readonly aliceOldWork: string; readonly danMobile: string }
  readonly options: (extra?: Partial<Sync.Options>) => Sync.Options
  readonly job: (extra?: Partial<Sync.Options>) => Effect.Effect<Sync.Sync, never, SyncState.SyncState>
}

export const scenario = (
  options: {
    readonly omitIntegration?: boolean
    readonly latency?: Duration.DurationInput
    readonly extraPeople?: number
    readonly limiter?: RateLimiter.Service
    /** People per page of both directories (default 50). */
    readonly pageSize?: number
    /** Give the contact book a batch export and import (largest import in contacts). */
    readonly bulk?: { readonly maxRows?: number } | undefined
  } = {}
): Scenario => {
  const paging = options.pageSize === undefined ? {} : { pageSize: options.pageSize }
  const extra = Array.from({ length: options.extraPeople ?? 0 }, (_, i) => i + 10)
  const source = Memory.directory(RC, [
    ...sourcePeople(),
    ...extra.map((i) =>
      Memory.person(RC, {
        id: `rc-${i}`,
        given: `P${i}`,
        points: [
          { kind: "email", value: `p${i}@acme.com`, label: "work" },
          { kind: "phone", value: `+1 650 555 ${String(1000 + i).slice(-4)}`, label: "work" }
        ]
      })
    )
  ], paging)
  const target = Memory.directory(PC, [
    ...targetPeople(),
    ...extra.map((i) => Memory.person(PC, { id: `p-${i}`, given: `P${i}`, points: [{ kind: "email", value: `p${i}@acme.com` }] }))
  ], paging)
  const book = Memory.contactBook(PC, ["p-1", "p-2", "p-4", ...extra.map((i) => `p-${i}`)], {
    ...(options.omitIntegration === undefined ? {} : { omitIntegration: options.omitIntegration }),
    ...(options.latency === undefined ? {} : { latency: options.latency }),
    ...(options.limiter === undefined ? {} : { limiter: options.limiter }),
    ...(options.bulk === undefined ? {} : { bulk: { directory: target, ...options.bulk } })
  })
  const typed = {
    aliceHome: book.seed("p-1", { kind: "phone", value: "+1 650 555 0199", label: "home", integration: false }),
    aliceOldWork: book.seed("p-1", { kind: "phone", value: "+1 650 555 0198", label: "work", integration: false }),
    danMobile: book.seed("p-4", { kind: "phone", value: "650-555-0402", label: "mobile", integration: false })
  }
  const opts = (more: Partial<Sync.Options> = {}): Sync.Options => ({
    source: source.service,
    target: target.service,
    contacts: book.service,
    ...more
  })
  return { source, target, book, typed, options: opts, job: (more) => Sync.make(opts(more)) }
}

/** The contacts of the scenario's people after an uninterrupted first run. */
export const expectedAfterFirstRun = {
  "p-1": [
    ["email", "alice@acme.com", "work", true],
    ["phone", "+1 650 555 0198", "work", false],
    ["phone", "+1 650 555 0199", "home", false],
    ["phone", "+16505550101", "work", true],
    ["phone", "+16505550102", "mobile", true],
    ["phone", "+16505550103", "fax", true]
  ],
  "p-2": [
    ["email", "bob@acme.com", "work", true],
    ["phone", "+16505550201", "work", true]
  ],
  "p-4": [
    ["email", "dan@acme.com", "work", true],
    ["phone", "650-555-0402", "mobile", false]
  ]
}

/** Runs a job to completion. */
export const runOnce = (s: Scenario, extra?: Partial<Sync.Options>) => Effect.flatMap(s.job(extra), (job) => job.run)
