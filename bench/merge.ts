/**
 * Merge quality and throughput on two independent generators, next to a naive
 * baseline: core's `Generator.company` and testkit's `NoisyCompany` (nicknames,
 * typos, dropped accents, swapped names, aliases, an old domain, phones in
 * every format, ~11% of people on a shared main number). Each generator and
 * size runs in its own child process (`packages/core/bench/merge.ts` measures:
 * the baseline, exact grouping by the first e-mail address, and `Merge.merge`
 * over the same records) with a single-threaded garbage collector and a large
 * heap, so the figures are for one core and the peak memory is the run's own.
 *
 *   node --conditions=@unified-people/source --import tsx bench/merge.ts [--records 1000000] [--quality-records 100000] [--seed 1]
 *
 * @since 0.1.0
 */
import * as Merge from "@unified-people/core/Merge"
import type * as Person from "@unified-people/core/Person"
import { NoisyCompany } from "@unified-people/testkit"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Url from "node:url"
import * as MergeBench from "../packages/core/bench/merge.js"
import * as Util from "./util.js"

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The largest size measured (throughput); default 1,000,000. */
  readonly records: number
  /** The size quality is measured at on both generators as well (default 100,000). */
  readonly qualityRecords?: number
  readonly seed: number
}

/**
 * The generators measured.
 *
 * @since 0.1.0
 * @category constants
 */
export const generators = ["core", "noisy"] as const

/**
 * Node flags of the children: one core's garbage collection, room for a million records.
 *
 * @since 0.1.0
 * @category constants
 */
export const nodeArgs: ReadonlyArray<string> = ["--single-threaded-gc", "--max-old-space-size=10240", "--max-semi-space-size=64"]

/**
 * Labelled records of one generator.
 *
 * @since 0.1.0
 * @category generators
 */
export const generate = (generator: (typeof generators)[number], records: number, seed: number): MergeBench.Input => {
  if (generator === "core") return MergeBench.generate({ records, seed })
  const started = performance.now()
  // about 2.2 records per person
  const company = NoisyCompany.make({ seed, people: Math.ceil(records / 2.2) + 50, fast: true })
  return {
    generator: "NoisyCompany",
    records: company.records.slice(0, records),
    truth: company.truth,
    sharedNumbers: company.mainNumbers,
    generateMillis: performance.now() - started
  }
}

/**
 * Runs the merge benchmark on both generators, at the quality size and at the
 * largest size, each in a child process, and returns the table.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (options: Options): Promise<Util.Section> => {
  const sizes = [...new Set([options.qualityRecords ?? 100_000, options.records])].sort((a, b) => a - b)
  const reports: Array<MergeBench.Report> = []
  for (const generator of generators) {
    for (const records of sizes) {
      process.stderr.write(`merge: ${generator}, ${Util.int(records)} records…\n`)
      reports.push(
        await Util.runChild<MergeBench.Report>(
          "merge.ts",
          ["--child", "--generator", generator, "--records", String(records), "--seed", String(options.seed)],
          nodeArgs
        )
      )
    }
  }
  const rows = reports.flatMap((report) => {
    const baseline = report.rows[0]!
    return report.rows.map((r) => [
      report.generator,
      Util.int(r.records),
      r.contender,
      Util.int(r.people),
      r.precision.toFixed(4),
      r.recall.toFixed(4),
      r.f1.toFixed(4),
      `${Util.int(r.falsePairs)} (${Util.int(r.falseSharedPairs)})`,
      Util.seconds(r.wallMillis),
      Util.seconds(r.cpuMillis),
      Util.int(r.recordsPerSecond),
      Util.ratio(r.recordsPerSecond, baseline.recordsPerSecond),
      r === baseline ? "" : Util.mib(report.peakRssBytes)
    ])
  })
  const merges = reports.map((r) =>
    `${r.generator}, ${Util.int(r.rows[0]!.records)} records: ${Util.int(r.decisions)} decisions, ${Util.int(r.suggestions)} suggestions, ` +
    `${r.skippedKeys} keys skipped, ${r.rounds} rounds, threshold ${r.threshold}, prior ${r.prior.toFixed(2)} bits; generated in ${Util.seconds(r.generateMillis)} (not measured)`
  )
  return {
    title: `Merge quality and throughput: two generators, ${sizes.map(Util.int).join(" and ")} records, one core`,
    columns: ["generator", "records", "contender", "people", "precision", "recall", "F1", "false pairs (via a shared number)", "wall time", "CPU time", "records / s", "throughput vs baseline", "peak RSS"],
    rows,
    notes: [
      ...merges,
      "Baseline: records grouped by their first e-mail address as written, lower-cased (packages/core/bench/merge.ts). Quality is pairwise against each generator's truth, at the default threshold (the model is estimated on each input, no labels).",
      "False pairs via a shared number: pairs of two different people's records, in one merged person, that both hold the same company main number.",
      "Peak RSS includes the generated records (Person objects) and the Node runtime; each generator and size runs in its own child process.",
      "Single-threaded garbage collector (--single-threaded-gc); the merge itself is synchronous JavaScript on one thread."
    ]
  }
}

// ---------------------------------------------------------------------------
// end to end: raw records (as a source holds them) → normalized → merged
// ---------------------------------------------------------------------------

/**
 * What the end-to-end child reports.
 *
 * @since 0.1.0
 * @category models
 */
