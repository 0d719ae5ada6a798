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
