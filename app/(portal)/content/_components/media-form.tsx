"use client";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { Card } from "@/components/ui/card";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { registerMediaAction, updateMediaAction } from "@/lib/content/actions";
import { LICENCE_TYPES, MEDIA_KINDS } from "@/lib/content/media-check";
import { mediaCreateSchema, mediaUpdateSchema } from "@/lib/content/schemas";
import { useI18n } from "@/lib/i18n/client";

export type MediaDefaults = { id: string; version: number; kind: string; name: string; source: string; licenceType: string; licensee: string; scope: string; licenceExpiresOn: string; note: string };

// Register a media asset, or edit one (its registrant or media.manage).
export function MediaForm({ defaults }: { defaults?: MediaDefaults }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback((data: { id: string }) => (defaults ? router.refresh() : router.push(`/content/media/${data.id}`)), [router, defaults]);
  return (
    <Card>
      <ActionForm
        action={defaults ? updateMediaAction : registerMediaAction}
        schema={defaults ? mediaUpdateSchema : mediaCreateSchema}
        onSuccess={onSuccess}
        successMessage={defaults ? t("content.media.saved") : undefined}
        ariaLabel={t(defaults ? "content.media.editTitle" : "content.media.registerTitle")}
      >
        {defaults ? (
          <>
            <input type="hidden" name="id" value={defaults.id} />
            <input type="hidden" name="version" value={defaults.version} />
          </>
        ) : null}
        <SelectField name="kind" label={t("content.media.fields.kind")} required defaultValue={defaults?.kind ?? "IMAGE"} options={MEDIA_KINDS.map((k) => ({ value: k, label: t(`content.mediaKind.${k}`) }))} />
        <TextField name="name" label={t("content.media.fields.name")} required maxLength={200} defaultValue={defaults?.name} autoComplete="off" />
        <TextField name="source" label={t("content.media.fields.source")} required maxLength={500} defaultValue={defaults?.source} autoComplete="off" />
        <SelectField name="licenceType" label={t("content.media.fields.licenceType")} required defaultValue={defaults?.licenceType ?? "PURCHASED"} options={LICENCE_TYPES.map((k) => ({ value: k, label: t(`content.licenceType.${k}`) }))} />
        <TextField name="licensee" label={t("content.media.fields.licensee")} maxLength={200} defaultValue={defaults?.licensee} autoComplete="off" />
        <TextField name="scope" label={t("content.media.fields.scope")} maxLength={500} defaultValue={defaults?.scope} autoComplete="off" />
        <TextField name="licenceExpiresOn" type="date" label={t("content.media.fields.licenceExpiresOn")} hint={t("content.media.expiresHint")} defaultValue={defaults?.licenceExpiresOn} />
        <TextAreaField name="note" label={t("content.media.fields.note")} maxLength={500} rows={2} defaultValue={defaults?.note} />
        <SubmitButton>{defaults ? t("content.media.save") : t("content.media.register")}</SubmitButton>
      </ActionForm>
    </Card>
  );
}