export interface EndToEnd {
  readonly generator: string
  readonly records: number
  readonly people: number
  /** Reading and parsing the file, normalizing and storing the records (`Merge.builder`). */
  readonly loadWallMillis: number
  readonly loadCpuMillis: number
  /** The resolution and survivorship (`Builder.merge`). */
  readonly mergeWallMillis: number
  readonly mergeCpuMillis: number
  readonly wallMillis: number
  readonly cpuMillis: number
  /** Peak RSS of the process when the merge was done (the truth is read after it). */
  readonly peakRssBytes: number
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly falsePairs: number
}

/** The raw record of a generated person: what a source holds, contact values as written. */
const toRaw = (p: Person.Person): Merge.RawRecord => {
  const provenance = p.provenance[0]!
  const own = (s: { readonly system: string; readonly remoteId?: string | undefined } | undefined) =>
    s === undefined || (s.system === provenance.system && s.remoteId === provenance.remoteId)
  return {
    system: provenance.system,
    remoteId: provenance.remoteId,
    ...(provenance.version === undefined ? {} : { version: provenance.version }),
    ...(provenance.readAt === undefined ? {} : { readAt: provenance.readAt.toISOString() }),
    name: { ...p.name },
    ...(p.jobTitle === undefined ? {} : { jobTitle: p.jobTitle }),
    ...(p.department === undefined ? {} : { department: p.department }),
    ...(p.company === undefined ? {} : { company: { ...p.company } }),
    ...(p.site === undefined ? {} : { site: { ...p.site } }),
    ...(p.employeeNumber === undefined ? {} : { employeeNumber: p.employeeNumber }),
    ...(p.extensionNumber === undefined ? {} : { extensionNumber: p.extensionNumber }),
    ...(p.status === undefined ? {} : { status: p.status }),
    contactPoints: p.contactPoints.map((c) => ({
      kind: c.kind,
      value: c.value,
      label: c.label,
      ...(c.customLabel === undefined ? {} : { customLabel: c.customLabel }),
      ...(c.primary === undefined ? {} : { primary: c.primary }),
      ...(c.capabilities === undefined ? {} : { capabilities: c.capabilities }),
      ...(c.shared === undefined ? {} : { shared: c.shared }),
      ...(own(c.source) ? {} : { source: { ...c.source! } })
    })),
    ...(Object.keys(p.customFields).length === 0 ? {} : { customFields: p.customFields })
  }
}

/**
 * The file of raw records (NDJSON, one record a line) of a generator, size
 * and seed, and its truth (`[record id, identity id]` in record order),
 * written by a child process the first time and kept in the temporary
 * directory.
 *
 * @since 0.1.0
 * @category end to end
 */
export const rawFile = async (generator: (typeof generators)[number], records: number, seed: number): Promise<string> => {
  const dir = Path.join(Os.tmpdir(), "unified-people-bench")
  Fs.mkdirSync(dir, { recursive: true })
  const file = Path.join(dir, `merge-${generator}-${records}-${seed}.ndjson`)
  if (!Fs.existsSync(file) || !Fs.existsSync(`${file}.truth.json`)) {
    process.stderr.write(`merge: writing ${Util.int(records)} raw ${generator} records to ${file}…\n`)
    await Util.runChild<{ readonly file: string }>(
      "merge.ts",
      ["--write-raw", file, "--generator", generator, "--records", String(records), "--seed", String(seed)],
      ["--max-old-space-size=10240"]
    )
  }
  return file
}

const writeRaw = (file: string, input: MergeBench.Input): void => {
  const partial = `${file}.partial`
  const fd = Fs.openSync(partial, "w")
  let lines: Array<string> = []
  for (const record of input.records) {
    lines.push(JSON.stringify(toRaw(record)))
    if (lines.length === 5000) {
      Fs.writeSync(fd, `${lines.join("\n")}\n`)
      lines = []
    }
  }
  if (lines.length > 0) Fs.writeSync(fd, `${lines.join("\n")}\n`)
  Fs.closeSync(fd)
  Fs.writeFileSync(`${file}.truth.json`, JSON.stringify(input.records.map((r) => [r.id, input.truth.get(r.id) ?? `unlabelled:${r.id}`])))
  Fs.renameSync(partial, file)
}

