/**
 * Reading an export's zip of CSV files as a stream of records, in bounded
 * memory: the bytes go through `fflate`'s streaming `Unzip` (with
 * `UnzipInflate`) and each CSV file through its own streaming `csv-parse`
 * parser, chunk by chunk as they arrive. Every record is keyed by its file's
 * header names (column order does not matter, unknown columns are carried
 * along for the decoder to ignore) and carries its file and line.
 *
 * @internal
 */
import { parse, type Parser } from "csv-parse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Unzip, type UnzipFile, UnzipInflate } from "fflate"

/**
 * One record of a CSV file of the zip.
 *
 * @internal
 */
export interface CsvRecord {
  /** The file's name in the zip (`people.csv`). */
  readonly file: string
  /** The line the record ends on (1 is the header line). */
  readonly line: number
  /** The header names of the file, in its order. */
  readonly header: ReadonlyArray<string>
  /** The values by header name (the leading-tab guard removed). */
  readonly values: ReadonlyMap<string, string>
  /** Set when the record has more or fewer values than the header has names. */
  readonly issue?: string | undefined
}

/**
 * A problem that stops the read: a broken zip, a CSV that cannot be parsed.
 *
 * @internal
 */
export interface ReadProblem {
  readonly file: string
  readonly line?: number | undefined
  readonly reason: string
}

/**
 * Removes the export's guard against spreadsheet formulas: a value that is
 * exactly a tab followed by `=`, `+`, `-` or `@` and the rest loses the tab;
 * any other value (a tab before anything else, two tabs, a tab in the middle)
 * is kept as it is.
 *
 * @internal
 */
export const unguard = (value: string): string =>
  value.length >= 2 && value.charCodeAt(0) === 0x09 && "=+-@".includes(value[1]!) ? value.slice(1) : value

const isCsv = (name: string) => /\.(csv|tsv|txt)$/i.test(name)

interface FileState {
  readonly name: string
  parser: Parser | undefined
  header: ReadonlyArray<string> | undefined
  failed: ReadProblem | undefined
}

/** A `csv-parse` parser driven synchronously: each chunk's records come out of the same call. */
const parserFor = (name: string, sink: (record: { readonly record: ReadonlyArray<string>; readonly info: { readonly lines: number } }) => void) => {
  const parser = parse({
    bom: true,
    info: true,
    delimiter: /\.tsv$/i.test(name) ? "\t" : ",",
    relax_column_count: true,
    skip_empty_lines: true
  })
  // the records go straight to the sink, not into the stream's buffer
  parser.push = (record: unknown) => {
    if (record !== null && record !== undefined) sink(record as never)
    return true
  }
  return parser
}

/**
 * The records of every CSV file of a zip arriving as `bytes`. A broken zip or
 * a CSV file that cannot be parsed (an unclosed quote, …) fails the stream
 * with a {@link ReadProblem} naming the file and the line.
 *
 * @internal
 */
export const records = <E>(bytes: Stream.Stream<Uint8Array, E>): Stream.Stream<CsvRecord, E | ReadProblem> =>
  Stream.suspend(() => {
    let out: Array<CsvRecord> = []
    let problem: ReadProblem | undefined
    const files: Array<FileState> = []
    const onRecord = (state: FileState) => (parsed: { readonly record: ReadonlyArray<string>; readonly info: { readonly lines: number } }) => {
      if (state.header === undefined) {
        state.header = parsed.record.map((h) => h.trim())
        return
      }
      const header = state.header
      const values = new Map<string, string>()
      parsed.record.forEach((value, i) => {
        const name = header[i]
        if (name !== undefined && name !== "" && !values.has(name)) values.set(name, unguard(value))
      })
      out.push({
        file: state.name,
        line: parsed.info.lines,
        header,
        values,
        ...(parsed.record.length === header.length
          ? {}
          : { issue: `${parsed.record.length} values for ${header.length} columns` })
      })
    }
    const feed = (state: FileState, chunk: Uint8Array | undefined) => {
      const parser = state.parser
      if (state.failed !== undefined || parser === undefined) return
      const done = (error: Error | null | undefined) => {
        if (error) {
          const line = (error as { lines?: unknown }).lines
          state.failed = { file: state.name, ...(typeof line === "number" ? { line } : {}), reason: error.message }
          problem ??= state.failed
        }
      }
      try {
        if (chunk === undefined) parser._flush(done)
        else parser._transform(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), "utf8", done)
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)))
      }
    }
    const unzip = new Unzip((file: UnzipFile) => {
      if (!isCsv(file.name)) {
        file.ondata = () => {}
        file.start()
        return
      }
      const state: FileState = { name: file.name, parser: undefined, header: undefined, failed: undefined }
      state.parser = parserFor(file.name, onRecord(state))
      files.push(state)
      file.ondata = (error, chunk, final) => {
        if (error) {
          problem ??= { file: file.name, reason: `the zip entry cannot be read: ${error.message}` }
          return
        }
        if (chunk.length > 0) feed(state, chunk)
        if (final) feed(state, undefined)
      }
      file.start()
    })
    unzip.register(UnzipInflate)
    let sawBytes = false
    const push = (chunk: Uint8Array, final: boolean): Effect.Effect<Chunk.Chunk<CsvRecord>, ReadProblem> =>
      Effect.suspend(() => {
        try {
          if (chunk.length > 0) sawBytes = true
          unzip.push(chunk, final)
        } catch (error) {
          problem ??= { file: "(zip)", reason: `the export is not a readable zip: ${error instanceof Error ? error.message : String(error)}` }
        }
        if (final && problem === undefined) {
          if (!sawBytes) problem = { file: "(zip)", reason: "the export is empty" }
          else if (files.length === 0) problem = { file: "(zip)", reason: "the export holds no CSV file" }
        }
        if (problem !== undefined) return Effect.fail(problem)
        const emitted = out
        out = []
        return Effect.succeed(Chunk.unsafeFromArray(emitted))
      })
    return bytes.pipe(
      Stream.mapConcatChunkEffect((chunk) => push(chunk, false)),
      Stream.concat(Stream.fromIterableEffect(push(new Uint8Array(0), true)))
    )
  })
