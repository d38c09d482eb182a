import { z } from "zod";
import { id, optionalId } from "@/lib/validation";
import { LIMITS } from "./parse";

// Shared by the browser and the server.
export const confirmImportSchema = z.object({ importId: id });

/** The upload's query string: the file's name, for the record and the report's name. */
export const uploadQuerySchema = z.object({
  fileName: z
    .string()
    .transform((v) => v.replace(/[\u0000-\u001F\u007F-\u009F/\\]/g, "").trim().slice(0, 255))
    .catch("contacts.csv"),
  /** Parts: a file is sent in parts of at most LIMITS.chunkBytes; part 0 opens the import. */
  part: z.coerce.number().int().min(0).max(LIMITS.maxParts - 1).default(0),
  parts: z.coerce.number().int().min(1).max(LIMITS.maxParts).default(1),
  /** The whole file's size in bytes, checked against what arrived. */
  size: z.coerce.number().int().min(0).max(LIMITS.maxBytes),
  importId: optionalId,
});

export const importIdQuerySchema = z.object({ id });
