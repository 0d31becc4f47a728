/**
 * The version `kelos version` prints and the image tag `kelos install` defaults to. Development builds
 * say `latest` (the reference's default, cli spec §1.1), so that a dev CLI installs the newest images;
 * the release pipeline rewrites this constant to the release tag.
 */
export const VERSION = 'latest';
