"use client";
import { useRouter } from "next/navigation";
import { useCallback, useDeferredValue, useMemo, useRef, useState } from "react";
import { Card } from "@/components/ui/card";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton, useFieldErrors } from "@/components/ui/form";
import { createSubmissionAction, reviseSubmissionAction } from "@/lib/content/actions";
import { compileMatcher } from "@/lib/content/matcher";
import { checkMedia, dayKey, MEDIA_ARTICLE, type LicenceType } from "@/lib/content/media-check";
import { CONTENT_KINDS, plannedAt, submissionCreateSchema, submissionReviseSchema, TITLE_MAX, utf8Bytes } from "@/lib/content/schemas";
import { useI18n } from "@/lib/i18n/client";
import { HighlightedText } from "./highlighted-text";

export type LiveRules = {
  terms: Array<{ rule: string; term: string; standsAlone: boolean }>;
  exemptions: string[];
  rules: Array<{ code: string; nameZh: string; nameEn: string; article: string }>;
};
export type MediaChoice = { id: string; kind: string; name: string; licenceType: string; licenceExpiresOn: string | null };
export type AccountChoice = { id: string; displayName: string; type: string };
export type SubmissionDefaults = {
  id: string;
  version: number;
  kind: string;
  title: string;
  body: string;
  mediaIds: string[];
  plannedAt: string;
  accountId: string | null;
  accountName: string;
};