/**
 * Every line of a file, read in 4 MiB blocks (never the whole file in
 * memory): lines are found as newline bytes in the block and each is decoded
 * on its own (a newline byte is never part of a longer UTF-8 character), so
 * no string larger than a line is built; a line longer than the block grows it.
 */
function* lines(file: string): Generator<string> {
  const fd = Fs.openSync(file, "r")
  let block = Buffer.alloc(1 << 22)
  let have = 0
  try {
    for (;;) {
      if (have === block.length) {
        const grown = Buffer.alloc(block.length * 2)
        block.copy(grown, 0, 0, have)
        block = grown
      }
      const read = Fs.readSync(fd, block, have, block.length - have, null)
      const end = have + read
      let start = 0
      for (let nl = block.indexOf(10, start); nl >= 0 && nl < end; nl = block.indexOf(10, start)) {
        if (nl > start) yield block.toString("utf8", start, nl)
        start = nl + 1
      }
      if (read === 0) {
        if (end > start) yield block.toString("utf8", start, end)
        break
      }
      block.copy(block, 0, start, end)
      have = end - start
    }
  } finally {
    Fs.closeSync(fd)
  }
}

const pairs = (n: number): number => (n * (n - 1)) / 2

/** Pairwise quality of the merged people against the truth. */
const endToEndQuality = (merged: Merge.Merged, truthFile: string) => {
  const truth = JSON.parse(Fs.readFileSync(truthFile, "utf8")) as ReadonlyArray<readonly [string, string]>
  const identityOf = new Map<string, number>()
  const identity = new Int32Array(truth.length)
  for (let r = 0; r < truth.length; r++) {
    const id = truth[r]![1]
    let k = identityOf.get(id)
    if (k === undefined) {
      k = identityOf.size
      identityOf.set(id, k)
    }
    identity[r] = k
  }
  const sizes = new Int32Array(identityOf.size)
  for (let r = 0; r < merged.records; r++) sizes[identity[r]!]!++
  let truePairs = 0
  for (const n of sizes) truePairs += pairs(n)
  let predicted = 0
  let correct = 0
  const count = new Map<number, number>()
  for (let k = 0; k < merged.size; k++) {
    const members = merged.members(k)
    predicted += pairs(members.length)
    if (members.length < 2) continue
    count.clear()
    for (const r of members) count.set(identity[r]!, (count.get(identity[r]!) ?? 0) + 1)
    for (const n of count.values()) correct += pairs(n)
  }
  const precision = predicted === 0 ? 1 : correct / predicted
  const recall = truePairs === 0 ? 1 : correct / truePairs
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), falsePairs: predicted - correct }
}

const cpuNow = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/**
 * Reads a raw record file, normalizes and stores every record
 * (`Merge.builder`), merges them, and measures it: wall and CPU time of both
 * phases, the peak RSS when the merge is done, then the quality against the
 * truth.
 *
 * @since 0.1.0
 * @category end to end
 */
export const endToEnd = (generator: string, file: string): EndToEnd => {
  const started = performance.now()
  const cpu = cpuNow()
  const builder = Merge.builder({ sourcePriority })
  for (const line of lines(file)) builder.add(JSON.parse(line) as Merge.RawRecord)
  const loaded = performance.now()
  const loadCpu = cpuNow()
  const merged = builder.merge()
  const done = performance.now()
  const doneCpu = cpuNow()
  const peakRssBytes = process.resourceUsage().maxRSS * 1024
  return {
    generator,
    records: merged.records,
    people: merged.size,
    loadWallMillis: loaded - started,
    loadCpuMillis: loadCpu - cpu,
    mergeWallMillis: done - loaded,
    mergeCpuMillis: doneCpu - loadCpu,
    wallMillis: done - started,
    cpuMillis: doneCpu - cpu,
    peakRssBytes,
    ...endToEndQuality(merged, `${file}.truth.json`)
  }
}

/** The source priority of every merge measured here. */
const sourcePriority = ["hr", "hris", "ringcentral", "pbx", "people-contacts", "crm"]

/**
 * Node flags of the end-to-end children: a heap limit that keeps the
 * collector from letting garbage pile up (the store and the resolution's
 * columns are typed arrays outside the heap), and 32 MiB semi-spaces (the
 * young objects of normalization and survivorship die young, fewer of them
 * live through a scavenge into the old generation: 8-9% less CPU than 16 MiB
 * at a million records of either generator, for 0-27 MiB more peak RSS; 64
 * MiB saves nothing more and costs 75 MiB).
 *
 * @since 0.1.0
 * @category constants
 */
export const endToEndArgs: ReadonlyArray<string> = ["--max-old-space-size=640", "--max-semi-space-size=32"]

