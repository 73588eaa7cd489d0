// A software WebAuthn authenticator for Vitest: a real P-256 key pair (node:crypto) that answers
// registration and sign-in challenges exactly as an authenticator does (authenticator data, CBOR
// attestation "none", ECDSA over authenticatorData || SHA-256(clientDataJSON)), so the real
// @simplewebauthn/server verification runs against it. Its origin, RP ID, counter and flags are
// the test's to choose: that is how the wrong-origin, replay and cloned-counter cases are built.
// The browser tests use Chromium's own virtual authenticator instead (e2e/passkeys.spec.ts).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  counter = 0;

  constructor(
    readonly userHandle: Uint8Array,
    readonly options: { uv?: boolean; backedUp?: boolean } = {},
  ) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    this.publicJwk = { x: jwk.x!, y: jwk.y! };
  }

  private authData(rpID: string, attested: boolean): Buffer {
    const flags = 0x01 | (this.options.uv === false ? 0 : 0x04) | (this.options.backedUp ? 0x18 : 0) | (attested ? 0x40 : 0);
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const parts = [sha256(rpID), Buffer.from([flags]), counter];
    if (attested) {
      const cose = new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(this.publicJwk.x, "base64url")],
        [-3, Buffer.from(this.publicJwk.y, "base64url")],
      ]);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), length, this.credentialId, Buffer.from(isoCBOR.encode(cose)));
    }
    return Buffer.concat(parts);
  }

  /** Answers navigator.credentials.create (a RegistrationResponseJSON). */
  register(challenge: string, at: { origin: string; rpID: string }) {
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.create", challenge, origin: at.origin, crossOrigin: false }));
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", this.authData(at.rpID, true)]]) as never);
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: "public-key" as const,
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ["internal"] as ("internal")[] },
      clientExtensionResults: {},
    };
  }

  /** Answers navigator.credentials.get (an AuthenticationResponseJSON); the counter moves on first. */
  assert(challenge: string, at: { origin: string; rpID: string }, step = 1) {
    this.counter += step;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin: at.origin, crossOrigin: false }));
    const authenticatorData = this.authData(at.rpID, false);
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: "public-key" as const,
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature), userHandle: b64url(this.userHandle) },
      clientExtensionResults: {},
    };
  }
}
