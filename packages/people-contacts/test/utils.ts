import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Redacted } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Emulator from "../src/Emulator.js"
import * as PeopleContactsClient from "../src/PeopleContactsClient.js"

/** Reads a fixture copied from the shared samples. */
export const fixture = (name: string): string => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8")

/** Reads a JSON fixture. */
export const fixtureJson = (name: string): unknown => JSON.parse(fixture(name))

/** An emulator and a client pointed at it, with fast retries. */
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
    return { emulator, client, provide: Effect.provideService(PeopleContactsClient.PeopleContactsClient, client) }
  })

/** The Node HTTP client used by every test. */
export const HttpLive = NodeHttpClient.layerUndici
