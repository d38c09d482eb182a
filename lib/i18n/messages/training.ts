import { defineMessages } from "./define";

export const training = defineMessages({}, {});
