#!/bin/bash
# /usr/local/bin/gh in the bundled agent images, ahead of the real /usr/bin/gh on PATH.
# A GitHub App installation token is re-minted while a Task runs and reaches the pod as the file
# $KELOS_GITHUB_TOKEN_FILE (a Secret volume the kubelet keeps current), so every gh call reads
# the file afresh instead of trusting the token env fixed at container start.
set -uo pipefail

if [ -n "${KELOS_GITHUB_TOKEN_FILE:-}" ] && [ -r "$KELOS_GITHUB_TOKEN_FILE" ]; then
  token="$(<"$KELOS_GITHUB_TOKEN_FILE")"
  if [ -n "$token" ]; then
    # gh reads GH_ENTERPRISE_TOKEN for GitHub Enterprise hosts and GH_TOKEN for github.com.
    if [ -n "${GH_HOST:-}" ] && [ "$GH_HOST" != "github.com" ]; then
      export GH_ENTERPRISE_TOKEN="$token"
    else
      export GH_TOKEN="$token"
    fi
  fi
fi

exec /usr/bin/gh "$@"
