import { hash } from "@node-rs/argon2";

// argon2id with OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane).
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A valid argon2id hash of a random string, verified against when the e-mail is unknown. */
export const DUMMY_PASSWORD_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$GFtoDLoR6+OPz0FsO5mIbw$FWKR7R306UwC8RxzrSbyRTue2o5189n9DJVP1m+druM";
