// Wraps one webhook delivery: times it and counts every GitHub request its octokit sends (facts,
// check runs, comments), for /metrics. Probot builds a fresh octokit per event, so the hook added
// here sees only this delivery's requests.
import type { ProbotOctokit } from "probot";
import type { Metrics } from "../metrics.js";

interface Delivery {
  name: string;
  payload: unknown;
  octokit: ProbotOctokit;
}

export async function observe<T>(metrics: Metrics, delivery: Delivery, work: () => Promise<T>): Promise<T> {
  const action = (delivery.payload as { action?: unknown }).action;
  const event = typeof action === "string" ? `${delivery.name}.${action}` : delivery.name;
  delivery.octokit.hook.wrap("request", async (request, options) => {
    try {
      const response = await request(options);
      metrics.githubRequests.inc({ status: statusClass(response.status) });
      return response;
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      metrics.githubRequests.inc({ status: typeof status === "number" ? statusClass(status) : "error" });
      throw error;
    }
  });
  const stop = metrics.webhookSeconds.startTimer({ event });
  try {
    return await work();
  } finally {
    stop();
  }
}

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
