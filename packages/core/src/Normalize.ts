/**
 * Normalization **and validation** of contact values: E.164 phones (with
 * `;ext=` extensions), e-mail addresses, website URLs and chat links.
 *
 * This is the one validation of contact values: a value normalizes only when it
 * is valid, so anything `Normalized` may be written to another system, and a
 * value that cannot be normalized keeps no normalized form and says why (the
 * raw value is never lost). Reasons quote the value with `Text.quote`, so they
 * are safe to print.
 *
 * Rules, for every kind:
 *
 * - the value is trimmed; it must then hold no unsafe character (`Text`:
 *   control, zero-width, invisible, bidi, unpaired surrogate);
 * - values longer than {@link limits}`.input` characters are refused without
 *   being parsed;
 * - the normalized value must fit the kind's generic limit ({@link limits}) and
 *   `options.maxLength`, the limit of the system it is written to (the
 *   People-Contacts API stores 255 characters per value).
 *
 * @since 0.1.0
 */
import { isSupportedCountry, Metadata, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max"
import type { Kind } from "./Label.js"
import * as Text from "./Text.js"

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

/**
 * Options of normalization.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends PhoneOptions {
  /**
   * The longest normalized value (in UTF-16 code units, i.e. JavaScript string
   * length) the target system stores, on top of the generic limits. A longer
   * value is `Unnormalized`.
   */
  readonly maxLength?: number | undefined
}

/**
 * The generic limits, whatever the target:
 *
 * - `input`: longer raw values are refused before any parsing;
 * - `emailLocal` / `email`: RFC 5321 (64 characters before the `@`, 254 in all);
 * - `domainLabel` / `domain`: DNS (63 per label, 253 in all);
 * - `phoneDigits`: E.164 (15 digits, country code included), `extensionDigits`;
 * - `url`: websites and chat links (the common browser limit).
 *
 * @since 0.1.0
 * @category constants
 */
export const limits = {
  input: 4096,
  emailLocal: 64,
  email: 254,
  domainLabel: 63,
  domain: 253,
  phoneDigits: 15,
  extensionDigits: 10,
  url: 2048
} as const

/**
 * The URI schemes a chat link may use besides `http` / `https`: those of the
 * People system's chat labels (`chat_skype`: `skype:`, `chat_slack`: `slack:`,
 * `chat_teams`: `msteams:`; `chat_workchat` links are `https`).
 *
 * @since 0.1.0
 * @category constants
 */
export const chatSchemes: ReadonlyArray<string> = ["skype", "slack", "msteams"]

const normalized = (value: string): Result => ({ _tag: "Normalized", value })
const unnormalized = (reason: string): Result => ({ _tag: "Unnormalized", reason })

const quote = (s: string) => Text.quote(s)

/** The checks every kind shares, on the trimmed value: size, then characters. */
const precheck = (what: string, trimmed: string): Result | undefined => {
  if (trimmed === "") return unnormalized(`empty ${what}`)
  if (trimmed.length > limits.input) return unnormalized(`${what} of ${trimmed.length} characters is too long (at most ${limits.input} are read)`)
  const unsafe = Text.findUnsafe(trimmed)
  return unsafe === undefined ? undefined : unnormalized(`${what} ${quote(trimmed)} contains ${Text.describe(unsafe)}`)
}

/** The target's limit, last. */
const fit = (what: string, value: string, options: Options | undefined): Result => {
  const max = options?.maxLength
  return max !== undefined && value.length > max
    ? unnormalized(`${what} ${quote(value)} is too long for the target (at most ${max} characters)`)
    : normalized(value)
}

// -----------------------------------------------------------------------------
// phones
// -----------------------------------------------------------------------------

