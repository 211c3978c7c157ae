/**
 * The built-in filters: Django 3.2's 57 plus `escapeseq` from Django 5.
 * @module
 */
import { dateFilters } from "./dates.ts";
import { htmlFilters } from "./html.ts";
import { listFilters } from "./lists.ts";
import { numberFilters } from "./numbers.ts";
import type { FilterRegistry } from "./registry.ts";
import { textFilters } from "./text.ts";

/** Adds every built-in filter to `filters`. */
export function registerBuiltinFilters(filters: FilterRegistry): void {
  filters.addAll(textFilters);
  filters.addAll(htmlFilters);
  filters.addAll(numberFilters);
  filters.addAll(listFilters);
  filters.addAll(dateFilters);
}
