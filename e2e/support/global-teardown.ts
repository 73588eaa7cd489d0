import fs from "node:fs";

/**
 * Every key the suite saw was recorded by the tests (e2e/support/secrets.ts). None may appear in
 * the server's output: not in a log line, an error, or a stack trace.
 */
export default function globalTeardown() {
  const dir = "e2e/.artifacts/secrets";
  const secrets = fs.existsSync(dir)
    ? fs.readdirSync(dir).flatMap((f) => fs.readFileSync(`${dir}/${f}`, "utf8").split("\n").filter(Boolean))
    : [];
  const logs = fs
    .readdirSync("e2e/.artifacts")
    .filter((f) => f.startsWith("server-") && f.endsWith(".log"))
    .map((f) => fs.readFileSync(`e2e/.artifacts/${f}`, "utf8"))
    .join("\n");
  const leaked = secrets.filter((s) => logs.includes(s) || logs.includes(s.slice(4, 24)));
  if (leaked.length > 0) throw new Error(`${leaked.length} API key(s) appeared in the server's output.`);
  console.log(`secret hygiene: ${secrets.length} key(s) checked against the server log, none found`);
}
