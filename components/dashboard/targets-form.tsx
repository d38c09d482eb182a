"use client";
import { TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { Table, Td, Th } from "@/components/ui/table";
import { saveTargetsAction } from "@/lib/dashboard/actions";
import { figureMessageKey } from "@/lib/dashboard/format";
import { targetsSchema } from "@/lib/dashboard/schemas";
import { useI18n } from "@/lib/i18n/client";

export type TargetRow = { key: string; kind: "rate" | "count" | "max"; better: "lower" | "higher"; weight: number; green: number; amber: number };

/** Every figure's two thresholds in one form, checked in the browser and again on the server. */
export function TargetsForm({ rows }: { rows: TargetRow[] }) {
  const { t } = useI18n();
  return (
    <ActionForm action={saveTargetsAction} schema={targetsSchema} successMessage={t("dashboard.targets.saved")} ariaLabel={t("dashboard.targets.title")}>
      <Table caption={t("dashboard.targets.title")}>
        <thead>
          <tr>
            <Th>{t("dashboard.targets.figure")}</Th>
            <Th>{t("dashboard.targets.better")}</Th>
            <Th>{t("dashboard.targets.green")}</Th>
            <Th>{t("dashboard.targets.amber")}</Th>
            <Th>{t("dashboard.targets.weight")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => {
            const label = t(`dashboard.figures.${figureMessageKey(r.key)}.label`);
            const unit = t(`dashboard.unit.${r.kind}`).trim();
            return (
              <tr key={r.key}>
                <Td>{label}</Td>
                <Td className="text-xs">{t(r.better === "lower" ? "dashboard.targets.betterLower" : "dashboard.targets.betterHigher")}</Td>
                <Td>
                  <TextField name={`${r.key}.green`} label={<span className="sr-only">{`${label} · ${t("dashboard.targets.green")}${unit ? ` (${unit})` : ""}`}</span>} type="number" min={0} step="any" inputMode="decimal" defaultValue={String(r.green)} className="w-28" />
                </Td>
                <Td>
                  <TextField name={`${r.key}.amber`} label={<span className="sr-only">{`${label} · ${t("dashboard.targets.amber")}${unit ? ` (${unit})` : ""}`}</span>} type="number" min={0} step="any" inputMode="decimal" defaultValue={String(r.amber)} className="w-28" />
                </Td>
                <Td className="tabular-nums">{r.weight}</Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <SubmitButton>{t("dashboard.targets.save")}</SubmitButton>
    </ActionForm>
  );
}
