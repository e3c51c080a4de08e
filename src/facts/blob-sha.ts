// Git's object id for file content, so in-memory facts and digests agree with `git hash-object`.
import { createHash } from "node:crypto";

/** The SHA-1 git gives a blob with these bytes: sha1("blob <length>\0" + bytes). */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}
