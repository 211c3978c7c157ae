/**
 * One gettext catalog (a compiled `.mo` or a `.po` file), read by the `gettext-parser` package:
 * its messages by context and id, and its plural rule.
 * @module
 */
import { Buffer } from "node:buffer";
import gettextParser from "gettext-parser";
import { parsePluralForms, type PluralRule } from "./plural_forms.ts";

/** What separates a message's context from its id in a catalog key (gettext's EOT). */
const CONTEXT_SEPARATOR = "\x04";

/** One parsed gettext entry, as gettext-parser gives it. */
interface ParsedEntry {
  msgid: string;
  msgctxt?: string;
  msgid_plural?: string;
  msgstr: string[];
  comments?: { flag?: string };
}

/** A parsed catalog file, as gettext-parser gives it. */
interface ParsedCatalog {
  headers: Record<string, string>;
  translations: Record<string, Record<string, ParsedEntry>>;
}

/**
 * The translations of one catalog file.
 *
 * @example
 * ```ts
 * import { Catalog } from "./catalog.ts";
 * const po = 'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\nmsgid "Hi"\nmsgstr "Hallo"\n';
 * Catalog.fromPo(po).message("", "Hi"); // "Hallo"
 * ```
 */
export class Catalog {
  /** Which plural form a count takes, from the `Plural-Forms` header. */
  readonly plural: PluralRule;
  // Translations by `context \x04 id` (or `id` without context). As in Python's gettext, a plural
  // entry answers only plural lookups and a singular one only singular lookups.
  #singular = new Map<string, string>();
  #plural = new Map<string, readonly string[]>();

  private constructor(parsed: ParsedCatalog, skipFuzzy: boolean) {
    this.plural = parsePluralForms(parsed.headers["Plural-Forms"]);
    for (const [context, entries] of Object.entries(parsed.translations)) {
      for (const [id, entry] of Object.entries(entries)) {
        if (id === "") continue; // the header entry
        // msgfmt leaves out fuzzy and untranslated entries; a .po read directly must too.
        if (skipFuzzy && /\bfuzzy\b/.test(entry.comments?.flag ?? "")) continue;
        if (entry.msgstr.every((s) => s === "")) continue;
        const key = context ? context + CONTEXT_SEPARATOR + id : id;
        if (entry.msgid_plural === undefined) this.#singular.set(key, entry.msgstr[0]);
        else this.#plural.set(key, entry.msgstr);
      }
    }
  }

  /** Reads a compiled `.mo` file. */
  static fromMo(bytes: Uint8Array): Catalog {
    // gettext-parser reads a Node Buffer.
    const parsed = gettextParser.mo.parse(Buffer.from(bytes));
    return new Catalog(parsed as unknown as ParsedCatalog, false);
  }

  /** Reads a `.po` file (fuzzy and untranslated entries are left out, as msgfmt does). */
  static fromPo(text: string): Catalog {
    return new Catalog(gettextParser.po.parse(text) as unknown as ParsedCatalog, true);
  }

  /** Reads `path` as a `.mo` file, or as a `.po` file when its name ends with `.po`. */
  static fromFile(path: string): Catalog {
    return path.endsWith(".po")
      ? Catalog.fromPo(Deno.readTextFileSync(path))
      : Catalog.fromMo(Deno.readFileSync(path));
  }

  /** The translation of `id` in `context` ("" for none), or undefined. */
  message(context: string, id: string): string | undefined {
    return this.#singular.get(context ? context + CONTEXT_SEPARATOR + id : id);
  }

  /** The plural form of `id` in `context` for `count`, or undefined. */
  pluralMessage(context: string, id: string, count: number): string | undefined {
    const forms = this.#plural.get(context ? context + CONTEXT_SEPARATOR + id : id);
    if (forms === undefined) return undefined;
    return forms[this.plural(count)];
  }
}
