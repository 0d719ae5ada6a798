/**
 * Character hygiene: finding, removing and escaping the characters that must
 * never reach another system or a terminal.
 *
 * A character is **unsafe** when it is
 *
 * - a control character: C0 (U+0000–U+001F, tab and newlines included), DEL
 *   (U+007F) or C1 (U+0080–U+009F, CSI included), or a line / paragraph
 *   separator (U+2028, U+2029);
 * - zero-width or invisible: U+200B–U+200D, U+2060–U+2064, U+180E, U+FEFF,
 *   the deprecated format characters U+206A–U+206F, the interlinear annotation
 *   characters U+FFF9–U+FFFB and the tag characters U+E0000–U+E007F (hidden text);
 * - a bidi control: the marks U+200E, U+200F, U+061C, the embeddings and
 *   overrides U+202A–U+202E and the isolates U+2066–U+2069;
 * - an unpaired surrogate (a string that is not well-formed UTF-16).
 *
 * Contact values with an unsafe character are refused (`Normalize`); free text
 * (names, titles, departments, custom fields) is {@link clean}ed when the
 * models are built (`Person`); everything printed is {@link printable}.
 *
 * @since 0.1.0
 */

/**
 * Why a character is unsafe.
 *
 * @since 0.1.0
 * @category models
 */
export type Category = "control" | "line separator" | "zero-width" | "invisible" | "bidi" | "unpaired surrogate"

/**
 * One unsafe character: where it is (UTF-16 index), its code point (a lone
 * surrogate's own code unit) and its category.
 *
 * @since 0.1.0
 * @category models
 */
export interface Unsafe {
  readonly index: number
  readonly codePoint: number
  readonly category: Category
}

// One pattern, without the `u` flag so that lone surrogates can be matched:
// BMP ranges | tag characters (U+E0000–U+E007F as a surrogate pair) | a high
// surrogate not followed by a low one | a low surrogate not preceded by a high one.
const source =
  "[\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u180E\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\uFFF9-\\uFFFB]" +
  "|\\uDB40[\\uDC00-\\uDC7F]" +
  "|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])" +
  "|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]"

const unsafeOne = new RegExp(source)
const unsafeAll = new RegExp(source, "g")

const categoryOf = (codePoint: number): Category => {
  if (codePoint <= 0x9f) return "control"
  if (codePoint === 0x2028 || codePoint === 0x2029) return "line separator"
  if (codePoint === 0x061c || codePoint === 0x200e || codePoint === 0x200f) return "bidi"
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) return "bidi"
  if ((codePoint >= 0x200b && codePoint <= 0x200d) || codePoint === 0x2060 || codePoint === 0xfeff) return "zero-width"
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return "unpaired surrogate"
  return "invisible"
}

const codePointOf = (match: string): number =>
  match.length === 2 ? match.codePointAt(0)! : match.charCodeAt(0)

/**
 * Whether a string holds no unsafe character. The fast check: one regular
 * expression test, no allocation.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSafe = (s: string): boolean => !unsafeOne.test(s)

/**
 * The first unsafe character of a string, if any.
 *
 * @since 0.1.0
 * @category getters
 */
export const findUnsafe = (s: string): Unsafe | undefined => {
  const match = unsafeOne.exec(s)
  if (match === null) return undefined
  const codePoint = codePointOf(match[0])
  return { index: match.index, codePoint, category: categoryOf(codePoint) }
}

/**
 * Every unsafe character of a string, in order.
 *
 * @since 0.1.0
 * @category getters
 */
export const findAllUnsafe = (s: string): ReadonlyArray<Unsafe> => {
  const out: Array<Unsafe> = []
  for (const match of s.matchAll(unsafeAll)) {
    const codePoint = codePointOf(match[0])
    out.push({ index: match.index, codePoint, category: categoryOf(codePoint) })
  }
  return out
}

const hex = (codePoint: number): string => codePoint.toString(16).toUpperCase().padStart(4, "0")

