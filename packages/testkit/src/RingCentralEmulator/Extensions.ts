/**
 * The emulator's extension routes (extensions, caller id, notification
 * settings, conferencing, grants, profile images, provisioning), served from
 * the same extension store as the directory (see `RingCentralEmulator/Store.ts`).
 * Each route group is a module of `RingCentralEmulator/Extensions/`:
 *
 * | module | routes |
 * |---|---|
 * | `Info.ts` | `GET` / `PUT .../extension/{extensionId}` |
 * | `Grants.ts` | `GET .../extension/{extensionId}/grant` |
 * | `CallerId.ts` | `GET` / `PUT .../extension/{extensionId}/caller-id` |
 * | `NotificationSettings.ts` | `GET` / `PUT .../extension/{extensionId}/notification-settings` |
 * | `Conferencing.ts` | `GET` / `PUT .../extension/{extensionId}/conferencing` |
 * | `ProfileImage.ts` | `GET` / `POST` / `PUT` / `DELETE .../extension/{extensionId}/profile-image`, `GET .../profile-image/{scaleSize}` |
 * | `Provisioning.ts` | `POST /restapi/v2/accounts/{accountId}/batch-provisioning/users`, `DELETE /restapi/v2/accounts/{accountId}/extensions` |
 *
 * Wire format as in the specification and the samples: extension ids are
 * numbers in extension resources, the derived `name` lags behind `contact`
 * after an update, an `Unassigned` extension has only `uri` / `id` / `type` /
 * `status` / `profileImage`, conferencing numbers are padded with spaces, the
 * caller id of feature `Alternate` is `{}`, grant records carry only some of
 * their flags. Invalid writes answer RingCentral's error body with
 * `parameterName` and change nothing. Every change goes through the store, so
 * the directory and its events follow.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as Context from "./Context.js"
import * as CallerId from "./Extensions/CallerId.js"
import * as Conferencing from "./Extensions/Conferencing.js"
import * as Grants from "./Extensions/Grants.js"
import * as Info from "./Extensions/Info.js"
import * as NotificationSettings from "./Extensions/NotificationSettings.js"
import * as ProfileImage from "./Extensions/ProfileImage.js"
import * as Provisioning from "./Extensions/Provisioning.js"

/**
 * The `GetExtensionInfoResponse` of an extension, as JSON (id as a number).
 *
 * @since 0.1.0
 * @category view
 */
export const toExtensionInfo = Info.toExtensionInfo

/**
 * The extension routes, built from the emulator context (its `store`, `guard`
 * and error helpers): every route group of `RingCentralEmulator/Extensions/`.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> =>
  HttpRouter.concatAll(
    Info.routes(context),
    Grants.routes(context),
    CallerId.routes(context),
    NotificationSettings.routes(context),
    Conferencing.routes(context),
    ProfileImage.routes(context),
    Provisioning.routes(context)
  )
