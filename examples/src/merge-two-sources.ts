/**
 * Merge two sources: the RingCentral directory and the People system's people,
 * read from the loopback emulators, become one person per real person; each
 * merged person records which source every field came from.
 *
 *   node --conditions=@unified-people/source --import tsx examples/src/merge-two-sources.ts
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Connections } from "@unified-people/cli"
import { Merge } from "@unified-people/core"
import { Emulators } from "@unified-people/testkit"
import { Chunk, Console, Effect, Stream } from "effect"

export const main = Effect.gen(function*() {
  const emulators = yield* Emulators.start({ size: 60 })
  const { source, target } = yield* Connections.make(emulators.settings)
  const ringcentral = Chunk.toReadonlyArray(yield* Stream.runCollect(source.stream))
  const people = Chunk.toReadonlyArray(yield* Stream.runCollect(target.stream))

  // names, titles and numbers from RingCentral first; the People system fills the gaps
  const result = Merge.merge([...ringcentral, ...people], { sourcePriority: ["ringcentral", "people-contacts"] })

  for (const person of result.people.filter((p) => p.provenance.length > 1).slice(0, 5)) {
    yield* Console.log(`${person.displayName} (${person.provenance.map((p) => `${p.system}:${p.remoteId}`).join(" + ")})`)
    for (const [field, system] of Object.entries(person.fieldSources ?? {})) yield* Console.log(`  ${field.padEnd(14)} from ${system}`)
    for (const point of person.contactPoints) yield* Console.log(`  ${point.kind} ${point.label} ${point.normalized ?? point.value}`)
  }
  yield* Console.log(`${ringcentral.length} + ${people.length} records → ${result.people.length} people`)
  return { ringcentral: ringcentral.length, people: people.length, result }
}).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))

if (import.meta.url === `file://${process.argv[1]}`) Effect.runPromise(main)
