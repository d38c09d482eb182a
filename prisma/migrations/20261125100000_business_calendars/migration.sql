-- Business calendars, with the official 2026 China calendar as the shipped default.

-- CreateTable
CREATE TABLE "business_calendars" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "definition" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "business_calendars_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "business_calendars_code_key" ON "business_calendars"("code");

-- The default every install starts with (lib/calendar buildDefaultChinaCalendar(): Asia/Shanghai,
-- Mon-Fri 09:00-12:00 and 13:00-18:00, the State Council's 2026 holidays and 调休 days).
INSERT INTO "business_calendars" ("id", "code", "name", "name_en", "is_default", "definition", "updated_at")
VALUES ('cncalendar2026default00001', 'CN-DEFAULT', '中国大陆工作日历', 'Mainland China business calendar', true,
'{"timeZone":"Asia/Shanghai","weeklyHours":{"1":[{"start":"09:00","end":"12:00"},{"start":"13:00","end":"18:00"}],"2":[{"start":"09:00","end":"12:00"},{"start":"13:00","end":"18:00"}],"3":[{"start":"09:00","end":"12:00"},{"start":"13:00","end":"18:00"}],"4":[{"start":"09:00","end":"12:00"},{"start":"13:00","end":"18:00"}],"5":[{"start":"09:00","end":"12:00"},{"start":"13:00","end":"18:00"}],"6":[],"7":[]},"holidays":[{"date":"2026-01-01","name":"元旦","nameEn":"New Year''s Day"},{"date":"2026-01-02","name":"元旦","nameEn":"New Year''s Day"},{"date":"2026-01-03","name":"元旦","nameEn":"New Year''s Day"},{"date":"2026-02-15","name":"春节","nameEn":"Spring Festival"},{"date":"2026-02-16","name":"春节","nameEn":"Spring Festival"},{"date":"2026-02-17","name":"春节","nameEn":"Spring Festival"},{"date":"2026-02-18","name":"春节","nameEn":"Spring Festival"},{"date":"2026-02-19","name":"春节","nameEn":"Spring Festival"},{"date":"2026-02-20","name":"春节","nameEn":"Spring Festival"},{"date":"2026-02-21","name":"春节","nameEn":"Spring Festival"},{"date":"2026-02-22","name":"春节","nameEn":"Spring Festival"},{"date":"2026-02-23","name":"春节","nameEn":"Spring Festival"},{"date":"2026-04-04","name":"清明节","nameEn":"Qingming Festival"},{"date":"2026-04-05","name":"清明节","nameEn":"Qingming Festival"},{"date":"2026-04-06","name":"清明节","nameEn":"Qingming Festival"},{"date":"2026-05-01","name":"劳动节","nameEn":"Labour Day"},{"date":"2026-05-02","name":"劳动节","nameEn":"Labour Day"},{"date":"2026-05-03","name":"劳动节","nameEn":"Labour Day"},{"date":"2026-05-04","name":"劳动节","nameEn":"Labour Day"},{"date":"2026-05-05","name":"劳动节","nameEn":"Labour Day"},{"date":"2026-06-19","name":"端午节","nameEn":"Dragon Boat Festival"},{"date":"2026-06-20","name":"端午节","nameEn":"Dragon Boat Festival"},{"date":"2026-06-21","name":"端午节","nameEn":"Dragon Boat Festival"},{"date":"2026-09-25","name":"中秋节","nameEn":"Mid-Autumn Festival"},{"date":"2026-09-26","name":"中秋节","nameEn":"Mid-Autumn Festival"},{"date":"2026-09-27","name":"中秋节","nameEn":"Mid-Autumn Festival"},{"date":"2026-10-01","name":"国庆节","nameEn":"National Day"},{"date":"2026-10-02","name":"国庆节","nameEn":"National Day"},{"date":"2026-10-03","name":"国庆节","nameEn":"National Day"},{"date":"2026-10-04","name":"国庆节","nameEn":"National Day"},{"date":"2026-10-05","name":"国庆节","nameEn":"National Day"},{"date":"2026-10-06","name":"国庆节","nameEn":"National Day"},{"date":"2026-10-07","name":"国庆节","nameEn":"National Day"}],"adjustedWorkingDays":[{"date":"2026-01-04","name":"元旦调休"},{"date":"2026-02-14","name":"春节调休"},{"date":"2026-02-28","name":"春节调休"},{"date":"2026-05-09","name":"劳动节调休"},{"date":"2026-09-20","name":"国庆节调休"},{"date":"2026-10-10","name":"国庆节调休"}]}'::jsonb, CURRENT_TIMESTAMP);
