-- Sign-in routes' per-address rate limit (docs/sign-in.md): a counter per address and minute,
-- in the database so every process of the portal shares it.

CREATE TABLE "sign_in_rate_limits" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "sign_in_rate_limits_pkey" PRIMARY KEY ("key", "window_start")
);
CREATE INDEX "sign_in_rate_limits_window_start_idx" ON "sign_in_rate_limits"("window_start");
