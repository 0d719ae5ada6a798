/**
 * People-Contacts example: starts the loopback emulator, then creates, lists,
 * updates and deletes contacts through the core `ContactBook` port.
 *
 *   node --conditions=@unified-people/source --import tsx examples/src/people-contacts.ts
 */
import { NodeHttpClient } from "@effect/platform-node"
import { ContactBook, ContactPoint } from "@unified-people/core"
import { PeopleContactsClient, PeopleContactsPeople, People } from "@unified-people/people-contacts"
import * as Emulator from "@unified-people/testkit/PeopleContactsEmulator"
import { Chunk, Console, Effect, Layer, Redacted, Stream } from "effect"

const program = Effect.gen(function*() {
  const book = yield* ContactBook.ContactBook
  const people = yield* People.People
  const person = yield* people.getPerson("1")
  yield* Console.log(`person ${person.id}: ${person.name} <${person.primary_email}>`)

  const mobile = yield* book.create("1", ContactPoint.make({ kind: "phone", value: "+1 (713) 987 2967", label: "mobile" }))
  const email = yield* book.create("1", ContactPoint.make({ kind: "email", value: "Ashok.Kumar@Example.com", label: "personal" }))
  yield* Console.log(`created ${mobile.id} (${mobile.point.normalized}) and ${email.id} (${email.point.normalized})`)

  const refused = yield* Effect.flip(book.create("1", ContactPoint.make({ kind: "chat", value: "https://teams.example/u/1", label: "work" })))
  yield* Console.log(`refused before sending: ${refused.message}`)

  const updated = yield* book.update("1", mobile.id, { point: ContactPoint.make({ kind: "phone", value: "+1 (713) 987 2911", label: "fax" }) })
  yield* Console.log(`updated ${updated.id}: ${updated.point.label} ${updated.point.value}`)

  const all = Chunk.toReadonlyArray(yield* Stream.runCollect(book.list("1")))
  for (const contact of all) {
    yield* Console.log(`  ${contact.id} ${contact.point.kind} ${contact.point.label}${contact.point.customLabel ? `(${contact.point.customLabel})` : ""} ${contact.point.value} integration=${contact.integration ?? "unknown"}`)
  }

  const notOurs = all.find((c) => c.integration === false)
  if (notOurs !== undefined) {
    const guarded = yield* Effect.flip(book.delete("1", notOurs.id))
    yield* Console.log(`not deleted (typed by a person): ${guarded.message}`)
  }

  yield* book.delete("1", email.id)
  yield* book.delete("1", updated.id)
  const left = yield* Stream.runCount(book.list("1"))
  yield* Console.log(`deleted ours; ${left} contact(s) left on person 1`)
  return { created: [mobile, email], refused, updated, listed: all, left }
})

/** Runs the example against a fresh emulator; returns what it did. */
export const main = Effect.gen(function*() {
  const emulator = yield* Emulator.serve({ people: 10 })
  yield* Console.log(`emulator at ${emulator.baseUrl}`)
  const client = PeopleContactsClient.layer({
    baseUrl: emulator.baseUrl,
    token: Redacted.make(emulator.tokens[0]!),
    account: emulator.account
  })
  const result = yield* program.pipe(
    // the port (ContactBook) and an area service (People), both over one client
    Effect.provide(Layer.merge(PeopleContactsPeople.layerContactBook, People.layer).pipe(Layer.provide(client))),
    Effect.provide(NodeHttpClient.layerUndici)
  )
  return { ...result, emulator }
}).pipe(Effect.scoped)

if (import.meta.url === `file://${process.argv[1]}`) {
  Effect.runPromise(main).catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
}
