// Each reason of a gate with its own location and fix, so a report reads "what, where, what to do"
// together instead of three blocks matched by position.
import type { GateResult, Location } from "../engine/types.js";

export interface ReasonWithFix {
  reason: string;
  location?: Location;
  /** Absent when the next reason has the same fix: it is said once, after the last of them. */
  fix?: string;
}

export interface PairedReasons {
  reasons: ReasonWithFix[];
  /** Locations and fixes that belong to no one reason (results built without `findings`). */
  locations: Location[];
  fixes: string[];
}

export function pairedReasons(gate: GateResult): PairedReasons {
  if (gate.findings && gate.findings.length > 0) {
    const found = gate.findings;
    const reasons = found.map(({ reason, location, fix }, i) => ({
      reason,
      ...(location ? { location } : {}),
      ...(found[i + 1]?.fix === fix ? {} : { fix }),
    }));
    return { reasons, locations: [], fixes: [] };
  }
  // Without findings the lists pair by position only when they are as long as the reasons.
  const n = gate.reasons.length;
  const pairLocations = n > 0 && gate.locations.length === n;
  const pairFixes = n > 0 && gate.fixes.length === n;
  return {
    reasons: gate.reasons.map((reason, i) => {
      const location = pairLocations ? gate.locations[i] : undefined;
      const fix = pairFixes ? gate.fixes[i] : undefined;
      return { reason, ...(location ? { location } : {}), ...(fix !== undefined ? { fix } : {}) };
    }),
    locations: pairLocations ? [] : gate.locations,
    fixes: pairFixes ? [] : gate.fixes,
  };
}
