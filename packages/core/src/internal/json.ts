/**
 * A lossless `JSON.parse`: an integer literal that a JavaScript number cannot
 * hold exactly (beyond ±2^53 − 1) becomes the string of its digits instead of
 * a rounded number, so that ids such as `8234962969801171948` keep every digit.
 * Schemas that accept "a number or a numeric string" (`Liberal.Numeric`) and
 * ids read as strings (`Liberal.Id`) take such values as they are.
 *
 * Everything else is the native parser: texts without a run of 16 digits (the
 * shortest unsafe integer) never pay for the scan.
 *
 * @internal
 */

/** An integer literal of 16 digits or more may be unsafe. */
const longDigits = /\d{16}/

/** A JSON number token, anchored at `lastIndex`. */
const numberToken = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y

const quote = 34
const backslash = 92
const minus = 45
const zero = 48
const nine = 57

/** The index just after the string starting at `start` (a `"`), or the text's length. */
const endOfString = (text: string, start: number): number => {
  let i = start + 1
  for (;;) {
    const close = text.indexOf("\"", i)
    if (close < 0) return text.length
    // a quote preceded by an odd number of backslashes is escaped
    let slashes = 0
    for (let j = close - 1; j > start && text.charCodeAt(j) === backslash; j--) slashes++
    if (slashes % 2 === 0) return close + 1
    i = close + 1
  }
}

/**
 * Quotes every unsafe integer literal outside strings; returns the text itself
 * when there is none.
 *
 * @internal
 */
export const quoteUnsafeIntegers = (text: string): string => {
  const parts: Array<string> = []
  let copied = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === quote) {
      i = endOfString(text, i)
      continue
    }
    if (c === minus || (c >= zero && c <= nine)) {
      numberToken.lastIndex = i
      const match = numberToken.exec(text)
      if (match === null) {
        i++
        continue
      }
      const token = match[0]
      if (match[1] === undefined && match[2] === undefined && token.length >= 16 && !Number.isSafeInteger(Number(token))) {
        parts.push(text.slice(copied, i), "\"", token, "\"")
        copied = i + token.length
      }
      i += token.length
      continue
    }
    i++
  }
  if (copied === 0) return text
  parts.push(text.slice(copied))
  return parts.join("")
}

/**
 * Parses a JSON text, keeping unsafe integers as digit strings. Throws what
 * `JSON.parse` throws for the original text when it is not JSON.
 *
 * @internal
 */
export const parse = (text: string): unknown => {
  if (!longDigits.test(text)) return JSON.parse(text)
  const rewritten = quoteUnsafeIntegers(text)
  if (rewritten === text) return JSON.parse(text)
  try {
    return JSON.parse(rewritten)
  } catch {
    // report the error (and its position) of the text as received
    return JSON.parse(text)
  }
}

const openBrace = 0x7b
const closeBrace = 0x7d
const openBracket = 0x5b
const closeBracket = 0x5d
const comma = 0x2c

/** Bodies from this size on are parsed in pieces by {@link parseBytes}. */
const pieceThreshold = 64 * 1024

const utf8 = new TextDecoder()

/** Whether `bytes[from, to)` holds only JSON whitespace. */
const blank = (bytes: Uint8Array, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) {
    const c = bytes[i]!
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false
  }
  return true
}

/**
 * Parses a UTF-8 JSON body as {@link parse} parses its text, but a large body
 * whose value is an object is read in pieces: each element of each array held
 * directly by the object (a listing page's `records`) is decoded and parsed on
 * its own, then the object around them. The result is the value `parse` gives
 * for the whole text; a body that is not JSON throws (the position is not that
 * of the whole text: parse the text again for a message). `threshold`: the
 * smallest body read in pieces (default 64 KiB). No string of the
 * whole body is ever made: a page of a few MiB would be one large object, which
 * V8 promotes to the old generation on the first young-generation collection
 * it survives (its parse alone allocates enough to trigger one), so that every
 * page read would leave its text as old-generation garbage.
 *
 * @internal
 */
export const parseBytes = (bytes: Uint8Array, threshold: number = pieceThreshold): unknown => {
  const n = bytes.length
  let start = 0
  while (start < n && blank(bytes, start, start + 1)) start++
  if (n < threshold || bytes[start] !== openBrace) return parse(utf8.decode(bytes))
  // the object with each of its arrays replaced by `[k]` (k: the array's index in `arrays`)
  const envelope: Array<string> = []
  const arrays: Array<Array<unknown>> = []
  let copied = start
  let depth = 0
  let items: Array<unknown> | undefined
  let itemStart = 0
  let commas = 0
  for (let i = start; i < n; i++) {
    const c = bytes[i]!
    if (c === quote) {
      // to the closing quote (a backslash escapes the next byte)
      for (i++; i < n; i++) {
        const d = bytes[i]!
        if (d === backslash) i++
        else if (d === quote) break
      }
      continue
    }
    if (c === openBrace || c === openBracket) {
      depth++
      if (depth === 2 && c === openBracket) {
        envelope.push(utf8.decode(bytes.subarray(copied, i)), `[${arrays.length}]`)
        items = []
        itemStart = i + 1
        commas = 0
      }
    } else if (c === closeBrace || c === closeBracket) {
      if (depth === 2 && items !== undefined) {
        if (c !== closeBracket) throw new SyntaxError("Unexpected token } in JSON (an array closed by a brace)")
        // `[]` is empty; a blank element after a comma (`[1,]`) is not JSON
        if (!blank(bytes, itemStart, i) || commas > 0) items.push(parse(utf8.decode(bytes.subarray(itemStart, i))))
        arrays.push(items)
        items = undefined
        copied = i + 1
      }
      depth--
    } else if (c === comma && depth === 2 && items !== undefined) {
      items.push(parse(utf8.decode(bytes.subarray(itemStart, i))))
      itemStart = i + 1
      commas++
    }
  }
  if (items !== undefined) throw new SyntaxError("Unexpected end of JSON input")
  envelope.push(utf8.decode(bytes.subarray(copied)))
  const value = parse(envelope.join(""))
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SyntaxError("Unexpected JSON value")
  const object = value as Record<string, unknown>
  for (const key of Object.keys(object)) {
    const placeholder = object[key]
    if (Array.isArray(placeholder)) {
      // defined, not assigned: a `__proto__` key stays an own property as JSON.parse makes it
      Object.defineProperty(object, key, { value: arrays[placeholder[0] as number], writable: true, enumerable: true, configurable: true })
    }
  }
  return object
}
