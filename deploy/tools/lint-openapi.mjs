// Lints an OpenAPI document with Redocly's rules (@redocly/openapi-core, the engine of
// `redocly lint`), configured by CONFIG. Every problem, warning or error, fails.
//   node lint-openapi.mjs DOCUMENT CONFIG
import { lint, loadConfig } from "@redocly/openapi-core";

const [document, configPath] = process.argv.slice(2);
const config = await loadConfig({ configPath });
const problems = await lint({ ref: document, config });
for (const problem of problems) {
  const where = problem.location?.[0]?.pointer ?? "#";
  console.log(`${document}${where}: ${problem.severity} ${problem.ruleId}: ${problem.message}`);
}
if (problems.length > 0) {
  process.exit(1);
}
console.log(`lint-openapi: ${document} is clean under ${configPath}`);
