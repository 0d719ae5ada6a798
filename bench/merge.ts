/**
 * Merge throughput: a thin wrapper over the merge benchmark of `core`
 * (`packages/core/bench/merge.ts`: the seeded `Generator`, `Merge.merge` and a
 * naive exact e-mail grouping baseline over the same records). It runs in a
 * child process with a single-threaded garbage collector and a large heap, so
 * the figures are for one core and the peak memory is the merge's own.
 *
 *   node --conditions=@unified-people/source --import tsx bench/merge.ts [--records 1000000] [--seed 1]
 *
 * @since 0.1.0
 */
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
  readonly records: number
  readonly seed: number
}

/**
 * Node flags of the child: one core's garbage collection, room for a million records.
 *
 * @since 0.1.0
 * @category constants
 */
export const nodeArgs: ReadonlyArray<string> = ["--single-threaded-gc", "--max-old-space-size=8192", "--max-semi-space-size=64"]

/**
 * Runs the merge benchmark in a child process and returns the table.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (options: Options): Promise<Util.Section> => {
  process.stderr.write(`merge: ${Util.int(options.records)} records…\n`)
  const report = await Util.runChild<MergeBench.Report>(
    "merge.ts",
    ["--child", "--records", String(options.records), "--seed", String(options.seed)],
    nodeArgs
  )
  const baseline = report.rows[0]!
  return {
    title: `Merge throughput: ${Util.int(options.records)} generated records, one core`,
    columns: ["contender", "records", "people", "wall time", "CPU time", "records / s", "throughput vs baseline", "precision", "recall"],
    rows: report.rows.map((r) => [
      r.contender,
      Util.int(r.records),
      Util.int(r.people),
      Util.seconds(r.wallMillis),
      Util.seconds(r.cpuMillis),
      Util.int(r.recordsPerSecond),
      Util.ratio(r.recordsPerSecond, baseline.recordsPerSecond),
      r.precision.toFixed(4),
      r.recall.toFixed(4)
    ]),
    notes: [
      `${Util.int(report.decisions)} pair decisions, ${report.skippedKeys} blocking keys skipped (too large), ${report.rounds} rounds.`,
      `Peak RSS ${Util.mib(report.peakRssBytes)} (generated records included); generating the records took ${Util.seconds(report.generateMillis)} (not measured).`,
      "Baseline: records grouped by their first e-mail address as written, lower-cased (packages/core/bench/merge.ts); precision and recall are pairwise against the generator's truth.",
      "Single-threaded garbage collector (--single-threaded-gc); the merge itself is synchronous JavaScript on one thread."
    ]
  }
}

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  const args = process.argv.slice(2)
  const options = { records: Util.numberFlag(args, "records", 1_000_000), seed: Util.numberFlag(args, "seed", 1) }
  if (Util.has(args, "child")) {
    Util.report(MergeBench.run({ ...options, log: (line) => process.stderr.write(`merge: ${line}\n`) }))
  } else {
    run(options).then(
      (section) => process.stdout.write(`${Util.markdown(section)}\n`),
      (error) => {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
        process.exit(1)
      }
    )
  }
}
