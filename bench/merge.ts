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
import { NoisyCompany } from "@unified-people/testkit"
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

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  const args = process.argv.slice(2)
  const records = Util.numberFlag(args, "records", 1_000_000)
  const seed = Util.numberFlag(args, "seed", 1)
  if (Util.has(args, "child")) {
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
