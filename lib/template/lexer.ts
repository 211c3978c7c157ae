/**
 * Splits template source into text, variable, block and comment tokens, as Django's Lexer does:
 * tags never span lines, and `{% verbatim %}` turns everything up to its end tag into text.
 * @module
 */
import type { TemplatePosition } from "./errors.ts";

/** The four kinds of token. */
export const enum TokenKind {
  Text = 0,
  Var = 1,
  Block = 2,
  Comment = 3,
}

/** One token and where it starts in the source. */
export interface Token {
  /** Text, variable, block tag or comment. */
  readonly kind: TokenKind;
  /** For Var/Block: the trimmed text between the delimiters. For Text: the raw text. */
  readonly contents: string;
  /** 0-based offset of the token in the source. */
  readonly offset: number;
  /** 1-based line of the token's start. */
  readonly line: number;
}

// Same shape as Django's tag_re: non-greedy, and `.` does not cross newlines, so `{{ a\n}}` is text.
const TAG_RE = /\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}/g;

/** Tokenizes `source`. Text between tags becomes Text tokens; empty text is skipped. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let upto = 0;
  // When inside {% verbatim %}, the exact end tag contents that close it ("endverbatim" or "endverbatim x").
  let verbatimEnd: string | null = null;
  TAG_RE.lastIndex = 0;
  for (let m = TAG_RE.exec(source); m !== null; m = TAG_RE.exec(source)) {
    const start = m.index;
    if (start > upto) {
      const text = source.slice(upto, start);
      tokens.push({ kind: TokenKind.Text, contents: text, offset: upto, line });
      line += countNewlines(text);
    }
    const raw = m[0];
    tokens.push(makeTagToken(raw, start, line));
    upto = start + raw.length;
  }
  if (upto < source.length) {
    tokens.push({ kind: TokenKind.Text, contents: source.slice(upto), offset: upto, line });
  }
  return tokens;

  function makeTagToken(raw: string, offset: number, line: number): Token {
    const open = raw[1];
    const inner = raw.slice(2, -2).trim();
    if (open === "%" && verbatimEnd !== null && inner === verbatimEnd) verbatimEnd = null;
    else if (verbatimEnd !== null) return { kind: TokenKind.Text, contents: raw, offset, line };
    if (open === "{") return { kind: TokenKind.Var, contents: inner, offset, line };
    if (open === "%") {
      if (inner === "verbatim" || inner.startsWith("verbatim ")) verbatimEnd = "end" + inner;
      return { kind: TokenKind.Block, contents: inner, offset, line };
    }
    return { kind: TokenKind.Comment, contents: "", offset, line };
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Computes the position (line, column, excerpt) of `offset` in `source`, for error messages. */
export function positionOf(source: string, offset: number, template: string): TemplatePosition {
  const lineStart = source.lastIndexOf("\n", offset - 1) + 1;
  let lineEnd = source.indexOf("\n", offset);
  if (lineEnd === -1) lineEnd = source.length;
  let line = 1;
  for (let i = source.indexOf("\n"); i !== -1 && i < offset; i = source.indexOf("\n", i + 1)) {
    line++;
  }
  return {
    template,
    line,
    column: offset - lineStart + 1,
    excerpt: source.slice(lineStart, lineEnd).replace(/\r$/, ""),
  };
}

/**
 * Splits tag contents on whitespace, keeping quoted strings (with backslash escapes) together,
 * like Django's `Token.split_contents` (including `_("...")` translation bits).
 */
export function splitContents(contents: string): string[] {
  const bits: string[] = [];
  SPLIT_RE.lastIndex = 0;
  for (let m = SPLIT_RE.exec(contents); m !== null; m = SPLIT_RE.exec(contents)) bits.push(m[0]);
  // Re-join `_("two words")` that the split cut apart, as Django does.
  const out: string[] = [];
  for (let i = 0; i < bits.length; i++) {
    let bit = bits[i];
    if (bit.startsWith('_("') || bit.startsWith("_('")) {
      const sentinel = bit[2] + ")";
      while (!bit.endsWith(sentinel) && i + 1 < bits.length) bit += " " + bits[++i];
    }
    out.push(bit);
  }
  return out;
}

const SPLIT_RE = /(?:[^\s'"]*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')[^\s'"]*)+)|\S+/g;
