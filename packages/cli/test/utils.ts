/**
 * End-to-end test helpers: both emulators with one company, the connections
 * pointed at them, a sync job over an in-memory state, the People system's
 * contacts as plain rows, and a webhook receiver for directory events.
 */
import { NodeHttpClient } from "@effect/platform-node"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Loopback from "@unified-people/testkit/Loopback"
import type * as PeopleEmulator from "@unified-people/testkit/PeopleContactsEmulator"
import * as Events from "@unified-people/ringcentral/Events"
import { Effect, Queue, Redacted } from "effect"
import * as Connections from "../src/Connections.js"
import * as DirectoryEvents from "../src/DirectoryEvents.js"
import * as Emulators from "@unified-people/testkit/Emulators"

/** The Node HTTP client of every test. */
export const HttpLive = NodeHttpClient.layerUndici

/** Rate limits of both emulators and clients, scaled down. */
export const scale = 0.001

/** Both emulators, the connections and a job factory over one in-memory state. */
export const setup = (options: Emulators.Options = {}) =>
  Effect.gen(function*() {
    const emulators = yield* Emulators.start({ size: 50, scale, ...options })
    const connections = yield* Connections.make(emulators.settings)
    const state = yield* SyncState.makeMemory
    const job = (overrides: Partial<Sync.Options> = {}) =>
      Sync.make({ ...connections, concurrency: 6, ...overrides }).pipe(Effect.provideService(SyncState.SyncState, state))
    return { ...emulators, connections, state, job }
  })

/** A contact of the People emulator as a comparable row. */
export interface Row {
  readonly id: number
  readonly personId: number
  readonly label: string
  readonly value: string
  readonly integration: boolean
}

/** Every contact of the People emulator. */
export const rows = (people: PeopleEmulator.Emulator): ReadonlyArray<Row> =>
  [...people.contacts.values()].map((c) => ({
    id: c.id,
    personId: c.personId,
    label: c.label,
    value: c.email ?? c.telephone ?? c.chat ?? c.website ?? "",
    integration: c.integration
  }))

/** The contacts per person without ids, sorted: two runs converged when these are equal. */
export const endState = (people: PeopleEmulator.Emulator): Record<number, ReadonlyArray<string>> => {
  const out: Record<number, Array<string>> = {}
  for (const r of rows(people)) (out[r.personId] ??= []).push(`${r.label}|${r.value}|${r.integration}`)
  for (const list of Object.values(out)) list.sort()
  return out
}

/** The writes the People emulator received. */
export const writes = (people: PeopleEmulator.Emulator) => people.requests().filter((r) => r.method !== "GET")

/** Keeps only digits (and a leading +) of a phone number. */
export const digits = (value: string) => value.replace(/[^\d]/g, "")

/** The webhook's changes as the job's directory events. */
export const toDirectoryEvents = DirectoryEvents.fromChanges

/**
 * The RingCentral adapter's webhook served on loopback, its changes queued.
 */
export const webhookReceiver = (verificationToken: string) =>
  Effect.gen(function*() {
    const changes = yield* Queue.unbounded<Events.ContactChange>()
    const hook = yield* Events.webhook({
      verificationToken: Redacted.make(verificationToken),
      onChange: (change) => Queue.offer(changes, change)
    })
    const server = yield* Loopback.serve(hook.app)
    return { address: `${server.url}/webhook`, changes, stats: hook.stats }
  })
