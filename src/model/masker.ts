/**
 * The one masker of credentials: every value apiproducts sends to a portal or to GitHub is added
 * here before it is sent, and every output (stdout, stderr, plan files, PR comments, step
 * summaries, drift issues, provider errors) passes through `mask` before it leaves the process.
 *
 * A server can echo a credential back in another form than it was sent, so each value is added
 * with the forms it can come back in: as read from the environment (`"a7ee-xyz\n"`) and trimmed,
 * URL-encoded (either hex case), JSON-escaped (with and without `\/`), HTML-escaped, base64 and
 * base64url. The HTTP header value is added by its sender too (`Basic base64(user:password)`).
 *
 * Prefixes: a server (or a log line) may quote only part of a secret, and what gets cut is the
 * end (`invalid key a7ee-Xk3…`). Any text that repeats the first 8 or more characters of a
 * secret's form is masked, as far as it goes on repeating it. Eight: long enough that prose and
 * names almost never start like a token, short enough that the part left visible of a cut token
 * is too little to guess the rest. Only prefixes, not any inner piece: tokens with words inside
 * (`…-apigee-bearer-…`) would otherwise mask target and product names that share the words, and
 * plans must still name their targets. User names are identifiers, not secrets: masked whole
 * only, so that `deploy@example.com` does not mask `deploy@…` addresses elsewhere.
 */

export const MASK = '***';
/** Shortest start of a secret that is masked on its own. */
export const PREFIX = 8;
/** Shorter values are not masked: `***` for every `a` would make output unreadable, and prove nothing. */
const SHORTEST = 4;

export interface MaskOptions {
  /** Also mask its prefixes of 8+ characters (secrets); false for identifiers such as user names. */
  fragments?: boolean;
}

/**
 * An embedded sandbox's token (`a7ee-sandbox-<random>`) is made per run for 127.0.0.1 and dies
 * with it: masked whole, since its fixed start `a7ee-sandbox-` is the same in every run.
 */
export const SANDBOX_SECRET: MaskOptions = { fragments: false };

/**
 * Every form in which `value` may come back: raw and trimmed, URL-encoded, JSON-escaped, HTML-escaped
 * (an error page quoting it), base64 and base64url.
 */
export function credentialForms(value: string): string[] {
  const forms = new Set<string>();
  for (const form of new Set([value, value.trim()])) {
    if (form.length < SHORTEST) continue;
    const encoded = encodeURIComponent(form);
    const json = JSON.stringify(form).slice(1, -1);
    const bytes = Buffer.from(form, 'utf8');
    for (const variant of [form, encoded, encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()), json, json.replaceAll('/', '\\/'), ...htmlEscaped(form), bytes.toString('base64'), bytes.toString('base64url')]) {
      forms.add(variant);
    }
  }
  return [...forms];
}

/**
 * `&`, `<`, `>`, `"` and `'` as the common escapers write them: named entities (`&quot;`), and the
 * numeric quotes of Go's html.EscapeString (`&#34;`, `&#39;`) and Python's html.escape (`&#x27;`).
 */
function htmlEscaped(form: string): string[] {
  if (!/[&<>"']/.test(form)) return [];
  const escape = (quote: string, apostrophe: string): string =>
    form.replace(/[&<>"']/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '"' ? quote : apostrophe));
  return [escape('&quot;', '&#39;'), escape('&#34;', '&#39;'), escape('&quot;', '&#x27;')];
}

export class SecretMasker {
  /** Whole forms, longest first, so that a longer form is replaced before a shorter one inside it. */
  #whole: string[] = [];
  /** Forms whose prefixes are masked too, by their first 8 characters. */
  #byStart = new Map<string, string[]>();

  constructor(values: readonly string[] = []) {
    for (const value of values) this.add(value);
  }

  /** Adds a credential (and its forms); undefined and very short values are ignored. */
  add(value: string | undefined, options: MaskOptions = {}): void {
    if (value === undefined) return;
    const fragments = options.fragments ?? true;
    for (const form of credentialForms(value)) {
      if (!this.#whole.includes(form)) this.#whole.push(form);
      if (!fragments || form.length < PREFIX) continue;
      const start = form.slice(0, PREFIX);
      const forms = this.#byStart.get(start) ?? [];
      if (!forms.includes(form)) this.#byStart.set(start, [...forms, form]);
    }
    this.#whole.sort((a, b) => b.length - a.length);
  }

  /** `text` with every known form of a credential, and every prefix of 8+ characters of one, replaced by `***`. */
  mask(text: string): string {
    if (this.#whole.length === 0) return text;
    let masked = text;
    for (const form of this.#whole) if (masked.includes(form)) masked = masked.split(form).join(MASK);
    return this.#byStart.size === 0 ? masked : this.#maskPrefixes(masked);
  }

  /**
   * Every string (and key) under `value` masked, the shape kept: for what must stay valid and
   * self-consistent after masking, such as a plan file and its digest.
   */
  maskDeep<T>(value: T): T {
    if (typeof value === 'string') return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.maskDeep(item)) as T;
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.mask(key), this.maskDeep(item)])) as T;
  }

  /** Whether `text` holds a credential in any form this masker knows. */
  finds(text: string): boolean {
    return this.mask(text) !== text;
  }

  /** Each run of text that starts a known form, 8 characters or more, becomes one `***`. */
  #maskPrefixes(text: string): string {
    let out = '';
    let kept = 0;
    for (let i = 0; i + PREFIX <= text.length; ) {
      const forms = this.#byStart.get(text.slice(i, i + PREFIX));
      if (!forms) {
        i++;
        continue;
      }
      const end = i + Math.max(...forms.map((form) => commonPrefix(form, text, i)));
      out += text.slice(kept, i) + MASK;
      kept = i = end;
    }
    return out + text.slice(kept);
  }
}

/** How many characters of `form` `text` repeats from `at` on. */
function commonPrefix(form: string, text: string, at: number): number {
  let n = 0;
  while (n < form.length && at + n < text.length && form[n] === text[at + n]) n++;
  return n;
}
