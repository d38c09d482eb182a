// The balancer of scripts/serve.mjs (Node's cluster) with a stand-in for Next.js in its processes,
// for scripts/serve-balance.test.ts: each process answers through the gate with what it saw (the
// peer's address, its slot and pid), /stream sends a first chunk and holds the response open, /exit
// ends the process mid-run. FAIL_START=1 makes every process die before it listens.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { balance, gate, PEER_HEADER, PROCESS_HEADER } from "./serve.mjs";

if (cluster.isPrimary) {
  balance(Number(process.env.WEB_PROCESSES ?? 2), { restartDelayMs: 100, log: (line) => console.log(`[balance] ${line}`) });
} else if (process.env.FAIL_START === "1") {
  process.exit(2);
} else {
  const slot = process.env.WEGOVERN_PROCESS ?? "";
  const server = createServer(async (req, res) => {
    res.setHeader(PROCESS_HEADER, slot);
    const request = await gate(req, res);
    if (!request) return;
    if (request.url === "/exit") {
      res.on("finish", () => setTimeout(() => process.exit(3), 50));
      res.end("bye");
      return;
    }
    if (request.url === "/stream") {
      // The first chunk goes out and the response stays open until the client hangs up.
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first chunk\n");
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ peer: request.headers[PEER_HEADER], slot, pid: process.pid }));
  });
  server.listen(Number(process.env.PORT), "127.0.0.1");
  process.on("SIGTERM", () => process.exit(0));
}
