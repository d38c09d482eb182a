import { defineMessages } from "./define";

// Filled in with the directory screens.
export const directory = defineMessages({ title: "员工目录" }, { title: "Directory" });
