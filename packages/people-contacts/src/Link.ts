/**
 * A liberal parser of HTTP `Link` headers (RFC 8288) as the People API sends
 * them: cursor links (`search_after=…`), the legacy `page=` form with
 * `rel="last"`, separators with or without spaces or line breaks, and commas
 * inside `<…>`.
 *
 * @since 0.1.0
 */

/**
 * One link of a `Link` header.
 *
 * @since 0.1.0
 * @category models
 */
export interface Link {
  /** The target, verbatim (still URL-encoded). */
  readonly uri: string
  /** The relation types, lower-cased (`rel="next last"` gives both). */
  readonly rels: ReadonlyArray<string>
  /** Every parameter, names lower-cased, quotes removed. */
  readonly params: Readonly<Record<string, string>>
}

/**
 * Parses a `Link` header. Unparseable parts are skipped, never thrown.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (header: string | ReadonlyArray<string> | undefined): ReadonlyArray<Link> => {
  if (header === undefined) return []
  const text = typeof header === "string" ? header : header.join(",")
  const links: Array<Link> = []
  let i = 0
  const n = text.length
  while (i < n) {
    const open = text.indexOf("<", i)
    if (open < 0) break
    const close = text.indexOf(">", open + 1)
    if (close < 0) break
    const uri = text.slice(open + 1, close).trim()
    i = close + 1
    const params: Record<string, string> = {}
    // parameters until the next top-level comma that is followed by "<"
    while (i < n) {
      while (i < n && /\s/.test(text[i]!)) i++
      if (text[i] !== ";") break
      i++
      while (i < n && /\s/.test(text[i]!)) i++
      let name = ""
      while (i < n && /[^\s=;,]/.test(text[i]!)) name += text[i++]
      while (i < n && /\s/.test(text[i]!)) i++
      let value = ""
      if (text[i] === "=") {
        i++
        while (i < n && /\s/.test(text[i]!)) i++
        if (text[i] === "\"") {
          i++
          while (i < n && text[i] !== "\"") {
            if (text[i] === "\\" && i + 1 < n) i++
            value += text[i++]
          }
          i++
        } else {
          while (i < n && /[^\s;,]/.test(text[i]!)) value += text[i++]
        }
      }
      if (name !== "") {
        const key = name.toLowerCase()
        if (params[key] === undefined) params[key] = value
      }
    }
    const rels = (params["rel"] ?? "").toLowerCase().split(/\s+/).filter((r) => r !== "")
    if (uri !== "") links.push({ uri, rels, params })
    // skip to the separating comma
    while (i < n && text[i] !== "<" && text[i] !== ",") i++
    if (text[i] === ",") i++
  }
  return links
}

/**
 * The first link with relation `rel`, if any.
 *
 * @since 0.1.0
 * @category getters
 */
export const find = (header: string | ReadonlyArray<string> | undefined, rel: string): string | undefined =>
  parse(header).find((link) => link.rels.includes(rel.toLowerCase()))?.uri

/**
 * The `rel="next"` link, if any.
 *
 * @since 0.1.0
 * @category getters
 */
export const next = (header: string | ReadonlyArray<string> | undefined): string | undefined => find(header, "next")

/**
 * Formats links into a `Link` header value.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (links: ReadonlyArray<{ readonly uri: string; readonly rel: string }>): string =>
  links.map((link) => `<${link.uri}>; rel="${link.rel}"`).join(", ")
