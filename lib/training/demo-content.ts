// The demo courses and the first policy (SPEC §9), written from the company's requirement
// (../shared/seed/enterprise-wechat-usage-guidelines.zh.txt) and the regulations it cites
// (../shared/reference/regulations.md). Pure data without imports: the seed, the tests and the
// e2e spec read the same quizzes.

export type DemoQuestion = { prompt: string; choices: string[]; correct: number[] };
export type DemoCourse = {
  code: string;
  titleZh: string;
  titleEn: string;
  category: "WECHAT_RULES" | "PRIVACY" | "CONTENT" | "SECURITY";
  content: string;
  quiz: DemoQuestion[];
  passingScore: number;
  audienceKind: "EVERYONE" | "DEPARTMENTS";
  /** Department codes (prisma/seed.ts) for a DEPARTMENTS audience. */
  departmentCodes?: string[];
  recurrence: "NONE" | "YEARLY" | "MONTHS";
  recurrenceMonths?: number;
  dueWorkingDays: number;
};

export const DEMO_COURSES: DemoCourse[] = [
  {
    code: "WECHAT-101",
    titleZh: "企业微信使用规范",
    titleEn: "Rules for using WeChat and WeCom at work",
    category: "WECHAT_RULES",
    passingScore: 80,
    audienceKind: "EVERYONE",
    recurrence: "YEARLY",
    dueWorkingDays: 10,
    content: `# 为什么要有使用规范
微信已从个人社交工具变成企业的商务环境。你在微信上的每一次交互都代表公司，关乎公司的安全与声誉。本课程讲解公司对工作微信群、企业微信账号和客户沟通的规定。

## 工作群：谁建群谁负责
- 建立工作群须经审批，群名须符合命名规则（包含部门、项目名称）。
- 每个工作群都有明确的群主和管理员。依据《互联网群组信息服务管理规定》第九条，群主和管理员履行群管理责任。
- 控制成员范围，防止无关人员加入；涉及商业秘密的讨论应评估是否适合在群内进行。
- 建群即有归档，解散前需备份：重要指示、任务分配和项目纪要定期整理到公司知识库。

## 账号是公司资产
- 企业控制的微信账号和客户资源是数字资产，账号的申请、使用、回收全程登记。
- 离职时，名下的客户、群和账号须交接给接替人，资产不能流失。

## 沟通礼仪
1. 下班后非紧急事项不打扰同事。
2. 重要事项用文字确认，不只发语音。
3. 不在大群中刷屏讨论无关话题。
4. 工作与私人聊天分开（公私分明）。

延伸阅读：[互联网群组信息服务管理规定](https://www.cac.gov.cn/2017-09/07/c_1121623889.htm)`,
    quiz: [
      { prompt: "新建一个面向客户的工作微信群，正确的做法是？", choices: ["直接用个人微信拉群，事后再告诉主管", "按流程提交建群申请，群名符合命名规则并指定群主", "请客户建群，公司不需要记录", "先建群，等出现问题再登记"], correct: [1] },
      { prompt: "“谁建群谁负责”出自哪项规定？", choices: ["《广告法》", "《互联网群组信息服务管理规定》", "《劳动合同法》", "《反不正当竞争法》"], correct: [1] },
      { prompt: "以下哪些做法符合公司的沟通礼仪？（多选）", choices: ["重要事项用文字确认", "下班后非紧急事项不打扰同事", "在大群中讨论与工作无关的话题", "工作与私人聊天分开"], correct: [0, 1, 3] },
      { prompt: "员工离职时，名下的企业微信客户应当？", choices: ["随员工一起带走", "删除所有客户以保护隐私", "通过离职交接转给接替人", "由员工自行决定"], correct: [2] },
      { prompt: "工作群准备解散前，应当先做什么？", choices: ["备份重要记录并归档到公司知识库", "什么都不用做", "把聊天记录发到朋友圈", "先把所有成员移出群"], correct: [0] },
    ],
  },
  {
    code: "PIPL-101",
    titleZh: "个人信息保护基础",
    titleEn: "Personal information protection basics",
    category: "PRIVACY",
    passingScore: 80,
    audienceKind: "EVERYONE",
    recurrence: "YEARLY",
    dueWorkingDays: 15,
    content: `# 个人信息保护法（PIPL）与你的日常工作
通过微信接触的客户联系方式、交易偏好和反馈内容都是个人信息。处理个人信息必须有明确、合理的目的，并遵循**最小必要**原则。

## 先告知，再同意
- 收集前须清楚告知：处理者名称和联系方式、目的、方式、信息种类、保存期限，以及个人如何行使权利（第十七条）。
- 向第三方提供、公开、跨境传输以及处理敏感个人信息，需要取得个人的**单独同意**（第二十三、二十五、二十九、三十九条）。
- 个人可以随时撤回同意，撤回方式应当便捷（第十五条）。

## 敏感个人信息
生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹，以及不满十四周岁未成年人的信息，属于敏感个人信息。不满十四周岁的，须取得父母或监护人的同意。

## 日常要求
- 不通过微信传输薪酬、人事档案等敏感资料。
- 不要求同事或客户提供非必要的个人信息。
- 发现泄露、篡改或丢失，立即报告个人信息保护负责人，公司须依法补救并通知监管部门和个人（第五十七条）。

延伸阅读：[中华人民共和国个人信息保护法](https://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml)`,
    quiz: [
      { prompt: "处理个人信息应遵循哪项原则？", choices: ["越多越好，以备后用", "最小必要", "先收集，再决定用途", "只要客户没有反对就可以"], correct: [1] },
      { prompt: "以下哪些情形需要取得个人的单独同意？（多选）", choices: ["向第三方提供个人信息", "处理敏感个人信息", "个人信息跨境传输", "给客户回复一条咨询消息"], correct: [0, 1, 2] },
      { prompt: "客户提出撤回此前的同意，公司应当？", choices: ["拒绝，因为已经同意过", "提供便捷的撤回方式并停止相关处理", "要求客户到公司当面办理", "删除客户的微信好友"], correct: [1] },
      { prompt: "以下哪项属于敏感个人信息？", choices: ["客户公司名称", "客户的医疗健康信息", "公开的公众号文章", "产品价格表"], correct: [1] },
      { prompt: "发现客户信息可能泄露，第一步应当？", choices: ["先观察几天", "立即报告个人信息保护负责人", "在工作群里讨论", "自行删除相关记录"], correct: [1] },
    ],
  },
  {
    code: "CONTENT-101",
    titleZh: "营销内容合规",
    titleEn: "Compliant marketing content",
    category: "CONTENT",
    passingScore: 75,
    audienceKind: "DEPARTMENTS",
    departmentCodes: ["SALES", "MKT", "CS"],
    recurrence: "NONE",
    dueWorkingDays: 10,
    content: `# 公众号、朋友圈和群发内容的合规要求
公众号文章、朋友圈推广、群发消息和视频号脚本都是公开或半公开内容，必须真实、合法，并经过多层审核后发布。

## 广告法禁止的绝对化用语
《广告法》第九条第三项禁止使用“国家级”“最高级”“最佳”等用语。常见需要标记的词：
- 最字类：最、最佳、最好、最优、史上最低价
- 第一类：第一、全网第一、销量第一、唯一、NO.1
- 级别类：国家级、世界级、顶级、极致
- 绝对承诺：绝对、100%、永久、万能

违反第九条的，可处二十万元以上一百万元以下罚款（第五十七条）。

## 特定类别
- 投资类内容必须提示风险，不得承诺保本、无风险、保收益（第二十五条）。
- 教育培训不得承诺通过或录取（第二十四条）。
- 普通商品不得宣称治疗疾病（第十七条）。

## 素材授权
图片、字体、音乐、视频必须有合法授权，并在授权有效期内使用。

延伸阅读：[中华人民共和国广告法](https://www.samr.gov.cn/)`,
    quiz: [
      { prompt: "以下哪句宣传语违反《广告法》第九条？", choices: ["本店支持七天无理由退货", "全网销量第一的智能音箱", "本产品通过国家标准检测", "新品上市，欢迎咨询"], correct: [1] },
      { prompt: "一篇理财产品推文，以下哪种写法是合规的？", choices: ["保本保收益，稳赚不赔", "零风险，收益有保障", "投资有风险，过往业绩不代表未来表现", "百分百回本"], correct: [2] },
      { prompt: "在朋友圈推广中使用一首流行歌曲作为背景音乐，需要？", choices: ["不需要任何授权", "确认已取得音乐授权且在有效期内", "只要注明出处即可", "只要不超过 30 秒即可"], correct: [1] },
      { prompt: "违反广告法第九条的罚款范围是？", choices: ["一千元以下", "二十万元以上一百万元以下", "只警告不罚款", "五万元以下"], correct: [1] },
    ],
  },
  {
    code: "PHISH-101",
    titleZh: "识别网络钓鱼与信息泄露",
    titleEn: "Spotting phishing and information leaks",
    category: "SECURITY",
    passingScore: 80,
    audienceKind: "EVERYONE",
    recurrence: "MONTHS",
    recurrenceMonths: 6,
    dueWorkingDays: 5,
    content: `# 微信是钓鱼和商业间谍的常见渠道
攻击者常冒充领导、同事、客户或平台客服，通过微信发送链接、二维码或文件，诱导你登录、转账或泄露信息。

## 常见手法
- 冒充领导：“我在开会，马上帮我转一笔款给这个账户”。
- 仿冒登录页：链接看似企业微信或邮箱，实际域名不同。
- 中奖、退款、账号异常等紧急话术，催你立即操作。
- 陌生人拉你进群，群里发送带病毒的文件。

## 正确做法
1. 涉及转账、改账户、发送敏感资料的请求，一律通过电话或当面**二次确认**。
2. 不扫描来源不明的二维码，不在聊天链接中输入公司账号密码。
3. 财务数据、战略决策、客户名单等敏感信息不在群聊中传播。
4. 发现可疑消息，截图并报告信息技术部，不要转发。

延伸阅读：[国家反诈中心](https://www.mps.gov.cn/)`,
    quiz: [
      { prompt: "“领导”在微信上让你立即给一个新账户转账，你应当？", choices: ["马上转账，领导很急", "通过电话或当面向领导二次确认", "在群里问问大家", "先转一半"], correct: [1] },
      { prompt: "收到一个看似企业微信登录页的链接，要求输入账号密码，你应当？", choices: ["输入账号密码", "转发给同事看看", "不输入，并报告信息技术部", "换个浏览器再打开"], correct: [2] },
      { prompt: "以下哪些是钓鱼常见的特征？（多选）", choices: ["制造紧急感，催你立即操作", "链接域名与官方不一致", "要求提供验证码或密码", "通过公司审批流程发起的正式请求"], correct: [0, 1, 2] },
      { prompt: "发现可疑消息后，正确的做法是？", choices: ["截图并报告信息技术部，不转发", "转发到大群提醒大家", "回复对方质问", "直接删除，不告诉任何人"], correct: [0] },
      { prompt: "客户名单可以在哪里传播？", choices: ["任何工作群", "个人朋友圈", "经授权的公司系统内", "陌生人拉的群"], correct: [2] },
    ],
  },
];

