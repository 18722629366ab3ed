import type { Db } from "../db/client";
import type { CustomFieldKind, FieldCatalog } from "../targets/fields";

export async function loadCatalog(d: Db): Promise<FieldCatalog> {
  const fields = await d.prisma.customField.findMany({ select: { slug: true, kind: true } });
  return new Map(fields.map((f) => [f.slug, f.kind as CustomFieldKind]));
}
