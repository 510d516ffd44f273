#!/bin/sh
# A client.authentication.k8s.io exec plugin for tests: prints an
# ExecCredential whose token names the run ("exec-token-N"), counting its
# runs in $PH_EXEC_COUNT_FILE and saving KUBERNETES_EXEC_INFO to
# $PH_EXEC_INFO_FILE when set.  PH_EXEC_FAIL makes it fail with that text
# on stderr; PH_EXEC_CERT_FILE and PH_EXEC_KEY_FILE make it hand out that
# client certificate instead of a token; PH_EXEC_WAIT_FILE makes it wait
# until that file exists; PH_EXEC_TOKEN (JSON string contents) replaces the
# token.
set -eu
count=0
if [ -f "$PH_EXEC_COUNT_FILE" ]; then
  count=$(cat "$PH_EXEC_COUNT_FILE")
fi
count=$((count + 1))
echo "$count" > "$PH_EXEC_COUNT_FILE"
if [ -n "${PH_EXEC_WAIT_FILE:-}" ]; then
  # a slow login: wait (up to a minute) until the test lets it finish
  i=0
  while [ ! -e "$PH_EXEC_WAIT_FILE" ] && [ "$i" -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
  done
fi
if [ -n "${PH_EXEC_INFO_FILE:-}" ]; then
  printf '%s' "${KUBERNETES_EXEC_INFO:-}" > "$PH_EXEC_INFO_FILE"
fi
if [ -n "${PH_EXEC_FAIL:-}" ]; then
  echo "some noise first" >&2
  echo "$PH_EXEC_FAIL" >&2
  exit 3
fi
api_version=${PH_EXEC_API_VERSION:-client.authentication.k8s.io/v1}
expiry=${PH_EXEC_EXPIRY:-2999-01-01T00:00:00Z}
if [ -n "${PH_EXEC_CERT_FILE:-}" ]; then
  # a client certificate instead of a token, PEM as JSON strings
  cert=$(awk '{ printf "%s\\n", $0 }' "$PH_EXEC_CERT_FILE")
  key=$(awk '{ printf "%s\\n", $0 }' "$PH_EXEC_KEY_FILE")
  printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s","expirationTimestamp":"%s"}}\n' \
    "$api_version" "$cert" "$key" "$expiry"
  exit 0
fi
token=${PH_EXEC_TOKEN:-exec-token-$count}
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' \
  "$api_version" "$token" "$expiry"
