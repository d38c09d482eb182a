import { generateKey, hashValue, protect } from "@/lib/pii";
import { newId } from "@/lib/ids";
import type { DbClient } from "@/lib/server/prisma-client";
import { makeDepartment, makeEmployee } from "@/prisma/factories";

// A small organisation with accounts to import contacts into. The PII key is generated per test
// file so platform identifiers can be matched by their keyed hash.

export type ImportOrg = {
  adminId: string;
  hrId: string;
  employeeId: string;
  accounts: { wecom: string; wechat: string; closed: string; twinA: string; twinB: string };
};

export async function seedImportOrg(prisma: DbClient): Promise<ImportOrg> {
  process.env.PII_ENCRYPTION_KEY ??= generateKey();
  const dept = await makeDepartment(prisma, { name: "销售部", code: `S${Date.now().toString(36)}` });
  const admin = await makeEmployee(prisma, { departmentId: dept.id, roles: ["ADMIN"] });
  const hr = await makeEmployee(prisma, { departmentId: dept.id, roles: ["HR"] });
  const employee = await makeEmployee(prisma, { departmentId: dept.id, roles: ["EMPLOYEE"] });
  const account = async (displayName: string, platformId: string, status: "ACTIVE" | "DISSOLVED" = "ACTIVE", type: "WECOM_MEMBER" | "WECHAT_PERSONAL" = "WECOM_MEMBER") => {
    const p = protect("identifier", platformId);
    const row = await prisma.account.create({
      data: {
        id: newId(),
        type,
        displayName,
        platformIdCipher: p.cipher,
        platformIdHash: p.hash,
        platformIdMask: p.mask,
        holderId: employee.id,
        custodianDepartmentId: dept.id,
        status,
        requestedById: admin.id,
      },
    });
    return row.id;
  };
  return {
    adminId: admin.id,
    hrId: hr.id,
    employeeId: employee.id,
    accounts: {
      wecom: await account("销售一号", "zhangsan"),
      wechat: await account("客服微信", "wxid_kefu01", "ACTIVE", "WECHAT_PERSONAL"),
      closed: await account("旧账号", "old_user", "DISSOLVED"),
      twinA: await account("同名账号", "twin_a"),
      twinB: await account("同名账号", "twin_b"),
    },
  };
}

export const HEADER = "客户ID,客户名称,企业,添加时间,所属账号";

export function csvBytes(lines: string[], options: { bom?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const body = new TextEncoder().encode(`${lines.join("\r\n")}\r\n`);
  return options.bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...body]) : body;
}

/** A where clause for the contacts with these external ids (found by keyed hash, as the app does). */
export function byExternalIds(values: string[]) {
  return { externalIdHash: { in: values.map((v) => hashValue("identifier", v)) } };
}
