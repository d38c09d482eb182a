import { defineMessages } from "./define";

// The job queue's administration page (/settings/jobs).
export const jobs = defineMessages(
  {
    title: "后台任务",
    description: "定时任务队列（pg-boss）：各队列的任务数，以及失败的任务及其错误和重试次数。",
    notInstalled: "任务队列尚未启动过（数据库中还没有 pgboss 架构）。",
    queuesCaption: "任务队列",
    failedCaption: "失败的任务",
    queue: "队列",
    state: { created: "待执行", retry: "等待重试", active: "执行中", completed: "已完成", cancelled: "已取消", failed: "失败" },
    error: "错误",
    retries: "重试次数",
    failedAt: "失败时间",
    noFailed: "没有失败的任务。",
    queues: {
      completeTransfers: "完成已满 24 小时的客户转移（每分钟）",
      departures: "最后工作日 18:00 后办理离职（每 5 分钟）",
      remindSuccessors: "提醒接替人（每天 9:00）",
      dashboardSnapshot: "合规看板趋势快照（每天 1:00）",
      consentExpiries: "记录已到期的个人信息同意（每天 0:30）",
      serviceEscalate: "投诉超时升级（到期时执行）",
      serviceBreachSweep: "超时投诉补漏检查（每分钟）",
    },
  },
  {
    title: "Background jobs",
    description: "The job queue (pg-boss): jobs per queue by state, and the failed ones with their error and retry count.",
    notInstalled: "The job queue has not started yet (no pgboss schema in the database).",
    queuesCaption: "Job queues",
    failedCaption: "Failed jobs",
    queue: "Queue",
    state: { created: "Queued", retry: "Waiting to retry", active: "Running", completed: "Completed", cancelled: "Cancelled", failed: "Failed" },
    error: "Error",
    retries: "Retries",
    failedAt: "Failed at",
    noFailed: "No failed jobs.",
    queues: {
      completeTransfers: "Complete customer transfers after 24 hours (every minute)",
      departures: "Departures after 18:00 on the last working day (every 5 minutes)",
      remindSuccessors: "Remind successors (daily at 09:00)",
      dashboardSnapshot: "Dashboard trend snapshot (daily at 01:00)",
      consentExpiries: "Record consents that have expired (daily at 00:30)",
      serviceEscalate: "Escalate a complaint at its breach",
      serviceBreachSweep: "Sweep for missed complaint escalations (every minute)",
    },
  },
);
