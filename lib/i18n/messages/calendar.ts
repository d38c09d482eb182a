import { defineMessages } from "./define";

// Filled in by the calendar capability.
export const calendar = defineMessages({ title: "工作日历" }, { title: "Business calendars" });
