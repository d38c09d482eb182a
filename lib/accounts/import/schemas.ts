import { z } from "zod";
import { id } from "@/lib/validation";

// Shared by the browser and the server.
export const confirmImportSchema = z.object({ importId: id });

/** The upload's query string: the file's name, for the record and the report's name. */
export const uploadQuerySchema = z.object({
  fileName: z
    .string()
    .transform((v) => v.replace(/[\u0000-\u001F\u007F-\u009F/\\]/g, "").trim().slice(0, 255))
    .catch("contacts.csv"),
});

export const importIdQuerySchema = z.object({ id });
