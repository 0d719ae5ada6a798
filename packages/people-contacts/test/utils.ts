import { NodeHttpClient } from "@effect/platform-node"
import { Chunk, Clock, Duration, Effect, Fiber, Redacted, TestClock } from "effect"
import type { Exit } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Emulator from "@unified-people/testkit/PeopleContactsEmulator"
import * as Contacts from "../src/Contacts.js"
import * as People from "../src/People.js"
import * as PeopleContactsClient from "../src/PeopleContactsClient.js"

/** Reads a fixture copied from the shared samples. */
export const fixture = (name: string): string => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8")

/** Reads a JSON fixture. */
export const fixtureJson = (name: string): unknown => JSON.parse(fixture(name))

/** An emulator, a client pointed at it (with fast retries) and the area services over the client. */
export const setup = (
  options: {
    readonly emulator?: Emulator.Options
    readonly client?: Partial<PeopleContactsClient.Options>
  } = {}
) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.serve(options.emulator)
    const client = yield* PeopleContactsClient.make({
      baseUrl: emulator.baseUrl,
      token: Redacted.make(emulator.tokens[0]!),
      account: emulator.account,
      retry: { base: "5 millis", cap: "40 millis", times: 4 },
      ...options.client
    })
    const provide = Effect.provideService(PeopleContactsClient.PeopleContactsClient, client)
    // the area services over the client
    const contacts = yield* provide(Contacts.make)
    const people = yield* provide(People.make)
    return { emulator, client, provide, contacts, people }
  })

/** The Node HTTP client used by every test. */
export const HttpLive = NodeHttpClient.layerUndici

/** Waits `millis` of real time (the sockets are real, whatever the Clock). */
export const realPause = (millis: number): Effect.Effect<void> =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/**
 * Runs a fiber to its end under the TestClock: real time for the sockets, and
 * test time moved to the next sleep when one is due within `horizon` (backoffs,
 * penalties, windows), never to the far-off per-attempt timeouts.
 */
export const drive = <A, E>(fiber: Fiber.RuntimeFiber<A, E>, horizon: Duration.DurationInput = "10 seconds"): Effect.Effect<Exit.Exit<A, E>> =>
  Effect.gen(function*() {
    const limit = Duration.toMillis(horizon)
    for (let i = 0; i < 4000; i++) {
      if (fiber.unsafePoll() !== null) return yield* Fiber.await(fiber)
      const now = yield* Clock.currentTimeMillis
      const next = Chunk.toReadonlyArray(yield* TestClock.sleeps()).filter((t) => t - now <= limit).sort((a, b) => a - b)[0]
      if (next !== undefined) yield* TestClock.adjust(Duration.millis(Math.max(0, next - now)))
      else yield* realPause(5)
    }
    return yield* Effect.dieMessage("the fiber never ended")
  })
