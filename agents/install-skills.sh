# shellcheck shell=bash
# The skill installation of the codex, opencode and cursor entrypoints, installed as
# /kelos/install-skills.sh: sourcing it defines install_skills.
#
# install_skills <dir>: copies each plugin skill to <dir>/<plugin>:<skill>/. Two plugin/skill
# pairs that map to the same directory (plugin "a:b" with skill "c", plugin "a" with skill "b:c")
# would silently overwrite each other, so that is an error.
install_skills() {
  local target_root="$1" plugin_dir skill_dir target
  local -A installed=()
  for plugin_dir in "$KELOS_PLUGIN_DIR"/*/; do
    [ -d "${plugin_dir}skills" ] || continue
    for skill_dir in "${plugin_dir}skills"/*/; do
      [ -d "$skill_dir" ] || continue
      target="$target_root/$(basename "$plugin_dir"):$(basename "$skill_dir")"
      if [ -n "${installed[$target]:-}" ]; then
        echo "kelos: two skills map to $target" >&2
        return 1
      fi
      installed[$target]=1
      mkdir -p "$target" || return 1
      cp -R "$skill_dir". "$target/" || return 1
    done
  done
}
