import { uploadResponse } from "@/lib/accounts/import/upload";
import { uploadQuerySchema } from "@/lib/accounts/import/schemas";
import { defineRoute } from "@/lib/server/route";

// POST the CSV file as the raw body (?fileName=...); the response streams staging progress.
export const POST = defineRoute({
  query: uploadQuerySchema,
  permission: "accounts.manage",
  run: ({ actor, input, request }) => uploadResponse(request, actor, input.fileName),
});
