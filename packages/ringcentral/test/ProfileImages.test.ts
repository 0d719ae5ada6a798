import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import type * as Store from "@unified-people/testkit/RingCentralEmulator/Store"
import * as Extensions from "../src/Extensions.js"
import * as ProfileImages from "../src/ProfileImages.js"
import * as RingCentralClient from "../src/RingCentralClient.js"

const setup = Effect.gen(function*() {
  const emulator = yield* Emulator.make({ size: 5, federatedShare: 0 })
  const urls: Array<string> = []
  const client = yield* RingCentralClient.make(
    Emulator.clientOptions(emulator, {
      // the media host is configured separately (here the same emulator; the trailing slash is trimmed)
      mediaUrl: `${emulator.url}/`,
      transformClient: (c) =>
        HttpClient.tapRequest(c, (request) => Effect.sync(() => urls.push(`${request.method} ${request.url} accept=${request.headers["accept"]}`)))
    })
  )
  const images = yield* Effect.provide(ProfileImages.make, Context.make(RingCentralClient.RingCentralClient, client))
  const changes: Array<Store.Change> = []
  emulator.store.subscribe((change) => changes.push(change))
  return { emulator, client, images, changes, urls }
})

const gif = (size: number) => {
  const bytes = new Uint8Array(size)
  bytes.set([0x47, 0x49, 0x46, 0x38, 0x39, 0x61])
  for (let i = 6; i < size; i++) bytes[i] = (i * 31 + 7) % 256
  return bytes
}

const png = (size: number) => {
  const bytes = new Uint8Array(size)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  for (let i = 8; i < size; i++) bytes[i] = (i * 17 + 3) % 256
  return bytes
}

const collect = (image: ProfileImages.Image | ProfileImages.NotModified) =>
  image._tag === "NotModified"
    ? Effect.die("not modified")
    : Effect.map(Stream.runCollect(image.bytes), (chunks) => {
      const parts = Chunk.toReadonlyArray(chunks)
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
      let at = 0
      for (const p of parts) {
        out.set(p, at)
        at += p.length
      }
      return out
    })

