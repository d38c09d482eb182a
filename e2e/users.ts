// The demo sign-ins the seed creates (prisma/seed.ts), by role.
export const PASSWORD = "WeGovern-2026!";

export const USERS = {
  admin: { email: "admin@wegovern.demo", name: "周建国" },
  hr: { email: "hr@wegovern.demo", name: "林晓燕" },
  manager: { email: "manager@wegovern.demo", name: "王海涛" },
  privacy: { email: "privacy@wegovern.demo", name: "陈静怡" },
  auditor: { email: "auditor@wegovern.demo", name: "赵明远" },
  employee: { email: "employee@wegovern.demo", name: "李小雨" },
} as const;

export type RoleKey = keyof typeof USERS;

export const storageStateFor = (role: RoleKey) => `e2e/.auth/${role}.json`;
