/**
 * The Django template engine: compile once, render many, byte-for-byte with Django 3.2.
 * @module
 */
export { Engine, type EngineOptions } from "./engine.ts";
export { Template, type TemplateOwner } from "./template.ts";
export { Context, type SavedScopes, type Scope } from "./context.ts";
export { type LocalesOptions, Translations } from "./i18n/translations.ts";
export type { TemplateHooks } from "./hooks.ts";
export { escapeHtml, isSafe, markSafe, SafeString } from "./safe.ts";
export {
  NoReverseMatch,
  type PythonErrorName,
  TemplateDoesNotExist,
  TemplateError,
  type TemplateErrorOptions,
  type TemplatePosition,
  TemplateRenderError,
  type TemplateRenderErrorOptions,
  TemplateSyntaxError,
  VariableDoesNotExist,
} from "./errors.ts";
export { type AppliedFilter, FilterExpression, Variable } from "./expression.ts";
export {
  type BranchingNode,
  interpretNodes,
  isBranching,
  isLooping,
  type LiveRole,
  type LoopingNode,
  Node,
  type NodeList,
  renderNodes,
  renderValue,
  type TemplateOrigin,
  TextNode,
  VariableNode,
} from "./nodes.ts";
export { CodeWriter, type LocalBinding } from "./compiler/writer.ts";
export { Parser, type ParserOptions, TagToken, type Token, TokenKind } from "./parser.ts";
export {
  type FilterArity,
  type FilterDefinition,
  type FilterEnv,
  type FilterFunction,
  FilterRegistry,
} from "./filters/registry.ts";
export {
  type LoadedTemplate,
  type SimpleTagOptions,
  type TagCompiler,
  TagRegistry,
  type TemplateSource,
} from "./tags/registry.ts";
export {
  ComponentNode,
  type ComponentSource,
  conventionalTemplateName,
  DEFAULT_SLOT,
  RenderSlotNode,
} from "./tags/component.ts";
