import { expect, test as setup } from "@playwright/test";
import { signIn } from "./fixtures";
import { storageStateFor, USERS, type RoleKey } from "./users";

// One real sign-in per role through the form; the other specs reuse the stored sessions.
for (const role of Object.keys(USERS) as RoleKey[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, USERS[role].email);
    await expect(page.getByTestId("current-user")).toContainText(USERS[role].name);
    await page.context().storageState({ path: storageStateFor(role) });
  });
}
