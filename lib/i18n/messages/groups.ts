import { defineMessages } from "./define";

// Filled in by the groups capability.
export const groups = defineMessages({ title: "工作群" }, { title: "Work groups" });
