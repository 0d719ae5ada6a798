/**
 * The People-Contacts emulator's download host: where an export's zip and an
 * import's log file are fetched from, as from a storage service behind signed
 * URLs. Served on a second loopback server (another port, so another origin
 * than the API), it records every request with all its headers, so a test can
 * check that a client never sends it the `Authorization` or account header.
 *
 * It answers as a storage service does: `200` with the file for the exact
 * signed URL, `403 AccessDenied` for a missing or wrong `X-Amz-Signature`,
 * `400 InvalidArgument` when an `Authorization` header comes with the signed
 * URL ("only one auth mechanism allowed"), `404 NoSuchKey` for an unknown
 * path; error bodies are XML. Its own fault controller injects faults.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { createHash } from "node:crypto"
import * as Loopback from "../Loopback.js"

/**
 * One request the download host received, with every header (lower-case names).
 *
 * @since 0.1.0
 * @category models
 */
export interface DownloadRequest {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly headers: Readonly<Record<string, string>>
}

/**
 * The download host of an emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Downloads {
  /** The host's app (its files, its answers), without the request recording. */
  readonly app: HttpApp.Default
  /** The app recording every request before it is answered (or faulted, when `inner` has the faults). */
  readonly recording: (inner: HttpApp.Default) => HttpApp.Default
  /**
   * Stores a file under `path` (below `/downloads/`) and answers its signed URL,
   * on the served host or, before it is served, under `fallbackOrigin`.
   */
  readonly put: (path: string, bytes: Uint8Array, contentType: string, fallbackOrigin: string) => string
  /** Every request received, oldest first. */
  readonly requests: () => ReadonlyArray<DownloadRequest>
  readonly clearRequests: () => void
  /** The served host's origin, once served. */
  readonly origin: () => string | undefined
  readonly setOrigin: (origin: string) => void
}

/**
 * A served download host.
 *
 * @since 0.1.0
 * @category models
 */
export interface Served {
  /** `http://127.0.0.1:PORT` (another port than the API's). */
  readonly url: string
  readonly faults: Loopback.Faults
}

const xmlError = (status: number, code: string, text: string) =>
  HttpServerResponse.text(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${text}</Message></Error>`,
    { status, contentType: "application/xml" }
  )

/**
 * An empty download host.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (secret = "emulator"): Downloads => {
  const files = new Map<string, { readonly bytes: Uint8Array; readonly contentType: string; readonly signature: string }>()
  const log: Array<DownloadRequest> = []
  let origin: string | undefined

  const app: HttpApp.Default = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://localhost")
    const file = files.get(url.pathname)
    if (file === undefined || (request.method !== "GET" && request.method !== "HEAD")) {
      return xmlError(404, "NoSuchKey", "The specified key does not exist.")
    }
    if (request.headers["authorization"] !== undefined) {
      return xmlError(
        400,
        "InvalidArgument",
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
      )
    }
    if (url.searchParams.get("X-Amz-Signature") !== file.signature) {
      return xmlError(403, "AccessDenied", "Request has expired or the signature does not match")
    }
    return HttpServerResponse.uint8Array(file.bytes, { contentType: file.contentType })
  })

  const recording = (inner: HttpApp.Default): HttpApp.Default =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://localhost")
      log.push({ method: request.method, path: url.pathname, query: url.search, headers: { ...request.headers } })
      return yield* inner
    })

  const put: Downloads["put"] = (path, bytes, contentType, fallbackOrigin) => {
    const full = `/downloads/${path}`
    const signature = createHash("sha256").update(`${secret}:${full}`).digest("hex")
    files.set(full, { bytes, contentType, signature })
    const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800&X-Amz-Signature=${signature}`
    return `${origin ?? fallbackOrigin}${full}?${query}`
  }

  return {
    app,
    recording,
    put,
    requests: () => log,
    clearRequests: () => {
      log.length = 0
    },
    origin: () => origin,
    setOrigin: (next) => {
      origin = next
    }
  }
}

/**
 * Serves a download host on its own loopback port for the lifetime of the
 * scope: every request is recorded (faulted ones too), then the host's fault
 * controller applies, then the host answers. The URLs it hands out from now
 * on point at it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (downloads: Downloads): Effect.Effect<Served, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const faults = yield* Loopback.makeFaults
    // the recorder sits outside the faults, so a faulted request is recorded too
    const server = yield* Loopback.serve(downloads.recording(faults.middleware(downloads.app)), {
      faults: { ...faults, middleware: (app) => app }
    })
    downloads.setOrigin(server.url)
    return { url: server.url, faults }
  })
