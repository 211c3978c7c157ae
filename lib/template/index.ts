/**
 * The Django template engine: compile once, render many, byte-for-byte with Django 3.2.
 * @module
 */
export { Engine, type EngineOptions } from "./engine.ts";
export { Template } from "./template.ts";
export { Context } from "./context.ts";
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
export { FilterExpression, Variable } from "./expression.ts";
export {
  interpretNodes,
  Node,
  type NodeList,
  renderNodes,
  renderValue,
  type TemplateOrigin,
  TextNode,
  VariableNode,
} from "./nodes.ts";
export { CodeWriter, type LocalBinding } from "./compiler/writer.ts";
export { Parser, TagToken } from "./parser.ts";
export {
  type FilterArity,
  type FilterDefinition,
  type FilterEnv,
  type FilterFunction,
  FilterRegistry,
} from "./filters/registry.ts";
export { type SimpleTagOptions, type TagCompiler, TagRegistry } from "./tags/registry.ts";
