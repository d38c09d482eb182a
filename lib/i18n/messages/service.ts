import { defineMessages } from "./define";

export const service = defineMessages({}, {});
