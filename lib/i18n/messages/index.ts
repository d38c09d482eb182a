import { accounts } from "./accounts";
import { approvals } from "./approvals";
import { audit } from "./audit";
import { calendar } from "./calendar";
import { auth } from "./auth";
import { common } from "./common";
import { consentPage } from "./consentPage";
import { confirm } from "./confirm";
import { contactImport } from "./contactImport";
import { directory } from "./directory";
import { errors } from "./errors";
import { groups } from "./groups";
import { home } from "./home";
import { jobs } from "./jobs";
import { lists } from "./lists";
import { nav } from "./nav";
import { notifications } from "./notifications";
import { offboarding } from "./offboarding";
import { privacy } from "./privacy";
import { service } from "./service";
import { training } from "./training";
import { content } from "./content";
import { dashboard } from "./dashboard";
import { roles } from "./roles";
import { signIn } from "./signIn";
import { wecom } from "./wecom";

// One namespace per domain; a new capability adds its file here.
const domains = { common, confirm, nav, auth, errors, roles, home, directory, audit, calendar, approvals, groups, accounts, contactImport, offboarding, jobs, privacy, consentPage, service, training, content, dashboard, wecom, signIn, notifications, lists };

type Domains = typeof domains;
export type Messages = { [K in keyof Domains]: Domains[K]["zh"] };

function pick(lang: "zh" | "en"): Messages {
  return Object.fromEntries(Object.entries(domains).map(([k, v]) => [k, v[lang]])) as Messages;
}

export const zhCN: Messages = pick("zh");
export const en: Messages = pick("en");