const extensionPattern = /^(.*?)(?:\s*(?:;\s*ext\s*=|(?:\s|,)\s*(?:ext\.?|extension|x|#)\s*)\s*(\d{1,32}))\s*$/i
/** What a phone number may be written with, once `tel:` and an extension are removed. */
const phoneCharacters = /^[\p{Nd}\s+()\-./#,\u2010-\u2015\u2212\uFF08\uFF09\uFF0B\uFF0D\uFF0E\uFF0F]*$/u
const e164Pattern = /^\+[1-9]\d{6,14}$/

interface Plan {
  possibleLengths(): ReadonlyArray<number> | undefined
  nationalPrefixForParsing(): string | undefined
  callingCode(): string
  IDDPrefix(): string | undefined
  nationalNumberPattern(): string | undefined
}

/** The parts of libphonenumber's `Metadata` the fast paths read (present at runtime, not in its types). */
interface MetadataApi {
  hasCallingCode(callingCode: string): boolean | undefined
  hasCountry(country: string): boolean | undefined
  getCountryCodesForCallingCode(callingCode: string): ReadonlyArray<string> | undefined
  selectNumberingPlan(codeOrCountry: string): unknown
  readonly numberingPlan?: Plan
}

interface CallingCode {
  /** National number lengths possible in every country of the calling code. */
  readonly lengths: ReadonlySet<number>
  /** The national prefix libphonenumber would try to strip. */
  readonly prefix: RegExp | undefined
}

let metadata: MetadataApi | undefined
const callingCodes = new Map<string, CallingCode | null>()

const callingCode = (code: string): CallingCode | null => {
  const known = callingCodes.get(code)
  if (known !== undefined) return known
  metadata ??= new Metadata() as unknown as MetadataApi
  let entry: CallingCode | null = null
  if (metadata.hasCallingCode(code) === true) {
    metadata.selectNumberingPlan(code)
    const main = metadata.numberingPlan
    const prefix = main?.nationalPrefixForParsing()
    let lengths = new Set(main?.possibleLengths() ?? [])
    for (const country of metadata.getCountryCodesForCallingCode(code) ?? []) {
      metadata.selectNumberingPlan(country)
      const own = new Set(metadata.numberingPlan?.possibleLengths() ?? [])
      lengths = new Set([...lengths].filter((n) => own.has(n)))
    }
    entry = { lengths, prefix: prefix === undefined ? undefined : new RegExp(`^(?:${prefix})`) }
  }
  callingCodes.set(code, entry)
  return entry
}

/**
 * The fast path: an E.164 number whose calling code is known, whose national
 * number is a possible length in every country of the calling code and does not
 * start like a national prefix is, for libphonenumber, possible and written the
 * same. Anything else takes the full parse (a test checks both agree).
 */
const e164FastPath = (value: string): boolean => {
  if (!e164Pattern.test(value)) return false
  for (let size = 1; size <= 3; size++) {
    const entry = callingCode(value.slice(1, 1 + size))
    if (entry === null) continue
    const national = value.slice(1 + size)
    return entry.lengths.has(national.length) && (entry.prefix === undefined || entry.prefix.exec(national) === null)
  }
  return false
}

interface Region {
  readonly callingCode: string
  /** The international call prefix (a number starting with it may be read as international). */
  readonly idd: RegExp | undefined
  /** The national prefix libphonenumber would try to strip, and whether it is the calling code itself (`1` in North America). */
  readonly prefix: RegExp | undefined
  readonly prefixIsCallingCode: boolean
  readonly nationalPattern: RegExp | undefined
}

const regions = new Map<string, Region | null>()

const regionOf = (code: string): Region | null => {
  const known = regions.get(code)
  if (known !== undefined) return known
  metadata ??= new Metadata() as unknown as MetadataApi
  let entry: Region | null = null
  if (metadata.hasCountry(code) === true) {
    metadata.selectNumberingPlan(code)
    const plan = metadata.numberingPlan!
    const idd = plan.IDDPrefix()
    const prefix = plan.nationalPrefixForParsing()
    const pattern = plan.nationalNumberPattern()
    entry = {
      callingCode: plan.callingCode(),
      idd: idd === undefined ? undefined : new RegExp(`^(?:${idd})`),
      prefix: prefix === undefined ? undefined : new RegExp(`^(?:${prefix})`),
      prefixIsCallingCode: prefix === plan.callingCode(),
      nationalPattern: pattern === undefined ? undefined : new RegExp(`^(?:${pattern})$`)
    }
  }
  regions.set(code, entry)
  return entry
}

/** ASCII digits with spaces, parentheses, hyphens and dots, after an optional `+`. */
const formattedPattern = /^\+?[0-9 ().-]+$/

/**
 * The second fast path, for what libphonenumber is given: a number written
 * with ASCII digits and spaces, parentheses, hyphens or dots only
 * (`+1 (650) 555-0100`, `650.555.0100`), whose digits are an E.164 number the
 * first fast path accepts: written with `+`, its digits; written nationally,
 * the region's calling code and its digits, when they cannot be read
 * otherwise (they start neither with the international call prefix nor like a
 * national prefix, nor with the calling code, except an 11-digit North
 * American number `1NXXNXXXXXX`, which is read without its national prefix
 * `1`). libphonenumber reads such a number the same way: it drops the
 * formatting, and finds no extension, no prefix to strip and no other
 * country code (a test checks both agree). Anything else takes the full parse.
 */
const formattedFastPath = (text: string, region: string): string | undefined => {
  if (text.length > 64 || !formattedPattern.test(text)) return undefined
  let digits = ""
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) digits += text[i]
  }
  let candidate: string
  if (text.charCodeAt(0) === 43) candidate = `+${digits}`
  else {
    const plan = regionOf(region)
    if (plan === null || plan.idd?.test(digits) === true) return undefined
    const cc = plan.callingCode
    if (
      plan.prefixIsCallingCode && cc.length === 1 && digits.length === 11 && digits.charCodeAt(0) === cc.charCodeAt(0) &&
      plan.nationalPattern !== undefined && !plan.nationalPattern.test(digits)
    ) {
      // 1 650 555 0100: the national prefix, then the number
      candidate = `+${digits}`
    } else {
      if (digits.startsWith(cc) || plan.prefix?.test(digits) === true) return undefined
      candidate = `+${cc}${digits}`
    }
  }
  return e164FastPath(candidate) ? candidate : undefined
}

/**
 * Normalizes a phone number to E.164, keeping an extension as `;ext=NNN`.
 * Refused: letters or other characters a number is not written with, numbers
 * libphonenumber does not find possible (too short, too long, unknown country
 * code), more than 15 digits, extensions over 10 digits.
 *
 * @since 0.1.0
 * @category normalization
 */
export const phone = (raw: string, options: Options = {}): Result => {
  const trimmed = raw.trim()
  if (e164FastPath(trimmed)) return fit("phone number", trimmed, options)
  const refused = precheck("phone number", trimmed)
  if (refused !== undefined) return refused
  const match = extensionPattern.exec(trimmed)
  const base = match?.[1] ?? trimmed
  const extension = match?.[2]
  if (!/\d/.test(base)) return unnormalized(`no digits in phone number ${quote(trimmed)}`)
  const unprefixed = base.replace(/^tel:/i, "")
  if (/\p{L}/u.test(unprefixed)) return unnormalized(`letters in phone number ${quote(trimmed)}`)
  if (!phoneCharacters.test(unprefixed)) return unnormalized(`unexpected characters in phone number ${quote(trimmed)}`)
  const region = (options.defaultRegion ?? "US").toUpperCase() as CountryCode
  const cleaned = unprefixed.replace(/^00/, "+")
  const formatted = formattedFastPath(cleaned, region)
  if (formatted !== undefined) {
    if (extension !== undefined && extension.length > limits.extensionDigits) {
      return unnormalized(`the extension of ${quote(trimmed)} has more than ${limits.extensionDigits} digits`)
    }
    return fit("phone number", extension === undefined || extension === "" ? formatted : `${formatted};ext=${extension}`, options)
  }
  const parsed = parsePhoneNumberFromString(cleaned, region)
  if (parsed === undefined) return unnormalized(`cannot parse phone number ${quote(trimmed)}`)
  if (!parsed.isPossible()) return unnormalized(`${quote(trimmed)} is not a possible phone number in ${parsed.country ?? region}`)
  if (parsed.number.length - 1 > limits.phoneDigits) {
    return unnormalized(`${quote(trimmed)} has more than ${limits.phoneDigits} digits (E.164)`)
  }
  const ext = extension ?? parsed.ext
  if (ext !== undefined && ext.length > limits.extensionDigits) {
    return unnormalized(`the extension of ${quote(trimmed)} has more than ${limits.extensionDigits} digits`)
  }
  return fit("phone number", ext === undefined || ext === "" ? parsed.number : `${parsed.number};ext=${ext}`, options)
}

// -----------------------------------------------------------------------------
// e-mail
// -----------------------------------------------------------------------------

// RFC 5321 dot-atom local part (no quoted strings, no comments) @ a dotted
// domain of LDH labels whose last label starts with a letter.
const atext = "[a-z0-9!#$%&'*+/=?^_`{|}~-]"
const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
const localPattern = new RegExp(`^${atext}+(?:\\.${atext}+)*$`)
const asciiDomainPattern = new RegExp(`^(?:${label}\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
const asciiEmailPattern = new RegExp(`^${atext}+(?:\\.${atext}+)*@(?:${label}\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
const asciiOnly = /^[\x20-\x7e]*$/
/** What an internationalized domain is written with: letters, marks, digits, hyphens and dots. */
const idnCharacters = /^[\p{L}\p{M}\p{Nd}.-]+$/u

/** An internationalized domain, checked in its ASCII (punycode) form. */
const idnDomainProblem = (domain: string): string | undefined => {
  let ascii: string
  try {
    ascii = new URL(`http://${domain}`).hostname
  } catch {
    return "is not a valid domain"
  }
  // the URL parser also maps some characters (full stops, widths): the domain must survive as written
  if (ascii.length > limits.domain) return `is longer than ${limits.domain} characters`
  return asciiDomainPattern.test(ascii) ? undefined : "is not a valid domain"
}

/**
 * Normalizes an e-mail address: trimmed, `mailto:` removed, lower-cased.
 * Valid: one `@`; a local part of dot-separated RFC 5321 atoms (no quotes,
 * comments, spaces, leading / trailing / double dots), at most 64 characters;
 * a domain with at least one dot, labels of letters, digits and inner hyphens
 * (at most 63 each), a last label starting with a letter; at most 254 characters
 * in all. Internationalized domains (`jane@bücher.de`) are accepted and kept in
 * Unicode (lower-cased, NFC), checked in their punycode form; the local part
 * must be ASCII.
 *
 * @since 0.1.0
 * @category normalization
 */
export const email = (raw: string, options?: Options): Result => {
  let value = raw.trim().toLowerCase()
  while (value.startsWith("mailto:")) value = value.slice("mailto:".length).trim()
  // the fast path: a plain ASCII address (its pattern admits no unsafe character)
  if (value.length <= limits.email && asciiEmailPattern.test(value)) {
    const at = value.indexOf("@")
    if (at <= limits.emailLocal) return fit("e-mail address", value, options)
  }
  const refused = precheck("e-mail address", value)
  if (refused !== undefined) return refused
  const shown = quote(raw.trim())
  const at = value.indexOf("@")
  if (at < 0) return unnormalized(`${shown} is not an e-mail address (no @)`)
  if (value.indexOf("@", at + 1) >= 0) return unnormalized(`${shown} is not an e-mail address (more than one @)`)
  const local = value.slice(0, at)
  const domain = value.slice(at + 1).normalize("NFC")
  if (local === "") return unnormalized(`${shown} is not an e-mail address (nothing before the @)`)
  if (local.length > limits.emailLocal) {
    return unnormalized(`${shown} is not an e-mail address (more than ${limits.emailLocal} characters before the @)`)
  }
  if (!localPattern.test(local)) return unnormalized(`${shown} is not an e-mail address (invalid characters or dots before the @)`)
  if (domain === "") return unnormalized(`${shown} is not an e-mail address (no domain)`)
  if (asciiOnly.test(domain)) {
    if (!asciiDomainPattern.test(domain)) return unnormalized(`${shown} is not an e-mail address (the domain is not a dotted host name)`)
  } else {
    if (!idnCharacters.test(domain)) return unnormalized(`${shown} is not an e-mail address (the domain is not a dotted host name)`)
    const problem = idnDomainProblem(domain)
    if (problem !== undefined) return unnormalized(`${shown} is not an e-mail address (the domain ${problem})`)
  }
  const address = `${local}@${domain}`
  if (address.length > limits.email) return unnormalized(`${shown} is not an e-mail address (longer than ${limits.email} characters)`)
  return fit("e-mail address", address, options)
}

// -----------------------------------------------------------------------------
// websites and chat links
// -----------------------------------------------------------------------------

/** A scheme, not a host followed by a port (`example.com:8080`). */
const schemePattern = /^([a-z][a-z0-9+.-]*):(?!\d)/i
const webScheme = /^https?:\/\//i
/** In a chat link anything before the first colon is a scheme (`skype:+16505550100?call`). */
const chatSchemePattern = /^([a-z][a-z0-9+.-]*):/i

/**
 * A dotted host of letters, digits and inner hyphens (an internationalized
 * host is in punycode by then): the URL parser lets through hosts such as
 * `&.;` that no server has.
 */
const dottedHost = new RegExp(`^(?:${label}\\.)+${label}$`)

/** Parses an `http` / `https` URL with a real host and no user info. */
const parseWebUrl = (what: string, trimmed: string, href: string): URL | Result => {
  let url: URL
  try {
    url = new URL(href)
  } catch {
    return unnormalized(`${quote(trimmed)} is not a URL`)
  }
  if (!/^https?:$/.test(url.protocol)) return unnormalized(`unsupported URL scheme in ${quote(trimmed)}`)
  // `mailto:a@b.com` or `a@b.com` read as `https://…` would become a user name and a host
  if (url.username !== "" || url.password !== "") return unnormalized(`${quote(trimmed)} is not a ${what} (it has user info)`)
  const host = url.hostname
  if (host !== "localhost" && !host.startsWith("[")) {
    if (host.length > limits.domain) return unnormalized(`${quote(trimmed)} has a host longer than ${limits.domain} characters`)
    // dotted, no empty label, none longer than 63, letters, digits and hyphens only
    if (!dottedHost.test(host)) return unnormalized(`${quote(trimmed)} has no valid host`)
  }
  return url
}

/**
 * Normalizes a website to a canonical URL: `https://` added when the scheme is
 * missing, host lower-cased (an internationalized host in punycode), default
 * port and trailing slashes removed. Only `http` and `https` with a dotted host
 * (or `localhost`, or an IP literal): `javascript:`, `data:`, `file:`,
 * `vbscript:`, `ftp:`, … and anything with user info (`mailto:a@b.com`,
 * `user@host`) are refused. At most 2048 characters.
 *
 * @since 0.1.0
 * @category normalization
 */
export const website = (raw: string, options?: Options): Result => {
  const trimmed = raw.trim()
  const refused = precheck("website", trimmed)
  if (refused !== undefined) return refused
  let withScheme = trimmed
  if (!webScheme.test(trimmed)) {
    const scheme = schemePattern.exec(trimmed)
    if (scheme !== null && !/^https?$/i.test(scheme[1]!)) return unnormalized(`unsupported URL scheme ${quote(`${scheme[1]!}:`)} in ${quote(trimmed)}`)
    if (scheme !== null) return unnormalized(`${quote(trimmed)} is not a URL (no // after the scheme)`)
    withScheme = `https://${trimmed}`
  }
  const url = parseWebUrl("website", trimmed, withScheme)
  if (!(url instanceof URL)) return url
  // every trailing slash goes, so that normalizing twice gives the same URL
  const path = url.pathname.replace(/\/+$/, "")
  const value = `${url.protocol}//${url.host.toLowerCase()}${path}${url.search}${url.hash}`
  if (value.length > limits.url) return unnormalized(`website ${quote(trimmed)} is longer than ${limits.url} characters`)
  return fit("website", value, options)
}

/** RFC 3986 characters (unreserved, reserved, `%`): nothing that can close a quote or a tag. */
const uriCharacters = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/

/**
 * Normalizes a chat link: trimmed, its scheme lower-cased. Valid: an `http` /
 * `https` URL with a host (as for websites, but kept as written), or a link with
 * one of the {@link chatSchemes} (`skype:jane.doe?chat`, `slack://user?team=T1&id=U1`,
 * `msteams:/l/chat/0/0?users=jane@example.com`); only RFC 3986 characters, at
 * most 2048 of them. Bare handles (`jane.doe`) and other schemes are refused.
 *
 * @since 0.1.0
 * @category normalization
 */
export const chat = (raw: string, options?: Options): Result => {
  const trimmed = raw.trim()
  const refused = precheck("chat link", trimmed)
  if (refused !== undefined) return refused
  if (trimmed.length > limits.url) return unnormalized(`chat link ${quote(trimmed)} is longer than ${limits.url} characters`)
  if (!uriCharacters.test(trimmed)) return unnormalized(`chat link ${quote(trimmed)} has characters a link cannot hold (spaces, quotes, brackets, non-ASCII)`)
  const scheme = chatSchemePattern.exec(trimmed)?.[1]?.toLowerCase()
  if (scheme === undefined) return unnormalized(`chat link ${quote(trimmed)} has no scheme (http, https, ${chatSchemes.join(", ")})`)
  const value = `${scheme}${trimmed.slice(scheme.length)}`
  if (scheme === "http" || scheme === "https") {
    if (!webScheme.test(value)) return unnormalized(`chat link ${quote(trimmed)} is not a URL (no // after the scheme)`)
    const url = parseWebUrl("chat link", trimmed, value)
    return url instanceof URL ? fit("chat link", value, options) : url
  }
  if (!chatSchemes.includes(scheme)) return unnormalized(`unsupported chat link scheme ${quote(`${scheme}:`)} in ${quote(trimmed)}`)
  if (value.length === scheme.length + 1) return unnormalized(`chat link ${quote(trimmed)} has nothing after the scheme`)
  return fit("chat link", value, options)
}

/**
 * Whether `region` (any case) is a region a phone number without a country code
 * can be read in: an ISO 3166-1 alpha-2 code with a numbering plan (`US`, `de`).
 * With any other `defaultRegion`, such numbers are never normalized.
 *
 * @since 0.1.0
 * @category normalization
 */
export const isPhoneRegion = (region: string): boolean => /^[a-z]{2}$/i.test(region) && isSupportedCountry(region.toUpperCase())

/**
 * What {@link isPhoneRegion} asks of a region setting, as the message of one
 * that fails it.
 *
 * @since 0.1.0
 * @category normalization
 */
export const phoneRegionExpectation = "must be a two-letter country code with a phone numbering plan (US, GB, DE, …)"

/**
 * Normalizes a value of any kind.
 *
 * @since 0.1.0
 * @category normalization
 */
export const value = (kind: Kind, raw: string, options: Options = {}): Result => {
  switch (kind) {
    case "phone":
      return phone(raw, options)
    case "email":
      return email(raw, options)
    case "website":
      return website(raw, options)
    case "chat":
      return chat(raw, options)
  }
}
