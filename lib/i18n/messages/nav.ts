import { defineMessages } from "./define";

export const nav = defineMessages(
  {
    home: "首页",
    employees: "员工",
    departments: "部门",
    audit: "审计日志",
    signOut: "退出登录",
    mainNavigation: "主导航",
  },
  {
    home: "Home",
    employees: "Employees",
    departments: "Departments",
    audit: "Audit trail",
    signOut: "Sign out",
    mainNavigation: "Main navigation",
  },
);
