/** What replaces a secret or a token in anything a user may see. */
export const REDACTED = "[REDACTED]";

const TOKEN_FIELDS = new Set(["access_token", "refresh_token", "id_token"]);

// `"access_token": "…"` in raw text, also when the body was cut off inside the value.
const TOKEN_FIELD_IN_TEXT = /("(?:access_token|refresh_token|id_token)"\s*:\s*")[^"]*("?)/g;
// `access_token=…` in a form-encoded answer, as some OAuth servers send when the authority is not
// Entra: such a token is opaque, so the JWT pattern below would not catch it.
const TOKEN_FIELD_IN_FORM = /((?:^|[&?\s])(?:access_token|refresh_token|id_token)=)[^&\s"]*/g;
// Anything shaped like a JWT (header starts with `{"` → base64url `eyJ`), wherever it appears.
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}/g;

const ALWAYS_LITERAL = /^[A-Za-z0-9]$/;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;

/** `%2f` or `%2F`: one byte as percent-encoding writes it, in either case. */
function percentByte(byte: number): string {
  return `%${[...byte.toString(16).toUpperCase().padStart(2, "0")]
    .map((digit) => (/[A-F]/.test(digit) ? `[${digit}${digit.toLowerCase()}]` : digit))
    .join("")}`;
}

/** `\u00e9` or `\u00E9`: one UTF-16 unit as JSON escapes it. */
function jsonUnit(unit: number): string {
  return `\\\\u${[...unit.toString(16).toUpperCase().padStart(4, "0")]
    .map((digit) => (/[A-F]/.test(digit) ? `[${digit}${digit.toLowerCase()}]` : digit))
    .join("")}`;
}

/**
 * Every way one character of a secret can come back: itself, percent-encoded (either hex case,
 * byte by byte), `+` for a space (form encoding), JSON-escaped. Letters and digits are never
 * escaped by any of those encoders, so they match only themselves.
 */
function characterForms(character: string): string {
  if (ALWAYS_LITERAL.test(character)) return character;
  const literal = (text: string): string => text.replace(REGEX_SPECIAL, "\\$&");
  const forms = [literal(character)];
  forms.push([...Buffer.from(character, "utf8")].map((byte) => percentByte(byte)).join(""));
  if (character === " ") forms.push("\\+");
  const jsonShort = JSON.stringify(character).slice(1, -1);
  if (jsonShort !== character) forms.push(literal(jsonShort));
  if (character === "/") forms.push(literal("\\/"));
  let units = "";
  for (let index = 0; index < character.length; index++) {
    units += jsonUnit(character.charCodeAt(index));
  }
  forms.push(units);
  return `(?:${forms.join("|")})`;
}

function buildPattern(secrets: readonly string[]): RegExp | null {
  // Longest first, so a secret that contains another is masked whole.
  const unique = [...new Set(secrets.filter((secret) => secret !== ""))].sort(
    (a, b) => b.length - a.length,
  );
  return unique.length === 0
    ? null
    : new RegExp(
        unique.map((secret) => [...secret].map((char) => characterForms(char)).join("")).join("|"),
        "g",
      );
}

/**
 * Masks secrets wherever text could echo them: raw, percent-encoded in upper or lower case (as
 * any server or proxy may re-encode a form body), form-encoded (`+` for a space) and JSON-escaped,
 * also mixed. Every secret counts, however short: a garbled message beats a leaked secret.
 * Created once per network request, its pattern only when something is masked.
 */
export class SecretRedactor {
  readonly #secrets: readonly string[];
  #pattern: RegExp | null | undefined;

  constructor(secrets: readonly string[]) {
    // The pattern is built on first use: a successful token request never masks anything, and
    // building it (every encoding of every character) was a visible part of the miss path.
    this.#secrets = secrets;
  }

  /** `text` with every form of every secret replaced by `[REDACTED]`. */
  maskSecrets(text: string): string {
    const pattern = (this.#pattern ??= buildPattern(this.#secrets));
    if (pattern === null) return text;
    return text.replace(pattern, REDACTED);
  }

  /**
   * Removes the secrets and any token from text taken from a response, before it reaches an error
   * message. The token endpoint has no reason to echo either, but a misbehaving proxy or a
   * debugging server might, and an error message ends up in logs.
   */
  redactText(text: string): string {
    return this.maskSecrets(text)
      .replace(TOKEN_FIELD_IN_TEXT, `$1${REDACTED}$2`)
      .replace(TOKEN_FIELD_IN_FORM, `$1${REDACTED}`)
      .replace(JWT_LIKE, REDACTED);
  }

  /**
   * A copy of a parsed response body fit to keep as an error's `cause`: token fields replaced and
   * the secrets removed from every string (keys too), at any depth.
   */
  redactBody(value: unknown): unknown {
    if (typeof value === "string") return this.redactText(value);
    if (Array.isArray(value)) return value.map((item) => this.redactBody(item));
    if (typeof value === "object" && value !== null) {
      const copy: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(value)) {
        copy[this.maskSecrets(key)] = TOKEN_FIELDS.has(key) ? REDACTED : this.redactBody(field);
      }
      return copy;
    }
    return value;
  }
}

/** At most `max` characters of `text` on one line, for an error message. */
export function excerpt(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max)}…`;
}
