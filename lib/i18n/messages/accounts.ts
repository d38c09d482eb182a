import { defineMessages } from "./define";

// Filled in by the accounts capability.
export const accounts = defineMessages({ title: "账号资产" }, { title: "Accounts" });