/**
 * Environment of the end-to-end children: none beyond the parent's. glibc's
 * `MALLOC_MMAP_THRESHOLD_=131072` (every block of 128 KiB or more its own
 * mapping, returned to the system when freed) lowers the peak by about
 * 100 MiB at a million records (the typed arrays a resolution frees between
 * phases otherwise stay in the process's heap as fragments), at some system
 * CPU; it is a deployment setting, so the bench measures without it.
 *
 * @since 0.1.0
 * @category constants
 */
export const endToEndEnv: Readonly<Record<string, string>> = {}

/**
 * Runs the end-to-end merge on both generators (each in a child process) and
 * returns the table.
 *
 * @since 0.1.0
 * @category running
 */
export const runEndToEnd = async (options: { readonly records: number; readonly seed: number }): Promise<Util.Section> => {
  const reports: Array<EndToEnd> = []
  for (const generator of generators) {
    const file = await rawFile(generator, options.records, options.seed)
    process.stderr.write(`merge end to end: ${generator}, ${Util.int(options.records)} records…\n`)
    reports.push(await Util.runChild<EndToEnd>("merge.ts", ["--end-to-end", file, "--generator", generator], endToEndArgs, endToEndEnv))
  }
  return {
    title: `Normalize + merge end to end: ${Util.int(options.records)} raw records → merged people (built code, child process)`,
    columns: [
      "generator",
      "records",
      "people",
      "precision",
      "recall",
      "F1",
      "false pairs",
      "read + normalize + store: wall (CPU)",
      "merge: wall (CPU)",
      "end to end: wall (CPU)",
      "records / min (wall)",
      "records / min of CPU",
      "peak RSS"
    ],
    rows: reports.map((r) => [
      r.generator,
      Util.int(r.records),
      Util.int(r.people),
      r.precision.toFixed(4),
      r.recall.toFixed(4),
      r.f1.toFixed(4),
      Util.int(r.falsePairs),
      `${Util.seconds(r.loadWallMillis)} (${Util.seconds(r.loadCpuMillis)})`,
      `${Util.seconds(r.mergeWallMillis)} (${Util.seconds(r.mergeCpuMillis)})`,
      `${Util.seconds(r.wallMillis)} (${Util.seconds(r.cpuMillis)})`,
      Util.int((r.records / r.wallMillis) * 60_000),
      Util.int((r.records / r.cpuMillis) * 60_000),
      Util.mib(r.peakRssBytes)
    ]),
    notes: [
      "Input: the generator's records written once as raw records (NDJSON, one record a line, contact values as written: phones in every format, mixed-case e-mail addresses) to a file in the temporary directory; the child reads it in 4 MiB blocks, parses each line, adds it to Merge.builder (normalization, interning, the compact store), then merges (Builder.merge: resolution and survivorship). Quality is pairwise against the generator's truth, read after the merge.",
      `Peak RSS is the child's (process.resourceUsage().maxRSS when the merge is done), Node runtime included; node ${endToEndArgs.join(" ")}, ${Object.keys(endToEndEnv).length === 0 ? "default allocator settings (glibc's MALLOC_MMAP_THRESHOLD_=131072 lowers the peak by about 100 MiB more: freed large blocks go back to the system instead of staying as heap fragments)" : `environment ${Object.entries(endToEndEnv).map(([k, v]) => `${k}=${v}`).join(" ")}`}.`,
      "Records / min of CPU: the records over the process's CPU time (user + system): what one core does when it is not shared. The merge runs on one thread; the machine is shared, so wall times are inflated.",
      Util.runtimeNote
    ]
  }
}

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  const args = process.argv.slice(2)
  const records = Util.numberFlag(args, "records", 1_000_000)
  const seed = Util.numberFlag(args, "seed", 1)
  const writeRawTo = Util.flag(args, "write-raw")
  const endToEndFile = Util.flag(args, "end-to-end")
  if (writeRawTo !== undefined) {
    const generator = Util.flag(args, "generator") === "noisy" ? "noisy" : "core"
    writeRaw(writeRawTo, generate(generator, records, seed))
    Util.report({ file: writeRawTo })
  } else if (endToEndFile !== undefined) {
    Util.report(endToEnd(Util.flag(args, "generator") === "noisy" ? "NoisyCompany" : "Generator.company", endToEndFile))
  } else if (Util.has(args, "child")) {
    const generator = Util.flag(args, "generator") === "noisy" ? "noisy" : "core"
    process.stderr.write(`merge: generating ${Util.int(records)} ${generator} records…\n`)
    const input = generate(generator, records, seed)
    Util.report(MergeBench.measure(input, (line) => process.stderr.write(`merge: ${line}\n`)))
  } else {
    run({ records, qualityRecords: Util.numberFlag(args, "quality-records", 100_000), seed }).then(
      (section) => process.stdout.write(`${Util.markdown(section)}\n`),
      (error) => {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
        process.exit(1)
      }
    )
  }
}
