import { defineMessages } from "./define";

// Filled in by the customer-contact import.
export const contactImport = defineMessages({ title: "导入客户" }, { title: "Import customer contacts" });
