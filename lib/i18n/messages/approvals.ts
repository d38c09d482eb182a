import { defineMessages } from "./define";

// Filled in by the approvals capability.
export const approvals = defineMessages({ title: "审批" }, { title: "Approvals" });
