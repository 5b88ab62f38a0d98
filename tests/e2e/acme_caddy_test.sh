#!/usr/bin/env bash
# End to end: Caddy (Debian 12, 2.6.2) as an ACME client. A Caddyfile gives
# the site nas.home.arpa (the pairing's name) an `acme` issuer with homecad's
# directory, the EAB of `homeca pair add --acme` and `trusted_roots` (the
# root); Caddy obtains the certificate on its own and serves the site on a
# loopback port, which curl then fetches trusting only the root, and openssl
# judges the chain Caddy serves. Caddy runs with its own HOME and XDG
# directories in the test's temp dir, its admin endpoint off, ended by PID.
# The stage is acme_e2e_lib.sh. Env: HOMECAD, HOMECA.
set -euo pipefail
source "$(dirname "$0")/acme_e2e_lib.sh"
acme_enter_namespace "$0" caddy curl
acme_start_homecad
acme_add_pairing
site_port=$(acme_free_port)
redirect_port=$(acme_free_port)
home="$acme_work/caddy"
mkdir -p "$home"
cat >"$acme_work/Caddyfile" <<CADDY
{
	admin off
	http_port $redirect_port
	https_port $site_port
	skip_install_trust
	storage file_system $home/storage
	email admin@home.arpa
}

nas.home.arpa:$site_port {
	bind 127.0.0.1
	tls {
		issuer acme {
			dir $acme_directory
			eab $acme_kid $acme_hmac
			trusted_roots $acme_work/root.pem
		}
	}
	respond "served by caddy for nas.home.arpa"
}
CADDY
HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
  caddy run --config "$acme_work/Caddyfile" --adapter caddyfile >"$acme_work/caddy.log" 2>&1 &
acme_track_pid $!
caddy_pid=$!

# Caddy obtains the certificate in the background after it starts: wait for
# it (seconds; 30 at most), then ask as a browser would.
served=""
deadline=$((SECONDS + 30))
while ((SECONDS < deadline)); do
  kill -0 "$caddy_pid" 2>/dev/null || fail "caddy ended: $(cat "$acme_work/caddy.log")"
  if served=$(curl -sS --max-time 5 --cacert "$acme_work/root.pem" \
    --resolve "nas.home.arpa:$site_port:127.0.0.1" "https://nas.home.arpa:$site_port/" 2>&1); then
    break
  fi
  sleep 0.2
done
[[ "$served" == "served by caddy for nas.home.arpa" ]] ||
  fail "curl could not fetch Caddy's site: $served; caddy: $(tail -30 "$acme_work/caddy.log")"
grep -q "certificate obtained successfully" "$acme_work/caddy.log" ||
  fail "Caddy did not report obtaining its certificate: $(tail -30 "$acme_work/caddy.log")"

# The chain Caddy serves, judged by openssl for the name.
timeout 10 openssl s_client -connect "127.0.0.1:$site_port" -servername nas.home.arpa -showcerts \
  </dev/null 2>/dev/null | sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' \
  >"$acme_work/served.pem"
acme_judge "$acme_work/served.pem"
acme_check_record
echo "PASS: Caddy obtained nas.home.arpa through ACME and served it; curl verified it against the root"
