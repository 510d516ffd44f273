#!/bin/sh
# Regenerates the fixed certificates of the simulated cluster: a CA, a
# server certificate for 127.0.0.1 and localhost, and a client certificate
# (group system:masters).  They are valid for 100 years so tests stay
# deterministic; they protect nothing but loopback test traffic.
set -eu
cd "$(dirname "$0")"
ext=$(mktemp)
trap 'rm -f "$ext" ca-key.pem ./*.csr ca.srl' EXIT
cat > "$ext" <<'EOT'
[v3_sim_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_sim_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[v3_sim_client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
EOT
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
  -keyout ca-key.pem -out ca.pem -days 36500 -subj "/CN=porthole-sim-ca" \
  -config "$ext" -extensions v3_sim_ca
for n in server client; do
  subj="/CN=porthole-sim"
  [ "$n" = client ] && subj="/O=system:masters/CN=porthole-admin"
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$n-key.pem" -out "$n.csr" -subj "$subj" -config "$ext"
  openssl x509 -req -in "$n.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
    -days 36500 -out "$n.pem" -extfile "$ext" -extensions "v3_sim_$n"
done
