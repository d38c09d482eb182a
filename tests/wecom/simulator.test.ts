import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Company, SIZES } from "@/scripts/wecom-sim/company";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";

// The simulator speaks WeCom's protocol: paths, methods, page limits, errcodes; the company is
// deterministic and scale 1 costs nothing to create.

let sim: WeComSim;
let token: string;
beforeAll(async () => {
  sim = await startWeComSim({ size: "scale1" });
  const r = await fetch(`${sim.url}/cgi-bin/gettoken?corpid=${sim.config.corpId}&corpsecret=${sim.config.customerSecret}`);
  token = ((await r.json()) as { access_token: string }).access_token;
});
afterAll(() => sim?.stop());

const post = async (path: string, body: unknown) => (await (await fetch(`${sim.url}/cgi-bin${path}?access_token=${token}`, { method: "POST", body: JSON.stringify(body) })).json()) as Record<string, unknown>;
const get = async (path: string) => (await (await fetch(`${sim.url}/cgi-bin${path}${path.includes("?") ? "&" : "?"}access_token=${token}`)).json()) as Record<string, unknown>;

describe("the WeCom simulator", () => {
  it("is deterministic and scale 1 is 20,000 members, 1,000,000 contacts, 100,000 groups", () => {
    const a = new Company(SIZES.scale1);
    const b = new Company(SIZES.scale1);
    expect(JSON.stringify([a.member(123), a.contact(5, 7), a.group(99_999)])).toBe(JSON.stringify([b.member(123), b.contact(5, 7), b.group(99_999)]));
    let contacts = 0;
    for (let i = 0; i < a.size.members; i++) contacts += a.contactCount(i);
    expect(contacts).toBe(1_000_000);
    expect(new Company(SIZES.scale1, 7).member(123).name === a.member(123).name && new Company(SIZES.scale1, 7).contact(1, 1).external_contact.external_userid === a.contact(1, 1).external_contact.external_userid).toBe(false);
  });

  it("pages as WeCom does: list_id 10,000 at most, batch/get_by_user 100 userids and 100 a page, groupchat/list 1,000", async () => {
    expect((await post("/user/list_id", { limit: 10_001 })).errcode).toBe(40058);
    const first = await post("/user/list_id", { limit: 10_000 });
    expect((first.dept_user as unknown[]).length).toBe(10_000);
    const second = await post("/user/list_id", { cursor: first.next_cursor, limit: 10_000 });
    expect((second.dept_user as unknown[]).length).toBe(10_000);
    expect(second.next_cursor).toBe("");
    const ids = Array.from({ length: 101 }, (_, i) => sim.company.userid(i));
    expect((await post("/externalcontact/batch/get_by_user", { userid_list: ids, limit: 100 })).errcode).toBe(40058);
    expect((await post("/externalcontact/batch/get_by_user", { userid_list: ids.slice(0, 100), limit: 101 })).errcode).toBe(40058);
    const page = await post("/externalcontact/batch/get_by_user", { userid_list: ids.slice(0, 100), limit: 100 });
    expect((page.external_contact_list as unknown[]).length).toBe(100);
    expect(typeof page.next_cursor).toBe("string");
    expect((await post("/externalcontact/groupchat/list", { limit: 1001 })).errcode).toBe(40058);
    const groups = await post("/externalcontact/groupchat/list", { limit: 1000 });
    expect((groups.group_chat_list as unknown[]).length).toBe(1000);
  });

  it("answers WeCom's errcodes: wrong method, missing or unknown token, unknown member, not a group chat", async () => {
    expect((await get("/user/list_id")).errcode).toBe(43002);
    expect(((await (await fetch(`${sim.url}/cgi-bin/user/get?userid=u000001`)).json()) as { errcode: number }).errcode).toBe(41001);
    expect(((await (await fetch(`${sim.url}/cgi-bin/user/get?userid=u000001&access_token=nope`)).json()) as { errcode: number }).errcode).toBe(40014);
    expect((await get("/user/get?userid=nobody")).errcode).toBe(60111);
    expect((await post("/externalcontact/groupchat/get", { chat_id: "not-a-chat" })).errcode).toBe(90501);
    const member = await get("/user/get?userid=u000039");
    expect(member).toMatchObject({ errcode: 0, userid: "u000039", status: 5 });
  });
});