/**
 * A readable description of an unsafe character, for a reason:
 * `a bidi control character (U+202E) at position 3` (positions count from 0).
 *
 * @since 0.1.0
 * @category formatting
 */
export const describe = (unsafe: Unsafe): string => {
  const what = unsafe.category === "control"
    ? "a control character"
    : unsafe.category === "line separator"
    ? "a line separator"
    : unsafe.category === "zero-width"
    ? "a zero-width character"
    : unsafe.category === "invisible"
    ? "an invisible character"
    : unsafe.category === "bidi"
    ? "a bidi control character"
    : "an unpaired surrogate"
  return `${what} (U+${hex(unsafe.codePoint)}) at position ${unsafe.index}`
}

/**
 * Why a string is unsafe (its first unsafe character described), or undefined
 * when it is safe.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (s: string): string | undefined => {
  const unsafe = findUnsafe(s)
  return unsafe === undefined ? undefined : `contains ${describe(unsafe)}`
}

/**
 * Removes every unsafe character. A safe string is returned as is.
 *
 * @since 0.1.0
 * @category sanitizing
 */
export const strip = (s: string): string => (isSafe(s) ? s : s.replace(unsafeAll, ""))

const spacing = /^[\t\n\v\f\r\u0085\u2028\u2029]$/

/**
 * Cleans free text (a name, a job title, a custom field): tabs, line breaks and
 * line / paragraph separators become a space, every other unsafe character is
 * removed, then (only when something changed) runs of spaces are collapsed and
 * the ends trimmed. A safe string is returned as is (same reference), so
 * cleaning is cheap and idempotent.
 *
 * `"Jane\u202E Doe"` → `"Jane Doe"`, `"Jane\nDoe"` → `"Jane Doe"`,
 * `"Ja\u200Bne"` → `"Jane"`. Note that joiners go too: an emoji ZWJ sequence
 * falls apart into its emoji, and a Persian ZWNJ is removed.
 *
 * @since 0.1.0
 * @category sanitizing
 */
export const clean = (s: string): string => {
  if (isSafe(s)) return s
  return s.replace(unsafeAll, (match) => (spacing.test(match) ? " " : "")).replace(/ {2,}/g, " ").trim()
}

const shortEscapes: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" }

/**
 * Escapes a string for a terminal or a log line: every unsafe character is
 * shown as a visible escape (`\n`, `\t`, `\r`, `\u001b`, `\u202e`,
 * `\u{e0041}`, a lone surrogate as `\ud800`), so nothing printed can move the
 * cursor, change colours, ring the bell, break a line or reorder text. Every
 * other character (accents, CJK, emoji, right-to-left letters) is kept.
 *
 * Backslashes are not escaped: the output is meant to be read, not parsed back.
 *
 * @since 0.1.0
 * @category formatting
 */
export const printable = (s: string): string => {
  if (isSafe(s)) return s
  return s.replace(unsafeAll, (match) => {
    const short = shortEscapes[match]
    if (short !== undefined) return short
    const codePoint = codePointOf(match)
    return codePoint > 0xffff ? `\\u{${codePoint.toString(16)}}` : `\\u${codePoint.toString(16).padStart(4, "0")}`
  })
}

/**
 * A value quoted for a message: {@link printable}, cut to `max` characters
 * (default 64, with `…` and the full length when cut) and in double quotes.
 * Reasons quote values this way, so a reason is always safe to print and
 * stays short whatever the value.
 *
 * @since 0.1.0
 * @category formatting
 */
export const quote = (s: string, max = 64): string => {
  // cut on a code point boundary, before escaping (an escape is never cut)
  let cut = s
  if (s.length > max) {
    let end = max
    const code = s.charCodeAt(end - 1)
    if (code >= 0xd800 && code <= 0xdbff) end -= 1
    cut = s.slice(0, end)
  }
  return cut === s ? `"${printable(s)}"` : `"${printable(cut)}…" (${s.length} characters)`
}
