import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, notFound } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import { requireAny } from "./access";
import { guessField, identifierHashes, IDENTIFIER_FIELDS, protectIdentifier, revealIdentifier, type IdentifierField } from "./identifiers";
import type { RevealInput, SubjectInput } from "./schemas";

// Data subjects (customers and employees). Identifiers are stored as token + keyed hash + mask;
// each identifier belongs to one subject (unique hash), and registering one that another subject
// already has is refused naming that subject, so a consent is never filed under the wrong person.

export const SUBJECT_ENTITY = "DataSubject";
const IDENTIFIER_LOCK = 4_200_502;

const HASH_COLUMN = { phone: "phoneHash", wecomId: "wecomIdHash", email: "emailHash" } as const;

export type SubjectCommandContext = Pick<ActionContext<unknown>, "actor" | "tx" | "audit">;

/** The subject that holds this exact identifier (through the keyed hash), or null. */
export async function subjectByIdentifier(tx: Tx, field: IdentifierField, value: string) {
  const where = { [HASH_COLUMN[field]]: { in: identifierHashes(field, value) } } as Prisma.DataSubjectWhereInput;
  return tx.dataSubject.findFirst({ where, select: { id: true, name: true, kind: true, erasedAt: true } });
}

/** A free-text identifier (phone, WeCom id or e-mail) to its subject. */
export async function findSubject(tx: Tx, value: string) {
  const v = value.trim();
  if (!v) return null;
  return subjectByIdentifier(tx, guessField(v), v);
}

/** Protects the identifiers given and refuses one that belongs to another subject. */
export async function protectedIdentifiers(tx: Tx, input: Partial<Record<IdentifierField, string | undefined>>, selfId?: string) {
  const data: Record<string, string | null> = {};
  for (const field of IDENTIFIER_FIELDS) {
    const value = input[field];
    if (!value) continue;
    const p = protectIdentifier(field, value);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IDENTIFIER_LOCK}::int, hashtext(${`${field}:${p.hash}`}))`;
    const holder = await subjectByIdentifier(tx, field, value);
    if (holder && holder.id !== selfId) {
      throw new DomainError("CONFLICT", `privacy.errors.identifierTaken.${field}`, { field, params: { name: holder.name, id: holder.id.slice(-6) } });
    }
    data[`${field}Cipher`] = p.cipher;
    data[`${field}Hash`] = p.hash;
    data[`${field}Mask`] = p.mask;
  }
  return data;
}

export async function createSubject(ctx: SubjectCommandContext, input: SubjectInput): Promise<{ id: string }> {
  const { actor, tx, audit } = ctx;
  requireAny(actor, "consents.record", "privacy.manage");
  const identifiers = await protectedIdentifiers(tx, input);
  const subject = await tx.dataSubject.create({ data: { kind: input.kind, name: input.name, createdById: actor.id, ...identifiers } });
  await audit({
    action: "dataSubject.create",
    entityType: SUBJECT_ENTITY,
    entityId: subject.id,
    before: null,
    after: { kind: subject.kind, name: subject.name, phone: subject.phoneMask, wecomId: subject.wecomIdMask, email: subject.emailMask },
  });
  return { id: subject.id };
}

export const createSubjectCommand = ({ actor, input, tx, audit }: ActionContext<SubjectInput>) => createSubject({ actor, tx, audit }, input);

/** The clear identifier for privacy.reveal; the reveal is audited (which field, never the value). */
export async function revealSubjectIdentifier({ actor, input, tx, audit }: ActionContext<RevealInput>): Promise<{ value: string }> {
  requireAny(actor, "privacy.reveal");
  const subject = await tx.dataSubject.findUnique({ where: { id: input.subjectId }, select: { id: true, phoneCipher: true, wecomIdCipher: true, emailCipher: true } });
  if (!subject) throw notFound();
  const token = { phone: subject.phoneCipher, wecomId: subject.wecomIdCipher, email: subject.emailCipher }[input.field];
  if (!token) throw notFound();
  const value = revealIdentifier(token);
  await audit({ action: "dataSubject.reveal", entityType: SUBJECT_ENTITY, entityId: subject.id, after: { field: input.field } });
  return { value };
}
