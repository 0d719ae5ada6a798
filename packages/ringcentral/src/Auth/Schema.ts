/**
 * The DTO of the token endpoint (`TokenInfo`).
 *
 * @since 0.1.0
 */
import * as Liberal from "@unified-people/core/Liberal"
import * as Schema from "effect/Schema"

/**
 * The token endpoint's answer (`TokenInfo`). `session_id` is required by the
 * specification but missing from real answers, so it is optional here; the
 * token type is kept as received (`bearer`). Read liberally: lifetimes may be
 * numeric strings (`expires_in: "3600"`), optional fields may be `null`, ids
 * may be numbers.
 *
 * @since 0.1.0
 * @category schemas
 */
export class TokenInfo extends Schema.Class<TokenInfo>("@unified-people/ringcentral/TokenInfo")({
  access_token: Schema.Redacted(Schema.String),
  expires_in: Liberal.Numeric,
  refresh_token: Liberal.optional(Schema.Redacted(Schema.String)),
  refresh_token_expires_in: Liberal.optional(Liberal.Numeric),
  scope: Liberal.optional(Schema.String),
  token_type: Liberal.open("bearer"),
  owner_id: Liberal.optional(Liberal.Id),
  endpoint_id: Liberal.optional(Liberal.Id),
  session_id: Liberal.optional(Liberal.Id),
  id_token: Liberal.optional(Schema.String)
}) {}
