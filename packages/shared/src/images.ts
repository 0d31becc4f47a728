/** Container image references, as the controller, the installer and the dev cluster read them. */

/** The reference without its tag and digest; a registry port (`host:5000/x`) is not a tag. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** `image:version` for an untagged reference; a reference with a tag or digest is kept. */
export function withDefaultTag(image: string, version: string): string {
  return imageRepository(image) === image ? `${image}:${version}` : image;
}