describe("ProfileImages over HTTP", () => {
  it.scopedLive("upload then download the same bytes (original and scaled), ETag and 304, then delete", () =>
    Effect.gen(function*() {
      const { client, emulator, images, changes, urls } = yield* setup
      const id = emulator.store.ownerId
      const bytes = gif(5_000)
      yield* images.createUserProfileImage(id, { bytes, contentType: "image/gif", filename: "alice_smith.gif" })
      expect(emulator.store.get(id)?.profileImage?.bytes).toEqual(bytes)
      expect(changes.map((c) => c.eventType)).toEqual(["Update"])
      const original = yield* images.readUserProfileImageLegacy(id)
      expect(original._tag).toBe("Image")
      if (original._tag !== "Image") return
      expect(original.contentType).toBe("image/gif")
      expect(original.contentLength).toBe(5_000)
      expect(yield* collect(original)).toEqual(bytes)
      const attachment = yield* images.readScaledProfileImage(id, "195x195", { contentDisposition: "Attachment", contentDispositionFilename: "alice.gif" })
      expect(attachment.contentDisposition).toBe(`attachment; filename="alice.gif"`)
      expect(yield* collect(attachment)).toEqual(bytes)
      for (const size of ProfileImages.scaleSizes) {
        const scaled = yield* images.readScaledProfileImage(id, size)
        expect(yield* collect(scaled)).toEqual(bytes)
      }
      // the extension and its Person point at the new image
      const extensions = yield* Effect.provide(Extensions.make, Context.make(RingCentralClient.RingCentralClient, client))
      const extension = yield* extensions.readExtension(id)
      expect(`"${extension.profileImage?.etag}"`).toBe(original.etag)
      expect(extension.profileImage?.contentType).toBe("image/gif")
      expect(extension.profileImage?.scales?.length).toBe(3)
      expect(Extensions.toPerson(extension).photo?.etag).toBe(extension.profileImage?.etag)
      const notModified = yield* images.readUserProfileImageLegacy(id, { ifNoneMatch: original.etag })
      expect(notModified._tag).toBe("NotModified")
      // reads go to the media URL
      const reads = urls.filter((u) => u.startsWith("GET") && u.includes("/profile-image"))
      expect(reads.length).toBe(3 + ProfileImages.scaleSizes.length)
      expect(reads.every((u) => u.includes(`${emulator.url}/restapi`) && u.endsWith("accept=image/*"))).toBe(true)
      yield* images.deleteUserProfileImage(id)
      const gone = yield* Effect.either(images.readUserProfileImageLegacy(id))
      expect(Either.isLeft(gone) && gone.left._tag).toBe("NotFound")
      const again = yield* Effect.either(images.deleteUserProfileImage(id))
      expect(Either.isLeft(again) && again.left._tag).toBe("NotFound")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a large image streams up in chunks of unknown total length and comes back identical", () =>
    Effect.gen(function*() {
      const { emulator, images } = yield* setup
      const id = emulator.store.ownerId
      const bytes = png(1_500_000)
      const chunks = Stream.fromIterable(Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) => bytes.subarray(i * 65_536, (i + 1) * 65_536)))
      yield* images.updateUserProfileImage(id, { bytes: chunks, contentType: "image/png" })
      const image = yield* images.readScaledProfileImage(id, "original")
      expect(image.contentType).toBe("image/png")
      const back = yield* collect(image)
      expect(back.length).toBe(bytes.length)
      expect(Buffer.compare(Buffer.from(back), Buffer.from(bytes))).toBe(0)
      const info = emulator.store.get(id)!.profileImage!
      expect(image.etag).toBe(`"${info.etag}"`)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("unsupported types and empty images are refused before sending", () =>
    Effect.gen(function*() {
      const { emulator, images } = yield* setup
      const id = emulator.store.ownerId
      const cases = [
        images.createUserProfileImage(id, { bytes: gif(10), contentType: "image/bmp" }),
        images.createUserProfileImage(id, { bytes: gif(10), contentType: "text/plain" }),
        images.updateUserProfileImage(id, { bytes: new Uint8Array(0), contentType: "image/gif" }),
        images.updateUserProfileImage(id, { bytes: Stream.make(new Uint8Array(0), new Uint8Array(0)), contentType: "image/jpeg" }),
        images.updateUserProfileImage(id, { bytes: Stream.empty, contentType: "image/png" }),
        // the bytes say GIF, the caller says PNG
        images.updateUserProfileImage(id, { bytes: gif(10), contentType: "image/png" })
      ]
      for (const call of cases) {
        const result = yield* Effect.either(call)
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          expect(result.left._tag).toBe("InvalidRequest")
          expect(result.left._tag === "InvalidRequest" && result.left.sent).toBe(false)
          expect(result.left._tag === "InvalidRequest" && result.left.field).toBe("image")
        }
      }
      const scale = yield* Effect.either(images.readScaledProfileImage(id, "10x10" as ProfileImages.ScaleSize))
      expect(Either.isLeft(scale) && scale.left._tag === "InvalidRequest" && scale.left.sent).toBe(false)
      expect(emulator.context.log().filter((r) => r.path.includes("profile-image"))).toEqual([])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("the emulator refuses a bad multipart body with parameterName image", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup
      const id = emulator.store.ownerId
      const path = client.accountPath(`/extension/${id}/profile-image`)
      const body = ProfileImages.multipartBody(Stream.make(new TextEncoder().encode("hello")), {
        contentType: "text/plain" as string as ProfileImages.ContentType,
        filename: "x.txt"
      })
      const refused = yield* Effect.either(
        client.execute(HttpClientRequest.post(path).pipe(HttpClientRequest.setBody(body)), { method: "createUserProfileImage", group: "Heavy" })
      )
      expect(Either.isLeft(refused) && refused.left._tag === "InvalidRequest" && refused.left.field).toBe("image")
      const empty = ProfileImages.multipartBody(Stream.empty, { contentType: "image/gif", filename: "x.gif" })
      const refusedEmpty = yield* Effect.either(
        client.execute(HttpClientRequest.put(path).pipe(HttpClientRequest.setBody(empty)), { method: "updateUserProfileImage", group: "Heavy" })
      )
      expect(Either.isLeft(refusedEmpty) && refusedEmpty.left._tag === "InvalidRequest" && refusedEmpty.left.sent).toBe(true)
      expect(emulator.store.get(id)?.profileImage).toBeUndefined()
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("throttling groups: reads and delete Medium, uploads Heavy", () =>
    Effect.gen(function*() {
      const { client, emulator, images } = yield* setup
      const id = emulator.store.ownerId
      const groupOf = (op: keyof typeof ProfileImages.operations) => ProfileImages.operations[op].group
      expect([groupOf("readUserProfileImageLegacy"), groupOf("readScaledProfileImage"), groupOf("deleteUserProfileImage")]).toEqual(["Medium", "Medium", "Medium"])
      expect([groupOf("createUserProfileImage"), groupOf("updateUserProfileImage")]).toEqual(["Heavy", "Heavy"])
      yield* images.createUserProfileImage(id, { bytes: gif(100), contentType: "image/gif" })
      yield* images.updateUserProfileImage(id, { bytes: gif(120), contentType: "image/gif" })
      yield* Effect.flatMap(images.readUserProfileImageLegacy(id), collect)
      yield* Effect.flatMap(images.readScaledProfileImage(id, "90x90"), collect)
      yield* images.deleteUserProfileImage(id)
      const stats = yield* client.limiter.stats
      expect(stats.buckets["Heavy"]?.requests).toBe(2)
      expect(stats.buckets["Medium"]?.requests).toBe(3)
      expect(emulator.context.log().filter((r) => r.path.includes("profile-image")).map((r) => `${r.method} ${r.group}`)).toEqual([
        "POST Heavy",
        "PUT Heavy",
        "GET Medium",
        "GET Medium",
        "DELETE Medium"
      ])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
