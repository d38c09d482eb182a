// Dates on the work-group screens (and most others that import from here): the portal's one date
// and date-time format, China time (lib/i18n/format.ts).
export { formatDate, formatDateTime, formatDay } from "@/lib/i18n/format";
