// The decision the audit benchmark appends: the size of a typical PR's (2 artifacts, 5 gates each,
// a few reasons and evidence files, 2 approvals), about 3 KB as JSON.
export function benchDecision(i, tag = "bench") {
  const gates = [];
  for (const artifact of ["models/churn", "models/fraud"]) {
    for (const gate of ["ownership", "evaluation", "privacy", "rollback", "validation"]) {
      gates.push({
        artifact,
        gate,
        status: gate === "evaluation" ? "fail" : "pass",
        reasons: gate === "evaluation" ? [`accuracy 0.87 is below the minimum 0.90 (${artifact})`] : [],
        evidence: [{ side: "head", path: `${artifact}/eval/results.json`, blobSha: "f".repeat(40) }],
      });
    }
  }
  return {
    time: new Date().toISOString(),
    installation: 4242,
    repository: "acme/models",
    kind: "pull",
    pull: i,
    headSha: "a".repeat(40),
    baseSha: "b".repeat(40),
    event: "pull_request.synchronize",
    deliveryId: `${tag}-${i}`,
    verdict: "blocked",
    conclusion: "failure",
    policy: { digest: `sha256:${"c".repeat(64)}`, sources: [`.github/readiness.yml@${"e".repeat(40)}`] },
    gates,
    approvals: [
      { rule: "Compliance sign-off", login: "carol", review: 991, commit: "a".repeat(40) },
      { rule: "Model risk", login: "dave", review: 992, commit: "a".repeat(40) },
    ],
    override: null,
    appVersion: "bench",
    sameAs: `acme/models#${i}@${tag}`,
  };
}
