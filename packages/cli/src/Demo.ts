/**
 * The demo behind `npm run demo`: both emulators on loopback with a generated
 * company, the sync job run twice (the first in bulk mode: one export reads
 * the People system, one import writes it; the second makes no writes), a full
 * re-check (by one export), changes made through the RingCentral emulator, a run that writes
 * just the affected people, a webhook directory event applied to just the
 * person it names, and a run on an unchanged directory (one directory call, no
 * People calls), printed as a readable report. No network, no
 * account; rate limits scaled down; state in a temporary SQLite file.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as SqliteState from "./SqliteState.js"
import * as Loopback from "@unified-people/testkit/Loopback"
import * as Emulators from "@unified-people/testkit/Emulators"
import * as RingCentralEmulator from "@unified-people/testkit/RingCentralEmulator"
import * as Events from "@unified-people/ringcentral/Events"
import * as RingCentralClient from "@unified-people/ringcentral/RingCentralClient"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Connections from "./Connections.js"
import * as DirectoryEvents from "./DirectoryEvents.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Directory entries (default 2000, at least 100). */
  readonly size?: number
  /** Rate-limit scale of both sides (default 0.001). */
  readonly scale?: number
  /** People synced at once (default 16). */
  readonly concurrency?: number
  /** Show the progress display (default true). */
  readonly progress?: boolean
}

/**
 * One step of the demo, as measured on the emulators.
 *
 * @since 0.1.0
 * @category models
 */
export interface Step {
  readonly title: string
  readonly summary: Sync.Summary
  readonly ringcentralCalls: number
  readonly peopleCalls: number
  readonly peopleWrites: number
  /** People whose contacts were written. */
  readonly peopleWritten: number
  /** How the People system's contacts were read: one `export`, or person by person (`rest`); absent when nothing was read. */
  readonly readBy?: "export" | "rest" | undefined
  /** Batch imports uploaded (the bulk mode's writes). */
  readonly imports: number
  readonly millis: number
}

/**
 * What the demo did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  readonly company: { readonly directory: number; readonly people: number; readonly matched: number; readonly personalContacts: number }
  readonly steps: ReadonlyArray<Step>
  /** Contacts people typed themselves (`integration: false`) before and after. */
  readonly ownContacts: { readonly before: number; readonly after: number; readonly unchanged: boolean }
  /** Where the sync state was kept. */
  readonly store: string
  readonly millis: number
}

const ownContacts = (emulators: Emulators.Emulators) =>
  [...emulators.people.contacts.values()].filter((c) => !c.integration).map((c) => JSON.stringify(c)).sort()

