import { defineMessages } from "./define";

// Filled in by the offboarding capability.
export const offboarding = defineMessages({ title: "离职交接" }, { title: "Offboarding" });
