// Type-checks Grafana dashboards (JSON) against @grafana/schema's Dashboard type with tsc
// --strict: each file becomes a typed literal, so a misspelt or unknown field, or a value of the
// wrong type, anywhere in a dashboard or its panels is an error.
// Usage: node check-dashboards.mjs WORK_DIR DASHBOARD.json...
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [workDir, ...files] = process.argv.slice(2);
if (!workDir || files.length === 0) {
  console.error("usage: node check-dashboards.mjs WORK_DIR DASHBOARD.json...");
  process.exit(2);
}
mkdirSync(workDir, { recursive: true });
let source = 'import type { Dashboard } from "@grafana/schema";\n';
files.forEach((file, index) => {
  const dashboard = JSON.parse(readFileSync(file, "utf8"));
  source += `\n// ${file}\nexport const dashboard${index}: Dashboard = ${JSON.stringify(dashboard, null, 2)};\n`;
});
const sourceFile = resolve(workDir, "dashboards.ts");
writeFileSync(sourceFile, source);
writeFileSync(
  resolve(workDir, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022",
      skipLibCheck: true, baseUrl: here, typeRoots: [join(here, "node_modules/@types")],
      paths: { "*": [join(here, "node_modules/*")] },
    },
    files: [sourceFile],
  }),
);
try {
  execFileSync(join(here, "node_modules/.bin/tsc"), ["-p", resolve(workDir, "tsconfig.json")], { stdio: "pipe" });
} catch (error) {
  console.error(`check-dashboards: tsc (${sourceFile}):\n${error.stdout}`);
  process.exit(1);
}
console.log(`check-dashboards: ${files.length} dashboards type-check as @grafana/schema Dashboards (${files.map((f) => basename(f)).join(", ")})`);
