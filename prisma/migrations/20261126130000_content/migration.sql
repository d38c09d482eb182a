-- Content compliance (SPEC §11): submissions, revisions and findings, the rule lists (seeded from
-- regulations.md), the media library, the publication record (append-only), and the
-- CONTENT_PUBLISH request type with its default chain (department manager, then ADMIN).

-- The request type. ALTER TYPE … ADD VALUE cannot be used in the transaction that adds it (the
-- chain row below needs it), so the enum is rebuilt from whatever values it has now (other
-- capabilities may have added theirs) plus CONTENT_PUBLISH, and its two columns moved over.
DO $$
DECLARE
  labels text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumtypid = '"ApprovalRequestType"'::regtype AND enumlabel = 'CONTENT_PUBLISH') THEN
    SELECT string_agg(quote_literal(enumlabel), ', ' ORDER BY enumsortorder) INTO labels FROM pg_enum WHERE enumtypid = '"ApprovalRequestType"'::regtype;
    ALTER TYPE "ApprovalRequestType" RENAME TO "ApprovalRequestType_before_content";
    EXECUTE format('CREATE TYPE "ApprovalRequestType" AS ENUM (%s, %L)', labels, 'CONTENT_PUBLISH');
    ALTER TABLE "approval_chains" ALTER COLUMN "request_type" TYPE "ApprovalRequestType" USING "request_type"::text::"ApprovalRequestType";
    ALTER TABLE "approval_requests" ALTER COLUMN "type" TYPE "ApprovalRequestType" USING "type"::text::"ApprovalRequestType";
    DROP TYPE "ApprovalRequestType_before_content";
  END IF;
END;
$$;

-- CreateEnum
CREATE TYPE "ContentKind" AS ENUM ('OA_ARTICLE', 'MOMENTS_POST', 'MASS_MESSAGE', 'CHANNELS_SCRIPT');
CREATE TYPE "ContentStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'CHANGES_REQUESTED', 'PUBLISHED', 'WITHDRAWN');
CREATE TYPE "ContentRuleKind" AS ENUM ('ABSOLUTE', 'CATEGORY', 'SENSITIVE');
CREATE TYPE "MediaKind" AS ENUM ('IMAGE', 'FONT', 'MUSIC', 'VIDEO');
CREATE TYPE "MediaLicenceType" AS ENUM ('NONE', 'OWN_WORK', 'PURCHASED', 'SUBSCRIPTION', 'CREATIVE_COMMONS', 'AUTHORISED');

