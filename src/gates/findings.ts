// Collects what a gate found and turns it into a GateResult: any failure fails the gate, else any
// wait on a person makes it pending, else it passes.
import type { Finding, GateResult, GateStatus, Location } from "./types.js";

export class Findings {
  private readonly reasons: string[] = [];
  private readonly fixes: string[] = [];
  private readonly notes: string[] = [];
  private readonly locations: Location[] = [];
  private readonly found: Finding[] = [];
  private failed = false;
  private waiting = false;

  constructor(private readonly gate: string) {}

  fail(reason: string, fix: string, location?: Location): this {
    this.failed = true;
    return this.add(reason, fix, location);
  }

  pending(reason: string, fix: string, location?: Location): this {
    this.waiting = true;
    return this.add(reason, fix, location);
  }

  /** Something that could not be checked here, or worth knowing; does not change the status. */
  note(text: string): this {
    if (!this.notes.includes(text)) this.notes.push(text);
    return this;
  }

  get hasFailures(): boolean {
    return this.failed;
  }

  result(): GateResult {
    const status: GateStatus = this.failed ? "fail" : this.waiting ? "pending" : "pass";
    return this.build(status);
  }

  private add(reason: string, fix: string, location?: Location): this {
    this.reasons.push(reason);
    if (!this.fixes.includes(fix)) this.fixes.push(fix);
    if (location) this.locations.push(location);
    this.found.push(location ? { reason, fix, location } : { reason, fix });
    return this;
  }

  private build(status: GateStatus): GateResult {
    return {
      gate: this.gate,
      status,
      reasons: this.reasons,
      fixes: this.fixes,
      notes: this.notes,
      locations: this.locations,
      ...(this.found.length > 0 ? { findings: this.found } : {}),
    };
  }
}

export function skipped(gate: string, reason: string): GateResult {
  return { gate, status: "skipped", reasons: [reason], fixes: [], notes: [], locations: [] };
}
