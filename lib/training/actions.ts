"use server";
import { defineAction } from "@/lib/server/action";
import { acknowledgePolicy, assignByHand, bulkRemind, createCourse, createPolicy, publishPolicyVersion, recordOutsideCompletion, setCourseActive, submitAttempt, updateCourse } from "./commands";
import { acknowledgeSchema, assignByHandSchema, attemptSchema, bulkRemindSchema, courseActiveSchema, courseSchema, courseUpdateSchema, newPolicySchema, outsideCompletionSchema, publishPolicySchema } from "./schemas";

// Training's Server Actions: each one defineAction (session → actor → zod → permission →
// transaction → command → audit → typed result).

export const createCourseAction = defineAction({
  schema: courseSchema,
  permission: "training.manage",
  run: (ctx) => createCourse(ctx),
  revalidate: () => ["/training", "/training/manage", "/training/overview"],
});

export const updateCourseAction = defineAction({
  schema: courseUpdateSchema,
  permission: "training.manage",
  run: (ctx) => updateCourse(ctx),
  revalidate: (r) => ["/training", "/training/manage", `/training/manage/courses/${r.id}`, `/training/courses/${r.id}`, "/training/overview"],
});

export const setCourseActiveAction = defineAction({
  schema: courseActiveSchema,
  permission: "training.manage",
  run: (ctx) => setCourseActive(ctx),
  revalidate: () => ["/training/manage"],
});

export const submitAttemptAction = defineAction({
  schema: attemptSchema,
  permission: "training.take",
  run: (ctx) => submitAttempt(ctx),
  revalidate: (r) => (r.passed ? ["/training", "/training/overview", "/"] : []),
});

export const acknowledgePolicyAction = defineAction({
  schema: acknowledgeSchema,
  permission: "training.take",
  run: (ctx) => acknowledgePolicy(ctx),
  revalidate: () => ["/training", "/training/overview", "/"],
});

export const publishPolicyAction = defineAction({
  schema: publishPolicySchema,
  permission: "training.manage",
  run: (ctx) => publishPolicyVersion(ctx),
  revalidate: () => ["/training", "/training/manage", "/training/overview", "/"],
});

export const createPolicyAction = defineAction({
  schema: newPolicySchema,
  permission: "training.manage",
  run: (ctx) => createPolicy(ctx),
  revalidate: () => ["/training", "/training/manage", "/training/overview", "/"],
});

export const assignByHandAction = defineAction({
  schema: assignByHandSchema,
  permission: "training.assign",
  run: (ctx) => assignByHand(ctx),
  revalidate: () => ["/training/overview", "/training/manage"],
});

export const recordOutsideCompletionAction = defineAction({
  schema: outsideCompletionSchema,
  permission: "training.assign",
  run: (ctx) => recordOutsideCompletion(ctx),
  revalidate: () => ["/training/overview", "/training/manage"],
});

export const bulkRemindAction = defineAction({
  schema: bulkRemindSchema,
  permission: ["training.read:department", "training.assign", "training.manage"],
  run: (ctx) => bulkRemind(ctx),
});
