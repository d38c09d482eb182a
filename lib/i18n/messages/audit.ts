import { defineMessages } from "./define";

// Filled in with the audit trail screens.
export const audit = defineMessages({ title: "审计日志" }, { title: "Audit trail" });
