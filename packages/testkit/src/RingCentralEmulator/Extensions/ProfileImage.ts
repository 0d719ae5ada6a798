/**
 * The emulator's profile image routes (`.../extension/{extensionId}/profile-image`):
 * read (`GET`, Medium, with `ETag` / `304` and `contentDisposition`), read a
 * scale (`GET .../profile-image/{scaleSize}`, Medium), upload (`POST` / `PUT`
 * multipart with an `image` part of JPEG, PNG or GIF, Heavy) and delete
 * (`DELETE`, Medium). The image is kept on the extension in the store, so the
 * directory's `profileImage` and its events follow.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import { extensionPath, invalid, notFound, withExtension } from "../../internal/ringCentralEmulator/extensions.js"
import type * as Context from "../Context.js"
import type * as Store from "../Store.js"

const imageTypes = ["image/jpeg", "image/png", "image/gif"]
const scaleSizes = ["original", "90x90", "195x195", "584x584"]

const etagOf = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex")

/**
 * The profile image routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> => {
  const store = context.store
  const params = HttpRouter.params

  const image = (extension: Store.Extension) => {
    const img = extension.profileImage
    if (img === undefined) return Effect.succeed(notFound("profileImage"))
    return Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
      const etag = `"${img.etag}"`
      if (request.headers["if-none-match"] === etag) return HttpServerResponse.empty({ status: 304, headers: { ETag: etag } })
      const query = new URL(request.url, "http://localhost").searchParams
      const disposition = query.get("contentDisposition")
      const filename = query.get("contentDispositionFilename")
      const headers: Record<string, string> = { ETag: etag, "Content-Language": "en-US" }
      if (disposition === "Inline" || disposition === "Attachment") {
        headers["Content-Disposition"] = `${disposition.toLowerCase()}${filename === null ? "" : `; filename="${filename.replace(/["\r\n]/g, "_")}"`}`
      }
      return HttpServerResponse.uint8Array(img.bytes, { contentType: img.contentType, headers })
    })
  }

  const readImage = context.guard("Medium", withExtension(context, image))

  const readScaledImage = context.guard("Medium", withExtension(context, (extension) =>
    Effect.flatMap(params, (p) => {
      if (!scaleSizes.includes(p.scaleSize ?? "")) return Effect.succeed(invalid("scaleSize"))
      return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const disposition = new URL(request.url, "http://localhost").searchParams.get("contentDisposition")
        return disposition === null || disposition === "Inline" || disposition === "Attachment"
          ? image(extension)
          : Effect.succeed(invalid("contentDisposition"))
      })
    })))

  const upload = context.guard("Heavy", withExtension(context, (extension) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const contentType = request.headers["content-type"] ?? ""
      if (!contentType.toLowerCase().startsWith("multipart/form-data")) return invalid("image", "Content-Type must be multipart/form-data")
      const parts = yield* Effect.either(
        request.multipartStream.pipe(
          Stream.mapEffect((part) =>
            part._tag === "File"
              ? Effect.map(part.contentEffect, (bytes) => ({ key: part.key, contentType: part.contentType, bytes }))
              : Effect.succeed(undefined)
          ),
          Stream.runCollect
        )
      )
      if (parts._tag === "Left") return invalid("image", "Request body is not valid multipart/form-data")
      const file = [...parts.right].find((p) => p?.key === "image")
      if (file === undefined) return invalid("image", "Parameter [image] is required")
      if (file.bytes.length === 0) return invalid("image", "Image is empty")
      const type = file.contentType.toLowerCase()
      if (!imageTypes.includes(type)) return invalid("image", `Unsupported image type [${file.contentType}]`)
      store.update(extension.id, (e) => {
        e.profileImage = { etag: etagOf(file.bytes), contentType: type, lastModified: new Date().toISOString(), bytes: new Uint8Array(file.bytes) }
      })
      return HttpServerResponse.empty({ status: 204 })
    })))

  const deleteImage = context.guard("Medium", withExtension(context, (extension) => {
    if (extension.profileImage === undefined) return Effect.succeed(notFound("profileImage"))
    store.update(extension.id, (e) => {
      e.profileImage = undefined
    })
    return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
  }))

  return HttpRouter.empty.pipe(
    HttpRouter.get(`${extensionPath}/profile-image`, readImage),
    HttpRouter.post(`${extensionPath}/profile-image`, upload),
    HttpRouter.put(`${extensionPath}/profile-image`, upload),
    HttpRouter.del(`${extensionPath}/profile-image`, deleteImage),
    HttpRouter.get(`${extensionPath}/profile-image/:scaleSize`, readScaledImage)
  )
}
