import { describe, expect, it } from "@effect/vitest"
import * as Sync from "@unified-people/core/Sync"
import { Effect, SubscriptionRef } from "effect"
import * as Output from "../src/Output.js"
import * as Progress from "../src/Progress.js"

const initial: Sync.Progress = { ...Sync.initialProgress, phase: "reading" }

const drive = (interactive: boolean) =>
  Effect.gen(function*() {
    const output = Output.memory({ interactive })
    const progress = yield* SubscriptionRef.make(initial)
    yield* Effect.scoped(
      Effect.gen(function*() {
        yield* Progress.track(progress, { interval: "30 millis" })
        yield* Effect.sleep("80 millis")
        yield* SubscriptionRef.update(progress, (p): Sync.Progress => ({ ...p, phase: "planning", peopleRead: 10, calls: { ...p.calls, source: 1 } }))
        yield* Effect.sleep("80 millis")
        yield* SubscriptionRef.update(progress, (p): Sync.Progress => ({ ...p, phase: "applying", peoplePlanned: 10, actionsPlanned: 5, writes: 2 }))
        yield* Effect.sleep("80 millis")
        yield* SubscriptionRef.update(progress, (p): Sync.Progress => ({ ...p, phase: "done", peopleApplied: 10, writes: 5, rateLimitWaits: 3 }))
      }).pipe(Effect.provide(output.layer))
    )
    return output
  })

describe("Progress", () => {
  it("formats every counter on one line", () => {
    expect(Progress.format({ ...initial, phase: "applying", peopleRead: 7, writes: 3, actionsPlanned: 9, retries: 2, rateLimitWaits: 4 })).toBe(
      "[applying] people: 7 read, 0 planned, 0 applied (0 matched, 0 unmatched) · calls: directory 0, people 0, contacts 0 · " +
        "writes 3/9 · failures 0 · retries 2 · rate-limit waits 4"
    )
  })

  it.live("prints plain lines when stderr is not a terminal: each phase, and the final state once", () =>
    Effect.gen(function*() {
      const output = yield* drive(false)
      const lines = output.stderr().trimEnd().split("\n")
      expect(lines.map((l) => /^\[(\w+)\]/.exec(l)?.[1])).toEqual(["reading", "planning", "applying", "done"])
      expect(lines.at(-1)).toContain("writes 5/5")
      expect(output.stderr()).not.toContain("\r")
      expect(output.stdout()).toBe("")
    }))

  it.live("redraws one line on a terminal and ends it when the run ends", () =>
    Effect.gen(function*() {
      const output = yield* drive(true)
      const text = output.stderr()
      expect(text.startsWith("\r\x1b[2K[reading]")).toBe(true)
      expect(text.split("\n")).toHaveLength(2)
      expect(text.endsWith("rate-limit waits 3\n")).toBe(true)
      expect(text).toContain("\r\x1b[2K[applying]")
    }))
})
