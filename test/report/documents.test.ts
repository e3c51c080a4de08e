// The check's table shows each document gate by the name the policy gives it, beside the builtin
// gates, and lists its failures with their fix like any gate's.
import { describe, expect, it } from "vitest";
import { readTemplates } from "../../src/assets/templates.js";
import { createRenderer } from "../../src/report/index.js";
import { run } from "../engine/scenario.js";
import { firstTable } from "./table.js";

const POLICY = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high }
  prompt: { roots: ["prompts/*"], tier: medium }
gates:
  rollback: { tiers: [medium, high], sections: [Steps] }
  documents:
    monitoring: { tiers: [high], file: MONITORING.md, sections: [Metrics, Alerts] }
    data_lineage: { file: lineage.yml, keys: [sources] }
`;

describe("document gates in the check", () => {
  it("are columns named as the policy names them, and their failures are listed with the fix", async () => {
    const base = {
      ".github/readiness.yml": POLICY,
      "models/churn/artifact.yml": "owners: ['@alice']\n",
      "prompts/support/artifact.yml": "owners: ['@alice']\n",
    };
    const head = {
      ...base,
      "models/churn/train.py": "x = 1\n",
      "models/churn/ROLLBACK.md": "## Steps\nRevert.\n\n## Last tested\n2026-11-01\n",
      "models/churn/MONITORING.md": "## Metrics\nLatency.\n\n## Alerts\n",
      "models/churn/lineage.yml": "sources: [warehouse.accounts]\n",
      "prompts/support/system.txt": "Be brief.\n",
      "prompts/support/ROLLBACK.md": "## Steps\nRevert.\n\n## Last tested\n2026-11-01\n",
      "prompts/support/lineage.yml": "sources: [faq]\n",
    };
    const result = await run({ base, head });
    const summary = createRenderer(readTemplates()).renderMarkdown(result);
    const table = firstTable(summary);
    expect(table[0]).toBe("| Artifact | Kind | Tier | rollback | monitoring | data_lineage |");
    expect(table[2]).toBe("| `models/churn` | model | high | ✅ pass | ❌ fail | ✅ pass |");
    expect(table[3]).toBe("| `prompts/support` | prompt | medium | ✅ pass | ➖ skipped | ✅ pass |");
    expect(summary).toContain("- ❌ `models/churn` — **monitoring** (fail)");
    expect(summary).toContain("  - the 'Alerts' section of models/churn/MONITORING.md is empty");
    expect(summary).toContain("  - **Fix:** Fill in 'Alerts' in models/churn/MONITORING.md.");
  });
});