export const DEMO_POLICY = {
  code: "HANDBOOK-WECHAT",
  titleZh: "员工手册·微信使用章节",
  titleEn: "Employee handbook: using WeChat",
  dueWorkingDays: 10,
  body: `# 员工手册 第七章 微信与企业微信使用
本章适用于全体员工。公司通过微信和企业微信开展商务活动、客户服务与内部协同；员工在微信上的每一次交互都代表公司。

## 一、法规遵从与内容风控
- 对外发布的内容必须真实、合法，不得含有虚假宣传、侵权信息或违法违规内容。
- 公众号文章、朋友圈推广、群发消息须经内容审核后发布；不得使用《广告法》禁止的绝对化用语。
- 使用的图片、字体、视频、音乐等素材须有合法授权。

## 二、数据安全与隐私保护
- 收集客户或员工个人信息前，须告知目的、方式和保存期限并取得同意，遵循最小必要原则。
- 不通过微信传输薪酬、人事档案等敏感资料；客户数据只存放在公司授权的系统中。
- 发现数据泄露，立即报告个人信息保护负责人。

## 三、组织沟通与信息治理
- 工作群须经审批建立，群名符合命名规则，明确群主与管理员；谁建群谁负责。
- 重要工作指示、任务分配、项目纪要定期归档至公司知识库；群解散前须备份。
- 下班后非紧急不打扰；重要事项使用文字确认；不在大群刷屏。

## 四、客户服务与品牌形象
- 工作时间内按公司服务标准及时响应客户；使用规范、礼貌、专业的服务用语。
- 客户投诉须按流程流转、跟进并闭环反馈。
- 个人朋友圈、视频号用于业务推广时，内容须符合品牌要求。

## 五、账号与资产
- 企业控制的微信账号、客户资源是公司资产；账号的申请、使用、回收按流程登记。
- 离职前须完成客户、工作群和账号的交接。

## 六、培训
- 员工须按时完成分配的培训课程，并确认本章的现行版本。`,
};
