import { SIZES } from "./company";
import { startWeComSim } from "./server";

// `npm run wecom:sim [-- --size small|tiny|medium|scale1] [--port 3210] [--seed N] [--verbose]`:
// the WeCom simulator on loopback, for the demo beside `npm start` (docs/wecom.md).

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const size = opt("size") ?? process.env.WECOM_SIM_SIZE ?? "small";
if (!(size in SIZES)) {
  console.error(`[wecom-sim] unknown size "${size}": use one of ${Object.keys(SIZES).join(", ")}`);
  process.exit(1);
}
const sim = await startWeComSim({
  size: size as keyof typeof SIZES,
  port: Number(opt("port") ?? process.env.WECOM_SIM_PORT ?? 3210),
  seed: opt("seed") ? Number(opt("seed")) : undefined,
  log: args.includes("--verbose") ? (line) => console.log(`[wecom-sim] ${line}`) : undefined,
});
const s = sim.company.size;
console.log(`[wecom-sim] WeCom simulator at ${sim.url} — ${s.members} members, ${s.departments} departments, ${s.contacts} customer contacts, ${s.groups} customer groups`);
console.log(`[wecom-sim] In /settings/wecom: API base URL ${sim.url}, corp id ${sim.config.corpId}`);
console.log(`[wecom-sim]   contact-sync secret ${sim.config.contactSecret}`);
console.log(`[wecom-sim]   customer-contact secret ${sim.config.customerSecret}`);
console.log(`[wecom-sim]   chat-archive secret ${sim.config.archiveSecret}`);
console.log(`[wecom-sim]   callback token ${sim.config.callbackToken}, EncodingAESKey ${sim.config.encodingAesKey}`);
console.log(`[wecom-sim] WeCom sign-in (docs/sign-in.md): start the portal with WECOM_OAUTH_BASE_URL=${sim.url} WECOM_SSO_BASE_URL=${sim.url}`);
const stop = async () => {
  await sim.stop();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
