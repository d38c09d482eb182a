import { searchActivePeople } from "@/lib/groups/queries";
import { peopleSearchSchema } from "@/lib/groups/schemas";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// Active employees for choosing a group's owner and administrators (components/groups/
// employee-picker.tsx): at most 20, with name, employee number and department only. Anyone who
// may request a group may choose people for it.
export const GET = defineRoute({
  query: peopleSearchSchema,
  permission: ["groups.request", "groups.manage"],
  async run({ input }) {
    const people = await searchActivePeople(db(), input.q);
    return Response.json({ people }, { headers: { "Cache-Control": "no-store" } });
  },
});
