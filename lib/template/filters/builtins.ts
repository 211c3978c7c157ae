/**
 * The built-in filters: Django 3.2's 57 plus `escapeseq` from Django 5.
 * @module
 */
import { dateFilters } from "./dates.ts";
import { markupFilters } from "./markup.ts";
import { numericFilters } from "./numeric.ts";
import type { FilterRegistry } from "./registry.ts";
import { sequenceFilters } from "./sequences.ts";
import { stringFilters } from "./strings.ts";

/** Adds every built-in filter to `filters`. */
export function registerBuiltinFilters(filters: FilterRegistry): void {
  filters.addAll(stringFilters);
  filters.addAll(markupFilters);
  filters.addAll(numericFilters);
  filters.addAll(sequenceFilters);
  filters.addAll(dateFilters);
}
