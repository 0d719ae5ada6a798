/**
 * `npm run demo`: the sync job on both emulators, end to end (see
 * `@unified-people/cli/Demo`). Set `DEMO_SIZE` for another directory size.
 */
import { NodeHttpClient } from "@effect/platform-node"
import * as Demo from "@unified-people/cli/Demo"
import * as Output from "@unified-people/cli/Output"
import { Effect, Layer } from "effect"

/** Runs the demo and returns what it measured. */
export const main = (options: Demo.Options = {}) =>
  Demo.run(options).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeHttpClient.layerUndici, Output.layerProcess)))

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = process.env.DEMO_SIZE === undefined ? undefined : Number(process.env.DEMO_SIZE)
  Effect.runPromise(main(size === undefined ? {} : { size })).then(
    (result) => {
      const writes = result.steps.map((s) => s.peopleWrites)
      process.exitCode = writes[1] === 0 && writes[2] === 0 && result.ownContacts.unchanged ? 0 : 1
    },
    (error) => {
      console.error(`Error: ${error instanceof Error ? error.message : String(error)}`)
      process.exitCode = 1
    }
  )
}
