// The one check of a CSV's columns against the fields that exist, for both
// CSV sources: a CSV by URL (its normalised headers are the mapping) and an
// admin upload (the staff member's mapping, which may skip columns). Each
// caller words the problems for its audience.
import { isBuiltinKey, SKIP, type FieldCatalog } from "../fields";

export type MappingProblems = {
  /** Columns mapped to something that is not a field. */
  unknown: number[];
  /** [column, earlier column] pairs that go to the same field. */
  repeated: [number, number][];
  missingExternalId: boolean;
};

export function checkMapping(mapping: readonly string[], catalog: FieldCatalog): MappingProblems {
  const problems: MappingProblems = { unknown: [], repeated: [], missingExternalId: false };
  const first = new Map<string, number>();
  mapping.forEach((field, i) => {
    if (field === SKIP) return;
    if (!isBuiltinKey(field) && !catalog.has(field)) problems.unknown.push(i);
    else if (first.has(field)) problems.repeated.push([i, first.get(field)!]);
    else first.set(field, i);
  });
  problems.missingExternalId = !first.has("external_id");
  return problems;
}

export const hasProblems = (p: MappingProblems) => p.unknown.length > 0 || p.repeated.length > 0 || p.missingExternalId;
