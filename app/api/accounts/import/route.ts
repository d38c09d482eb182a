import { uploadResponse } from "@/lib/accounts/import/upload";
import { uploadQuerySchema } from "@/lib/accounts/import/schemas";
import { defineRoute } from "@/lib/server/route";

// POST the CSV file as the raw body, in parts of at most 8 MB
// (?fileName=&size=&part=&parts=&importId=); the last part's response streams staging progress.
export const POST = defineRoute({
  query: uploadQuerySchema,
  permission: "accounts.manage",
  run: ({ actor, input, request }) => uploadResponse(request, actor, input),
});
