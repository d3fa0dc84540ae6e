#!/bin/sh
# One-shot (temporalio/admin-tools): once the server answers, create the dnstats namespace (with
# its retention) and the custom search attributes the workflows set (src/shared/names.ts). Safe
# to re-run: what exists is left alone.
set -eu
ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-7d}"

attempt=0
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  [ "$attempt" -ge 60 ] && { echo "Temporal at $ADDRESS not healthy after 120 s" >&2; exit 1; }
  sleep 2
done

if temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
fi

for name in DnstatsRunId DnstatsScope DnstatsStatus; do
  if temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" | grep -q "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" --name "$name" --type Keyword
  fi
done
echo "namespace $NAMESPACE is ready"
