/**
 * What the People-Contacts emulator's Import and Export route groups share: the
 * asynchronous progress of a job over ticks, job tokens, reading an upload's
 * text (UTF-8 or UTF-16LE, with the line of an encoding error), and writing
 * CSV the way the export does (quoting, the leading-tab guard, a seeded column
 * order).
 *
 * @internal
 */
import { createHash } from "node:crypto"
import * as Generator from "../../Generator.js"

/** @internal */
export type JobState = "queued" | "processing" | "done"

/**
 * How far a job got: status reads, ticks given by hand, and (with a tick
 * length) the time since it was created.
 *
 * @internal
 */
export interface Progress {
  readonly createdAt: number
  reads: number
  ticks: number
}

/**
 * The steps a job made: its reads, its ticks, and one per `tickMillis` of the
 * clock since it was created.
 *
 * @internal
 */
export const steps = (progress: Progress, now: number, tickMillis: number | undefined): number =>
  progress.reads + progress.ticks +
  (tickMillis === undefined || tickMillis <= 0 ? 0 : Math.floor(Math.max(0, now - progress.createdAt) / tickMillis))

/**
 * The state after `made` steps of a job that needs `needed`: `queued` before
 * the first step, `processing` until the last, then `done`.
 *
 * @internal
 */
export const stateAfter = (made: number, needed: number): JobState => made >= needed ? "done" : made === 0 ? "queued" : "processing"

/**
 * A job token: 40 hex characters, the same for the same kind, seed and number.
 *
 * @internal
 */
export const token = (kind: string, seed: number, n: number): string => createHash("sha1").update(`${kind}/${seed}/${n}`).digest("hex")

/**
 * The text of an upload: UTF-16LE after its byte order mark, otherwise UTF-8
 * (a leading byte order mark dropped); a byte sequence that is not UTF-8 is an
 * error naming its line, as the service's message does.
 *
 * @internal
 */
export const decodeText = (bytes: Uint8Array): { readonly text: string } | { readonly error: string } => {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)) }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body) }
  } catch {
    let line = 1
    let start = 0
    for (let i = 0; i <= body.length; i++) {
      if (i === body.length || body[i] === 0x0a) {
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(body.subarray(start, i))
        } catch {
          return { error: `invalid byte sequence in UTF-8 on line ${line}` }
        }
        line++
        start = i + 1
      }
    }
    return { error: "invalid byte sequence in UTF-8" }
  }
}

/**
 * The delimiter of a CSV or TSV file, read from its header line.
 *
 * @internal
 */
export const delimiterOf = (text: string): "," | "\t" => {
  const end = text.search(/\r?\n/)
  const header = end < 0 ? text : text.slice(0, end)
  const tabs = header.split("\t").length
  const commas = header.split(",").length
  return tabs > commas ? "\t" : ","
}

/**
 * The export's guard against spreadsheet formulas: a value starting with `=`,
 * `+`, `-` or `@` gets a leading tab.
 *
 * @internal
 */
export const tabGuard = (value: string): string => /^[=+\-@]/.test(value) ? `\t${value}` : value

// quoted only where CSV needs it: a guarded value's tab stays bare after the comma
const quote = (value: string): string => /[",\r\n]/.test(value) ? `"${value.replaceAll("\"", "\"\"")}"` : value

/**
 * A CSV file: the header line and one line per row (CRLF line ends), every
 * value tab-guarded and quoted where it must be.
 *
 * @internal
 */
export const writeCsv = (header: ReadonlyArray<string>, rows: Iterable<ReadonlyArray<string>>): string => {
  const lines = [header.map(quote).join(",")]
  for (const row of rows) lines.push(row.map((value) => quote(tabGuard(value))).join(","))
  return `${lines.join("\r\n")}\r\n`
}

/**
 * The indexes `0 … n-1` in an order drawn from `seed` (the same seed, the same order).
 *
 * @internal
 */
export const shuffledOrder = (n: number, seed: number): ReadonlyArray<number> => {
  const random = Generator.random(seed).next
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
  return order
}
