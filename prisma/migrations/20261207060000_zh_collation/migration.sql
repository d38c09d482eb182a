-- Names sorted by pinyin in SQL, as the app sorts them with Intl.Collator('zh-CN') (docs/ARCHITECTURE.md,
-- "Language"). An ICU collation with the pinyin ordering; the people's and departments' name columns
-- use it, so every ORDER BY name (lists, pickers, the dashboard's ranking) reads 安、陈、李、王、张.
-- PostgreSQL 15 with ICU (the supported server) sorts by pinyin. The embedded PGlite accepts the
-- collation but ships no Chinese ICU data, so there it sorts as ICU's root order (by code point
-- for Chinese characters), the order it had before. A server built without ICU gets a plain "C"
-- collation under the same name, so the migration never fails.
DO $$
BEGIN
  CREATE COLLATION IF NOT EXISTS "zh_pinyin" (provider = icu, locale = 'zh-u-co-pinyin');
EXCEPTION WHEN OTHERS THEN
  CREATE COLLATION IF NOT EXISTS "zh_pinyin" FROM "C";
END
$$;

ALTER TABLE "employees" ALTER COLUMN "name" TYPE text COLLATE "zh_pinyin";
ALTER TABLE "departments" ALTER COLUMN "name" TYPE text COLLATE "zh_pinyin";
