import { defineMessages } from "./define";

// Filled in with the job queue's administration page.
export const jobs = defineMessages({ title: "后台任务" }, { title: "Background jobs" });
