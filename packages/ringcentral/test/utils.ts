import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type * as Exit from "effect/Exit"
import * as TestClock from "effect/TestClock"
import type * as Scope from "effect/Scope"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import * as CustomFields from "../src/CustomFields.js"
import * as Directory from "../src/Directory.js"
import * as Events from "../src/Events.js"
import * as Extensions from "../src/Extensions.js"
import * as ProfileImages from "../src/ProfileImages.js"
import * as Provisioning from "../src/Provisioning.js"
import * as RingCentralClient from "../src/RingCentralClient.js"

export const fixture = (name: string): string => readFileSync(join(__dirname, "fixtures", name), "utf8")
export const fixtureJson = (name: string): unknown => JSON.parse(fixture(name))

/** The area services over a client. */
export interface Areas {
  readonly directory: Directory.Service
  readonly customFields: CustomFields.Service
  readonly events: Events.Service
  readonly extensions: Extensions.Service
  readonly profileImages: ProfileImages.Service
  readonly provisioning: Provisioning.Service
}

/** Builds every area service over a client (each area's `make`). */
export const areas = (client: RingCentralClient.Service): Effect.Effect<Areas> =>
  Effect.all({
    directory: Directory.make,
    customFields: CustomFields.make,
    events: Events.make,
    extensions: Extensions.make,
    profileImages: ProfileImages.make,
    provisioning: Provisioning.make
  }).pipe(Effect.provideService(RingCentralClient.RingCentralClient, client))

/** An emulator, a client pointed at it (limits scaled like the emulator's) and the area services over the client. */
export const setup = (
  options: Emulator.Options = {},
  overrides: Partial<RingCentralClient.Options> = {}
): Effect.Effect<
  { readonly emulator: Emulator.Emulator; readonly client: RingCentralClient.Service } & Areas,
  HttpServerError.ServeError,
  Scope.Scope | HttpClient.HttpClient
> =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ scale: 0.01, ...options })
    const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator, overrides))
    return { emulator, client, ...(yield* areas(client)) }
  })

/** Waits `millis` of real time (the sockets are real, whatever the Clock). */
export const realPause = (millis: number): Effect.Effect<void> =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/**
 * Waits in real time until `done` holds, running `step` (for example a
 * TestClock adjustment) between checks. The bound only keeps a broken test from
 * hanging; nothing is asserted about speed.
 */
export const until = (done: Effect.Effect<boolean>, step: () => Effect.Effect<void> = () => Effect.void): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (let i = 0; i < 4000; i++) {
      if (yield* done) return
      yield* step()
      yield* realPause(5)
    }
    return yield* Effect.dieMessage("the condition was never reached")
  })

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
