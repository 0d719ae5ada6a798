import { describe, expect, it } from "@effect/vitest"
import * as PeopleError from "@unified-people/core/PeopleError"
import { ConfigError, Effect } from "effect"
import * as PromiseApi from "../src/PromiseApi.js"
import { HttpLive, setup } from "./utils.js"

describe("PromiseApi", () => {
  it.scopedLive("connects from plain variables; rejects with the library's error classes; streams are async iterables", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 20 })
      const up = yield* Effect.promise(() => PromiseApi.connect({ env: env.env }))
      yield* Effect.addFinalizer(() => Effect.promise(() => up.close()))
      const result = yield* Effect.promise(async () => {
        const names: Array<string> = []
        for await (const person of up.directory.people()) names.push(person.displayName)
        const missing = await up.people.get("999999").then(() => undefined, (error: unknown) => error)
        const plan = await up.plan()
        const report = await up.sync()
        const again = await up.sync()
        return { names, missing, plan, report, again }
      })
      expect(result.names).toHaveLength(20)
      expect(result.missing).toBeInstanceOf(PeopleError.NotFound)
      expect(result.missing).toBeInstanceOf(Error)
      expect((result.missing as PeopleError.NotFound).isRetryable).toBe(false)
      expect(result.plan.mode).toBe("full")
      expect(result.report.summary.created).toBe(result.plan.people.reduce((n, p) => n + p.actions.length, 0))
      expect(result.again.plan.unchanged).toBe(true)
    }).pipe(Effect.provide(HttpLive)))

  it.effect("a configuration that is missing a variable rejects connect itself", () =>
    Effect.gen(function*() {
      const error = yield* Effect.promise(() => PromiseApi.connect({ env: {} }).then(() => undefined, (e: unknown) => e))
      expect(ConfigError.isConfigError(error)).toBe(true)
    }))
})
