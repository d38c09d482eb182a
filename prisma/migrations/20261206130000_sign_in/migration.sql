-- Sign-in by WeCom and OpenID Connect, the methods ADMIN offers, and one row per session
-- (prisma/schema/auth.prisma, docs/sign-in.md, docs/decisions/0009-sign-in-methods-and-sessions.md).

CREATE TABLE "sign_in_settings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "password_enabled" BOOLEAN NOT NULL DEFAULT true,
    "break_glass_employee_id" TEXT,
    "wecom_oauth_enabled" BOOLEAN NOT NULL DEFAULT false,
    "wecom_qr_enabled" BOOLEAN NOT NULL DEFAULT false,
    "oidc_enabled" BOOLEAN NOT NULL DEFAULT false,
    "oidc_issuer" TEXT NOT NULL DEFAULT '',
    "oidc_client_id" TEXT NOT NULL DEFAULT '',
    "oidc_client_secret_cipher" TEXT,
    "oidc_client_secret_last4" TEXT,
    "oidc_match_by" TEXT NOT NULL DEFAULT 'EMAIL',
    "oidc_employee_no_claim" TEXT NOT NULL DEFAULT 'employee_number',
    "oidc_jit_enabled" BOOLEAN NOT NULL DEFAULT false,
    "oidc_jit_department_id" TEXT,
    "portal_url" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_settings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sign_in_settings_oidc_match_by_check" CHECK ("oidc_match_by" IN ('EMAIL', 'EMPLOYEE_NO')),
    -- Turning passwords off needs a named break-glass ADMIN (the settings command checks the role).
    CONSTRAINT "sign_in_settings_break_glass_check" CHECK ("password_enabled" OR "break_glass_employee_id" IS NOT NULL)
);

ALTER TABLE "sign_in_settings" ADD CONSTRAINT "sign_in_settings_break_glass_employee_id_fkey" FOREIGN KEY ("break_glass_employee_id") REFERENCES "employees"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "sign_in_settings" ADD CONSTRAINT "sign_in_settings_oidc_jit_department_id_fkey" FOREIGN KEY ("oidc_jit_department_id") REFERENCES "departments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "auth_sessions" (
    "id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "session_version" INTEGER NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "ended_reason" TEXT,
    "ended_by_id" TEXT,

    CONSTRAINT "auth_sessions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "auth_sessions_method_check" CHECK ("method" IN ('PASSWORD', 'WECOM_OAUTH', 'WECOM_QR', 'OIDC'))
);

CREATE INDEX "auth_sessions_employee_id_ended_at_idx" ON "auth_sessions"("employee_id", "ended_at");
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "sign_in_flows" (
    "id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "state_hash" TEXT NOT NULL,
    "browser_hash" TEXT NOT NULL,
    "nonce" TEXT,
    "code_verifier_cipher" TEXT,
    "redirect_uri" TEXT NOT NULL,
    "return_to" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "code_hash" TEXT,
    "employee_id" TEXT,
    "grant_hash" TEXT,
    "grant_expires_at" TIMESTAMPTZ(3),
    "grant_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "sign_in_flows_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sign_in_flows_method_check" CHECK ("method" IN ('WECOM_OAUTH', 'WECOM_QR', 'OIDC'))
);

CREATE UNIQUE INDEX "sign_in_flows_state_hash_key" ON "sign_in_flows"("state_hash");
CREATE UNIQUE INDEX "sign_in_flows_code_hash_key" ON "sign_in_flows"("code_hash");
CREATE UNIQUE INDEX "sign_in_flows_grant_hash_key" ON "sign_in_flows"("grant_hash");
CREATE INDEX "sign_in_flows_created_at_idx" ON "sign_in_flows"("created_at");
