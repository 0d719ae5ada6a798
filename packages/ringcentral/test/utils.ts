import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as Emulator from "../src/Emulator.js"
import * as RingCentralClient from "../src/RingCentralClient.js"

export const fixture = (name: string): string => readFileSync(join(__dirname, "fixtures", name), "utf8")
export const fixtureJson = (name: string): unknown => JSON.parse(fixture(name))

/** An emulator and a client pointed at it (limits scaled like the emulator's). */
export const setup = (
  options: Emulator.Options = {},
  overrides: Partial<RingCentralClient.Options> = {}
): Effect.Effect<
  { readonly emulator: Emulator.Emulator; readonly client: RingCentralClient.Service },
  HttpServerError.ServeError,
  Scope.Scope | HttpClient.HttpClient
> =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ scale: 0.01, ...options })
    const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator, overrides))
    return { emulator, client }
  })
