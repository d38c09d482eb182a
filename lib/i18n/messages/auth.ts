import { defineMessages } from "./define";

export const auth = defineMessages(
  {
    signInTitle: "登录",
    signInIntro: "使用公司邮箱和密码登录。",
    email: "邮箱",
    password: "密码",
    submit: "登录",
    submitting: "登录中…",
    invalid: "邮箱或密码不正确。",
    locked: "登录失败次数过多，账号已临时锁定。请于 {until} 之后再试。",
    throttled: "该网络地址登录失败次数过多，请于 {until} 之后再试。",
    departed: "邮箱或密码不正确。",
    sessionEnded: "您的会话已结束，请重新登录。",
    signedOut: "您已退出登录。",
  },
  {
    signInTitle: "Sign in",
    signInIntro: "Sign in with your company e-mail and password.",
    email: "E-mail",
    password: "Password",
    submit: "Sign in",
    submitting: "Signing in…",
    invalid: "The e-mail or password is not correct.",
    locked: "Too many failed sign-ins: the account is locked for now. Try again after {until}.",
    throttled: "Too many failed sign-ins from this network address. Try again after {until}.",
    departed: "The e-mail or password is not correct.",
    sessionEnded: "Your session has ended. Please sign in again.",
    signedOut: "You have signed out.",
  },
);
