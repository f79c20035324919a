// Signs bytes (the DSSE pre-authentication encoding); never sees statements.
export interface Signer {
  // DSSE keyid: the SSH SHA256 fingerprint of the public key, as Chains and cosign compute it.
  readonly keyId: string;
  // The SPKI PEM public key, so verifiers can be handed exactly what signed.
  readonly publicKeyPem: string;
  // ECDSA P-256 over SHA-256 of data, ASN.1 DER.
  sign(data: Buffer): Promise<Buffer>;
}
