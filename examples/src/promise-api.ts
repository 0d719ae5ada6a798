/**
 * For code that does not use Effect: `PromiseApi.connect` gives plain `async`
 * functions and async iterables over both systems. Errors reject with the
 * library's own classes, so `instanceof NotFound` works. (The loopback
 * emulators are started here for the example; with real systems, call
 * `PromiseApi.connect()` and it reads RINGCENTRAL_* and PEOPLE_CONTACTS_* from
 * the environment.)
 *
 *   node --conditions=@unified-people/source --import tsx examples/src/promise-api.ts
 */
import { NodeHttpClient } from "@effect/platform-node"
import { PromiseApi } from "@unified-people/cli"
import { PeopleError, type Person } from "@unified-people/core"
import { Emulators } from "@unified-people/testkit"
import { Effect, Exit, Scope } from "effect"

export const main = async () => {
  const scope = Effect.runSync(Scope.make())
  const emulators = await Effect.runPromise(Emulators.start({ size: 40 }).pipe(Scope.extend(scope), Effect.provide(NodeHttpClient.layerUndici)))
  const up = await PromiseApi.connect({ settings: emulators.settings })
  try {
    const people: Array<Person.Person> = []
    for await (const person of up.directory.people()) people.push(person)
    const email = people.flatMap((p) => p.contactPoints).find((p) => p.kind === "email")!.value
    const found: Array<Person.Person> = []
    for await (const person of up.people.search({ email })) found.push(person)
    console.log(`${people.length} people in the directory; ${email} in the People system: ${found.map((p) => p.displayName).join(", ")}`)
    const missing = await up.people.get("999999").catch((error: unknown) => error)
    console.log(`get 999999: ${missing instanceof PeopleError.NotFound ? `not found (${missing.message})` : "found"}`)
    const report = await up.sync()
    console.log(`sync: ${report.summary.status}, ${report.summary.created} contacts created`)
    return { people, email, found, missing, report }
  } finally {
    await up.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main()
