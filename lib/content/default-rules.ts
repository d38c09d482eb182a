// The rule lists the portal starts with (regulations.md, "Advertising Law"). The migration
// inserts exactly these rows (tests/content/rules-seed.test.ts compares); ADMIN edits them on
// /settings/content-rules. Each rule names the article a finding cites.

export const RULE_KINDS = ["ABSOLUTE", "CATEGORY", "SENSITIVE"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export type DefaultRule = {
  code: string;
  kind: RuleKind;
  nameZh: string;
  nameEn: string;
  article: string;
  /** "!" prefix: the term stands alone (no hit inside an exempt word, nor inside a Latin word). */
  terms: string[];
};

const alone = (...terms: string[]) => terms.map((t) => `!${t}`);

export const DEFAULT_RULES: DefaultRule[] = [
  {
    code: "AD_ABSOLUTE",
    kind: "ABSOLUTE",
    nameZh: "绝对化用语",
    nameEn: "Absolute terms",
    article: "《广告法》第九条第三项",
    terms: [
      // 最-words
      ...alone("最", "最佳", "最好", "最优", "最大", "最高", "最低", "最便宜", "最新", "最先进", "最受欢迎"),
      "史上最低价",
      // 第一-words
      // NO1 and the 第1 spellings below: the matcher skips spaces ("NO. 1") but neither restores
      // left-out punctuation nor folds 第1 to 第一 (migration 20261205100000_text_normalisation
      // adds these five to an installed list).
      ...alone("第一", "唯一", "NO.1", "NO1", "TOP1", "一流"),
      "全国第一",
      "全网第一",
      "销量第一",
      "排名第一",
      "全国第1",
      "全网第1",
      "销量第1",
      "排名第1",
      "独一无二",
      // grade words
      "国家级",
      "国际级",
      "世界级",
      "全球级",
      "顶级",
      "顶尖",
      "尖端",
      "极品",
      "极佳",
      "极致",
      "终极",
      "至尊",
      "巅峰",
      "无敌",
      "王牌",
      ...alone("冠军"),
      "世界领先",
      "遥遥领先",
      // 首/独 words
      "首个",
      "首选",
      ...alone("首发"),
      "全国首家",
      "独家",
      "独创",
      "首创",
      "填补国内空白",
      // absolute claims
      ...alone("绝对", "100%"),
      "百分百",
      "永久",
      "万能",
      "绝无仅有",
      "史无前例",
      "空前绝后",
      // authority claims
      "国家机关推荐",
      "特供",
      "专供",
      "免检",
      "驰名商标",
      // pressure words
      "随时涨价",
      "马上降价",
      "错过就没机会",
    ],
  },
  {
    code: "AD_MEDICAL",
    kind: "CATEGORY",
    nameZh: "医疗、药品、医疗器械功效",
    nameEn: "Medical, drug and device efficacy",
    article: "《广告法》第十六条、第十七条",
    terms: ["根治", "治愈", "治愈率", "有效率", "药到病除", "包治", "无副作用", "无毒副作用", "祖传秘方", "立竿见影", "一次见效", "彻底康复"],
  },
  {
    code: "AD_HEALTH_FOOD",
    kind: "CATEGORY",
    nameZh: "保健食品功效",
    nameEn: "Health food claims",
    article: "《广告法》第十八条",
    terms: ["预防疾病", "治疗疾病", "防癌", "抗癌", "降血压", "降血糖", "降血脂", "替代药物", "代替药物", "保证有效"],
  },
  {
    code: "AD_EDUCATION",
    kind: "CATEGORY",
    nameZh: "教育培训承诺",
    nameEn: "Education guarantees",
    article: "《广告法》第二十四条",
    terms: ["保过", "包过", "保证通过", "包通过", "保录取", "包录取", "不过退款", "押题", "命中考题", "考试命题人"],
  },
  {
    code: "AD_INVESTMENT",
    kind: "CATEGORY",
    nameZh: "投资收益承诺",
    nameEn: "Investment return promises",
    article: "《广告法》第二十五条",
    terms: ["保本", "无风险", "零风险", "保收益", "保证收益", "稳赚", "稳赚不赔", "收益保障", "稳定高收益"],
  },
  {
    code: "AD_REAL_ESTATE",
    kind: "CATEGORY",
    nameZh: "房地产升值承诺",
    nameEn: "Real estate appreciation promises",
    article: "《广告法》第二十六条",
    terms: ["升值", "增值潜力", "保值增值", "只涨不跌", "投资回报", "坐享收益"],
  },
  {
    code: "SENSITIVE",
    kind: "SENSITIVE",
    nameZh: "敏感词",
    nameEn: "Sensitive words",
    article: "《微信公众平台运营规范》诱导分享；公司敏感词清单",
    terms: ["转发集赞", "集赞送", "分享到朋友圈领取", "转发有礼", "不转不是中国人", "刷单", "私下转账", "加微信返现"],
  },
];

/** Longer words in which a stand-alone term is no finding (trademarks, product names, idioms of
 * service attitude and time the SAMR guideline exempts). */
export const DEFAULT_EXEMPTIONS: Array<{ phrase: string; reason: string }> = [
  { phrase: "最生活", reason: "注册商标（产品名称）" },
  { phrase: "最高人民法院", reason: "机关名称" },
  { phrase: "最低工资", reason: "法定术语" },
  { phrase: "最终", reason: "时间顺序，非比较" },
  { phrase: "最近", reason: "时间表述，非比较" },
  { phrase: "最后", reason: "时间顺序，非比较" },
  { phrase: "最初", reason: "时间顺序，非比较" },
  { phrase: "第一时间", reason: "服务态度用语" },
  { phrase: "第一次", reason: "时间顺序，非排名" },
  { phrase: "第一步", reason: "操作步骤，非排名" },
  { phrase: "第一季度", reason: "时间表述" },
  { phrase: "第一财经", reason: "媒体名称" },
  { phrase: "第一站", reason: "行程顺序，非排名" },
];

/** The rule list as the matcher takes it. */
export function splitTerm(raw: string): { term: string; standsAlone: boolean } {
  return raw.startsWith("!") ? { term: raw.slice(1), standsAlone: true } : { term: raw, standsAlone: false };
}
