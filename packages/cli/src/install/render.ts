import { stringify } from 'yaml';

/**
 * Multi-document YAML of the manifests, for `kelos install --dry-run` and GitOps. Stable: keys keep the
 * builders' order, and the options are those @kelos/shared renders its CRD files with, so a CRD document
 * is byte-for-byte its `crds/` file without the header comment. Objects that share a sub-object are
 * written out in full rather than as YAML anchors and aliases, which some tools reject.
 */
export function renderManifestsYaml(objects: readonly object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
