// WeCom's reply shapes for the calls the connector makes (../shared/reference/wecom-api.md). Fields
// WeCom may leave out (e-mail, mobile since 2022) are optional: decide on what is present.

export type Base = { errcode: number; errmsg: string };

export type DepartmentSimpleList = Base & { department_id: { id: number; parentid: number; order: number }[] };
export type DepartmentList = Base & { department: { id: number; name?: string; name_en?: string; parentid: number; order: number; department_leader?: string[] }[] };
export type UserSimpleList = Base & { userlist: { userid: string; name: string; department: number[]; open_userid?: string }[] };
export type UserGet = Base & {
  userid: string;
  name: string;
  department: number[];
  main_department?: number;
  position?: string;
  /** 1 active, 2 disabled, 4 not activated, 5 left the company. */
  status: 1 | 2 | 4 | 5;
  email?: string;
  biz_mail?: string;
  mobile?: string;
};
export type UserListId = Base & { next_cursor?: string; dept_user: { userid: string; department: number }[] };
export type FollowUserList = Base & { follow_user: string[] };
export type ExternalContact = {
  external_contact: { external_userid: string; name: string; type: 1 | 2; corp_name?: string; corp_full_name?: string; avatar?: string; gender?: number; unionid?: string };
  follow_info: { userid: string; remark?: string; description?: string; createtime: number; tag_id?: string[]; remark_mobiles?: string[]; add_way?: number; oper_userid?: string };
};
export type BatchGetByUser = Base & { external_contact_list: ExternalContact[]; next_cursor?: string };
/** externalcontact/get (92114): the customer, and each member's follow-up of them (tags as objects here). */
export type ExternalContactGet = Base & {
  external_contact: ExternalContact["external_contact"];
  follow_user: (Omit<ExternalContact["follow_info"], "tag_id"> & { tags?: { group_name?: string; tag_name?: string; tag_id?: string; type: number }[] })[];
  next_cursor?: string;
};
export type GroupChatList = Base & { group_chat_list: { chat_id: string; status: 0 | 1 | 2 | 3 }[]; next_cursor?: string };
export type GroupChatMember = { userid: string; type: 1 | 2; unionid?: string; join_time: number; join_scene: number; invitor?: { userid: string }; group_nickname?: string; name?: string };
export type GroupChatGet = Base & {
  group_chat: { chat_id: string; name: string; owner: string; create_time: number; notice?: string; member_list: GroupChatMember[]; admin_list: { userid: string }[]; member_version?: string };
};

/** GET /auth/getuserinfo (98177): a member's `userid` (and `user_ticket` for snsapi_privateinfo);
 * someone who is not a member of the company gets `openid` (and `external_userid`) instead. */
export type AuthGetUserInfo = Base & { userid?: string; user_ticket?: string; openid?: string; external_userid?: string };

// Issue 15 (items 4, 6, 7): unassigned leavers, sensitive-word intercept rules, archive consent.
export type UnassignedList = { info?: { handover_userid: string; external_userid: string; dimission_time?: number }[]; is_last?: boolean; next_cursor?: string };
export type InterceptRange = { user_list?: string[]; department_list?: number[] };
export type InterceptRuleBody = { rule_name: string; word_list: string[]; semantics_list?: number[]; intercept_type: 1 | 2; applicable_range: InterceptRange };
export type InterceptRuleUpdate = { rule_id: string; rule_name?: string; word_list?: string[]; intercept_type?: 1 | 2; add_applicable_range?: InterceptRange; remove_applicable_range?: InterceptRange };
export type InterceptRuleGet = { rule: { rule_id: string; rule_name: string; word_list: string[]; intercept_type: 1 | 2; applicable_range: InterceptRange } };
export type AgreeInfo = { userid?: string; exteranalopenid: string; agree_status: "Agree" | "Disagree"; status_change_time: number };
export type CheckAgree = { agreeinfo?: AgreeInfo[] };
export type PermitUserList = { ids?: string[] };
export type TransferCustomer = { customer: { external_userid: string; errcode: number }[] };
export type TransferResult = { customer: { external_userid: string; status: number; takeover_time: number }[]; next_cursor?: string };
export type GroupChatTransfer = { failed_chat_list?: { chat_id: string; errcode: number; errmsg?: string }[] };
