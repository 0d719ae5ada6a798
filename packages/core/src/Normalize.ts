/**
 * Normalization of contact values: E.164 phones (with `;ext=` extensions),
 * lower-cased e-mail addresses and canonical website URLs.
 *
 * A value that cannot be normalized keeps no normalized form and says why; the
 * raw value is never lost.
 *
 * @since 0.1.0
 */
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max"
import type { Kind } from "./Label.js"

/**
 * The outcome of normalizing one value.
 *
 * @since 0.1.0
 * @category models
 */
export type Result =
  | { readonly _tag: "Normalized"; readonly value: string }
  | { readonly _tag: "Unnormalized"; readonly reason: string }

/**
 * Options for phone normalization.
 *
 * @since 0.1.0
 * @category models
 */
export interface PhoneOptions {
  /** ISO 3166 region used for numbers written without a country code (default `US`). */
  readonly defaultRegion?: string
}

const normalized = (value: string): Result => ({ _tag: "Normalized", value })
const unnormalized = (reason: string): Result => ({ _tag: "Unnormalized", reason })

const extensionPattern = /^(.*?)(?:\s*(?:;\s*ext\s*=|(?:\s|,)\s*(?:ext\.?|extension|x|#)\s*)\s*(\d{1,10}))\s*$/i

/**
 * Normalizes a phone number to E.164, keeping an extension as `;ext=NNN`.
 *
 * @since 0.1.0
 * @category normalization
 */
export const phone = (raw: string, options: PhoneOptions = {}): Result => {
  const trimmed = raw.trim()
  if (trimmed === "") return unnormalized("empty phone number")
  const match = extensionPattern.exec(trimmed)
  const base = match?.[1] ?? trimmed
  const extension = match?.[2]
  if (!/\d/.test(base)) return unnormalized(`no digits in phone number "${trimmed}"`)
  if (/[a-z]/i.test(base.replace(/^tel:/i, ""))) return unnormalized(`letters in phone number "${trimmed}"`)
  const region = (options.defaultRegion ?? "US").toUpperCase() as CountryCode
  const cleaned = base.replace(/^tel:/i, "").replace(/^00/, "+")
  const parsed = parsePhoneNumberFromString(cleaned, region)
  if (parsed === undefined) return unnormalized(`cannot parse phone number "${trimmed}"`)
  if (!parsed.isPossible()) return unnormalized(`"${trimmed}" is not a possible phone number in ${parsed.country ?? region}`)
  const ext = extension ?? parsed.ext
  return normalized(ext === undefined || ext === "" ? parsed.number : `${parsed.number};ext=${ext}`)
}

const emailPattern = /^[^\s@]+@[^\s@]+$/

/**
 * Normalizes an e-mail address: trimmed, `mailto:` removed, lower-cased.
 *
 * @since 0.1.0
 * @category normalization
 */
export const email = (raw: string): Result => {
  let value = raw.trim().toLowerCase()
  while (value.startsWith("mailto:")) value = value.slice("mailto:".length).trim()
  if (value === "") return unnormalized("empty e-mail address")
  if (!emailPattern.test(value)) return unnormalized(`"${raw.trim()}" is not an e-mail address`)
  return normalized(value)
}

/**
 * Normalizes a website to a canonical URL: `https://` added when the scheme is
 * missing, host lower-cased, default port and trailing slashes removed. A URL
 * with user info (`mailto:a@b.com`, `user@host`) is refused.
 *
 * @since 0.1.0
 * @category normalization
 */
export const website = (raw: string): Result => {
  const trimmed = raw.trim()
  if (trimmed === "") return unnormalized("empty website")
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return unnormalized(`"${trimmed}" is not a URL`)
  }
  if (!/^https?:$/.test(url.protocol)) return unnormalized(`unsupported URL scheme in "${trimmed}"`)
  // `mailto:a@b.com` or `a@b.com` read as `https://…` would become a user name and a host
  if (url.username !== "" || url.password !== "") return unnormalized(`"${trimmed}" is not a website (it has user info)`)
  if (!url.hostname.includes(".") && url.hostname !== "localhost") return unnormalized(`"${trimmed}" has no valid host`)
  // every trailing slash goes, so that normalizing twice gives the same URL
  const path = url.pathname.replace(/\/+$/, "")
  return normalized(`${url.protocol}//${url.host.toLowerCase()}${path}${url.search}${url.hash}`)
}

/**
 * Normalizes a chat handle or link: trimmed.
 *
 * @since 0.1.0
 * @category normalization
 */
export const chat = (raw: string): Result => {
  const value = raw.trim()
  return value === "" ? unnormalized("empty chat handle") : normalized(value)
}

/**
 * Normalizes a value of any kind.
 *
 * @since 0.1.0
 * @category normalization
 */
export const value = (kind: Kind, raw: string, options: PhoneOptions = {}): Result => {
  switch (kind) {
    case "phone":
      return phone(raw, options)
    case "email":
      return email(raw)
    case "website":
      return website(raw)
    case "chat":
      return chat(raw)
  }
}