-- CreateTable
CREATE TABLE "content_submissions" (
    "id" TEXT NOT NULL,
    "kind" "ContentKind" NOT NULL,
    "title" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "account_id" TEXT,
    "account_name" TEXT NOT NULL,
    "planned_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "ContentStatus" NOT NULL DEFAULT 'DRAFT',
    "current_revision" INTEGER NOT NULL DEFAULT 1,
    "request_id" TEXT,
    "published_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "content_submissions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "content_revisions" (
    "id" TEXT NOT NULL,
    "submission_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "note" TEXT,
    "sent_back_by_id" TEXT,
    "sent_back_at" TIMESTAMPTZ(3),
    "sent_back_comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "content_revisions_pkey" PRIMARY KEY ("id"),
    -- 1 MB of UTF-8 (the commands refuse larger bodies with a message first).
    CONSTRAINT "content_revisions_body_size" CHECK (octet_length("body") <= 1048576)
);

CREATE TABLE "content_revision_media" (
    "revision_id" TEXT NOT NULL,
    "asset_id" TEXT NOT NULL,

    CONSTRAINT "content_revision_media_pkey" PRIMARY KEY ("revision_id","asset_id")
);

CREATE TABLE "content_findings" (
    "id" TEXT NOT NULL,
    "revision_id" TEXT NOT NULL,
    "rule_code" TEXT NOT NULL,
    "rule_kind" TEXT NOT NULL,
    "article" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "start_offset" INTEGER,
    "end_offset" INTEGER,
    "media_id" TEXT,
    "accepted_by_id" TEXT,
    "accepted_at" TIMESTAMPTZ(3),
    "accept_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "content_findings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "content_findings_accepted_with_reason" CHECK (("accepted_by_id" IS NULL) = ("accept_reason" IS NULL))
);

CREATE TABLE "content_rules" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "ContentRuleKind" NOT NULL,
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "article" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "content_rules_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "content_terms" (
    "id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "stands_alone" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "content_terms_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "content_exemptions" (
    "id" TEXT NOT NULL,
    "phrase" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "content_exemptions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "media_assets" (
    "id" TEXT NOT NULL,
    "kind" "MediaKind" NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "licence_type" "MediaLicenceType" NOT NULL DEFAULT 'NONE',
    "licensee" TEXT,
    "scope" TEXT,
    "licence_expires_on" DATE,
    "registered_by_id" TEXT NOT NULL,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "media_assets_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "content_publications" (
    "id" TEXT NOT NULL,
    "submission_id" TEXT NOT NULL,
    "revision_id" TEXT NOT NULL,
    "revision_number" INTEGER NOT NULL,
    "kind" "ContentKind" NOT NULL,
    "title" TEXT NOT NULL,
    "account_name" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "author_name" TEXT NOT NULL,
    "planned_at" TIMESTAMPTZ(3) NOT NULL,
    "approved_at" TIMESTAMPTZ(3) NOT NULL,
    "request_id" TEXT NOT NULL,
    "approvers" JSONB NOT NULL,
    "accepted_findings" JSONB NOT NULL,
    "body_sha256" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "content_publications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "content_submissions_author_id_updated_at_idx" ON "content_submissions"("author_id", "updated_at");
CREATE INDEX "content_submissions_status_updated_at_idx" ON "content_submissions"("status", "updated_at");
CREATE UNIQUE INDEX "content_revisions_submission_id_number_key" ON "content_revisions"("submission_id", "number");
CREATE INDEX "content_revision_media_asset_id_idx" ON "content_revision_media"("asset_id");
CREATE INDEX "content_findings_revision_id_idx" ON "content_findings"("revision_id");
CREATE UNIQUE INDEX "content_rules_code_key" ON "content_rules"("code");
CREATE UNIQUE INDEX "content_terms_rule_id_term_key" ON "content_terms"("rule_id", "term");
CREATE UNIQUE INDEX "content_exemptions_phrase_key" ON "content_exemptions"("phrase");
CREATE INDEX "media_assets_licence_expires_on_idx" ON "media_assets"("licence_expires_on");
CREATE UNIQUE INDEX "content_publications_submission_id_key" ON "content_publications"("submission_id");
CREATE INDEX "content_publications_approved_at_idx" ON "content_publications"("approved_at");

-- AddForeignKey
ALTER TABLE "content_revisions" ADD CONSTRAINT "content_revisions_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "content_submissions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "content_revision_media" ADD CONSTRAINT "content_revision_media_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "content_revisions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "content_revision_media" ADD CONSTRAINT "content_revision_media_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "media_assets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "content_findings" ADD CONSTRAINT "content_findings_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "content_revisions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "content_terms" ADD CONSTRAINT "content_terms_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "content_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The publication record is evidence: append-only, like the audit trail.
CREATE FUNCTION "content_publications_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'content_publications is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "content_publications_no_update_delete"
  BEFORE UPDATE OR DELETE ON "content_publications"
  FOR EACH ROW EXECUTE FUNCTION "content_publications_refuse_change"();

-- The default chain of CONTENT_PUBLISH: the author's department manager, then ADMIN (the
-- compliance reviewer). ADMIN may change it on /settings/approval-chains.
INSERT INTO "approval_chains" ("id", "request_type", "overdue_working_days", "calendar_id", "updated_at") VALUES
  ('apprchaincontentpublish001', 'CONTENT_PUBLISH', 2, NULL, CURRENT_TIMESTAMP);

INSERT INTO "approval_chain_steps" ("id", "chain_id", "position", "kind", "role", "person_id", "condition", "updated_at") VALUES
  ('apprstepcontentpublish0001', 'apprchaincontentpublish001', 1, 'DEPARTMENT_MANAGER', NULL, NULL, NULL, CURRENT_TIMESTAMP),
  ('apprstepcontentpublish0002', 'apprchaincontentpublish001', 2, 'ROLE', 'ADMIN', NULL, NULL, CURRENT_TIMESTAMP);

-- The rule lists of regulations.md (lib/content/default-rules.ts; tests/content compares).
INSERT INTO "content_rules" ("id", "code", "kind", "name_zh", "name_en", "article", "active", "updated_at") VALUES
  ('cr8a6b07220282c58cf592df93', 'AD_ABSOLUTE', 'ABSOLUTE', '绝对化用语', 'Absolute terms', '《广告法》第九条第三项', true, CURRENT_TIMESTAMP),
  ('cr60862ad2eac477e7528fafdf', 'AD_MEDICAL', 'CATEGORY', '医疗、药品、医疗器械功效', 'Medical, drug and device efficacy', '《广告法》第十六条、第十七条', true, CURRENT_TIMESTAMP),
  ('cr9d561e9bc086ae988332f66d', 'AD_HEALTH_FOOD', 'CATEGORY', '保健食品功效', 'Health food claims', '《广告法》第十八条', true, CURRENT_TIMESTAMP),
  ('cr416876828b693afde153c0a1', 'AD_EDUCATION', 'CATEGORY', '教育培训承诺', 'Education guarantees', '《广告法》第二十四条', true, CURRENT_TIMESTAMP),
  ('crc1da2a00bc7f05ad94045113', 'AD_INVESTMENT', 'CATEGORY', '投资收益承诺', 'Investment return promises', '《广告法》第二十五条', true, CURRENT_TIMESTAMP),
  ('cr6203a0f2fee08879334e9274', 'AD_REAL_ESTATE', 'CATEGORY', '房地产升值承诺', 'Real estate appreciation promises', '《广告法》第二十六条', true, CURRENT_TIMESTAMP),
  ('crdb99328455d6bf33df1058f0', 'SENSITIVE', 'SENSITIVE', '敏感词', 'Sensitive words', '《微信公众平台运营规范》诱导分享；公司敏感词清单', true, CURRENT_TIMESTAMP);

INSERT INTO "content_terms" ("id", "rule_id", "term", "stands_alone") VALUES
  ('ct4f10a42c949106af769076ee', 'cr8a6b07220282c58cf592df93', '最', true),
  ('ct5e34b4b55ad57b0c109ebbf2', 'cr8a6b07220282c58cf592df93', '最佳', true),
  ('ct2ba909d655157052f8bb4f7a', 'cr8a6b07220282c58cf592df93', '最好', true),
  ('ct16e31bb9e41fd4ca9f163a88', 'cr8a6b07220282c58cf592df93', '最优', true),
  ('ct92dcbc2f30a47700e7c57139', 'cr8a6b07220282c58cf592df93', '最大', true),
  ('cta3d1bc748efbc8f4a3bbc493', 'cr8a6b07220282c58cf592df93', '最高', true),
  ('ctc2b2388318e77ace79b38766', 'cr8a6b07220282c58cf592df93', '最低', true),
  ('cta12fab7ba095da140a5cacb2', 'cr8a6b07220282c58cf592df93', '最便宜', true),
  ('cte8a72ede345a1f297d980a01', 'cr8a6b07220282c58cf592df93', '最新', true),
  ('ct4b5fadfd484b1cab0ed6b015', 'cr8a6b07220282c58cf592df93', '最先进', true),
  ('cte20c72f1c1ca30bcc8c8e7e5', 'cr8a6b07220282c58cf592df93', '最受欢迎', true),
  ('ct764228cfe8562752b7423e70', 'cr8a6b07220282c58cf592df93', '史上最低价', false),
  ('ct9006a91c14a34dbef6286b07', 'cr8a6b07220282c58cf592df93', '第一', true),
  ('ct199b38442cbb013b865ba200', 'cr8a6b07220282c58cf592df93', '唯一', true),
  ('ctc1964fc3f56c2b1119232277', 'cr8a6b07220282c58cf592df93', 'NO.1', true),
  ('ct481abb4198f4da756dad1f65', 'cr8a6b07220282c58cf592df93', 'TOP1', true),
  ('ct4e12a1bc064a72dc1b78d4c4', 'cr8a6b07220282c58cf592df93', '一流', true),
  ('ct7d6bb596c7302da8c84932b6', 'cr8a6b07220282c58cf592df93', '全国第一', false),
  ('cta15b9bb70fddf9f7f05000f5', 'cr8a6b07220282c58cf592df93', '全网第一', false),
  ('ct60860b92bccd4077df30a0cb', 'cr8a6b07220282c58cf592df93', '销量第一', false),
  ('ct2f02593e88cd6ee2eacb2694', 'cr8a6b07220282c58cf592df93', '排名第一', false),
  ('ct229cb2cbfd343fdaaa418693', 'cr8a6b07220282c58cf592df93', '独一无二', false),
  ('ct33d5af0c16481fe12f8e5a9e', 'cr8a6b07220282c58cf592df93', '国家级', false),
  ('ctde9f98427c0470f993753dea', 'cr8a6b07220282c58cf592df93', '国际级', false),
  ('ct5c56b0bd48c89f5f54e14df0', 'cr8a6b07220282c58cf592df93', '世界级', false),
  ('ct183ca918a2878b0b8ad3720e', 'cr8a6b07220282c58cf592df93', '全球级', false),
  ('cta7e63254d612e0b8d162df21', 'cr8a6b07220282c58cf592df93', '顶级', false),
  ('ct3ceda168eeecf26cdbb90149', 'cr8a6b07220282c58cf592df93', '顶尖', false),
  ('ctb9b18005c304244b135d7d9e', 'cr8a6b07220282c58cf592df93', '尖端', false),
  ('ctd83f3b57eda293ee47a482aa', 'cr8a6b07220282c58cf592df93', '极品', false),
  ('cte54eddd446ddac4a436ea67c', 'cr8a6b07220282c58cf592df93', '极佳', false),
  ('ctc5592a164a6e484f9b1bbfa3', 'cr8a6b07220282c58cf592df93', '极致', false),
  ('ctf3669b0a58bb5dfca2e343b6', 'cr8a6b07220282c58cf592df93', '终极', false),
  ('ctf48ae41a316bb9ba5d26de57', 'cr8a6b07220282c58cf592df93', '至尊', false),
  ('ct55bbb7e47f90cd244b4f1470', 'cr8a6b07220282c58cf592df93', '巅峰', false),
  ('ct7b4317d35eaa01f4bd471342', 'cr8a6b07220282c58cf592df93', '无敌', false),
  ('ctedfb67ae33d095e2aa812019', 'cr8a6b07220282c58cf592df93', '王牌', false),
  ('cta11dd881cf90d4506e484d99', 'cr8a6b07220282c58cf592df93', '冠军', true),
  ('ctc23722001eb3721f536a7b28', 'cr8a6b07220282c58cf592df93', '世界领先', false),
  ('ctcc39bbe012acbb36886b4a0b', 'cr8a6b07220282c58cf592df93', '遥遥领先', false),
  ('ctdbb75b2c9b91a579caf6124e', 'cr8a6b07220282c58cf592df93', '首个', false),
  ('ct3d938185e3d5b3e22abee671', 'cr8a6b07220282c58cf592df93', '首选', false),
  ('ct24042ed43d79be832106afbc', 'cr8a6b07220282c58cf592df93', '首发', true),
  ('ct17d05e8aa70c4105be4ef28b', 'cr8a6b07220282c58cf592df93', '全国首家', false),
  ('cta1af72f5c55167296df295f6', 'cr8a6b07220282c58cf592df93', '独家', false),
  ('ct7b709d6bd460421ace6640ef', 'cr8a6b07220282c58cf592df93', '独创', false),
  ('ct17a63475f59b6453007c44f8', 'cr8a6b07220282c58cf592df93', '首创', false),
  ('ct270c57327a5a9cb65f07e112', 'cr8a6b07220282c58cf592df93', '填补国内空白', false),
  ('ct096c5c81df3d74ae3d4de80a', 'cr8a6b07220282c58cf592df93', '绝对', true),
  ('ct5ae01fc180ff4383483e680b', 'cr8a6b07220282c58cf592df93', '100%', true),
  ('cte46fcdeab2ed780e9213db00', 'cr8a6b07220282c58cf592df93', '百分百', false),
  ('ctc3fc9887d01ffed0f0f4cfae', 'cr8a6b07220282c58cf592df93', '永久', false),
  ('ct7fe5d0d0176cc698a6038cb2', 'cr8a6b07220282c58cf592df93', '万能', false),
  ('cta8763d92f4703b00adf271cf', 'cr8a6b07220282c58cf592df93', '绝无仅有', false),
  ('ct6c4452a2b8a8b50e72e1e81d', 'cr8a6b07220282c58cf592df93', '史无前例', false),
  ('ct47d0912e2252282ee0aacc30', 'cr8a6b07220282c58cf592df93', '空前绝后', false),
  ('cte345486cb45bd4410e05885b', 'cr8a6b07220282c58cf592df93', '国家机关推荐', false),
  ('ct1b4ab1f089d25286976445f6', 'cr8a6b07220282c58cf592df93', '特供', false),
  ('ct6fd630ef816bcdda34677093', 'cr8a6b07220282c58cf592df93', '专供', false),
  ('ct1115dfc29c9010d9192d203c', 'cr8a6b07220282c58cf592df93', '免检', false),
  ('ctb71a0186b46d09cdea45a4af', 'cr8a6b07220282c58cf592df93', '驰名商标', false),
  ('ct6c21d5788390943e142fdcaa', 'cr8a6b07220282c58cf592df93', '随时涨价', false),
  ('ct8968229a319dee600e2a0b26', 'cr8a6b07220282c58cf592df93', '马上降价', false),
  ('cteaa6e453037448a18e1a70c7', 'cr8a6b07220282c58cf592df93', '错过就没机会', false),
  ('ct538201d571fb57e172bc70e6', 'cr60862ad2eac477e7528fafdf', '根治', false),
  ('ct0264cd36c7836cef60d5ce56', 'cr60862ad2eac477e7528fafdf', '治愈', false),
  ('ct622d087606c916e5a33ab914', 'cr60862ad2eac477e7528fafdf', '治愈率', false),
  ('ct6baca483afc8cc9111e54a59', 'cr60862ad2eac477e7528fafdf', '有效率', false),
  ('ctbe4ee117295969de9bebb695', 'cr60862ad2eac477e7528fafdf', '药到病除', false),
  ('ctd1fdd5f92cbfc9edb8af5244', 'cr60862ad2eac477e7528fafdf', '包治', false),
  ('ct6ac35f412d7ad26e0f0f84ce', 'cr60862ad2eac477e7528fafdf', '无副作用', false),
  ('ct302cdc904533fb7b398cc0ac', 'cr60862ad2eac477e7528fafdf', '无毒副作用', false),
  ('ct66e89c717f850a79463cc4b5', 'cr60862ad2eac477e7528fafdf', '祖传秘方', false),
  ('ctfde8879c7054f3c3165a7bbe', 'cr60862ad2eac477e7528fafdf', '立竿见影', false),
  ('ctf5d24f157fb70b64c13342b7', 'cr60862ad2eac477e7528fafdf', '一次见效', false),
  ('ctc520e64adffb8c0c1890c07d', 'cr60862ad2eac477e7528fafdf', '彻底康复', false),
  ('ct052c4127a3f14ffdcc9773e8', 'cr9d561e9bc086ae988332f66d', '预防疾病', false),
  ('ctbb64d133c2c7ebdbf849dc38', 'cr9d561e9bc086ae988332f66d', '治疗疾病', false),
  ('ct3b0359b1b1a303b256c448d2', 'cr9d561e9bc086ae988332f66d', '防癌', false),
  ('ct17f17e94761357a7da68d9c5', 'cr9d561e9bc086ae988332f66d', '抗癌', false),
  ('ct0d14d4f09968570deb150c94', 'cr9d561e9bc086ae988332f66d', '降血压', false),
  ('ct614a79d61e916f9635721053', 'cr9d561e9bc086ae988332f66d', '降血糖', false),
  ('ct40ad2d3a27cd719b6f4c3dce', 'cr9d561e9bc086ae988332f66d', '降血脂', false),
  ('ct71bb2246023e6da63fe255c5', 'cr9d561e9bc086ae988332f66d', '替代药物', false),
  ('cte91f742f31f82861b928525e', 'cr9d561e9bc086ae988332f66d', '代替药物', false),
  ('ctd69b84e84edd42daf9c23fd5', 'cr9d561e9bc086ae988332f66d', '保证有效', false),
  ('ctc1a2394f496fd1b42c7cee3c', 'cr416876828b693afde153c0a1', '保过', false),
  ('ct3ca740b3b9205a4b78ab2704', 'cr416876828b693afde153c0a1', '包过', false),
  ('ct5709dc879a4d605db66f3117', 'cr416876828b693afde153c0a1', '保证通过', false),
  ('ct20c1acf8d752dcb7c77868f4', 'cr416876828b693afde153c0a1', '包通过', false),
  ('ct9f0860fe5d54fa2096d93c5e', 'cr416876828b693afde153c0a1', '保录取', false),
  ('ctc18bf544562e44e2509d1acc', 'cr416876828b693afde153c0a1', '包录取', false),
  ('ct5e0c67b2e4536fc6f6b33839', 'cr416876828b693afde153c0a1', '不过退款', false),
  ('ctdd47983ce52db28e5b738860', 'cr416876828b693afde153c0a1', '押题', false),
  ('ct8ca2a8ac8efe2e444fabf223', 'cr416876828b693afde153c0a1', '命中考题', false),
  ('ctf32b51918c174db1b52473e6', 'cr416876828b693afde153c0a1', '考试命题人', false),
  ('cta8af722ce520373ca26797ab', 'crc1da2a00bc7f05ad94045113', '保本', false),
  ('ctc09ae7c5b76d43addf7d2e8f', 'crc1da2a00bc7f05ad94045113', '无风险', false),
  ('ct86e03659562e3d564ebb0fb6', 'crc1da2a00bc7f05ad94045113', '零风险', false),
  ('ct6fc4f5f0c0822a4e053a43ae', 'crc1da2a00bc7f05ad94045113', '保收益', false),
  ('ct57ca2af5fb157dda1b6c1ffc', 'crc1da2a00bc7f05ad94045113', '保证收益', false),
  ('ct25979bef6fe528f17e71eada', 'crc1da2a00bc7f05ad94045113', '稳赚', false),
  ('ct26caee840adefd6e31833dd8', 'crc1da2a00bc7f05ad94045113', '稳赚不赔', false),
  ('ctad9b351b7e279428fe1d1f63', 'crc1da2a00bc7f05ad94045113', '收益保障', false),
  ('ct54d79fec5e8e6e6c05c8ccbe', 'crc1da2a00bc7f05ad94045113', '稳定高收益', false),
  ('ct04353406902e911579214834', 'cr6203a0f2fee08879334e9274', '升值', false),
  ('ct8e1bba676d0d21f4f5ef6ea6', 'cr6203a0f2fee08879334e9274', '增值潜力', false),
  ('ctd422c923efbf4bea02edc6cf', 'cr6203a0f2fee08879334e9274', '保值增值', false),
  ('ct049646135e546dba068fd051', 'cr6203a0f2fee08879334e9274', '只涨不跌', false),
  ('ct24bc963babab0f218943ba7c', 'cr6203a0f2fee08879334e9274', '投资回报', false),
  ('ct0a263104f0165b86474c39cd', 'cr6203a0f2fee08879334e9274', '坐享收益', false),
  ('ct43d28a09d325260bbc5e067e', 'crdb99328455d6bf33df1058f0', '转发集赞', false),
  ('ct02df2973194a9f5d9cd7b887', 'crdb99328455d6bf33df1058f0', '集赞送', false),
  ('ctf91bd12e5904b18d6d80d96f', 'crdb99328455d6bf33df1058f0', '分享到朋友圈领取', false),
  ('ct232689682a41ece1cb8769b1', 'crdb99328455d6bf33df1058f0', '转发有礼', false),
  ('ctcd9389378b56704cffd734c8', 'crdb99328455d6bf33df1058f0', '不转不是中国人', false),
  ('ct9f416f300c8e26bf531f0c50', 'crdb99328455d6bf33df1058f0', '刷单', false),
  ('ctd5eb9f6a326fd706ce83e0df', 'crdb99328455d6bf33df1058f0', '私下转账', false),
  ('ct1fe63e0d4a9d25df1c509361', 'crdb99328455d6bf33df1058f0', '加微信返现', false);

INSERT INTO "content_exemptions" ("id", "phrase", "reason") VALUES
  ('cxff7df6eac2418d5d83e693ef', '最生活', '注册商标（产品名称）'),
  ('cxdf58280037356b27b0c29900', '最高人民法院', '机关名称'),
  ('cxaec33b0dadddd48cdc6a3cf6', '最低工资', '法定术语'),
  ('cx5fbf4253e1943d6c6e99c9c0', '最终', '时间顺序，非比较'),
  ('cx997a5e6e513f2a90797b2637', '最近', '时间表述，非比较'),
  ('cx445905122e87b9907cf5f833', '最后', '时间顺序，非比较'),
  ('cxac0296495229154f63cc8ef6', '最初', '时间顺序，非比较'),
  ('cx863a18dec4dda8494ea515a3', '第一时间', '服务态度用语'),
  ('cx9f3c49eb8b235c03fc8f9cb2', '第一次', '时间顺序，非排名'),
  ('cx2dfed5d0b87e02aba1df6b7b', '第一步', '操作步骤，非排名'),
  ('cx5fbab6f796a2917a8fe50553', '第一季度', '时间表述'),
  ('cx7efa3049f6d2dec2dc1d5fa6', '第一财经', '媒体名称'),
  ('cxc47053dc48a93ca1573b878c', '第一站', '行程顺序，非排名');
