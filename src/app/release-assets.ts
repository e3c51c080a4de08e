// The release report's two assets, replaced — never duplicated — on a re-run, and never left
// half-replaced: the new file is uploaded under a temporary name first, then the old one is
// deleted and the new one takes its name. A failure before the delete leaves the old report
// whole; a failure after it leaves the new one whole under its temporary name (the next run
// replaces it too).
import type { GateContext } from "./services.js";

export interface ReleaseRef {
  owner: string;
  repo: string;
  id: number;
  /** The release's `upload_url` (a URI template ending in `{?name,label}`). */
  uploadUrl: string;
}

interface Asset {
  id: number;
  name: string;
}

/** The name a replacement waits under until the old asset is gone. */
const pending = (name: string) => `${name}.next`;

export async function replaceAssets(
  context: GateContext,
  release: ReleaseRef,
  files: ReadonlyArray<{ name: string; contentType: string; content: string }>,
): Promise<void> {
  const { octokit } = context;
  const { owner, repo } = release;
  const listed = await octokit.rest.repos.listReleaseAssets({
    owner,
    repo,
    release_id: release.id,
    per_page: 100,
  });
  const assets: Asset[] = listed.data.map((a) => ({ id: a.id, name: a.name }));
  const named = (name: string) => assets.find((a) => a.name === name);
  const remove = (asset: Asset) => octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id });
  for (const file of files) {
    const data = Buffer.from(file.content, "utf8");
    // A replacement a failed run left behind goes first: its name is about to be used.
    const leftover = named(pending(file.name));
    if (leftover) await remove(leftover);
    const old = named(file.name);
    const uploaded = await octokit.request(`POST ${release.uploadUrl}`, {
      name: old ? pending(file.name) : file.name,
      data,
      headers: { "content-type": file.contentType, "content-length": data.length },
    });
    if (!old) continue;
    await remove(old);
    await octokit.rest.repos.updateReleaseAsset({
      owner,
      repo,
      asset_id: (uploaded.data as { id: number }).id,
      name: file.name,
    });
  }
}
