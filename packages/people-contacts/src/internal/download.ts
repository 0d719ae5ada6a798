/**
 * Fetching a file the bulk APIs point at (an export's zip, an import's log):
 * a signed URL, maybe on another host, fetched with the `HttpClient` beneath
 * the client's policy, so it never carries the bearer token or the account
 * header. The request is repeated on the client's retry options (capped
 * exponential backoff with jitter, `Retry-After` first) after a transport
 * error, no answer within the timeout, `408`, `429` or a `5xx`; other
 * statuses fail at once (a `403` of an expired signature, a `404`).
 *
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { module, type Service } from "../PeopleContactsClient.js"

const timeout = Duration.seconds(30)

/** One GET without credentials: the answer once its status is a success. */
const attempt = (client: Service, target: string, method: string) =>
  Effect.gen(function*() {
    const request = HttpClientRequest.get(target).pipe(HttpClientRequest.setHeader("accept", "*/*"))
    const response = yield* client.unauthenticated.execute(request).pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new PeopleError.Unavailable({ module, method, reason: `no response within ${Duration.format(timeout)}` })
      }),
      Effect.catchIf(
        (error): error is HttpClientError.HttpClientError => HttpClientError.isHttpClientError(error),
        (error) =>
          Effect.fail(
            new PeopleError.Unavailable({
              module,
              method,
              reason: `${error.reason} error while downloading`,
              retryable: !(error._tag === "RequestError" && error.reason !== "Transport")
            })
          )
      )
    )
    if (response.status >= 200 && response.status < 300) return response
    // the storage host's error body (XML) is read off and dropped: the status decides
    yield* Effect.ignore(response.arrayBuffer)
    const now = yield* Clock.currentTimeMillis
    const retryAfterMillis = HttpPolicy.parseRetryAfter(response.headers["retry-after"], now)
    const reason = `the download host answered HTTP ${response.status}`
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500
    return yield* (retryable
      ? new PeopleError.Unavailable({
        module,
        method,
        reason,
        status: response.status,
        ...(retryAfterMillis === undefined ? {} : { retryAfterMillis })
      })
      : PeopleError.fromStatus({ module, method }, { status: response.status, reason }))
  })

/**
 * Opens a download: the answer (its body not read yet) of a GET of `url`
 * (resolved against the API root) without credentials, under the retries.
 *
 * @internal
 */
export const open = (
  client: Service,
  url: string,
  method: string
): Effect.Effect<HttpClientResponse.HttpClientResponse, PeopleError.PeopleError> =>
  Effect.gen(function*() {
    let target: string
    try {
      target = new URL(url, `${client.baseUrl}/`).href
    } catch {
      return yield* new PeopleError.DecodeError({ module, method, path: "url", reason: "the download URL is not a URL" })
    }
    const retryCap = Duration.decode(client.retry.cap ?? Duration.seconds(30))
    const retrying = Schedule.exponential(client.retry.base ?? Duration.millis(500)).pipe(
      Schedule.modifyDelay((_, delay) => Duration.min(delay, retryCap)),
      Schedule.jitteredWith({ min: 0.5, max: 1 }),
      Schedule.intersect(Schedule.recurs(Math.max(0, client.retry.times ?? 5))),
      Schedule.zipRight(Schedule.identity<PeopleError.PeopleError>()),
      Schedule.whileInput((error: PeopleError.PeopleError) => error.isRetryable),
      Schedule.modifyDelay((error, delay) =>
        error._tag === "Unavailable" && error.retryAfterMillis !== undefined ? Duration.millis(error.retryAfterMillis) : delay
      )
    )
    return yield* Effect.retry(attempt(client, target, method), retrying)
  })
