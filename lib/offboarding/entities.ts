export const CASE_ENTITY = "OffboardingCase";
export const ITEM_ENTITY = "HandoverItem";
