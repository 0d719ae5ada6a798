/**
 * Profile images of extensions, the `ProfileImages` area: download (original or scaled, from the media
 * host) and upload / replace / delete. Image bytes stream in both directions as
 * `Uint8Array` chunks; they are never turned into strings. Uploads are
 * `multipart/form-data` with the image in field `image`, refused locally
 * (`InvalidRequest{sent: false}`) when the content type is not an image type
 * RingCentral accepts or the image is empty.
 *
 * @since 0.1.0
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Request from "./Extensions/Request.js"
import { type Operation, RingCentralClient } from "./RingCentralClient.js"

/**
 * The sizes `readScaledProfileImage` serves (`ProfileImageScale`).
 *
 * @since 0.1.0
 * @category constants
 */
export const scaleSizes = ["original", "90x90", "195x195", "584x584"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type ScaleSize = (typeof scaleSizes)[number]

/**
 * The image types an upload may carry.
 *
 * @since 0.1.0
 * @category constants
 */
export const contentTypes = ["image/jpeg", "image/png", "image/gif"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type ContentType = (typeof contentTypes)[number]

const profileImage = "/restapi/v1.0/account/{accountId}/extension/{extensionId}/profile-image"

/**
 * The operations of this module with their `x-throttling-group`.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  readUserProfileImageLegacy: {
    operationId: "readUserProfileImageLegacy",
    method: "GET",
    path: profileImage,
    group: "Medium"
  },
  readScaledProfileImage: {
    operationId: "readScaledProfileImage",
    method: "GET",
    path: `${profileImage}/{scaleSize}`,
    group: "Medium"
  },
  createUserProfileImage: { operationId: "createUserProfileImage", method: "POST", path: profileImage, group: "Heavy" },
  updateUserProfileImage: { operationId: "updateUserProfileImage", method: "PUT", path: profileImage, group: "Heavy" },
  deleteUserProfileImage: { operationId: "deleteUserProfileImage", method: "DELETE", path: profileImage, group: "Medium" }
} as const satisfies Record<string, Operation>

/**
 * A downloaded image: its metadata and its bytes as a stream (read once).
 *
 * @since 0.1.0
 * @category models
 */
export interface Image {
  readonly _tag: "Image"
  readonly contentType: string | undefined
  readonly etag: string | undefined
  readonly contentLength: number | undefined
  /** The `Content-Disposition` header, when the server sent one. */
  readonly contentDisposition: string | undefined
  readonly bytes: Stream.Stream<Uint8Array, PeopleError.PeopleError>
}

/**
 * The answer to a conditional download whose ETag still matches.
 *
 * @since 0.1.0
 * @category models
 */
export interface NotModified {
  readonly _tag: "NotModified"
  readonly etag: string | undefined
}

/**
 * An image to upload. A stream is run once to check that it is not empty and
 * again to send it (and again on a retry), so pass a re-runnable one (a file
 * read, an in-memory source).
 *
 * @since 0.1.0
 * @category models
 */
export interface Upload<E = never> {
  readonly bytes: Uint8Array | Stream.Stream<Uint8Array, E>
  readonly contentType: string
  /** The file name announced in the multipart part (default `image` + extension). */
  readonly filename?: string | undefined
  /** The byte length, when known for a stream (sent as the part's size). */
  readonly contentLength?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `readUserProfileImageLegacy` (Medium), from the media host; `ifNoneMatch` allows a 304. */
  readonly readUserProfileImageLegacy: (
    extensionId?: string,
    options?: { readonly ifNoneMatch?: string | undefined }
  ) => Effect.Effect<Image | NotModified, PeopleError.PeopleError>
  /** `readScaledProfileImage` (Medium), from the media host. */
  readonly readScaledProfileImage: (
    extensionId: string,
    scaleSize: ScaleSize,
    options?: {
      readonly contentDisposition?: "Inline" | "Attachment" | undefined
      readonly contentDispositionFilename?: string | undefined
    }
  ) => Effect.Effect<Image, PeopleError.PeopleError>
  /** `createUserProfileImage` (Heavy): multipart upload. */
  readonly createUserProfileImage: <E>(extensionId: string, image: Upload<E>) => Effect.Effect<void, PeopleError.PeopleError>
  /** `updateUserProfileImage` (Heavy): multipart upload replacing the image. */
  readonly updateUserProfileImage: <E>(extensionId: string, image: Upload<E>) => Effect.Effect<void, PeopleError.PeopleError>
  /** `deleteUserProfileImage` (Medium). */
  readonly deleteUserProfileImage: (extensionId: string) => Effect.Effect<void, PeopleError.PeopleError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ProfileImages extends Context.Tag("@unified-people/ringcentral/ProfileImages")<ProfileImages, Service>() {}

/**
 * Guesses an image type from its first bytes (JPEG, PNG, GIF), undefined otherwise.
 *
 * @since 0.1.0
 * @category parsing
 */
export const sniff = (bytes: Uint8Array): ContentType | undefined => {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg"
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png"
  if (bytes.length >= 4 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38) return "image/gif"
  return undefined
}

const isContentType = (value: string): value is ContentType => (contentTypes as ReadonlyArray<string>).includes(value)

const encoder = new TextEncoder()

const extensionOf = (type: ContentType) => type === "image/jpeg" ? "jpg" : type.slice("image/".length)

/**
 * Builds the `multipart/form-data` body of an upload as a stream: the part
 * header, the image bytes as they come, the closing boundary.
 *
 * @since 0.1.0
 * @category constructors
 */
export const multipartBody = <E>(
  image: Stream.Stream<Uint8Array, E>,
  options: { readonly contentType: ContentType; readonly filename: string; readonly contentLength?: number | undefined; readonly boundary?: string }
): HttpBody.HttpBody => {
  const boundary = options.boundary ?? `unified-people-${crypto.randomUUID()}`
  const filename = options.filename.replace(/["\r\n]/g, "_")
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${filename}"\r\nContent-Type: ${options.contentType}\r\n\r\n`
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const body = Stream.make(head).pipe(Stream.concat(image), Stream.concat(Stream.make(tail)))
  return HttpBody.stream(
    body,
    `multipart/form-data; boundary=${boundary}`,
    options.contentLength === undefined ? undefined : head.length + options.contentLength + tail.length
  )
}

/**
 * Builds the service over the client in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, RingCentralClient> = Effect.map(RingCentralClient, (client) => {
  const path = (extensionId: string, suffix = "") =>
    client.accountPath(`/extension/${encodeURIComponent(extensionId)}/profile-image${suffix}`)

  const toImage = (method: string) => (response: { readonly headers: Record<string, string>; readonly status: number; readonly stream: Stream.Stream<Uint8Array, unknown> }): Image => {
    const length = response.headers["content-length"]
    return {
      _tag: "Image",
      contentType: response.headers["content-type"],
      etag: response.headers["etag"],
      contentLength: length === undefined || !/^\d+$/.test(length.trim()) ? undefined : Number(length),
      contentDisposition: response.headers["content-disposition"],
      bytes: Stream.mapError(response.stream, (error) =>
        new PeopleError.Unavailable({
          module: "ringcentral",
          method,
          reason: `reading the image failed: ${error instanceof Error ? error.message : String(error)}`,
          status: response.status
        }))
    }
  }

  const readUserProfileImageLegacy = (extensionId = "~", options: { readonly ifNoneMatch?: string | undefined } = {}) => {
    const request = options.ifNoneMatch === undefined
      ? HttpClientRequest.get(path(extensionId))
      : HttpClientRequest.get(path(extensionId)).pipe(HttpClientRequest.setHeader("If-None-Match", options.ifNoneMatch))
    return Effect.map(
      client.execute(request, {
        method: "readUserProfileImageLegacy",
        group: operations.readUserProfileImageLegacy.group,
        media: true,
        acceptHeader: "image/*",
        accept: (status) => (status >= 200 && status < 300) || status === 304
      }),
      (response): Image | NotModified =>
        response.status === 304
          ? { _tag: "NotModified", etag: response.headers["etag"] ?? options.ifNoneMatch }
          : toImage("readUserProfileImageLegacy")(response)
    )
  }

  const readScaledProfileImage = (
    extensionId: string,
    scaleSize: ScaleSize,
    options: {
      readonly contentDisposition?: "Inline" | "Attachment" | undefined
      readonly contentDispositionFilename?: string | undefined
    } = {}
  ) =>
    (scaleSizes as ReadonlyArray<string>).includes(scaleSize)
      ? Effect.map(
        client.execute(
          HttpClientRequest.get(path(extensionId, `/${scaleSize}`)).pipe(
            HttpClientRequest.setUrlParams([
              ...(options.contentDisposition === undefined ? [] : [["contentDisposition", options.contentDisposition] as const]),
              ...(options.contentDispositionFilename === undefined
                ? []
                : [["contentDispositionFilename", options.contentDispositionFilename] as const])
            ])
          ),
          { method: "readScaledProfileImage", group: operations.readScaledProfileImage.group, media: true, acceptHeader: "image/*" }
        ),
        toImage("readScaledProfileImage")
      )
      : Effect.fail(Request.refuse("readScaledProfileImage", "scaleSize", `must be one of ${scaleSizes.join(", ")}`))

  const prepare = <E>(method: string, image: Upload<E>) =>
    Effect.gen(function*() {
      const type = image.contentType.split(";")[0]!.trim().toLowerCase()
      if (!isContentType(type)) {
        return yield* Effect.fail(
          Request.refuse(method, "image", `unsupported content type "${image.contentType}" (expected ${contentTypes.join(", ")})`)
        )
      }
      const filename = image.filename ?? `image.${extensionOf(type)}`
      if (image.bytes instanceof Uint8Array) {
        if (image.bytes.length === 0) return yield* Effect.fail(Request.refuse(method, "image", "the image is empty"))
        const sniffed = sniff(image.bytes)
        if (sniffed !== undefined && sniffed !== type) {
          return yield* Effect.fail(Request.refuse(method, "image", `the bytes are ${sniffed}, not ${type}`))
        }
        return multipartBody(Stream.make(image.bytes), { contentType: type, filename, contentLength: image.bytes.length })
      }
      const bytes = image.bytes
      const first = yield* Stream.runHead(Stream.filter(bytes, (chunk) => chunk.length > 0)).pipe(
        Effect.mapError((error) => Request.refuse(method, "image", `reading the image failed: ${String(error)}`))
      )
      if (Option.isNone(first)) return yield* Effect.fail(Request.refuse(method, "image", "the image is empty"))
      if (image.contentLength === 0) return yield* Effect.fail(Request.refuse(method, "image", "the image is empty"))
      return multipartBody(bytes, { contentType: type, filename, contentLength: image.contentLength })
    })

  const upload = (method: "createUserProfileImage" | "updateUserProfileImage") => <E>(extensionId: string, image: Upload<E>) =>
    Effect.flatMap(prepare(method, image), (body) =>
      client.execute(
        (method === "createUserProfileImage" ? HttpClientRequest.post : HttpClientRequest.put)(path(extensionId)).pipe(
          HttpClientRequest.setBody(body)
        ),
        { method, group: operations[method].group }
      )).pipe(Effect.asVoid)

  const deleteUserProfileImage = (extensionId: string) =>
    Effect.asVoid(
      client.execute(HttpClientRequest.del(path(extensionId)), {
        method: "deleteUserProfileImage",
        group: operations.deleteUserProfileImage.group
      })
    )

  return {
    readUserProfileImageLegacy,
    readScaledProfileImage,
    createUserProfileImage: upload("createUserProfileImage"),
    updateUserProfileImage: upload("updateUserProfileImage"),
    deleteUserProfileImage
  }
})

/**
 * The service over the `RingCentralClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ProfileImages, never, RingCentralClient> = Layer.effect(ProfileImages, make)
