/**
 * `{% live_file_input uploads.avatar %}`: the file input of an upload, rendered from its options
 * (`<input type="file" name="avatar" dj-upload="avatar" accept=".png,.jpg" multiple>`). A
 * hand-written `<input type="file" dj-upload="avatar">` works the same; the tag only saves
 * repeating the options. Extra attributes follow as `name=value` (`id="photo" class="picker"`).
 * @module
 */
import {
  type Context,
  type Engine,
  escapeHtml,
  type FilterExpression,
  Node,
  type Parser,
  type TagToken,
} from "../../template/index.ts";
import type { CodeWriter } from "../../template/index.ts";
import { isUploadSlot } from "./registry.ts";

/** Attributes the tag writes itself; the template may not set them. */
const OWN = new Set(["type", "dj-upload", "accept", "multiple"]);

/**
 * Registers `{% live_file_input %}` on `engine` (the App does it on its own engine).
 *
 * @example
 * ```ts
 * import { Engine } from "../../template/index.ts";
 * import { registerUploadTags } from "./tag.ts";
 * const engine = new Engine();
 * registerUploadTags(engine);
 * ```
 */
export function registerUploadTags(engine: Engine): void {
  engine.tags.set("live_file_input", (parser: Parser, token: TagToken): Node => {
    const bits = token.splitContents().slice(1);
    if (!bits.length) {
      throw parser.error(
        "'live_file_input' takes an upload: {% live_file_input uploads.NAME %}",
        token,
      );
    }
    const attrs: [string, FilterExpression][] = [];
    for (const bit of bits.slice(1)) {
      const m = /^([A-Za-z_:][\w:.-]*)=(.+)$/s.exec(bit);
      if (!m) {
        throw parser.error(`'live_file_input' takes attributes as name=value, not ${bit}`, token);
      }
      if (OWN.has(m[1].toLowerCase())) {
        throw parser.error(
          `'live_file_input' sets ${m[1]} itself, from allowUpload's options`,
          token,
        );
      }
      attrs.push([m[1], parser.compileFilter(m[2], token)]);
    }
    return new LiveFileInputNode(parser.compileFilter(bits[0], token), attrs, bits[0]);
  });
}

/** `{% live_file_input upload attr=value… %}`. Holds no render state. */
class LiveFileInputNode extends Node {
  constructor(
    readonly upload: FilterExpression,
    readonly attrs: readonly [string, FilterExpression][],
    readonly source: string,
  ) {
    super();
  }

  render(ctx: Context): string {
    const slot = this.upload.resolve(ctx);
    if (!isUploadSlot(slot)) {
      throw new Error(
        `{% live_file_input ${this.source} %}: that is not an upload (call this.allowUpload in mount)`,
      );
    }
    let html = `<input type="file" name="${escapeHtml(slot.name)}" dj-upload="${
      escapeHtml(slot.name)
    }"`;
    if (slot.accept) html += ` accept="${escapeHtml(slot.accept)}"`;
    if (slot.maxEntries > 1) html += " multiple";
    for (const [name, expr] of this.attrs) {
      const value = expr.resolve(ctx);
      html += ` ${name}="${
        escapeHtml(value === null || value === undefined ? "" : String(value))
      }"`;
    }
    return html + ">";
  }

  override emit(w: CodeWriter): void {
    w.withContext(this);
  }
}