const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`

/**
 * Runs the demo, printing as it goes.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (options: Options = {}): Effect.Effect<Result, Sync.SyncError, Output.Output | HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const started = Date.now()
    const size = Math.max(100, options.size ?? 2000)
    const scale = options.scale ?? 0.001
    const say = Output.line
    // the core limiter's default margin: at this scale the People burst window is 2 ms, and a
    // larger margin would make the client, not the emulated limits, the bottleneck
    const emulators = yield* Emulators.start({ size, scale, rateLimitMargin: (w) => w * 0.02 + 25 }).pipe(Effect.orDie)
    const connections = yield* Connections.make(emulators.settings)
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "unified-people-demo-"))),
      (d) => Effect.sync(() => fs.rmSync(d, { recursive: true, force: true }))
    )
    const stateFile = path.join(dir, "state.sqlite")
    // the embedded SQLite store needs better-sqlite3's native module: without it, say so and keep the state in memory
    const { state, store: stateStore } = yield* Layer.build(SqliteState.layer({ filename: stateFile })).pipe(
      Effect.map((context) => ({ state: Context.get(context, SyncState.SyncState), store: `SQLite file ${stateFile}` })),
      Effect.catchAllCause((cause) =>
        Effect.map(SyncState.makeMemory, (state) => ({
          state,
          store: `memory (the SQLite store could not open: ${Cause.squash(cause) instanceof Error ? (Cause.squash(cause) as Error).message : "unknown error"})`
        }))
      )
    )
    const ownBefore = ownContacts(emulators)
    const directoryUsers = emulators.ringcentral.store.list().filter((e) => e.contact.email !== undefined).length

    yield* say("unified-people demo: RingCentral company directory → People-Contacts, on loopback emulators")
    yield* say(`  RingCentral emulator  ${emulators.ringcentral.url}  ${size} directory entries (${directoryUsers} users with an e-mail)`)
    yield* say(
      `  People emulator       ${emulators.people.baseUrl}  ${emulators.people.people.size} people ` +
        `(${emulators.company.matched.size} also in the directory, ${emulators.company.peopleOnly.length} only here), ` +
        `${ownBefore.length} contacts typed by people themselves (integration: false)`
    )
    yield* say(`  rate limits scaled down ×${Math.round(1 / scale)} on both sides (windows and penalties × ${scale}); state in ${stateStore}`)
    yield* say(
      "  bulk mode auto: a full run reads the People system by one export; many people to write go by one import, a few one by one"
    )
    yield* say("")

    const steps: Array<Step> = []
    const step = (
      title: string,
      syncOptions: Partial<Sync.Options> = {},
      ignoreVersion = false,
      use: (job: Sync.Sync) => Effect.Effect<Sync.Report, Sync.SyncError> = (job) => job.run
    ) =>
      Effect.gen(function*() {
        yield* say(`▶ ${title}`)
        const rc0 = (yield* emulators.ringcentral.stats).requests
        const pc0 = emulators.people.requests().length
        const t0 = Date.now()
        // bulk: auto, over the contact book with the Import and Export APIs: a run with many people to
        // write goes by one import, a full read by one export, a few people one by one
        const job = yield* Sync.make({
          ...connections,
          contacts: connections.bulkContacts,
          bulk: "auto",
          concurrency: options.concurrency ?? 16,
          ...syncOptions
        }).pipe(
          Effect.provideService(SyncState.SyncState, ignoreVersion ? { ...state, version: Effect.succeedNone } : state)
        )
        const report = yield* Effect.scoped(
          Effect.zipRight(options.progress === false ? Effect.void : Progress.track(job.progress), use(job))
        )
        const requests = emulators.people.requests().slice(pc0)
        // starting an export is a POST that writes nothing
        const written = requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/export"))
        const imports = written.filter((r) => r.path.endsWith("/import")).length
        const oneByOne = new Set(written.flatMap((r) => /\/people\/(\d+)\//.exec(r.path)?.[1] ?? []))
        const s: Step = {
          title,
          summary: report.summary,
          ringcentralCalls: (yield* emulators.ringcentral.stats).requests - rc0,
          peopleCalls: requests.length,
          peopleWrites: written.length,
          peopleWritten: imports === 0
            ? oneByOne.size
            : new Set([...oneByOne, ...report.plan.people.flatMap((p) => p.actions.length > 0 && p.personId !== undefined ? [p.personId] : [])]).size,
          readBy: report.plan.unchanged ? undefined : report.plan.read,
          imports,
          millis: Date.now() - t0
        }
        steps.push(s)
        const c = Sync.counts(report.plan)
        yield* say(
          `  ${
            report.plan.unchanged
              ? "directory unchanged (304): nothing to plan"
              : `${report.plan.mode === "partial" ? "partial: " : ""}${report.summary.peopleRead} people read, ${report.summary.matched} matched, ` +
                `${report.summary.unmatched} unmatched, ${report.summary.removed} removed`
          }`
        )
        yield* say(
          `  writes: ${s.peopleWrites} (${report.summary.created} created, ${report.summary.updated} updated, ${report.summary.deleted} deleted) ` +
            `on ${s.peopleWritten} people; ${c.skip} skipped; ${report.summary.failures.length} failed`
        )
        if (s.readBy !== undefined || s.imports > 0) {
          yield* say(
            `  mode: ${s.imports > 0 || s.readBy === "export" ? "bulk" : "REST"}: People contacts read ${
              s.readBy === "export" ? "by one export" : "person by person"
            }, written ${s.imports > 0 ? `by ${s.imports === 1 ? "one import" : `${s.imports} imports`} (the People system's Import API)` : "one by one"}`
          )
        }
        yield* say(
          `  calls: RingCentral ${s.ringcentralCalls}, People ${s.peopleCalls}; ${report.summary.retries} retries, ` +
            `${report.summary.rateLimitWaits} rate-limit waits; ${seconds(s.millis)}`
        )
        return { report, step: s }
      })

    const samplePlan = (plan: Sync.Plan, lines: number) =>
      Effect.forEach(
        Sync.formatPlan(plan).split("\n").slice(1).filter((l) => !l.includes("· skip no matching")).slice(0, lines),
        (l) => say(`    ${l}`)
      )

    // 1. the first run creates the directory's contacts
    const first = yield* step("Run 1: first sync (everything is new; bulk mode, one export and one import)")
    yield* say("  sample of the plan:")
    yield* samplePlan(first.report.plan, 10)
    yield* say("")

    // 2. right after: nothing to write
    yield* step("Run 2: the same sync again, right after")
    yield* say("")

    // 3. a verifying full comparison: still nothing to write
    yield* step("Run 3: full re-check (stored ETag ignored, every matched person's contacts read by one export and compared)", { verify: true }, true)
    yield* say("")

    // 4. the directory changes
    const matched = [...emulators.company.matched]
    const store = emulators.ringcentral.store
    const [newNumberId] = matched[10]!
    const [removedId] = matched[20]!
    const [newEmailId] = matched[30]!
    const joiner = emulators.people.people.get(emulators.company.peopleOnly[0]!)!
    const [joinerGiven = "New", ...joinerFamily] = (joiner.name ?? "New Joiner").split(" ")
    const name = (id: string) => store.get(id)?.name ?? id
    yield* say("✎ Changing the directory through the RingCentral emulator:")
    yield* say(`  - ${name(newNumberId)} gets a new mobile number +1 415 555 0177`)
    yield* say(`  - ${name(removedId)} leaves the company (removed from the directory)`)
    yield* say(`  - ${name(newEmailId)} changes e-mail to renamed.person@example.com`)
    yield* say(`  - ${joiner.name} (${joiner.primary_email}), so far only in the People system, joins the directory`)
    yield* emulators.ringcentral.changeDirectory((s) => {
      s.update(newNumberId, (e) => {
        e.phoneNumbers = [
          ...e.phoneNumbers.filter((p) => p.usageType !== "MobileNumber"),
          { id: s.nextId(), phoneNumber: "+14155550177", usageType: "MobileNumber" }
        ]
      })
      s.remove(removedId)
      s.update(newEmailId, (e) => {
        e.contact = { ...e.contact, email: "renamed.person@example.com" }
      })
      s.create({
        extensionNumber: "9001",
        contact: { firstName: joinerGiven, lastName: joinerFamily.join(" "), email: joiner.primary_email },
        phoneNumbers: [{ phoneNumber: "+12065550188", usageType: "DirectNumber", type: "VoiceOnly" }]
      })
    })
    yield* say("")

    // 5. only the affected people are written
    const changed = yield* step("Run 4: sync after the changes")
    yield* say("  the plan for the people with writes:")
    yield* Effect.forEach(
      changed.report.plan.people.filter((p) => p.actions.length > 0 || p.removed),
      (p) =>
        Effect.forEach(
          Sync.formatPlan({ ...changed.report.plan, people: [p] }).split("\n").slice(1).filter((l) => !l.includes("· skip")),
          (l) => say(`    ${l}`)
        )
    )
    yield* say("")

    // 6. a webhook: the emulator delivers directory events, the job re-syncs just the people named
    const changes = yield* Queue.unbounded<Events.ContactChange>()
    const verificationToken = Redacted.make("demo-verification-token")
    // the token is given, so the webhook's configuration cannot be refused
    const hook = yield* Events.webhook({
      verificationToken,
      // deliveries repeated after a restart are dropped by the state's record of processed events
      isProcessed: (uuid) => Effect.orElseSucceed(state.isEventProcessed(uuid), () => false),
      onChange: (change) => Queue.offer(changes, change)
    }).pipe(Effect.orDie)
    const receiver = yield* Loopback.serve(hook.app).pipe(Effect.orDie)
    const ringcentralClient = yield* RingCentralClient.make(RingCentralEmulator.clientOptions(emulators.ringcentral))
    const subscriptions = yield* Effect.provideService(Events.make, RingCentralClient.RingCentralClient, ringcentralClient)
    yield* subscriptions.createSubscription({ address: `${receiver.url}/webhook`, verificationToken }).pipe(Effect.orDie)
    const [webhookId] = matched[40]!
    yield* say(`✎ Subscribed a webhook to directory events; ${name(webhookId)} gets a new direct number +1 206 555 0199`)
    const delivered = yield* emulators.ringcentral.changeDirectory((s) =>
      void s.update(webhookId, (e) => {
        e.phoneNumbers = [
          ...e.phoneNumbers.filter((p) => p.usageType !== "DirectNumber" || p.type === "FaxOnly"),
          { id: s.nextId(), phoneNumber: "+12065550199", usageType: "DirectNumber", type: "VoiceFax" }
        ]
      })
    )
    const events = DirectoryEvents.fromChanges(yield* Queue.takeAll(changes))
    yield* say(`  ${delivered} event delivered to the webhook, naming ${events.flatMap((e) => e.changes).length} entry`)
    yield* say("")
    yield* step("Run 5: apply the webhook's events (just the people they name)", {}, false, (job) => job.applyEvents(events))
    yield* say("")

    // 7. unchanged directory: one directory call, no People calls
    yield* step("Run 6: sync (the directory changed once more, through the event already applied)")
    yield* say("")
    yield* step("Run 7: sync again (directory unchanged)")
    yield* say("")

    const ownAfter = ownContacts(emulators)
    const unchanged = ownAfter.length === ownBefore.length && ownAfter.every((c, i) => c === ownBefore[i])
    const millis = Date.now() - started
    yield* say("Summary")
    for (const s of steps) {
      yield* say(
        `  ${s.title.split(":")[0]!.padEnd(6)} ${String(s.peopleWrites).padStart(6)} writes  ${String(s.ringcentralCalls).padStart(3)} RingCentral calls  ` +
          `${String(s.peopleCalls).padStart(6)} People calls  ${(s.imports > 0 || s.readBy === "export" ? "bulk" : s.peopleCalls === 0 ? "-" : "REST").padEnd(4)}  ` +
          `${seconds(s.millis).padStart(7)}  ${s.title.split(": ")[1]}`
      )
    }
    yield* say(
      `  contacts typed by people themselves: ${ownBefore.length} before, ${ownAfter.length} after, ${unchanged ? "untouched" : "CHANGED"}`
    )
    yield* say(`  429 answers: RingCentral ${(yield* emulators.ringcentral.stats).rateLimited}, People ${emulators.people.statusCounts()[429] ?? 0}`)
    yield* say(`Demo finished in ${seconds(millis)}.`)
    return {
      company: {
        directory: size,
        people: emulators.people.people.size,
        matched: emulators.company.matched.size,
        personalContacts: emulators.company.personalContacts
      },
      steps,
      ownContacts: { before: ownBefore.length, after: ownAfter.length, unchanged },
      store: stateStore,
      millis
    } satisfies Result
  })