function MediaChecklist({ media, defaults, today, onToggle }: { media: MediaChoice[]; defaults: string[]; today: string; onToggle: (id: string, on: boolean) => void }) {
  const { t } = useI18n();
  const errors = useFieldErrors("mediaIds");
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">{t("content.fields.media")}</legend>
      <p className="text-xs text-slate-500">{t("content.form.mediaHint")}</p>
      {media.length === 0 ? <p className="text-sm text-slate-600">{t("content.form.mediaEmpty")}</p> : null}
      <ul className="max-h-56 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2">
        {media.map((m) => {
          const state =
            m.licenceType === "NONE"
              ? t("content.licence.missing")
              : !m.licenceExpiresOn
                ? t("content.licence.perpetual")
                : m.licenceExpiresOn < today
                  ? t("content.licence.expired", { date: m.licenceExpiresOn })
                  : t("content.licence.valid", { date: m.licenceExpiresOn });
          return (
            <li key={m.id}>
              <label className="flex min-h-8 items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="mediaIds"
                  value={m.id}
                  defaultChecked={defaults.includes(m.id)}
                  onChange={(e) => onToggle(m.id, e.target.checked)}
                  className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-400"
                />
                <span>
                  {m.name}（{t(`content.mediaKind.${m.kind}`)}）<span className="text-slate-500"> · {state}</span>
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      {errors?.length ? (
        <p className="text-sm text-red-700" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

// The content form: new submission or a new revision. The checks run in the browser as the body
// is typed (the same matcher and rule lists the server uses when saving).
export function SubmissionForm({ rules, media, accounts, defaults, defaultPlanned }: { rules: LiveRules; media: MediaChoice[]; accounts: AccountChoice[]; defaults?: SubmissionDefaults; defaultPlanned: string }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const intent = useRef<HTMLInputElement>(null);
  const [body, setBody] = useState(defaults?.body ?? "");
  const [selected, setSelected] = useState<string[]>(defaults?.mediaIds ?? []);
  const [planned, setPlanned] = useState(defaults?.plannedAt ?? defaultPlanned);
  const deferred = useDeferredValue(body);
  const matcher = useMemo(() => compileMatcher(rules), [rules]);
  const hits = useMemo(() => matcher.match(deferred), [matcher, deferred]);
  const ruleInfo = useMemo(() => new Map(rules.rules.map((r) => [r.code, r])), [rules]);
  const onSuccess = useCallback((data: { id: string }) => router.push(`/content/${data.id}`), [router]);
  const today = dayKey(new Date());
  const edit = Boolean(defaults);
  const name = (code: string) => {
    const r = ruleInfo.get(code);
    return r ? (locale === "en" ? r.nameEn : r.nameZh) : code;
  };
  const plannedDate = useMemo(() => {
    const parsed = plannedAt.safeParse(planned);
    return parsed.success ? parsed.data : null;
  }, [planned]);
  const mediaFindings = useMemo(
    () =>
      plannedDate
        ? checkMedia(
            media.filter((m) => selected.includes(m.id)).map((m) => ({ id: m.id, name: m.name, licenceType: m.licenceType as LicenceType, licenceExpiresOn: m.licenceExpiresOn ? new Date(`${m.licenceExpiresOn}T00:00:00.000Z`) : null })),
            plannedDate,
          )
        : [],
    [media, selected, plannedDate],
  );
  const total = hits.length + mediaFindings.length;
  const labelled = hits.map((h, i) => ({ ...h, id: String(i), label: `${name(h.rule)} · ${ruleInfo.get(h.rule)?.article ?? ""}` }));
  const sizeKb = Math.ceil(utf8Bytes(body) / 1024);

  return (
    <Card>
      <ActionForm
        action={edit ? reviseSubmissionAction : createSubmissionAction}
        schema={edit ? submissionReviseSchema : submissionCreateSchema}
        onSuccess={onSuccess}
        ariaLabel={t(edit ? "content.form.editTitle" : "content.form.newTitle")}
      >
        <input ref={intent} type="hidden" name="intent" defaultValue="draft" />
        {defaults ? (
          <>
            <input type="hidden" name="id" value={defaults.id} />
            <input type="hidden" name="version" value={defaults.version} />
          </>
        ) : null}
        <SelectField name="kind" label={t("content.fields.kind")} required defaultValue={defaults?.kind ?? "MOMENTS_POST"} options={CONTENT_KINDS.map((k) => ({ value: k, label: t(`content.kind.${k}`) }))} />
        <TextField name="title" label={t("content.fields.title")} required maxLength={TITLE_MAX} defaultValue={defaults?.title} autoComplete="off" />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <SelectField
            name="accountId"
            label={t("content.fields.accountId")}
            hint={t("content.form.accountHint")}
            placeholder={t("content.form.accountNone")}
            defaultValue={defaults?.accountId ?? ""}
            options={accounts.map((a) => ({ value: a.id, label: a.displayName }))}
          />
          <TextField name="accountName" label={t("content.fields.accountName")} maxLength={100} defaultValue={defaults?.accountId ? "" : (defaults?.accountName ?? "")} autoComplete="off" />
        </div>
        <TextField name="plannedAt" type="datetime-local" label={t("content.fields.plannedAt")} hint={t("content.form.plannedHint")} required defaultValue={defaults?.plannedAt ?? defaultPlanned} onChange={(e) => setPlanned(e.target.value)} />
        <TextAreaField
          name="body"
          label={t("content.fields.body")}
          hint={`${t("content.form.bodyHint")} ${t("content.form.bodySize", { size: sizeKb })}`}
          required
          rows={10}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        <section aria-live="polite" className="space-y-2" data-testid="live-findings">
          <h2 className="text-sm font-medium text-slate-800">{t("content.form.liveTitle")}</h2>
          {total === 0 ? (
            <p className="text-sm text-green-800">{t("content.form.liveNone")}</p>
          ) : (
            <>
              <p className="text-sm text-amber-900">{t("content.form.liveCount", { count: total })}</p>
              <ul className="list-inside list-disc text-sm text-slate-800">
                {labelled.slice(0, 50).map((h) => (
                  <li key={h.id} data-testid="live-finding">
                    “{deferred.slice(h.start, h.end)}” — {h.label}
                  </li>
                ))}
                {mediaFindings.map((f) => (
                  <li key={f.mediaId} data-testid="live-finding">
                    “{f.term}” — {t(`content.mediaRule.${f.rule}`)} · {MEDIA_ARTICLE}
                  </li>
                ))}
              </ul>
              {hits.length > 0 && body.length <= 100_000 ? <HighlightedText text={deferred} hits={labelled} /> : null}
            </>
          )}
        </section>
        <MediaChecklist
          media={media}
          defaults={defaults?.mediaIds ?? []}
          today={today}
          onToggle={(id, on) => setSelected((prev) => (on ? [...prev.filter((x) => x !== id), id] : prev.filter((x) => x !== id)))}
        />
        {edit ? <TextAreaField name="note" label={t("content.fields.note")} maxLength={500} rows={2} /> : null}
        <div className="flex flex-wrap gap-2">
          <span onClickCapture={() => intent.current && (intent.current.value = "draft")}>
            <SubmitButton variant="secondary">{t("content.form.saveDraft")}</SubmitButton>
          </span>
          <span onClickCapture={() => intent.current && (intent.current.value = "submit")}>
            <SubmitButton>{t("content.form.saveAndSubmit")}</SubmitButton>
          </span>
        </div>
      </ActionForm>
    </Card>
  );
}
