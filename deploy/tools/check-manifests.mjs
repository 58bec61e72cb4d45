// Validates rendered Kubernetes manifests offline, twice over:
//  1. every object against its API schema (kubernetes-models, and the prometheus-operator
//     models for monitoring.coreos.com), as the API server's validation would;
//  2. every object as a TypeScript literal of its model's interface, type-checked by tsc
//     (--strict), which also rejects fields the API does not know: the schemas alone accept
//     them, and the API server would silently drop them.
// Usage: node check-manifests.mjs WORK_DIR MANIFEST.yaml...
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

const here = dirname(fileURLToPath(import.meta.url));
const [workDir, ...files] = process.argv.slice(2);
if (!workDir || files.length === 0) {
  console.error("usage: node check-manifests.mjs WORK_DIR MANIFEST.yaml...");
  process.exit(2);
}

function modulePath(apiVersion, kind) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const failures = [];
const typed = [];
let count = 0;
for (const file of files) {
  for (const object of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (!object) continue;
    count += 1;
    const { apiVersion, kind } = object;
    const name = `${file}: ${kind} ${object.metadata?.name}`;
    const path = modulePath(apiVersion, kind);
    let model;
    try {
      model = (await import(path))[kind];
    } catch {
      failures.push(`${name}: no model for ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      failures.push(`${name}: ${error.message}`);
    }
    typed.push({ name, path, kind, object });
  }
}

// One TypeScript file: each object a literal of its interface.
mkdirSync(workDir, { recursive: true });
const imports = new Map();
typed.forEach(({ path, kind }) => imports.set(path, `I${kind}`));
let source = "";
let index = 0;
for (const [path, type] of imports) {
  source += `import type { ${type} as T${index} } from ${JSON.stringify(path)};\n`;
  imports.set(path, `T${index++}`);
}
typed.forEach(({ name, path, object }, i) => {
  source += `\n// ${name}\nexport const object${i}: ${imports.get(path)} = ${JSON.stringify(object, null, 2)};\n`;
});
const sourceFile = resolve(workDir, "manifests.ts");
writeFileSync(sourceFile, source);
writeFileSync(
  resolve(workDir, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext",
      target: "es2022", skipLibCheck: true, baseUrl: here, typeRoots: [join(here, "node_modules/@types")],
      paths: { "*": [join(here, "node_modules/*")] },
    },
    files: [sourceFile],
  }),
);
try {
  execFileSync(join(here, "node_modules/.bin/tsc"), ["-p", resolve(workDir, "tsconfig.json")], {
    stdio: "pipe",
  });
} catch (error) {
  failures.push(`tsc (${sourceFile}):\n${error.stdout}`);
}

if (failures.length > 0) {
  console.error(`check-manifests: ${failures.length} problem(s):\n` + failures.join("\n"));
  process.exit(1);
}
console.log(`check-manifests: ${count} objects valid against the schemas and their types`);
