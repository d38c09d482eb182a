import { defineMessages } from "./define";

export const privacy = defineMessages({}, {});
