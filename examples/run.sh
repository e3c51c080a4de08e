#!/usr/bin/env bash
# Builds a throwaway git repository from examples/sample-ml-repo — a base commit on `main` and a
# pull-request-like branch — and runs `readiness-gate check` twice: first on a change that skips
# its evidence (blocked), then after the evidence is added (ready).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cli=(node "$here/../bin/readiness-gate.js")
repo="$(mktemp -d "${TMPDIR:-/tmp}/readiness-example.XXXXXX")"
trap 'rm -rf "$repo"' EXIT

# Dates relative to today, so the sample's drill and privacy review never go stale.
drill="$(date -u -d '-20 days' +%F 2>/dev/null || date -u -v-20d +%F)"
reviewed="$(date -u -d '-60 days' +%F 2>/dev/null || date -u -v-60d +%F)"
cp -R "$here/sample-ml-repo/." "$repo/"
find "$repo" -type f \( -name 'ROLLBACK.md' -o -name 'privacy-review.yml' \) -exec \
  sed -i.bak -e "s/DRILL_DATE/$drill/" -e "s/REVIEWED_AT/$reviewed/" {} \;
find "$repo" -name '*.bak' -delete

git() { command git -C "$repo" -c user.name="Sample Dev" -c user.email=dev@example.com "$@"; }
git init -q -b main
git add -A && git commit -q -m "Sample ML repository"

echo "== 1. A pull request retunes the churn model without re-running its evaluation =="
git checkout -q -b retune
sed -i.bak 's/LEARNING_RATE = 0.01/LEARNING_RATE = 0.02/' "$repo/models/churn/train.py" && rm "$repo/models/churn/train.py.bak"
git commit -q -am "Retune the churn model"
set +e
"${cli[@]}" check --repo "$repo" --base main --head retune
first=$?
set -e
echo "(exit code $first)"
echo

echo "== 2. The author re-runs the evaluation and commits the results =="
cat > "$repo/models/churn/eval/results.json" <<'JSON'
{
  "metrics": {
    "accuracy": 0.935,
    "f1": 0.89
  },
  "dataset": "churn-holdout-2026-11"
}
JSON
git commit -q -am "Re-run the churn evaluation"
"${cli[@]}" check --repo "$repo" --base main --head retune
echo "(exit code $?: ready locally; on GitHub the app still waits for the compliance and owner approvals)"
