import { randomUUID } from "node:crypto";

/** A new record id, made before the insert when it is needed in the same statement (a
 * department's id is part of its own path). 32 lowercase hex characters. */
export function newId(): string {
  return randomUUID().replace(/-/g, "");
}
