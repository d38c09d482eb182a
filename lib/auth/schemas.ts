import { z } from "zod";

export const loginSchema = z.object({
  email: z.string({ error: "errors.v.required" }).trim().min(1, { error: "errors.v.required" }).max(320, { error: "errors.v.tooLong" }),
  password: z.string({ error: "errors.v.required" }).min(1, { error: "errors.v.required" }).max(1024, { error: "errors.v.tooLong" }),
});
