/**
 * The shell side of completion: each script hands the words typed so far to `kelos __complete` and
 * shows what it answers (see complete.ts), so they never need regenerating when commands change.
 * Directive 4 means "no file names"; otherwise the shell falls back to files when nothing matched.
 */
import type { Shell } from '../enums.js';

const BASH = `# bash completion for kelos
# Load in the current shell:  source <(kelos completion bash)
# Load for every session:     kelos completion bash > ~/.local/share/bash-completion/completions/kelos
_kelos_complete() {
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local out directive line
    out=$("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
    # The last line is ":<directive>"; everything before it is one candidate per line.
    directive="\${out##*:}"
    out="\${out%:*}"
    local IFS=$'\\n'
    local candidates=()
    for line in $out; do
        candidates+=("\${line%%$'\\t'*}")
    done
    COMPREPLY=($(compgen -W "\${candidates[*]}" -- "$cur"))
    if [[ \${#COMPREPLY[@]} -eq 0 && "$directive" != 4 ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return 0
}
complete -F _kelos_complete kelos
`;

const ZSH = `#compdef kelos
# zsh completion for kelos
# Load in the current shell (after compinit):  source <(kelos completion zsh)
# Load for every session:  kelos completion zsh > "\${fpath[1]}/_kelos"
_kelos() {
    local out directive line
    local -a candidates
    out=$(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
    directive=\${out##*:}
    out=\${out%:*}
    for line in "\${(@f)out}"; do
        [[ -z $line ]] && continue
        local value=\${line%%$'\\t'*} description=""
        [[ $line == *$'\\t'* ]] && description=\${line#*$'\\t'}
        candidates+=("\${value//:/\\\\:}\${description:+:$description}")
    done
    if (( \${#candidates} )); then
        _describe -t kelos 'kelos' candidates
    elif [[ $directive != 4 ]]; then
        _files
    fi
}
if [[ "\${funcstack[1]}" == _kelos ]]; then
    _kelos "$@"
else
    compdef _kelos kelos
fi
`;

const FISH = `# fish completion for kelos
# Load in the current shell:  kelos completion fish | source
# Load for every session:     kelos completion fish > ~/.config/fish/completions/kelos.fish
function __kelos_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out ($tokens[1] __complete $tokens[2..-1] $current 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -gt 0
        printf '%s\\n' $out
    else if test "$directive" != 4
        __fish_complete_path $current
    end
end
complete -c kelos -f -a '(__kelos_complete)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
