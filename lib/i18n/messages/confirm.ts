import { defineMessages } from "./define";

// What a destructive or irreversible action says before it runs (the dialog: title, what will
// happen, the confirm button) and after (done). docs/ui-forms.md.
export const confirm = defineMessages(
  {
    closeToast: "关闭提示",
    offboarding: {
      close: { title: "结案？", body: "结案后此离职交接单不能再修改，各事项的结果作为最终记录保留。", action: "确认结案", done: "已结案。" },
      depart: { title: "立即办理离职？", body: "该员工将立即被标记为已离职，此操作不能撤销。", action: "确认办理离职", done: "已办理离职。" },
      start: { title: "开始交接 {count} 项？", body: "将对全部符合条件的事项发起交接：客户会收到转移通知，工作群立即转给接替人。发出后不能撤回。", action: "开始交接" },
    },
    accounts: {
      suspend: { title: "停用此账号？", body: "账号将立即停用，持有人不能再使用它，直到有人恢复。", action: "确认停用", done: "账号已停用。" },
      dissolve: { title: "申请注销此账号？", body: "将提交注销申请；审批通过后账号被注销，不能恢复。", action: "提交注销申请", done: "注销申请已提交。" },
    },
    groups: {
      dissolve: { title: "申请解散此工作群？", body: "将提交解散申请；审批通过后此群被解散，不能恢复。", action: "提交解散申请", done: "解散申请已提交。" },
    },
    directory: {
      sessions: { title: "结束此员工的全部会话？", body: "该员工将在所有设备上立即退出登录，需要重新登录。", action: "结束全部会话", done: "该员工的全部会话已结束。" },
    },
    approvals: {
      reject: { title: "驳回此申请？", body: "驳回“{title}”后申请即结束，申请人会收到通知，不能撤销。", action: "确认驳回" },
      withdraw: { title: "撤回此申请？", body: "撤回“{title}”后审批结束，不能恢复；如仍需要，请重新提交。", action: "确认撤回" },
      removeStep: { title: "删除第 {position} 步？", body: "删除后点“保存”才生效，且只影响之后提交的申请。", action: "删除此步骤" },
      batch: { title: "批量同意 {count} 项申请？", body: "将逐项同意以下申请，每一项都单独审批并记录；不符合条件的项会被跳过并说明原因。", action: "同意 {count} 项" },
    },
    content: {
      sendBack: { title: "退回修改？", body: "内容将退回给作者修改，本轮审核结束。", action: "确认退回", done: "已退回修改。" },
      abandon: { title: "撤销此内容？", body: "撤销后此内容不能再提交，如需发布请重新创建。", action: "确认撤销", done: "内容已撤销。" },
      removeTerm: { title: "删除“{term}”？", body: "删除后此词不再被拦截。", action: "确认删除", done: "已删除“{term}”。" },
      removeExemption: { title: "删除豁免“{phrase}”？", body: "删除后含此短语的内容将重新被检查。", action: "确认删除", done: "已删除豁免“{phrase}”。" },
    },
    privacy: {
      revoke: { title: "吊销令牌“{name}”？", body: "使用此令牌的系统将立即无法访问，吊销后不能恢复。", action: "确认吊销", done: "令牌“{name}”已吊销。" },
      retire: { title: "停用此告知？", body: "停用后不再向员工展示此告知，不能恢复为生效。", action: "确认停用" },
      withdraw: { title: "撤回此同意？", body: "撤回后依赖此同意的处理须停止；记录会保留。", action: "确认撤回", done: "同意已撤回。" },
      refuse: { title: "拒绝此请求？", body: "请求将被拒绝并结束，拒绝理由会告知本人。", action: "确认拒绝", done: "请求已拒绝。" },
    },
    notifications: {
      removeRobot: { title: "删除此群机器人？", body: "删除后它不再收到任何通知。", action: "确认删除", done: "群机器人已删除。" },
    },
    service: {
      deletePolicy: { title: "删除此策略？", body: "删除后不能恢复。", action: "确认删除", done: "策略已删除。" },
    },
    training: {
      remind: { title: "提醒所有未完成的人？", body: "将按当前筛选向每位有未完成项的人发送提醒（今天已提醒过的不重复发送）。发出后不能撤回。", action: "发送提醒" },
    },
  },
  {
    closeToast: "Dismiss",
    offboarding: {
      close: { title: "Close this case?", body: "Once closed, this offboarding case can no longer be changed; each item's outcome is kept as the final record.", action: "Close case", done: "Case closed." },
      depart: { title: "Mark departed now?", body: "The employee is marked as departed at once. This cannot be undone.", action: "Mark departed", done: "Marked as departed." },
      start: { title: "Start {count} handovers?", body: "Every matching item is handed over: customers are sent a transfer notice, work groups pass to the successor at once. This cannot be recalled.", action: "Start handover" },
    },
    accounts: {
      suspend: { title: "Suspend this account?", body: "The account is suspended at once; its holder cannot use it until someone resumes it.", action: "Suspend", done: "Account suspended." },
      dissolve: { title: "Request to close this account?", body: "A dissolution request is submitted; once approved the account is closed for good.", action: "Submit request", done: "Dissolution request submitted." },
    },
    groups: {
      dissolve: { title: "Request to dissolve this group?", body: "A dissolution request is submitted; once approved the group is dissolved for good.", action: "Submit request", done: "Dissolution request submitted." },
    },
    directory: {
      sessions: { title: "End all of this employee's sessions?", body: "They are signed out on every device at once and must sign in again.", action: "End all sessions", done: "All of this employee's sessions were ended." },
    },
    approvals: {
      reject: { title: "Reject this request?", body: "Rejecting “{title}” ends the request; the requester is notified. This cannot be undone.", action: "Reject" },
      withdraw: { title: "Withdraw this request?", body: "Withdrawing “{title}” ends its approval for good; submit it again if it is still needed.", action: "Withdraw" },
      removeStep: { title: "Remove step {position}?", body: "It takes effect when you save, for requests submitted afterwards only.", action: "Remove step" },
      batch: { title: "Approve {count} requests?", body: "Each request below is approved one by one, each recorded on its own; any that does not qualify is skipped with the reason.", action: "Approve {count}" },
    },
    content: {
      sendBack: { title: "Send back for changes?", body: "The content goes back to its author; this review round ends.", action: "Send back", done: "Sent back for changes." },
      abandon: { title: "Withdraw this content?", body: "It can no longer be submitted; create it again to publish.", action: "Withdraw content", done: "Content withdrawn." },
      removeTerm: { title: "Remove “{term}”?", body: "The term is no longer intercepted.", action: "Remove", done: "“{term}” removed." },
      removeExemption: { title: "Remove the exemption “{phrase}”?", body: "Content with this phrase is checked again.", action: "Remove", done: "Exemption “{phrase}” removed." },
    },
    privacy: {
      revoke: { title: "Revoke the token “{name}”?", body: "Systems using it lose access at once; a revoked token cannot be restored.", action: "Revoke", done: "Token “{name}” revoked." },
      retire: { title: "Retire this notice?", body: "It is no longer shown to employees and cannot be made current again.", action: "Retire" },
      withdraw: { title: "Withdraw this consent?", body: "Processing that relies on it must stop; the record is kept.", action: "Withdraw", done: "Consent withdrawn." },
      refuse: { title: "Refuse this request?", body: "The request is refused and closed; the person is told the reason.", action: "Refuse", done: "Request refused." },
    },
    notifications: {
      removeRobot: { title: "Remove this group robot?", body: "It receives no more notifications.", action: "Remove", done: "Group robot removed." },
    },
    service: {
      deletePolicy: { title: "Delete this policy?", body: "This cannot be undone.", action: "Delete", done: "Policy deleted." },
    },
    training: {
      remind: { title: "Remind everyone with open items?", body: "A reminder goes to each person with open items under the current filters (anyone reminded today is not sent another). It cannot be recalled.", action: "Send reminders" },
    },
  },
);
