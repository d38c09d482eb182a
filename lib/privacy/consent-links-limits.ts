// Consent links' validity (shared by the server and the collector's form).
export const LINK_DEFAULT_DAYS = 30;
export const LINK_MAX_DAYS = 90;
