// The address a request came from, as the first proxy hop reports it. Next's own server sets
// x-forwarded-for to the socket's address when nothing in front of it does.
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip")?.trim() || "unknown";
  return ip.slice(0, 64);
}
