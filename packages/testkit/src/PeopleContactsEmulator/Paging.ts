/**
 * The People-Contacts emulator's paging of list answers: `per_page` (default
 * 20, at most 100), cursor `Link` headers (`rel="first"` and `rel="next"` with
 * `search_after`, the filters after the cursor as in the captured `GET /v1/cis`)
 * or, with the `legacyPaging` quirk, `page=` links with `rel="prev"` and
 * `rel="last"`, and the `X-Pagination-*` headers. An integer `search_after` is
 * read as the last id seen.
 *
 * @since 0.1.0
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "./Context.js"
import type * as Quirks from "./Quirks.js"

/**
 * One page of an ordered list (ordered by `idOf`), rendered by `render`, with
 * its `Link` and `X-Pagination-*` headers; `400` for a bad `page` or cursor.
 *
 * @since 0.1.0
 * @category responses
 */
export const paged = <A>(
  request: Context.Request,
  quirks: Quirks.Quirks,
  items: ReadonlyArray<A>,
  idOf: (a: A) => number,
  render: (a: A) => unknown
): HttpServerResponse.HttpServerResponse => {
  const params = request.url.searchParams
  const requested = Number(params.get("per_page") ?? "20")
  const perPage = Number.isInteger(requested) && requested > 0 ? Math.min(100, requested) : 20
  const filters = [...params.entries()].filter(([k]) => !["per_page", "search_after", "page"].includes(k))
  const base = `${request.origin}${request.url.pathname}`
  const query = (entries: ReadonlyArray<readonly [string, string]>) =>
    entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")
  let start = 0
  const page = params.get("page")
  const after = params.get("search_after")
  if (page !== null) {
    const n = Number(page)
    if (!Number.isInteger(n) || n < 1) return Context.message(400, "Invalid page")
    start = (n - 1) * perPage
  } else if (after !== null) {
    let lastId: number | undefined
    if (/^\d+$/.test(after)) lastId = Number(after)
    else {
      try {
        const decoded = JSON.parse(Buffer.from(after, "base64").toString("utf8")) as { cursor?: ReadonlyArray<unknown> }
        lastId = Number(decoded.cursor?.[0])
      } catch {
        lastId = undefined
      }
    }
    if (lastId === undefined || !Number.isFinite(lastId)) return Context.message(400, "Invalid search_after cursor")
    const index = items.findIndex((item) => idOf(item) > lastId!)
    start = index < 0 ? items.length : index
  }
  const slice = items.slice(start, start + perPage)
  const totalPages = Math.max(1, Math.ceil(items.length / perPage))
  const current = Math.floor(start / perPage) + 1
  const links: Array<string> = []
  const hasMore = start + perPage < items.length
  if (quirks.legacyPaging) {
    const pageLink = (n: number, rel: string) => `<${base}?${query([["page", String(n)], ["per_page", String(perPage)], ...filters])}>; rel="${rel}"`
    links.push(pageLink(1, "first"))
    if (current > 1) links.push(pageLink(current - 1, "prev"))
    if (hasMore) links.push(pageLink(current + 1, "next"))
    links.push(pageLink(totalPages, "last"))
  } else {
    links.push(`<${base}?${query([["per_page", String(perPage)], ...filters])}>; rel="first"`)
    if (hasMore && slice.length > 0) {
      const cursor = Buffer.from(JSON.stringify({ offset: start + slice.length - 1, cursor: [idOf(slice[slice.length - 1]!)] })).toString("base64")
      // the filters follow the cursor, as in the captured `GET /v1/cis`
      links.push(`<${base}?${query([["per_page", String(perPage)], ["search_after", cursor], ...filters])}>; rel="next"`)
    }
  }
  return Context.json(slice.map(render), 200, {
    Link: links.join(", "),
    "X-Pagination-Per-Page": String(perPage),
    "X-Pagination-Current-Page": String(current),
    "X-Pagination-Total-Pages": String(totalPages),
    "X-Pagination-Total-Entries": String(items.length)
  })
}
