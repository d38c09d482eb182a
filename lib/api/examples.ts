// A curl call for each /api/v1 operation: shown on the reference page and in docs/api.md
// (tests/api/openapi-drift.test.ts checks that every operation has one in both).

const BODIES: Record<string, unknown> = {
  createEmployee: { employeeNo: "E-1001", name: "王小明", email: "wang.xm@example.com", departmentId: "<department id>", hireDate: "2026-12-01", roles: ["EMPLOYEE"] },
  updateEmployee: { name: "王晓明", departmentId: "<department id>" },
  leaveEmployee: { lastWorkingDay: "2026-12-31" },
  bulkUpsertEmployees: { employees: [{ employeeNo: "E-1001", name: "王小明", email: "wang.xm@example.com", departmentCode: "SALES-EAST", hireDate: "2026-12-01" }] },
  createServiceCase: { title: "订单未发货", customerName: "李女士", channel: "WECOM_CONTACT", caseType: "INQUIRY", priority: "NORMAL" },
  pauseServiceCase: { note: "等待客户提供订单号" },
  resumeServiceCase: {},
  customerReplyServiceCase: {},
  resolveServiceCase: { resolution: "已补发，快递单号 SF123" },
  assignServiceCase: { assigneeId: "<employee id>" },
  closeServiceCase: { closure: "CONFIRMED", note: "客户电话确认已收到" },
  createDataSubject: { name: "李女士", phone: "13800138000" },
  grantConsent: { subjectId: "<subject id>", noticeId: "<notice id>", purposes: ["SERVICE"], channel: "MINI_PROGRAM", method: "小程序勾选同意" },
  withdrawConsent: { channel: "MINI_PROGRAM" },
  renewConsent: { channel: "MINI_PROGRAM", method: "小程序再次确认" },
  createDataSubjectRequest: { subjectId: "<subject id>", type: "ACCESS", channel: "WECHAT" },
  verifyDataSubjectRequest: { identityMethod: "手机验证码" },
  completeDataSubjectRequest: { resolution: "已删除手机号与企业微信标识", erase: ["phone", "wecomId"] },
  refuseDataSubjectRequest: { refusalReason: "无法核验请求人身份" },
};

const QUERIES: Record<string, string> = {
  listEmployees: "?limit=100&status=ACTIVE",
  listAuditEvents: "?limit=5000&since=2026-12-01T00:00:00%2B08:00",
  checkConsent: "?phone=13800138000&purpose=SERVICE",
  listTrainingAssignments: "?state=overdue",
  listServiceCases: "?status=OPEN",
};

const NEEDS_IF_MATCH = new Set([
  "updateEmployee",
  "assignServiceCase",
  "pauseServiceCase",
  "resumeServiceCase",
  "customerReplyServiceCase",
  "resolveServiceCase",
  "closeServiceCase",
  "verifyDataSubjectRequest",
  "completeDataSubjectRequest",
  "refuseDataSubjectRequest",
]);

export function curlExample(method: string, path: string, operationId: string): string {
  const url = `https://portal.example.com/api/v1${path.replace(/\{id\}/g, "<id>")}${QUERIES[operationId] ?? ""}`;
  const lines = [`curl -sS${method === "GET" ? "" : ` -X ${method}`} '${url}'`, `  -H "Authorization: Bearer $WEGOVERN_TOKEN"`];
  if (method !== "GET") {
    lines.push(`  -H 'Content-Type: application/json'`);
    if (method === "POST") lines.push(`  -H "Idempotency-Key: $(uuidgen)"`);
    if (NEEDS_IF_MATCH.has(operationId)) lines.push(`  -H 'If-Match: W/"3"'`);
    lines.push(`  -d '${JSON.stringify(BODIES[operationId] ?? {})}'`);
  }
  return lines.join(" \\\n");
}
