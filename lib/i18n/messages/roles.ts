import { defineMessages } from "./define";

export const roles = defineMessages(
  {
    ADMIN: "系统管理员",
    HR: "人事",
    MANAGER: "部门经理",
    PRIVACY_OFFICER: "个人信息保护负责人",
    AUDITOR: "审计员",
    EMPLOYEE: "员工",
  },
  {
    ADMIN: "Administrator",
    HR: "HR",
    MANAGER: "Manager",
    PRIVACY_OFFICER: "Privacy officer",
    AUDITOR: "Auditor",
    EMPLOYEE: "Employee",
  },
);
