import "server-only";
import { newId } from "@/lib/ids";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import type { MediaCreateInput, MediaUpdateInput } from "./schemas";

// The media library's writes. Every employee registers the media they use (content.submit);
// the person who registered an asset, or media.manage, edits it. A licence type other than NONE
// may have no end date (perpetual); NONE with an end date makes no sense and is refused.

export const MEDIA_ENTITY = "MediaAsset";

function fields(input: MediaCreateInput) {
  if (input.licenceType === "NONE" && (input.licenceExpiresOn || input.licensee)) {
    throw new DomainError("VALIDATION", "content.errors.licenceNone", { field: "licenceType" });
  }
  return {
    kind: input.kind,
    name: input.name,
    source: input.source,
    licenceType: input.licenceType,
    licensee: input.licensee ?? null,
    scope: input.scope ?? null,
    licenceExpiresOn: input.licenceExpiresOn ?? null,
    note: input.note ?? null,
  };
}

const view = (a: ReturnType<typeof fields>) => ({ ...a, licenceExpiresOn: a.licenceExpiresOn ? a.licenceExpiresOn.toISOString().slice(0, 10) : null });

export async function registerMedia({ actor, input, tx, audit }: ActionContext<MediaCreateInput>): Promise<{ id: string }> {
  if (!actor.permissions.has("content.submit") && !actor.permissions.has("media.manage")) throw forbidden();
  const data = fields(input);
  const id = newId();
  await tx.mediaAsset.create({ data: { id, ...data, registeredById: actor.id } });
  await audit({ action: "media.register", entityType: MEDIA_ENTITY, entityId: id, before: null, after: view(data) });
  return { id };
}

export async function updateMedia({ actor, input, tx, audit }: ActionContext<MediaUpdateInput>): Promise<{ id: string; version: number }> {
  await tx.$queryRaw`SELECT "id" FROM "media_assets" WHERE "id" = ${input.id} FOR UPDATE`;
  const asset = await tx.mediaAsset.findUnique({ where: { id: input.id } });
  if (!asset) throw notFound();
  if (asset.registeredById !== actor.id && !actor.permissions.has("media.manage")) throw forbidden();
  if (asset.version !== input.version) throw stale();
  const data = fields(input);
  const { count } = await tx.mediaAsset.updateMany({ where: { id: asset.id, version: asset.version }, data: { ...data, version: { increment: 1 } } });
  if (count !== 1) throw stale();
  await audit({
    action: "media.update",
    entityType: MEDIA_ENTITY,
    entityId: asset.id,
    before: view({ kind: asset.kind, name: asset.name, source: asset.source, licenceType: asset.licenceType, licensee: asset.licensee, scope: asset.scope, licenceExpiresOn: asset.licenceExpiresOn, note: asset.note }),
    after: view(data),
  });
  return { id: asset.id, version: asset.version + 1 };
}
