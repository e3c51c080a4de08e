// Installations of the app on the stand-in: each account that installs the app has its own
// installation, whose tokens reach that account's repositories and organisation only; every other
// account stays with the default installation.
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";

let gh: GitHubStandIn;

beforeAll(async () => {
  gh = await startGitHubStandIn({ installationId: 1 });
  gh.addInstallation("zeta", 2);
  gh.addRepo("acme/app", { files: { "a.txt": "acme\n" } });
  gh.addRepo("zeta/models", { files: { "a.txt": "zeta\n" } });
  gh.addTeam("zeta", "ml", { members: ["zoe"] });
});

afterAll(async () => {
  await gh?.close();
});

beforeEach(() => {
  gh.clearLog();
});

/** A client of installation `id`, authenticated as the app is (its JWT, then the installation's token). */
function installation(id: number) {
  return new Octokit({
    baseUrl: gh.baseUrl,
    authStrategy: createAppAuth,
    auth: { appId: gh.app.id, privateKey: gh.appPrivateKey, installationId: id },
  });
}

const readA = (owner: string, name: string) =>
  `{ repository(owner: "${owner}", name: "${name}") { a: object(expression: "HEAD:a.txt") { ... on Blob { text } } } }`;

describe("an account with an installation of its own", () => {
  it("is reached with its installation's token, every request recorded with the installation that sent it", async () => {
    const zeta = installation(2);

    const { data } = await zeta.request("GET /repos/{owner}/{repo}", { owner: "zeta", repo: "models" });
    const read = await zeta.graphql<{ repository: { a: { text: string } } }>(readA("zeta", "models"));

    expect(data.full_name).toBe("zeta/models");
    expect(read.repository.a.text).toBe("zeta\n");
    expect(gh.requests.map((r) => [r.route, r.installation, r.about])).toEqual([
      ["POST /app/installations/{installation_id}/access_tokens", undefined, undefined],
      ["GET /repos/{owner}/{repo}", 2, ["zeta/models"]],
      ["POST /graphql", 2, ["zeta/models"]],
    ]);
    expect(gh.violations).toEqual([]);
  });

  it("is not found with another installation's token, and asking is a violation", async () => {
    const acme = installation(1);

    await expect(
      acme.request("GET /repos/{owner}/{repo}", { owner: "zeta", repo: "models" }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(acme.graphql(readA("zeta", "models"))).rejects.toThrow(
      "Could not resolve to a Repository with the name 'zeta/models'.",
    );
    await expect(
      acme.graphql(`{ organization(login: "zeta") { team(slug: "ml") { slug } } }`),
    ).rejects.toThrow("Could not resolve to an Organization with the login of 'zeta'.");

    expect(gh.violations.map((v) => v.reason)).toEqual([
      "installation 1's token asked about zeta/models, which installation 2 reaches",
      "installation 1's token asked about zeta/models, which installation 2 reaches",
      "installation 1's token asked about zeta, which installation 2 reaches",
    ]);
  });

  it("lists its own repositories, and GitHub names the installation of each account", async () => {
    const zeta = installation(2);
    const app = new Octokit({
      baseUrl: gh.baseUrl,
      authStrategy: createAppAuth,
      auth: { appId: gh.app.id, privateKey: gh.appPrivateKey },
    });

    const listed = await zeta.request("GET /installation/repositories");
    const installations = await app.request("GET /app/installations");
    const ofRepo = (owner: string, repo: string) =>
      app.request("GET /repos/{owner}/{repo}/installation", { owner, repo });

    expect(listed.data.repositories.map((r) => r.full_name)).toEqual(["zeta/models"]);
    expect(
      installations.data.map((i) => [i.id, i.account && "login" in i.account ? i.account.login : ""]),
    ).toEqual([
      [1, gh.app.owner],
      [2, "zeta"],
    ]);
    expect((await ofRepo("zeta", "models")).data.id).toBe(2);
    expect((await ofRepo("acme", "app")).data.id).toBe(1);
    await expect(
      app.request("POST /app/installations/{installation_id}/access_tokens", { installation_id: 3 }),
    ).rejects.toMatchObject({ status: 404 });
    expect(gh.violations).toEqual([]);
  });
});
