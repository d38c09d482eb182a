import { defineMessages } from "./define";

// Messages for DomainError codes and for validation. Validation keys are used as zod messages
// in the schemas (lib/*/schemas.ts) and translated where the errors are shown.
export const errors = defineMessages(
  {
    unauthenticated: "请先登录。",
    forbidden: "您没有权限执行此操作。",
    notFound: "记录不存在，或您没有权限查看。",
    conflict: "与现有记录冲突。",
    invalidState: "记录当前的状态不允许此操作。",
    stale: "该记录已被他人修改。请刷新页面后再试。",
    unexpected: "操作未能完成（参考编号 {ref}）。请稍后重试。",
    formInvalid: "请修正标出的字段。",
    v: {
      required: "必填。",
      tooLong: "最多 {max} 个字符。",
      tooShort: "至少 {min} 个字符。",
      controlChars: "不能包含控制字符。",
      email: "请输入有效的邮箱地址。",
      date: "请输入有效的日期（YYYY-MM-DD）。",
      invalidChoice: "请选择列表中的一项。",
      invalidId: "无效的记录编号。",
      integer: "请输入整数。",
      password: "密码至少 12 个字符。",
      employeeNo: "工号只能包含字母、数字和连字符，最多 32 位。",
      leaveBeforeHire: "离职日期不能早于入职日期。",
    },
  },
  {
    unauthenticated: "Please sign in first.",
    forbidden: "You are not allowed to do this.",
    notFound: "The record does not exist, or you are not allowed to see it.",
    conflict: "This conflicts with an existing record.",
    invalidState: "The record's current state does not allow this.",
    stale: "Someone else changed this record. Reload the page and try again.",
    unexpected: "The action could not be completed (reference {ref}). Please try again later.",
    formInvalid: "Please correct the marked fields.",
    v: {
      required: "Required.",
      tooLong: "At most {max} characters.",
      tooShort: "At least {min} characters.",
      controlChars: "Must not contain control characters.",
      email: "Enter a valid e-mail address.",
      date: "Enter a valid date (YYYY-MM-DD).",
      invalidChoice: "Choose one of the listed options.",
      invalidId: "Not a valid record id.",
      integer: "Enter a whole number.",
      password: "The password needs at least 12 characters.",
      employeeNo: "Employee numbers use letters, digits and hyphens, at most 32.",
      leaveBeforeHire: "The leave date cannot be before the hire date.",
    },
  },
);
