// The policy language owns metric spelling (thresholds are compared by it in the merge); the
// readers normalise result names the same way.
export { normaliseMetricName } from "../../policy/metric-name.js";
