"use server";
import { defineAction } from "@/lib/server/action";
import { recordConsentCommand, renewConsentCommand, withdrawConsentCommand } from "./consents";
import { confirmConsentImport, stageConsentImport } from "./import";
import { createIncident, updateIncident } from "./incidents";
import { draftNotice, publishNotice, retireNotice, updateNoticeDraft } from "./notices";
import { completeRequest, createRequest, refuseRequest, verifyIdentity } from "./requests";
import {
  completeSchema,
  confirmImportSchema,
  consentSchema,
  importSchema,
  incidentSchema,
  incidentUpdateSchema,
  noticeDraftSchema,
  noticeRefSchema,
  noticeUpdateSchema,
  refuseSchema,
  renewSchema,
  requestSchema,
  revealSchema,
  subjectSchema,
  verifySchema,
  withdrawSchema,
} from "./schemas";
import { createSubjectCommand, revealSubjectIdentifier } from "./subjects";

// The privacy Server Actions: each one defineAction (session → actor → zod → permission →
// transaction → command → audit → typed result). The commands check state and version.

const HOME = "/privacy";
const notice = ({ id }: { id: string }) => [HOME, `${HOME}/notices`, `${HOME}/notices/${id}`];
const subject = ({ subjectId }: { subjectId: string }) => [HOME, `${HOME}/consents`, `${HOME}/subjects/${subjectId}`];
const request = ({ id }: { id: string }) => ["/", `${HOME}/requests`, `${HOME}/requests/${id}`];
const incident = ({ id }: { id: string }) => ["/", `${HOME}/incidents`, `${HOME}/incidents/${id}`];

export const draftNoticeAction = defineAction({ schema: noticeDraftSchema, permission: "privacy.manage", run: draftNotice, revalidate: notice });
export const updateNoticeAction = defineAction({ schema: noticeUpdateSchema, permission: "privacy.manage", run: updateNoticeDraft, revalidate: notice });
export const publishNoticeAction = defineAction({ schema: noticeRefSchema, permission: "privacy.manage", run: publishNotice, revalidate: notice });
export const retireNoticeAction = defineAction({ schema: noticeRefSchema, permission: "privacy.manage", run: retireNotice, revalidate: notice });

export const createSubjectAction = defineAction({ schema: subjectSchema, permission: ["consents.record", "privacy.manage"], run: createSubjectCommand, revalidate: ({ id }) => subject({ subjectId: id }) });
export const revealSubjectAction = defineAction({ schema: revealSchema, permission: "privacy.reveal", run: revealSubjectIdentifier });

export const recordConsentAction = defineAction({
  schema: consentSchema,
  permission: "consents.record",
  run: async (ctx) => ({ ...(await recordConsentCommand(ctx)), subjectId: ctx.input.subjectId }),
  revalidate: subject,
});
export const withdrawConsentAction = defineAction({ schema: withdrawSchema, permission: "consents.record", run: withdrawConsentCommand, revalidate: subject });
export const renewConsentAction = defineAction({ schema: renewSchema, permission: "consents.record", run: renewConsentCommand, revalidate: subject });

export const createRequestAction = defineAction({ schema: requestSchema, permission: "privacy.manage", run: (ctx) => createRequest(ctx), revalidate: request });
export const verifyRequestAction = defineAction({ schema: verifySchema, permission: "privacy.manage", run: verifyIdentity, revalidate: request });
export const completeRequestAction = defineAction({ schema: completeSchema, permission: "privacy.manage", run: (ctx) => completeRequest(ctx), revalidate: request });
export const refuseRequestAction = defineAction({ schema: refuseSchema, permission: "privacy.manage", run: (ctx) => refuseRequest(ctx), revalidate: request });

export const createIncidentAction = defineAction({ schema: incidentSchema, permission: "privacy.manage", run: (ctx) => createIncident(ctx), revalidate: incident });
export const updateIncidentAction = defineAction({ schema: incidentUpdateSchema, permission: "privacy.manage", run: (ctx) => updateIncident(ctx), revalidate: incident });

export const stageImportAction = defineAction({ schema: importSchema, permission: "privacy.manage", run: stageConsentImport, revalidate: () => `${HOME}/import` });
export const confirmImportAction = defineAction({ schema: confirmImportSchema, permission: "privacy.manage", run: confirmConsentImport, revalidate: () => [`${HOME}/import`, `${HOME}/consents`] });
