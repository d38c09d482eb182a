import { defineMessages } from "./define";

export const home = defineMessages(
  {
    greeting: "您好，{name}",
    attentionTitle: "待我处理",
    attentionEmpty: "目前没有需要您处理的事项。",
    yourRoles: "您的角色",
    yourDepartment: "所在部门",
  },
  {
    greeting: "Hello, {name}",
    attentionTitle: "Needs my attention",
    attentionEmpty: "Nothing needs your attention right now.",
    yourRoles: "Your roles",
    yourDepartment: "Department",
  },
);
